"""Compliance officers search, page through and verify the audit log over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient

from gateway.services import Services
from tests.factories import IdentityProvider, bearer

IMAGE = {"prompt": "a quiet harbour", "purpose": "internal", "seed": 2}


def _officer(idp: IdentityProvider) -> dict[str, str]:
    return bearer(idp.token("carol", roles=["compliance_officer"]))


def _make_traffic(client: TestClient, idp: IdentityProvider) -> None:
    client.post("/v1/images", json=IMAGE, headers=bearer(idp.token("alice")))
    client.post(
        "/v1/images",
        json={**IMAGE, "purpose": "commercial", "model": "stabilityai/sd-turbo"},
        headers=bearer(idp.token("alice")),
    )
    client.post("/v1/images", json=IMAGE, headers=bearer(idp.token("bob", roles=["service"])))
    client.post("/v1/images", json=IMAGE)  # no token


def test_only_compliance_and_admin_read_the_log(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    denied = client.get("/v1/audit", headers=bearer(idp.token("alice")))
    assert denied.status_code == 403
    assert denied.json()["code"] == "role_forbidden"
    entry = services.audit.get(services.audit.head()[0])
    assert entry is not None and (entry.action, entry.decision, entry.subject) == (
        "read_audit",
        "deny",
        "alice",
    )

    assert client.get("/v1/audit", headers=_officer(idp)).status_code == 200
    assert (
        client.get("/v1/audit", headers=bearer(idp.token("root", roles=["admin"]))).status_code
        == 200
    )


def test_filters(client: TestClient, idp: IdentityProvider) -> None:
    _make_traffic(client, idp)
    officer = _officer(idp)

    denies = client.get("/v1/audit", params={"decision": "deny"}, headers=officer).json()["items"]
    assert {e["code"] for e in denies} == {"licence_forbids_purpose", "token_missing"}

    by_code = client.get("/v1/audit", params={"code": "token_missing"}, headers=officer).json()[
        "items"
    ]
    assert [e["action"] for e in by_code] == ["authenticate"]

    bobs = client.get("/v1/audit", params={"subject": "bob"}, headers=officer).json()["items"]
    assert len(bobs) == 1 and bobs[0]["decision"] == "allow" and bobs[0]["roles"] == ["service"]
    assert bobs[0]["prompt"] == {"prompt": IMAGE["prompt"], "negative_prompt": None}

    future = client.get(
        "/v1/audit", params={"since": "2999-01-01T00:00:00Z"}, headers=officer
    ).json()
    assert future["items"] == []
    past = client.get("/v1/audit", params={"until": "2000-01-01T00:00:00Z"}, headers=officer).json()
    assert past["items"] == []
    everything = client.get(
        "/v1/audit",
        params={"since": "2000-01-01T00:00:00Z", "until": "2999-01-01T00:00:00Z"},
        headers=officer,
    ).json()["items"]
    assert len(everything) >= 4


def test_cursor_pagination_walks_every_entry_once_newest_first(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    for _ in range(3):
        _make_traffic(client, idp)
    officer = _officer(idp)
    head = services.audit.head()[0]

    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 5, "action": "generate"}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/v1/audit", params=params, headers=officer).json()
        seen.extend(e["seq"] for e in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen, reverse=True)
    assert len(seen) == len(set(seen)) == 9  # three generate entries per round
    assert max(seen) <= head


def test_bad_cursor_and_limit_are_4xx(client: TestClient, idp: IdentityProvider) -> None:
    officer = _officer(idp)
    bad = client.get("/v1/audit", params={"cursor": "bm90LWEtY3Vyc29y"}, headers=officer)
    assert bad.status_code == 400 and bad.json()["code"] == "audit_cursor_invalid"
    too_many = client.get("/v1/audit", params={"limit": 100000}, headers=officer)
    assert too_many.status_code == 422 and too_many.json()["code"] == "invalid_request"
    bad_time = client.get("/v1/audit", params={"since": "yesterday"}, headers=officer)
    assert bad_time.status_code == 422


def test_verify_and_checkpoint_over_http(client: TestClient, idp: IdentityProvider) -> None:
    _make_traffic(client, idp)
    officer = _officer(idp)
    checkpoint = client.post("/v1/audit/checkpoints", headers=officer)
    assert checkpoint.status_code == 201
    report = client.get("/v1/audit/verify", headers=officer).json()
    assert report["ok"] is True
    assert report["checkpoints"] == 1
    assert report["head_seq"] >= checkpoint.json()["seq"]
    assert client.get("/v1/audit/verify", headers=bearer(idp.token("alice"))).status_code == 403


def test_health_needs_no_token(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["profile"] == "tiny"


def test_unknown_route_is_problem_json(client: TestClient) -> None:
    response = client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


def test_openapi_is_served(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/v1/images" in spec["paths"] and "/v1/audit" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_export_streams_jsonl_that_chain_checks(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    import json

    from audit import GENESIS_HASH
    from audit.record import entry_hash

    _make_traffic(client, idp)
    officer = _officer(idp)
    assert client.get("/v1/audit/export", headers=bearer(idp.token("alice"))).status_code == 403
    response = client.get("/v1/audit/export", headers=officer)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    entries = [json.loads(line) for line in response.text.splitlines()]
    assert set(entries.pop()) == {"export_digest"}  # the signed digest ends it
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    previous = GENESIS_HASH
    for entry in entries:  # what an auditor can do offline with the file alone
        fields = {k: v for k, v in entry.items() if k not in ("hash", "prompt")}
        assert entry["prev_hash"] == previous and entry_hash(fields) == entry["hash"]
        previous = entry["hash"]
    denies = client.get("/v1/audit/export", params={"decision": "deny"}, headers=officer)
    assert {json.loads(line)["decision"] for line in denies.text.splitlines()[:-1]} == {"deny"}
    last = services.audit.get(services.audit.head()[0])
    assert last is not None and last.action == "export_audit"
