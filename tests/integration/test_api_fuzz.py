"""The whole HTTP API fuzzed from its own OpenAPI schema (schemathesis), as every kind of caller.

For each caller — a real token from the test IdP for each shipped role, no token, a garbage
token — every operation in the schema gets a few positive and negative examples (schemathesis
strategies driven by hypothesis, ``derandomize=True`` so a CI run is reproducible). Each answer
must hold (shared/THREATS.md):

- no 5xx, except the documented capacity answers ``queue_full`` (503) and
  ``engine_timed_out`` (504); never ``internal_error``;
- every 4xx/5xx is ``application/problem+json`` with its ``code``, a ``status`` equal to the
  HTTP status and the ``X-Request-Id`` as ``request_id``;
- status code, content type, headers and body conform to the operation's schema;
- every refusal left exactly one audit entry, carrying its request id, and no other entry for
  the same request; refusals of callers without a valid token past the first few of an interval
  are only counted, and the ``refusals_counted`` summaries must count them exactly; a body
  refused at the edge (before the app runs) has no request id to show yet, so its entry is
  found by code and path (test_attacks.py::test_edge_refusal_names_its_request_id, xfail);
- every answer of an operation that needs a token left an entry (allow or deny).

After the run the app shuts down (flushing the refusal tally) and the audit chain verifies.

The CI run keeps generation cheap with low admission ceilings (costly bodies are refused with
``request_too_costly``, which is itself a refusal path worth fuzzing). The long run lifts them:
``.venv/bin/python bench/fuzz_api.py --examples N`` (see that script).
"""

from __future__ import annotations

import collections
import json
import os
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import hypothesis
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.python import asgi as schemathesis_asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import audit
from audit import Decision
from gateway.app import create_app
from gateway.services import Services
from gateway.settings import Settings
from tests.factories import IdentityProvider

# The CI run: a few examples per operation and caller (environment overrides for the long run).
EXAMPLES = int(os.environ.get("CONSENTGATE_FUZZ_EXAMPLES", "4"))
# Set by bench/fuzz_api.py: the profile's own admission ceilings, so heavy bodies really run.
FULL = os.environ.get("CONSENTGATE_FUZZ_FULL") == "1"
# Set by bench/fuzz_api.py: where to write what each caller's run saw, for its table.
REPORT = os.environ.get("CONSENTGATE_FUZZ_REPORT")
# Set by bench/fuzz_api.py --seed: other examples than CI's (which are derandomized).
SEED = os.environ.get("CONSENTGATE_FUZZ_SEED")
# A synchronous generation of the largest admitted body, on a CPU, in the long run.
REQUEST_TIMEOUT_S = 660.0 if FULL else 120.0
# The long run sends thousands of requests a minute as one subject from one address.
UNTHROTTLED = {"rate_limit_subject_per_minute": 10**9, "rate_limit_client_per_minute": 10**9}

ROLES = ("employee", "voice_user", "compliance_officer", "admin", "service")
ANONYMOUS = "anonymous"  # no Authorization header at all
GARBAGE = "garbage"  # a bearer token that is not a JWT
CALLERS = (*ROLES, ANONYMOUS, GARBAGE)
GARBAGE_TOKEN = "not-a-jwt." + "x" * 64 + ".garbage"

# 5xx answers the gateway documents for capacity; anything else is a bug found.
CAPACITY_CODES = {503: {"queue_full"}, 504: {"engine_timed_out"}}
PROBLEM_JSON = "application/problem+json"
PROBLEM_FIELDS = ("type", "title", "status", "detail", "instance", "code", "request_id")
# Answered without a token and by design not audited (liveness, a static list).
UNAUDITED = {"GET /healthz", "GET /readyz", "GET /v1/speech/voices"}  # probes, a public list
# Refused by the body limit before the app runs (gateway/edge.py).
EDGE_CODES = {
    "body_too_large",
    "too_many_parts",
    "content_length_invalid",
    "multipart_boundary_invalid",
}
# CI ceilings: each kind's smallest requests run, anything bigger is refused before work.
CI_CEILINGS = {
    "image": {"max_work": 64 * 64 * 4 * 2, "sync_max_work": 64 * 64 * 4 * 2},
    "video": {"max_work": 64 * 64 * 2 * 2, "sync_max_work": 0},
    "music": {"max_work": 2.0, "sync_max_work": 0},
    "speech": {"max_work": 200, "sync_max_work": 200},
    "voice_clone": {"max_work": 200, "sync_max_work": 200},
}


def negative_data_refused(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis' check, with 413 among the refusals (a body over the edge's bounds)."""
    if response.status_code == 413:
        return None
    return negative_data_rejection(ctx, response, case)


SCHEMA_CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_refused,
]


@dataclass(frozen=True)
class Answer:
    op: str  # "METHOD /path/{template}"
    path: str  # as requested
    status: int
    code: str  # the problem's code, "-" for a success
    request_id: str | None


@dataclass
class Seen:
    """What one caller's run saw: statuses and codes per operation, refusals to reconcile."""

    caller: str
    answers: collections.Counter[tuple[str, int, str]] = field(default_factory=collections.Counter)
    # Refusals of callers with no valid token, by code: what the refusal tally must count.
    anonymous: collections.Counter[str] = field(default_factory=collections.Counter)
    anonymous_recorded: int = 0  # of those, recorded one by one
    failures: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "caller": self.caller,
            "answers": [[op, status, code, n] for (op, status, code), n in self.answers.items()],
            "anonymous": dict(self.anonymous),
            "failures": self.failures,
        }


def authorization(idp: IdentityProvider, caller: str) -> str | None:
    """The Authorization header a caller sends (a fresh token each time: long runs outlive one)."""
    if caller == ANONYMOUS:
        return None
    if caller == GARBAGE:
        return f"Bearer {GARBAGE_TOKEN}"
    return f"Bearer {idp.token(f'fuzz-{caller}', [caller])}"


def _header(response: Any, name: str) -> str | None:
    values = response.headers.get(name.lower())
    return values[0] if values else None


def _entries_since(services: Services, after_seq: int) -> Iterator[audit.AuditEntry]:
    head_seq, _ = services.audit.head()
    for seq in range(after_seq + 1, head_seq + 1):
        entry = services.audit.get(seq)
        if entry is not None:
            yield entry


def check_problem(response: Any, request_id: str | None) -> dict[str, Any]:
    """An error answer is RFC 9457 problem+json with a code; returns its body."""
    content_type = _header(response, "content-type") or ""
    assert content_type.split(";")[0].strip() == PROBLEM_JSON, (
        f"{response.status_code} answered as {content_type!r}, not problem+json"
    )
    body = json.loads(response.content)
    assert isinstance(body, dict), body
    assert body.get("status") == response.status_code, body
    assert isinstance(body.get("code"), str) and body["code"], body
    assert body["code"] != "internal_error", body
    if body["code"] in EDGE_CODES and request_id is None:
        return body  # refused before the app ran: see test_attacks (edge refusals' ids)
    missing = [name for name in PROBLEM_FIELDS if name not in body]
    assert not missing, f"problem body lacks {missing}: {body}"
    assert body["request_id"] == request_id, (body["request_id"], request_id)
    return body


def check_not_server_error(status: int, code: str) -> None:
    if status >= 500:
        assert code in CAPACITY_CODES.get(status, set()), f"server error {status} {code}"


def check_audited(services: Services, answer: Answer, after_seq: int, seen: Seen) -> None:
    """The answer left one entry with its request id, and no other for the same request; an
    anonymous refusal may be counted in the tally instead."""
    new = [e for e in _entries_since(services, after_seq) if e.details.get("method") != "JOB"]
    if answer.request_id is not None:
        mine = [e for e in new if e.request_id == answer.request_id]
    else:  # an edge refusal: its entry has an id the caller was never told
        mine = [e for e in new if e.code == answer.code and e.details.get("path") == answer.path]
    if answer.status < 400:
        assert answer.op in UNAUDITED or mine, f"{answer.status} answer left no audit entry"
        return
    refusals = [e for e in mine if e.decision in (Decision.DENY, Decision.ERROR)]
    assert len(refusals) <= 1, f"refusal recorded {len(refusals)} times: {refusals}"
    stray = [e for e in new if e not in mine and e.details.get("path") == answer.path]
    assert not stray, f"entries for a refusal the caller never saw: {stray}"
    if refusals and refusals[0].subject is not None:
        assert refusals[0].code == answer.code, (refusals[0].code, answer.code)
        return
    # No valid token: recorded one by one (the first few an interval) or only counted in the
    # tally, which counts both; the test reconciles the tally with these at the end.
    assert not refusals or refusals[0].code == answer.code, (refusals, answer.code)
    seen.anonymous[answer.code] += 1
    seen.anonymous_recorded += len(refusals)


def check_tally(services: Services, seen: Seen) -> None:
    """The ``refusals_counted`` summaries count exactly the anonymous refusals answered; there
    is no summary when each had an entry of its own."""
    counted: collections.Counter[str] = collections.Counter()
    summaries = audit.export(services.db, audit.AuditFilter(code="refusals_counted"))
    for entry in summaries:
        counted.update(entry.details["by_code"])
    if not counted:
        assert seen.anonymous_recorded == seen.anonymous.total(), seen.anonymous
        return
    assert counted == seen.anonymous, (counted, seen.anonymous)


def fuzz_operation(
    operation: Any, services: Services, idp: IdentityProvider, caller: str, seen: Seen
) -> None:
    """Positive and negative examples of one operation as one caller; raises on a failure."""
    op = f"{operation.method.upper()} {operation.path}"
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=SEED is None,
        database=None,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @hypothesis.given(case=strategy)
    def run(case: Any) -> None:
        # The caller's identity is fixed: schemathesis would otherwise generate its own
        # Authorization values from the security scheme (the garbage caller covers those).
        headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
        sent = authorization(idp, caller)
        if sent is not None:
            headers["Authorization"] = sent
        case.headers = headers
        after_seq, _ = services.audit.head()
        response = case.call(timeout=REQUEST_TIMEOUT_S)
        hypothesis.note(case.as_curl_command())
        request_id = _header(response, "x-request-id")
        code = "-"
        if response.status_code >= 400:
            code = check_problem(response, request_id)["code"]
        else:
            assert request_id, "no X-Request-Id"
        seen.answers[(op, response.status_code, code)] += 1
        check_not_server_error(response.status_code, code)
        case.validate_response(response, checks=SCHEMA_CHECKS)
        path = response.request.path_url.split("?")[0]
        answer = Answer(op, unquote(path), response.status_code, code, request_id)
        check_audited(services, answer, after_seq, seen)

    if SEED is not None:
        run = hypothesis.seed(int(SEED))(run)
    run()


def fuzz_api(services: Services, idp: IdentityProvider, caller: str) -> Seen:
    """Every operation as ``caller``; failures are collected per operation, not raised."""
    app = create_app(services=services)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    seen = Seen(caller)
    try:
        for result in schema.get_all_operations():
            operation = result.ok()
            try:
                fuzz_operation(operation, services, idp, caller, seen)
            except (Exception, BaseExceptionGroup) as exc:  # one operation's bug must not
                # hide the others': collected, and reported together at the end
                label = f"{operation.method.upper()} {operation.path}"
                seen.failures[label] = "".join(traceback.format_exception_only(exc)).strip()
    finally:
        # Lifespan shutdown: the job queue stops and the refusal tally is flushed.
        schemathesis_asgi.shutdown_lifespans()
    return seen


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared test settings; in CI, low ceilings keep generation to the smallest bodies.
    The long run keeps the profile's ceilings and lifts the rate limits."""
    if FULL:
        return settings.model_copy(update=UNTHROTTLED)
    return settings.model_copy(update={"admission_ceilings": CI_CEILINGS})


@pytest.mark.parametrize("caller", CALLERS)
def test_api_fuzz(services: Services, idp: IdentityProvider, caller: str) -> None:
    seen = fuzz_api(services, idp, caller)
    if REPORT:
        with Path(REPORT).open("a") as out:
            out.write(json.dumps(seen.as_json()) + "\n")

    report = "\n\n".join(f"{op}:\n{failure}" for op, failure in seen.failures.items())
    assert not seen.failures, f"{len(seen.failures)} operations failed as {caller}:\n{report}"
    check_tally(services, seen)
    verified = audit.verify_log(
        services.db, services.audit, services.audit.checkpoint_key.public_key
    )
    assert verified.ok, verified.problems


def test_every_operation_documents_its_refusals_as_problem_json(client: TestClient) -> None:
    """What the fuzz holds the answers to: the schema says refusals are problem+json with a
    code (FastAPI alone documents a validation body the gateway never sends)."""
    schema = client.get("/openapi.json").json()
    problem = {"$ref": "#/components/schemas/ProblemDetails"}
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    assert "code" in schema["components"]["schemas"]["ProblemDetails"]["required"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status == "default" or status.startswith(("4", "5")):
                    assert response["content"] == {PROBLEM_JSON: {"schema": problem}}, (
                        method,
                        path,
                        status,
                    )
            assert "default" in operation["responses"], (method, path)
    # Every generation answers 201 when generated now and 202 when queued, whatever its default.
    for path in ("/v1/images", "/v1/speech", "/v1/voice-clones", "/v1/music", "/v1/videos"):
        assert {"201", "202"} <= set(schema["paths"][path]["post"]["responses"]), path
