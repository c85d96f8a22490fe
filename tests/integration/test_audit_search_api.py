"""Audit search over HTTP: every filter is honoured or refused, never ignored; relative times;
text search; summaries; who asked, from where, under which licence; the licences list; the
uses of a voice for its owner and officers only."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from gateway.services import Services
from tests.factories import IdentityProvider, bearer
from tests.integration.test_voices import COLLEAGUE, OWNER, _clone, _enrolled, _token

IMAGE = {"prompt": "a quiet harbour at dawn", "purpose": "internal", "seed": 2}


def _officer(idp: IdentityProvider) -> dict[str, str]:
    return bearer(idp.token("carol", roles=["compliance_officer"], name="Carol Officer"))


def _search(client: TestClient, idp: IdentityProvider, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/v1/audit", params=params, headers=_officer(idp))
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _traffic(client: TestClient, idp: IdentityProvider) -> None:
    alice = bearer(idp.token("alice", name="Alice Liddell"))
    assert client.post("/v1/images", json=IMAGE, headers=alice).status_code == 201
    commercial = {**IMAGE, "purpose": "commercial", "model": "stabilityai/sd-turbo"}
    assert client.post("/v1/images", json=commercial, headers=alice).status_code == 403
    service = bearer(idp.token("bob", roles=["service"]))
    prompt = {**IMAGE, "prompt": "请画一只在码头睡觉的猫"}
    assert client.post("/v1/images", json=prompt, headers=service).status_code == 201


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"rol": "employee"}, "unknown_parameter"),
        ({"decision": "deny", "colour": "red"}, "unknown_parameter"),
        ({"since": "yesterday"}, "invalid_time"),
        ({"since": "1y"}, "invalid_time"),
        ({"sha256": "abc"}, "invalid_request"),
        ({"seq_from": "0"}, "invalid_request"),
        ({"q": "x" * 201}, "invalid_request"),
        ({"exclude_reads": "maybe"}, "invalid_request"),
        ({"q": "\u200b\u200d"}, "invalid_request"),  # nothing left to search for
    ],
)
def test_bad_or_unknown_parameters_are_refused_and_recorded(
    client: TestClient, services: Services, idp: IdentityProvider, params: dict, code: str
) -> None:
    response = client.get("/v1/audit", params=params, headers=_officer(idp))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code
    entry = services.audit.get(services.audit.head()[0])
    assert entry is not None and (entry.decision, entry.code, entry.subject) == (
        "deny",
        code,
        "carol",
    )


def test_a_parameter_given_twice_is_refused(client: TestClient, idp: IdentityProvider) -> None:
    response = client.get("/v1/audit?decision=allow&decision=deny", headers=_officer(idp))
    assert response.status_code == 422
    assert response.json()["code"] == "repeated_parameter"
    assert response.json()["parameters"] == ["decision"]


def test_unknown_parameters_are_refused_on_summary_uses_and_licences_too(
    client: TestClient, idp: IdentityProvider
) -> None:
    officer = _officer(idp)
    for path in ("/v1/audit/summary?group_by=code", "/v1/voices", "/v1/licences"):
        sep = "&" if "?" in path else "?"
        response = client.get(f"{path}{sep}nonsense=1", headers=officer)
        assert response.status_code == 422, path
        assert response.json()["code"] == "unknown_parameter"


def test_role_model_purpose_and_text_filters(client: TestClient, idp: IdentityProvider) -> None:
    _traffic(client, idp)
    services_only = _search(client, idp, role="service", action="generate")
    assert [e["subject"] for e in services_only] == ["bob"]
    turbo = _search(client, idp, model="stabilityai/sd-turbo")
    assert [(e["code"], e["purpose"]) for e in turbo] == [("licence_forbids_purpose", "commercial")]
    commercial = _search(client, idp, purpose="commercial")
    assert [e["model"] for e in commercial] == ["stabilityai/sd-turbo"]
    assert [e["subject"] for e in _search(client, idp, q="码头")] == ["bob"]  # 2 characters
    assert [e["subject"] for e in _search(client, idp, q="Quiet Harbour")] == ["alice", "alice"]
    assert _search(client, idp, role="nobody") == []


def test_ids_hash_and_seq_filters_find_one_generation(
    client: TestClient, idp: IdentityProvider
) -> None:
    _traffic(client, idp)
    made = _search(client, idp, action="generate", decision="allow", subject="alice")
    assert len(made) == 1
    entry = made[0]
    for params in (
        {"artifact_id": entry["details"]["artifact_id"]},
        {"sha256": entry["output_sha256"].upper()},
        {"request_id": entry["request_id"], "action": "generate"},
        {"seq_from": entry["seq"], "seq_to": entry["seq"]},
    ):
        assert [e["seq"] for e in _search(client, idp, **params)] == [entry["seq"]], params


def test_relative_times_and_reads_hidden(client: TestClient, idp: IdentityProvider) -> None:
    _traffic(client, idp)
    recent = _search(client, idp, since="1h", exclude_reads="true")
    assert {e["action"] for e in recent} == {"generate"}
    assert _search(client, idp, until="1h") == []
    reads = _search(client, idp, action="read_audit")  # the two searches above
    assert [sorted(r["details"]["filters"]) for r in reads] == [
        ["until"],
        ["exclude_reads", "since"],
    ]
    assert reads[0]["details"]["filters"]["until"].endswith("Z")  # stored as the time it meant


def test_entries_carry_display_name_client_and_the_licence_checked(
    client: TestClient, idp: IdentityProvider
) -> None:
    _traffic(client, idp)
    denied = _search(client, idp, code="licence_forbids_purpose")[0]
    assert denied["details"]["caller_name"] == "Alice Liddell"
    assert denied["details"]["client"] == "testclient"
    assert denied["details"]["licence"]
    assert "commercial" not in denied["details"]["licence_allows"]
    read = _search(client, idp, action="read_audit")[0]
    assert read["details"]["caller_name"] == "Carol Officer"


def test_summary_counts_by_code_and_day(client: TestClient, idp: IdentityProvider) -> None:
    _traffic(client, idp)
    officer = _officer(idp)
    response = client.get(
        "/v1/audit/summary", params={"group_by": "code", "action": "generate"}, headers=officer
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert {g["key"]: g["count"] for g in body["groups"]} == {
        "ok": 2,
        "licence_forbids_purpose": 1,
    }
    assert body["total"] == 3 and body["truncated"] is False
    days = client.get("/v1/audit/summary", params={"group_by": "day"}, headers=officer).json()
    assert len(days["groups"]) == 1 and days["groups"][0]["count"] >= 4
    bad = client.get("/v1/audit/summary", params={"group_by": "prompt"}, headers=officer)
    assert bad.status_code == 422
    employee = client.get(
        "/v1/audit/summary", params={"group_by": "code"}, headers=bearer(idp.token("alice"))
    )
    assert employee.status_code == 403


def test_licences_list_models_inputs_and_purposes(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    response = client.get("/v1/licences", headers=bearer(idp.token("alice")))
    assert response.status_code == 200, response.text
    body = response.json()
    turbo = next(m for m in body["models"] if m["model"] == "stabilityai/sd-turbo")
    assert "commercial" not in turbo["purposes"] and turbo["commercial_use"] is False
    book = services.licences.book()
    assert {i["licence"]: set(i["purposes"]) for i in body["inputs"]} == {
        key: {str(p) for p in licence.purposes} for key, licence in book.inputs.items()
    }
    assert {m["model"] for m in body["models"]} == set(book.models)
    assert client.get("/v1/licences").status_code == 401


def test_owner_and_officers_see_every_use_of_a_voice_others_do_not(
    client: TestClient, idp: IdentityProvider
) -> None:
    voice = _enrolled(client, idp)
    voice_id = voice["voice_id"]
    for purpose in ("internal", "training"):
        made = _clone(client, idp, voice_id, purpose=purpose)
        assert made.status_code == 201, made.text
    assert _clone(client, idp, voice_id, purpose="marketing").status_code == 403  # out of scope
    owner = client.get(f"/v1/voices/{voice_id}/uses", headers=_token(idp, OWNER))
    assert owner.status_code == 200, owner.text
    uses = owner.json()["items"]
    assert [(u["subject"], u["purpose"]) for u in uses] == [
        (COLLEAGUE, "training"),
        (COLLEAGUE, "internal"),
    ]
    assert all(u["consent_id"] == voice["consent_id"] and u["artifact_id"] for u in uses)
    assert uses[0]["caller_name"] == COLLEAGUE.title()
    entry = _search(client, idp, seq_from=uses[0]["seq"], seq_to=uses[0]["seq"])[0]
    assert entry["details"]["voice_id"] == voice_id
    officer = client.get(f"/v1/voices/{voice_id}/uses", headers=_officer(idp))
    assert [u["seq"] for u in officer.json()["items"]] == [u["seq"] for u in uses]
    for stranger in (_token(idp, COLLEAGUE), _token(idp, "mallory")):
        hidden = client.get(f"/v1/voices/{voice_id}/uses", headers=stranger)
        assert hidden.status_code == 404
        assert hidden.json()["code"] == "voice_not_found"
    paged = client.get(f"/v1/voices/{voice_id}/uses?limit=1", headers=_token(idp, OWNER)).json()
    assert len(paged["items"]) == 1 and paged["next_cursor"]
    rest = client.get(
        f"/v1/voices/{voice_id}/uses",
        params={"limit": 1, "cursor": paged["next_cursor"]},
        headers=_token(idp, OWNER),
    ).json()
    assert [u["seq"] for u in rest["items"]] == [uses[1]["seq"]]
    by_voice = _search(client, idp, voice_id=voice_id, action="read_voice_uses")
    assert len(by_voice) >= 4  # every read of the uses is itself recorded


def test_a_search_term_is_kept_beside_the_read_entry_and_goes_with_retention(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    """A term may be a prompt's own words: were it in the hashed read entry, searching for a
    redacted prompt would write it back into the log for good (found by the attack)."""
    import datetime as dt

    import audit
    from gateway.retention import redact_expired_prompts

    term = "zebra vault 密码"
    _search(client, idp, q=term)
    client.get("/v1/audit/summary", params={"group_by": "code", "q": term}, headers=_officer(idp))
    reads = list(audit.export(services.db, audit.AuditFilter(action="read_audit")))
    assert len(reads) == 2
    for read in reads:
        assert "q" not in read.details["filters"]
        assert services.audit.prompt_fields(read.seq) == {"q": term}
        assert read.prompt_hash == audit.prompt_hash({"q": term})
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=400)
    assert redact_expired_prompts(services, now=later) >= 2
    assert all(services.audit.prompt_fields(read.seq) is None for read in reads)
    stored = [repr(entry) for entry in audit.export(services.db, audit.AuditFilter())]
    assert not [entry for entry in stored if "zebra" in entry]
