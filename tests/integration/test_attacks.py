"""shared/THREATS.md against the running app, refusals first (identity, access, size and shape,
text, races), on every method: GET, PUT and DELETE refuse as POST does.

"Held" here: a problem+json 4xx (or a documented 5xx) carrying its code and the request id of
``X-Request-Id``, exactly one audit entry for the refusal carrying that request id, never a
500, and an audit chain that still verifies. Refusals of callers without a valid token are
recorded one by one for the first ten of an interval, then only counted; each test below stays
within those ten unless it is about the count.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
import pytest
from fastapi.testclient import TestClient

import audit
from audit import AuditEntry, Decision
from engines import ModelLoader
from gateway.app import create_app
from gateway.services import Services, build_services
from gateway.settings import Settings
from tests.factories import (
    REFERENCE_TEXTS,
    IdentityProvider,
    approve_if_pending,
    bearer,
    make_key,
    sample_media,
    spoken_wav,
)
from tests.integration.test_postgres import postgres_url  # noqa: F401  (a fixture)

PROBLEM_JSON = "application/problem+json"
IMAGE = {"prompt": "a lighthouse", "purpose": "internal", "steps": 1, "width": 64, "height": 64}
MUSIC = {"prompt": "a calm tune", "duration_s": 1.0, "purpose": "internal"}
MISSING_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"  # a well-formed ULID nobody was given
# Ids a careless or hostile client puts in a path (sent percent-encoded, as on the wire), and
# how each is refused: printable ASCII is looked up and not found (404, as a missing id), an
# encoded slash no longer names a route (404 not_found), anything else is refused before any
# lookup (422: a NUL cannot even be compared on PostgreSQL).
ODD_IDS = (
    ("..%2F..%2F..%2Fetc%2Fpasswd", 404),
    ("%2e%2e", 404),  # ".." as it reaches the server (clients resolve a bare one)
    ("a;b=c", 404),
    ("x" * 128, 404),
    ("%00", 422),
    ("a%00b", 422),
    ("%0d%0aX-Injected:%201", 422),
    ("%ff", 422),
    ("%ED%A0%80", 422),  # a UTF-16 surrogate, UTF-8 encoded: not valid UTF-8
    ("%E2%80%8B", 422),  # a zero-width space
    ("%C3%BCn%C3%AFc%C3%B6d%C3%A9", 422),
    ("%F0%9F%94%A5" * 8, 422),
    ("x" * 10_240, 422),
    ("%20", 422),
)


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    """As conftest's, but a server error is answered (a 500), not raised into the test."""
    with TestClient(create_app(services=services), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(autouse=True)
def chain_verifies(services: Services) -> Iterator[None]:
    """Whatever a test threw at the gateway, its audit chain still verifies afterwards."""
    yield
    report = audit.verify_log(services.db, services.audit, services.audit.checkpoint_key.public_key)
    assert report.ok, report.problems


@dataclass(frozen=True)
class Sent:
    """A response and the audit entries written while it was answered."""

    response: httpx.Response
    entries: list[AuditEntry]

    def mine(self) -> list[AuditEntry]:
        request_id = self.response.headers.get("x-request-id")
        return [e for e in self.entries if e.request_id == request_id]


def send(client: TestClient, services: Services, method: str, url: str, **kwargs: Any) -> Sent:
    after, _ = services.audit.head()
    response = client.request(method, url, **kwargs)
    head, _ = services.audit.head()
    entries = [services.audit.get(seq) for seq in range(after + 1, head + 1)]
    return Sent(response, [e for e in entries if e is not None])


def assert_refused(sent: Sent, status: int, code: str) -> AuditEntry:
    """A problem+json ``status`` with ``code`` and the request id, recorded exactly once."""
    response = sent.response
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert (body["status"], body["code"]) == (status, code), body
    assert body["request_id"] == response.headers["x-request-id"]
    refusals = [e for e in sent.mine() if e.decision in (Decision.DENY, Decision.ERROR)]
    assert [(e.code, e.decision) for e in refusals] == [(code, Decision.DENY)], sent.entries
    return refusals[0]


def assert_indistinguishable(
    one: httpx.Response, one_id: str, other: httpx.Response, other_id: str
) -> None:
    """Two refusals that differ only in the id asked for (and the request id)."""
    first, second = one.json(), other.json()
    for body in (first, second):
        body.pop("request_id")
    first["detail"] = first["detail"].replace(one_id, "{id}")
    first["instance"] = first["instance"].replace(one_id, "{id}")
    second["detail"] = second["detail"].replace(other_id, "{id}")
    second["instance"] = second["instance"].replace(other_id, "{id}")
    assert first == second
    assert one.status_code == other.status_code
    assert one.headers.keys() == other.headers.keys()


def token(idp: IdentityProvider, subject: str, *roles: str) -> dict[str, str]:
    return bearer(idp.token(subject, list(roles or ["employee"])))


# -- identity: every method ---------------------------------------------------------------------

# One of each method and kind of route; all need a token.
ROUTES: tuple[tuple[str, str, dict[str, Any] | None], ...] = (
    ("GET", "/v1/jobs", None),
    ("GET", f"/v1/jobs/{MISSING_ID}", None),
    ("DELETE", f"/v1/jobs/{MISSING_ID}", None),
    ("GET", f"/v1/artifacts/{MISSING_ID}/manifest", None),
    ("GET", "/v1/audit", None),
    ("GET", "/v1/voices", None),
    ("PUT", f"/v1/voices/{MISSING_ID}/legal-hold", {"hold": True}),
    ("POST", f"/v1/voices/{MISSING_ID}/revoke", None),
    ("POST", "/v1/images", IMAGE),
)


def _stranger_with_embedded_jwk(idp: IdentityProvider) -> str:
    # Key confusion: sign with our own key and carry it in the header, under a known kid.
    stranger = make_key("RS256", "rsa-1")
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(stranger.private_key.public_key()))
    header = {"kid": "rsa-1", "jwk": jwk, "jku": "http://127.0.0.1:9/jwks.json"}
    return jwt.encode(idp.claims(roles=["admin"]), stranger.private_key, "RS256", headers=header)


def _with_header(idp: IdentityProvider, **header: Any) -> str:
    key = idp.keys["rsa-1"]
    claims = idp.claims(roles=["admin"])
    return jwt.encode(claims, key.private_key, "RS256", headers={"kid": "rsa-1", **header})


BAD_TOKENS: dict[str, tuple[Callable[[IdentityProvider], str | None], str]] = {
    "none": (lambda idp: None, "token_missing"),
    "empty bearer": (lambda idp: "Bearer    ", "token_missing"),
    "garbage": (lambda idp: "Bearer a.b.c.d.e", "token_malformed"),
    "oversized": (lambda idp: "Bearer " + idp.token(pad="x" * 20_000), "token_malformed"),
    "expired": (lambda idp: "Bearer " + idp.token(exp=int(time.time()) - 600), "token_expired"),
    "foreign key, known kid, jwk in header": (
        lambda idp: "Bearer " + _stranger_with_embedded_jwk(idp),
        "token_signature_invalid",
    ),
    "critical header not understood": (
        lambda idp: "Bearer " + _with_header(idp, crit=["exp"]),
        "token_malformed",
    ),
    "kid path traversal": (
        lambda idp: "Bearer " + _with_header(idp, kid="../../../../dev/null"),
        "token_unknown_key",
    ),
    "subject with a NUL": (lambda idp: "Bearer " + idp.token("mal\x00lory"), "token_malformed"),
    "kid of 10 KB": (
        lambda idp: "Bearer " + _with_header(idp, kid="k" * 10_240),
        "token_unknown_key",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_TOKENS))
def test_bad_tokens_are_401_and_audited_on_every_method(
    client: TestClient, services: Services, idp: IdentityProvider, case: str
) -> None:
    make, code = BAD_TOKENS[case]
    authorization = make(idp)
    headers = {} if authorization is None else {"Authorization": authorization}
    for method, path, body in ROUTES:  # nine: all within the ten recorded one by one
        sent = send(client, services, method, path, json=body, headers=headers)
        entry = assert_refused(sent, 401, code)
        assert sent.response.headers["www-authenticate"].startswith("Bearer ")
        assert (entry.action, entry.subject, entry.details["path"]) == ("authenticate", None, path)


def test_roles_smuggled_in_other_claims_grant_nothing(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    smuggled = {
        "realm_access": {"roles": ["admin"]},
        "groups": ["admin"],
        "role": "admin",
        "scope": "admin compliance_officer",
        "resource_access": {"consentgate-api": {"roles": ["admin"]}},
    }
    headers = bearer(idp.token("mallory", ["employee"], **smuggled))
    for method, path in (("GET", "/v1/audit"), ("GET", "/v1/audit/verify")):
        entry = assert_refused(
            send(client, services, method, path, headers=headers), 403, "role_forbidden"
        )
        assert (entry.subject, entry.roles) == ("mallory", ["employee"])
    # Role names are matched exactly: no case folding, no trimming, no NUL tricks.
    odd = bearer(idp.token("mallory", ["ADMIN", "admin ", "admin\x00", "compliance_officer\n"]))
    entry = assert_refused(
        send(client, services, "GET", "/v1/audit", headers=odd), 403, "role_forbidden"
    )
    assert entry.roles == []


# -- access: someone else's things are 404, as if they did not exist -------------------------


def test_someone_elses_job_is_404_like_a_missing_one(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    submitted = client.post("/v1/music", json=MUSIC, headers=token(idp, "alice"))
    assert submitted.status_code == 202, submitted.text
    job_id = submitted.json()["job_id"]
    mallory = token(idp, "mallory")
    officer = token(idp, "olga", "compliance_officer")

    for method, suffix in (("GET", ""), ("GET", "/events"), ("DELETE", "")):
        theirs = send(client, services, method, f"/v1/jobs/{job_id}{suffix}", headers=mallory)
        missing = send(client, services, method, f"/v1/jobs/{MISSING_ID}{suffix}", headers=mallory)
        assert_refused(theirs, 404, "job_not_found")
        assert_refused(missing, 404, "job_not_found")
        assert_indistinguishable(theirs.response, job_id, missing.response, MISSING_ID)
    # A compliance officer may read any job, but cancel only their own.
    assert client.get(f"/v1/jobs/{job_id}", headers=officer).status_code == 200
    cancel = send(client, services, "DELETE", f"/v1/jobs/{job_id}", headers=officer)
    assert_refused(cancel, 404, "job_not_found")


def test_someone_elses_artifact_is_404_like_a_missing_one(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    made = client.post("/v1/images", json=IMAGE, headers=token(idp, "alice"))
    assert made.status_code == 201, made.text
    artifact_id = made.json()["artifact_id"]
    mallory = token(idp, "mallory", "voice_user")  # a generating role, one step short of reading

    for suffix in ("", "/manifest"):
        theirs = send(
            client, services, "GET", f"/v1/artifacts/{artifact_id}{suffix}", headers=mallory
        )
        missing = send(
            client, services, "GET", f"/v1/artifacts/{MISSING_ID}{suffix}", headers=mallory
        )
        assert_refused(theirs, 404, "artifact_not_found")
        assert_refused(missing, 404, "artifact_not_found")
        assert_indistinguishable(theirs.response, artifact_id, missing.response, MISSING_ID)


def test_someone_elses_input_is_404_like_a_missing_one(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    uploaded = client.post(
        "/v1/inputs",
        data={"licence": "own-recording"},
        files={"file": ("melody.wav", sample_media("audio/wav"), "audio/wav")},
        headers=token(idp, "alice"),
    )
    assert uploaded.status_code == 201, uploaded.text
    input_id = uploaded.json()["input_id"]
    mallory = token(idp, "mallory")

    theirs = send(
        client,
        services,
        "POST",
        "/v1/music",
        json={**MUSIC, "melody_input_id": input_id},
        headers=mallory,
    )
    missing = send(
        client,
        services,
        "POST",
        "/v1/music",
        json={**MUSIC, "melody_input_id": MISSING_ID},
        headers=mallory,
    )
    assert_refused(theirs, 404, "input_not_found")
    assert_refused(missing, 404, "input_not_found")
    assert_indistinguishable(theirs.response, input_id, missing.response, MISSING_ID)


def _enrol(client: TestClient, idp: IdentityProvider, owner: str) -> str:
    expires = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).isoformat()
    scope = {"subjects": ["colin"], "purposes": ["internal"], "expires_at": expires}
    headers = token(idp, owner, "voice_user")
    challenge = client.post(
        "/v1/voices/challenge", json={"language": "en", "scope": scope}, headers=headers
    )
    assert challenge.status_code == 201, challenge.text
    files = [
        ("references", (f"ref{i}.wav", spoken_wav(text), "audio/wav"))
        for i, text in enumerate(REFERENCE_TEXTS[:2])
    ]
    files.append(
        ("statement", ("statement.wav", spoken_wav(challenge.json()["statement"]), "audio/wav"))
    )
    enrolled = client.post(
        "/v1/voices",
        data={"challenge_id": challenge.json()["challenge_id"]},
        files=files,
        headers=headers,
    )
    assert enrolled.status_code == 201, enrolled.text
    approve_if_pending(client, idp, enrolled.json())
    return enrolled.json()["voice_id"]


def test_someone_elses_voice_is_404_and_a_role_short_is_403(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    voice_id = _enrol(client, idp, "alice")
    mallory = token(idp, "mallory", "voice_user")

    for method, suffix in (("GET", "/consent"), ("POST", "/revoke")):
        theirs = send(client, services, method, f"/v1/voices/{voice_id}{suffix}", headers=mallory)
        missing = send(
            client, services, method, f"/v1/voices/{MISSING_ID}{suffix}", headers=mallory
        )
        assert_refused(theirs, 404, "voice_not_found")
        assert_refused(missing, 404, "voice_not_found")
        assert_indistinguishable(theirs.response, voice_id, missing.response, MISSING_ID)
    # Legal holds and suspensions are a compliance officer's; the owner is a role short too.
    for who in (mallory, token(idp, "alice", "voice_user"), token(idp, "eve", "service")):
        hold = send(
            client,
            services,
            "PUT",
            f"/v1/voices/{voice_id}/legal-hold",
            json={"hold": True},
            headers=who,
        )
        assert_refused(hold, 403, "role_forbidden")
        stop = send(
            client,
            services,
            "POST",
            f"/v1/voices/{voice_id}/suspend",
            json={"reason": "x"},
            headers=who,
        )
        assert_refused(stop, 403, "role_forbidden")
    clone = {"voice_id": voice_id, "text": "Hello there.", "language": "en", "purpose": "internal"}
    out_of_scope = send(client, services, "POST", "/v1/voice-clones", json=clone, headers=mallory)
    assert_refused(out_of_scope, 403, "consent_out_of_scope")
    officer = token(idp, "olga", "compliance_officer")
    missing = send(
        client,
        services,
        "PUT",
        f"/v1/voices/{MISSING_ID}/legal-hold",
        json={"hold": False},
        headers=officer,
    )
    assert_refused(missing, 404, "voice_not_found")
    owner = token(idp, "alice", "voice_user")
    assert client.get(f"/v1/voices/{voice_id}/consent", headers=owner).status_code == 200


ID_ROUTES = (
    ("GET", "/v1/jobs/{}", None, "job_not_found"),
    ("DELETE", "/v1/jobs/{}", None, "job_not_found"),
    ("GET", "/v1/jobs/{}/events", None, "job_not_found"),
    ("GET", "/v1/artifacts/{}", None, "artifact_not_found"),
    ("GET", "/v1/artifacts/{}/manifest", None, "artifact_not_found"),
    ("GET", "/v1/voices/{}/consent", None, "voice_not_found"),
    ("POST", "/v1/voices/{}/revoke", None, "voice_not_found"),
    ("POST", "/v1/voices/{}/suspend", {"reason": "a test"}, "voice_not_found"),
    ("PUT", "/v1/voices/{}/legal-hold", {"hold": True}, "voice_not_found"),
)


@pytest.mark.parametrize(("method", "template", "body", "code"), ID_ROUTES)
def test_odd_ids_are_refused_and_audited(
    client: TestClient,
    services: Services,
    idp: IdentityProvider,
    method: str,
    template: str,
    body: dict[str, Any] | None,
    code: str,
) -> None:
    officer = token(idp, "olga", "compliance_officer")  # may do all of these, to their own
    for odd, status in ODD_IDS:
        sent = send(client, services, method, template.format(odd), json=body, headers=officer)
        if status == 422:
            entry = assert_refused(sent, 422, "invalid_request")
        elif "%2F" in odd:
            entry = assert_refused(sent, 404, "not_found")
        else:
            entry = assert_refused(sent, 404, code)
        assert entry.subject == "olga"


# NUL and other control characters, everywhere a caller's text meets the database. PostgreSQL
# (the production database) cannot store or even compare a NUL: before the gateway refused
# them where they come in (path, query, body, form, token), each of these was a 500 there, the
# image model a 503 audit_write_failed, and the last one an unrecorded refusal.
NUL = "\x00"
WAV = sample_media("audio/wav")  # real audio: only the NUL beside it is wrong
NUL_ATTEMPTS: tuple[tuple[str, str, dict[str, Any], str], ...] = (
    ("GET", "/v1/jobs/%00", {}, "employee"),
    ("DELETE", "/v1/jobs/job%00", {}, "employee"),
    ("GET", "/v1/jobs/job%00/events", {}, "employee"),
    ("GET", "/v1/artifacts/a%00b", {}, "employee"),
    ("GET", "/v1/artifacts/a%00b/manifest", {}, "employee"),
    ("GET", "/v1/voices/%00/consent", {}, "voice_user"),
    ("POST", "/v1/voices/%00/revoke", {}, "voice_user"),
    ("PUT", "/v1/voices/%00/legal-hold", {"json": {"hold": True}}, "compliance_officer"),
    (
        "POST",
        f"/v1/voices/{MISSING_ID}/suspend",
        {"json": {"reason": f"a{NUL}"}},
        "compliance_officer",
    ),
    ("GET", "/v1/audit?code=%00", {}, "compliance_officer"),
    # a NUL in a parameter's name or a JSON key reaches the refusal's reason (found by attack)
    ("GET", "/v1/audit?decision%00=deny", {}, "compliance_officer"),
    ("GET", "/v1/licences?x%00=1", {}, "employee"),
    ("POST", "/v1/images", {"json": {**IMAGE, f"x{NUL}": 1}}, "employee"),
    ("GET", "/v1/audit?subject=a%00", {}, "compliance_officer"),
    ("POST", "/v1/music", {"json": {**MUSIC, "melody_input_id": NUL}}, "employee"),
    (
        "POST",
        "/v1/voice-clones",
        {"json": {"voice_id": NUL, "text": "Hi.", "language": "en", "purpose": "internal"}},
        "voice_user",
    ),
    (
        "POST",
        "/v1/speech",
        {"json": {"text": "Hi.", "language": NUL, "purpose": "internal"}},
        "employee",
    ),
    (
        "POST",
        "/v1/speech",
        {"json": {"text": "Hi.", "language": "en", "voice": NUL, "purpose": "internal"}},
        "employee",
    ),
    ("POST", "/v1/images", {"json": {**IMAGE, "model": NUL}}, "employee"),
    (
        "POST",
        "/v1/voices/challenge",
        {
            "json": {
                "language": NUL,
                "scope": {"purposes": ["internal"], "expires_at": "2030-01-01T00:00:00Z"},
            }
        },
        "voice_user",
    ),
    (
        "POST",
        "/v1/voices",
        {
            "data": {"challenge_id": NUL},
            "files": [
                ("references", ("r.wav", b"RIFF", "audio/wav")),
                ("statement", ("s.wav", b"RIFF", "audio/wav")),
            ],
        },
        "voice_user",
    ),
    (
        "POST",
        "/v1/inputs",
        {"data": {"licence": NUL}, "files": {"file": ("m.wav", WAV, "audio/wav")}},
        "employee",
    ),
    (
        "POST",
        "/v1/inputs",
        {
            "data": {"licence": "licensed", "licence_id": f"L{NUL}"},
            "files": {"file": ("m.wav", WAV, "audio/wav")},
        },
        "employee",
    ),
    ("GET", "/v1/jobs", {}, f"mal{NUL}lory"),  # a token whose subject holds a NUL
)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(
    request: pytest.FixtureRequest, settings: Settings, model_loader: ModelLoader
) -> Iterator[tuple[TestClient, Services]]:
    """A gateway on each database; PostgreSQL where one answers (see test_postgres.py). Its
    own data directory: the signed checkpoints there belong to its database's chain."""
    settings = settings.model_copy(update={"data_dir": settings.data_dir / request.param})
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
        settings = settings.model_copy(update={"database_url": url})
    services = build_services(settings, loader=model_loader)
    with TestClient(create_app(services=services), raise_server_exceptions=False) as client:
        yield client, services
    services.db.dispose()


def test_nul_anywhere_is_a_4xx_and_audited_on_either_database(
    backend: tuple[TestClient, Services], idp: IdentityProvider
) -> None:
    client, services = backend
    for method, url, kwargs, who in NUL_ATTEMPTS:
        if who in ("employee", "voice_user", "compliance_officer"):
            headers = token(idp, f"nul-{who}", who)
        else:
            headers = bearer(idp.token(who, ["employee"]))
        sent = send(client, services, method, url, headers=headers, **kwargs)
        response = sent.response
        assert 400 <= response.status_code < 500, (method, url, response.text)
        assert_refused(sent, response.status_code, response.json()["code"])
    report = audit.verify_log(services.db, services.audit, services.audit.checkpoint_key.public_key)
    assert report.ok, report.problems


# -- the audit log's own queries ------------------------------------------------------------------


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


BAD_AUDIT_QUERIES = (
    ({"limit": 0}, 422, "invalid_request"),
    ({"limit": -1}, 422, "invalid_request"),
    ({"limit": 501}, 422, "invalid_request"),
    ({"limit": 10**30}, 422, "invalid_request"),
    ({"limit": "1.5"}, 422, "invalid_request"),
    ({"limit": "abc"}, 422, "invalid_request"),
    ({"limit": ""}, 422, "invalid_request"),
    ({"cursor": "!!!"}, 400, "audit_cursor_invalid"),
    ({"cursor": ""}, 400, "audit_cursor_invalid"),
    ({"cursor": _cursor("seq:abc")}, 400, "audit_cursor_invalid"),
    ({"cursor": _cursor("row:5")}, 400, "audit_cursor_invalid"),
    ({"cursor": _cursor("seq:" + "9" * 5000)}, 400, "audit_cursor_invalid"),
    ({"since": "0001-01-01T00:00:00+05:00"}, 422, "time_out_of_range"),
    ({"until": "9999-12-31T23:59:59-05:00"}, 422, "time_out_of_range"),
    ({"since": "yesterday"}, 422, "invalid_time"),
    ({"until": "-99999999999999"}, 422, "invalid_time"),
    ({"since": "2024-01-01T00:00:00\x00"}, 422, "invalid_request"),
    ({"since": "99999999w"}, 422, "invalid_time"),
    ({"since": "999999w"}, 422, "time_out_of_range"),
    ({"seq_to": 2**53}, 422, "invalid_request"),
    ({"seq_from": 10**30}, 422, "invalid_request"),
)


@pytest.mark.parametrize("path", ["/v1/audit", "/v1/audit/export"])
def test_bad_audit_queries_are_4xx_and_audited(
    client: TestClient, services: Services, idp: IdentityProvider, path: str
) -> None:
    officer = token(idp, "olga", "compliance_officer")
    for params, status, code in BAD_AUDIT_QUERIES:
        if path.endswith("export") and ("limit" in params or "cursor" in params):
            continue  # the export takes neither
        sent = send(client, services, "GET", path, params=params, headers=officer)
        assert_refused(sent, status, code)


def test_audit_filters_are_bounded_and_printable(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    officer = token(idp, "olga", "compliance_officer")
    for query, status in (
        ("code=%00", 422),  # a NUL cannot even be compared on PostgreSQL
        ("subject=a%00", 422),
        ("action=%0a", 422),
        ("subject=" + "a" * 256, 422),
        ("subject=" + "a" * 255, 200),
        ("decision=%ED%A0%80", 200),  # not UTF-8: decoded as replacement characters
        ("subject=%C3%BC%20x", 200),
    ):
        sent = send(client, services, "GET", f"/v1/audit?{query}", headers=officer)
        if status == 422:
            assert_refused(sent, 422, "invalid_request")
        else:
            assert sent.response.status_code == 200, sent.response.text
            assert [e.action for e in sent.mine()] == ["read_audit"]


@pytest.mark.parametrize("seq", [0, -1, 2**63, 10**30])
def test_cursor_of_an_out_of_range_seq_is_400(
    client: TestClient, services: Services, idp: IdentityProvider, seq: int
) -> None:
    officer = token(idp, "olga", "compliance_officer")
    sent = send(
        client,
        services,
        "GET",
        "/v1/audit",
        params={"cursor": _cursor(f"seq:{seq}")},
        headers=officer,
    )
    assert_refused(sent, 400, "audit_cursor_invalid")


# -- size and shape -------------------------------------------------------------------------------

DEEP_ARRAY = b"[" * 10_000 + b"]" * 10_000
DEEP_OBJECT = b'{"a":' * 10_000 + b"1" + b"}" * 10_000
JSON_ROUTES = (
    ("POST", "/v1/images"),
    ("POST", "/v1/voices/challenge"),
    ("POST", f"/v1/voices/{MISSING_ID}/suspend"),
    ("PUT", f"/v1/voices/{MISSING_ID}/legal-hold"),
)


@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT], ids=["array", "object"])
def test_json_nested_ten_thousand_deep_is_400_and_audited(
    client: TestClient, services: Services, idp: IdentityProvider, body: bytes
) -> None:
    officer = token(idp, "olga", "compliance_officer")
    for method, path in JSON_ROUTES:
        headers = {**officer, "content-type": "application/json"}
        sent = send(client, services, method, path, content=body, headers=headers)
        assert_refused(sent, 400, "malformed_body")
    # Nested deep inside a field, within the parser's reach: a plain validation refusal.
    nested = json.dumps({**IMAGE, "model": json.loads(b"[" * 500 + b"]" * 500)})
    headers = {**officer, "content-type": "application/json"}
    assert_refused(
        send(client, services, "POST", "/v1/images", content=nested, headers=headers),
        403,
        "role_forbidden",
    )
    employee = {**token(idp, "eve"), "content-type": "application/json"}
    assert_refused(
        send(client, services, "POST", "/v1/images", content=nested, headers=employee),
        422,
        "invalid_request",
    )


def _chunks(total: int) -> Iterator[bytes]:
    for _ in range(total // 65_536):
        yield b" " * 65_536


def _edge_entries(sent: Sent, code: str, path: str) -> list[AuditEntry]:
    return [e for e in sent.entries if e.code == code and e.details.get("path") == path]


@pytest.mark.parametrize(
    ("headers", "content", "status", "code"),
    [
        ({"content-length": "5"}, b" " * (2 * 1024 * 1024), 413, "body_too_large"),
        ({}, "chunked", 413, "body_too_large"),
        ({"content-length": "1" + "0" * 40}, b"{}", 413, "body_too_large"),
        ({"content-length": "-1"}, b"{}", 400, "content_length_invalid"),
        ({"content-length": "+2"}, b"{}", 400, "content_length_invalid"),
        ({"content-length": "0x10"}, b"{}", 400, "content_length_invalid"),
        ({"content-length": "2, 2"}, b"{}", 400, "content_length_invalid"),
    ],
    ids=["small-says-5", "chunked-2.5MB", "10^40", "negative", "plus", "hex", "list"],
)
def test_lying_lengths_are_refused_at_the_edge_and_audited(
    client: TestClient,
    services: Services,
    idp: IdentityProvider,
    headers: dict[str, str],
    content: Any,
    status: int,
    code: str,
) -> None:
    body = _chunks(40 * 65_536) if content == "chunked" else content
    all_headers = {**token(idp, "eve"), "content-type": "application/json", **headers}
    sent = send(client, services, "POST", "/v1/images", content=body, headers=all_headers)
    response = sent.response
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["code"] == code
    assert response.headers["connection"] == "close"
    entries = _edge_entries(sent, code, "/v1/images")
    assert [(e.decision, e.subject) for e in entries] == [(Decision.DENY, "eve")]
    assert client.get("/healthz").status_code == 200


def test_edge_refusal_names_its_request_id(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    headers = {**token(idp, "eve"), "content-type": "application/json", "content-length": "9" * 30}
    sent = send(client, services, "POST", "/v1/images", content=b"{}", headers=headers)
    assert_refused(sent, 413, "body_too_large")


@pytest.mark.parametrize("route", ["/v1/images", "/v1/inputs"])
def test_upload_cut_off_at_the_edge_is_recorded_once(
    client: TestClient, services: Services, idp: IdentityProvider, route: str
) -> None:
    if route == "/v1/inputs":  # five parts where four are allowed
        boundary = "b0undary"
        part = f'--{boundary}\r\nContent-Disposition: form-data; name="licence"\r\n\r\ncc-by\r\n'
        content: Any = (part * 5 + f"--{boundary}--\r\n").encode()
        content_type = f"multipart/form-data; boundary={boundary}"
        code = "too_many_parts"
    else:
        content, content_type, code = _chunks(40 * 65_536), "application/json", "body_too_large"
    headers = {**token(idp, "eve"), "content-type": content_type}
    sent = send(client, services, "POST", route, content=content, headers=headers)
    assert sent.response.json()["code"] == code
    refusals = [e for e in sent.entries if e.decision == Decision.DENY]
    assert [e.code for e in refusals] == [code]


UNKNOWN = (
    ("GET", "/v1/nope", 404, "not_found"),
    ("POST", "/v1/nope", 404, "not_found"),
    ("GET", "/v2/images", 404, "not_found"),
    ("GET", "/v1/jobs/a/b/c", 404, "not_found"),
    ("GET", "/V1/JOBS", 404, "not_found"),
    ("DELETE", "/v1/images", 405, "method_not_allowed"),
    ("PATCH", f"/v1/jobs/{MISSING_ID}", 405, "method_not_allowed"),
    ("PUT", "/v1/audit", 405, "method_not_allowed"),
    ("POST", "/v1/audit/verify", 405, "method_not_allowed"),
    ("OPTIONS", "/v1/images", 405, "method_not_allowed"),
    ("TRACE", "/v1/audit", 405, "method_not_allowed"),
    ("PROPFIND", "/v1/voices", 405, "method_not_allowed"),
)


@pytest.mark.parametrize("caller", ["employee", "anonymous"])
def test_unknown_routes_and_wrong_methods_are_problem_json_and_audited(
    client: TestClient, services: Services, idp: IdentityProvider, caller: str
) -> None:
    headers = token(idp, "eve") if caller == "employee" else {}
    anonymous_entries = 0
    for method, path, status, code in UNKNOWN:
        sent = send(client, services, method, path, json={"x": 1}, headers=headers)
        response = sent.response
        assert response.status_code == status, (method, path, response.text)
        assert response.headers["content-type"] == PROBLEM_JSON
        assert response.json()["code"] == code
        if status == 405:
            assert response.headers["allow"], "a 405 names the methods allowed (RFC 9110)"
        if caller == "employee":
            entry = assert_refused(sent, status, code)
            assert entry.subject == "eve"
        else:  # the first ten one by one, the rest counted (checked at shutdown below)
            anonymous_entries += len(sent.mine())
    if caller == "anonymous":
        assert anonymous_entries == 10
        client.app.state.refusals.flush()
        summary = services.audit.get(services.audit.head()[0])
        assert summary is not None and summary.code == "refusals_counted"
        assert sum(summary.details["by_code"].values()) == len(UNKNOWN)


# -- text -----------------------------------------------------------------------------------------

ODD_TEXTS = (
    "\u200b\u200c\u200d\u2060\ufeff",  # zero-width and format characters only
    "\u202eevil\u202c",  # a right-to-left override
    "ｆｕｌｌ ｗｉｄｔｈ",
    "pаypаl",  # Cyrillic а among Latin letters
    "p a s s w o r d",
    "\x00",
    "a" * 2000,
    " ",
    "\U0001f525" * 500,
)


@pytest.mark.parametrize("text", ODD_TEXTS, ids=range(len(ODD_TEXTS)))
def test_odd_text_in_every_text_field_is_never_a_500(
    client: TestClient, services: Services, idp: IdentityProvider, text: str
) -> None:
    employee, officer = token(idp, "eve"), token(idp, "olga", "compliance_officer")
    attempts = (
        ("POST", "/v1/images", {**IMAGE, "prompt": text}, employee),
        ("POST", "/v1/images", {**IMAGE, "negative_prompt": text}, employee),
        ("POST", "/v1/images", {**IMAGE, "model": text}, employee),
        ("POST", "/v1/speech", {"text": text, "language": "en", "purpose": "internal"}, employee),
        ("POST", "/v1/speech", {"text": "Hi.", "language": text, "purpose": "internal"}, employee),
        ("POST", "/v1/music", {**MUSIC, "prompt": text}, employee),
        (
            "POST",
            "/v1/videos",
            {"subject": text, "frames": 1, "steps": 1, "purpose": "internal"},
            employee,
        ),
        ("POST", f"/v1/voices/{MISSING_ID}/suspend", {"reason": text}, officer),
    )
    for method, path, body, headers in attempts:
        sent = send(client, services, method, path, json=body, headers=headers)
        response = sent.response
        assert response.status_code < 500 or response.json()["code"] == "queue_full", response.text
        if response.status_code >= 400:
            assert_refused(sent, response.status_code, response.json()["code"])
        else:
            assert sent.mine(), "an answer with no audit entry"


# -- refusals are recorded off the event loop -----------------------------------------------------


def test_refusals_are_recorded_off_the_event_loop(
    client: TestClient, services: Services, idp: IdentityProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An audit write waits for the database (a busy SQLite file: up to its timeout); on the
    event loop it would stall every request, health checks and event streams included."""
    on_loop: list[str] = []
    append = services.audit.append

    def spy(*args: Any, **kwargs: Any) -> AuditEntry:
        entry = append(*args, **kwargs)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return entry
        on_loop.append(entry.code)
        return entry

    monkeypatch.setattr(services.audit, "append", spy)
    employee = token(idp, "eve")
    officer = token(idp, "olga", "compliance_officer")
    client.post("/v1/images", json={"prompt": 1}, headers=employee)  # validation
    client.post(
        "/v1/images", content=b"{", headers={**employee, "content-type": "application/json"}
    )
    client.get("/v1/nope", headers=employee)  # unknown route
    client.patch("/v1/images", headers=employee)  # wrong method
    client.get("/v1/audit", params={"since": "0001-01-01T00:00:00+05:00"}, headers=officer)
    client.app.state.refusals.flush()
    assert on_loop == []


# -- races ----------------------------------------------------------------------------------------


def test_many_cancels_of_one_job_are_answered_and_recorded_once_each(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    alice = token(idp, "alice")
    job_id = client.post("/v1/music", json=MUSIC, headers=alice).json()["job_id"]
    answers: list[httpx.Response] = []
    lock = threading.Lock()

    def cancel() -> None:
        response = client.delete(f"/v1/jobs/{job_id}", headers=alice)
        with lock:
            answers.append(response)

    threads = [threading.Thread(target=cancel) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(r.status_code for r in answers) == [200] * 12
    request_ids = {r.headers["x-request-id"] for r in answers}
    entries = list(audit.export(services.db, audit.AuditFilter(action="cancel_job")))
    assert sorted(e.request_id for e in entries) == sorted(request_ids)
    ended = list(audit.export(services.db, audit.AuditFilter(code="job_cancelled")))
    assert len(ended) <= 1


def test_a_flood_without_tokens_is_counted_exactly(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    paths = [f"/v1/jobs/{MISSING_ID}", "/v1/audit", "/v1/voices", "/v1/nope", "/v1/jobs"]
    codes: list[str] = []
    lock = threading.Lock()

    def hit(n: int) -> None:
        headers = {"Authorization": "Bearer junk"} if n % 2 else {}
        response = client.get(paths[n % len(paths)], headers=headers)
        with lock:
            codes.append(response.json()["code"])

    threads = [threading.Thread(target=hit, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    client.app.state.refusals.flush()

    individual = list(audit.export(services.db, audit.AuditFilter(action="authenticate")))
    individual = [e for e in individual if e.code != "refusals_counted"]
    summaries = list(audit.export(services.db, audit.AuditFilter(code="refusals_counted")))
    counted: dict[str, int] = {}
    for summary in summaries:
        for code, n in summary.details["by_code"].items():
            counted[code] = counted.get(code, 0) + n
    expected: dict[str, int] = {}
    for code in codes:
        expected[code] = expected.get(code, 0) + 1
    assert len(codes) == 40
    assert counted == expected
    assert len([e for e in individual if e.subject is None]) <= 10
