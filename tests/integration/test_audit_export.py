"""Signed exports over HTTP, checked offline with ``consentgate audit verify-export``."""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from audit import AuditEntry, AuditFilter, CheckpointKey, ExportDigest, export, parse_digest
from audit.export_digest import sign_digest
from engines import ModelLoader
from gateway import cli
from gateway.app import create_app
from gateway.services import Services, build_services
from gateway.settings import Settings, get_settings
from tests.factories import IdentityProvider, bearer
from tests.integration.test_attacks import assert_refused, send
from tests.integration.test_postgres import postgres_url  # noqa: F401  (a fixture)

IMAGE = {"prompt": "a quiet harbour", "purpose": "internal", "seed": 2}
# Denied at the licence check (no generation), with prompts a spreadsheet or a reader could
# trip over; the prompt is kept beside the entry and exported.
AWKWARD_PROMPTS = (
    '=HYPERLINK("http://evil.example","click")',
    "@SUM(1+1)\nsecond line",
    "a line\u2028separator and\u2029a paragraph",
    '-1+2, with "quotes"',
)
EXPORT_ID = "consentgate-export-id"
FORMULA_SUBJECT = '=HYPERLINK("http://evil.example","x")'


def _officer(idp: IdentityProvider) -> dict[str, str]:
    return bearer(idp.token("carol", roles=["compliance_officer"]))


def _traffic(client: TestClient, idp: IdentityProvider) -> None:
    alice = bearer(idp.token("alice"))
    client.post("/v1/images", json=IMAGE, headers=alice)
    for prompt in AWKWARD_PROMPTS:
        denied = {
            **IMAGE,
            "prompt": prompt,
            "purpose": "commercial",
            "model": "stabilityai/sd-turbo",
        }
        assert client.post("/v1/images", json=denied, headers=alice).status_code == 403
    client.get("/v1/audit", headers=alice)  # a role_forbidden deny, no prompt
    # The IdP's subject lands in a text column as it is: a formula for a spreadsheet.
    client.get("/v1/audit", headers=bearer(idp.token(FORMULA_SUBJECT)))


@pytest.fixture
def data_dir(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The CLI reads its settings from the environment: point it at the test gateway's."""
    monkeypatch.setenv("CONSENTGATE_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    yield settings.data_dir
    get_settings.cache_clear()


@pytest.fixture
def public_key(services: Services, tmp_path: Path) -> Path:
    path = tmp_path / "audit-public.pem"
    path.write_text(services.audit.checkpoint_key.public_pem())
    return path


def _verify_cli(
    capsys: pytest.CaptureFixture[str], file: Path, key: Path, digest: Path | None = None
) -> tuple[int, str]:
    argv = ["audit", "verify-export", str(file), "--public-key", str(key)]
    if digest is not None:
        argv += ["--digest", str(digest)]
    code = cli.main(argv)
    return code, capsys.readouterr().out


def _export(
    client: TestClient, idp: IdentityProvider, fmt: str, **filters: str
) -> tuple[bytes, str]:
    response = client.get(
        "/v1/audit/export", params={"format": fmt, **filters}, headers=_officer(idp)
    )
    assert response.status_code == 200, response.text
    return response.content, response.headers[EXPORT_ID]


def _digest(client: TestClient, idp: IdentityProvider, export_id: str) -> dict[str, object]:
    response = client.get(f"/v1/audit/exports/{export_id}/digest", headers=_officer(idp))
    assert response.status_code == 200, response.text
    return response.json()


def _save(tmp_path: Path, name: str, data: bytes | dict[str, object]) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    return path


def test_both_formats_verify_with_the_cli(
    client: TestClient,
    idp: IdentityProvider,
    public_key: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _traffic(client, idp)
    jsonl, _ = _export(client, idp, "jsonl")
    code, out = _verify_cli(capsys, _save(tmp_path, "audit.jsonl", jsonl), public_key)
    assert code == 0 and out.startswith("VALID: export"), out

    data, export_id = _export(client, idp, "csv")
    digest = _save(tmp_path, "digest.json", _digest(client, idp, export_id))
    code, out = _verify_cli(capsys, _save(tmp_path, "audit.csv", data), public_key, digest)
    assert code == 0 and f"export {export_id} (csv)" in out, out
    # No cell starts a formula; the subject's gets an apostrophe, and reads back exactly.
    records = list(csv.reader(io.StringIO(data.decode(), newline="")))
    assert all(not cell or cell[0] not in "=+-@\t\r\n|%" for r in records for cell in r)
    assert ["'" + FORMULA_SUBJECT] in [r[3:4] for r in records]
    prompts = [json.loads(r[-1])["prompt"] for r in records[1:] if r[-1]]
    assert set(AWKWARD_PROMPTS) <= set(prompts)


def test_json_nested_past_the_stack_is_invalid_not_a_crash(
    client: TestClient,
    idp: IdentityProvider,
    public_key: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A digest, or a row, nested 200,000 deep crashed the verifier with RecursionError
    (found by the attack)."""
    _traffic(client, idp)
    data, _ = _export(client, idp, "csv")
    deep = b"[" * 200_000 + b"]" * 200_000
    digest = _save(tmp_path, "deep.json", b'{"export_digest": ' + deep + b"}")
    code, out = _verify_cli(capsys, _save(tmp_path, "audit.csv", data), public_key, digest)
    assert code == 1 and out.startswith("INVALID"), out
    jsonl, _ = _export(client, idp, "jsonl")
    rows = jsonl[: jsonl.rstrip(b"\n").rfind(b"\n") + 1]
    for bad in (rows + b'{"export_digest": ' + deep + b"}\n", deep + b"\n" + jsonl):
        code, out = _verify_cli(capsys, _save(tmp_path, "deep.jsonl", bad), public_key)
        assert code == 1 and out.startswith("INVALID"), out


def _edit(data: bytes) -> bytes:
    return data.replace(b"a quiet harbour", b"a quiet harbouR", 1)


def _delete(data: bytes) -> bytes:
    lines = data.split(b"\n")
    del lines[2]
    return b"\n".join(lines)


def _swap(data: bytes) -> bytes:
    lines = data.split(b"\n")
    lines[1], lines[2] = lines[2], lines[1]
    return b"\n".join(lines)


def _truncate(data: bytes) -> bytes:
    return data[: len(data) * 2 // 3]


TAMPERING: dict[str, Callable[[bytes], bytes]] = {
    "edited": _edit,
    "deleted": _delete,
    "swapped": _swap,
    "truncated": _truncate,
}


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
@pytest.mark.parametrize("how", list(TAMPERING))
def test_tampered_exports_fail_the_cli(
    client: TestClient,
    idp: IdentityProvider,
    public_key: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
    how: str,
) -> None:
    _traffic(client, idp)
    data, export_id = _export(client, idp, fmt, exclude_reads="true")
    digest = _save(tmp_path, "digest.json", _digest(client, idp, export_id))
    tampered = TAMPERING[how](data)
    assert tampered != data
    file = _save(tmp_path, f"audit.{fmt}", tampered)
    code, out = _verify_cli(capsys, file, public_key, digest if fmt == "csv" else None)
    assert code == 1 and out.startswith("INVALID: "), out


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_digest_from_another_key_fails_the_cli(
    client: TestClient,
    idp: IdentityProvider,
    public_key: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
) -> None:
    _traffic(client, idp)
    data, export_id = _export(client, idp, fmt)
    genuine = parse_digest(_digest(client, idp, export_id))
    forged = sign_digest(CheckpointKey.load_or_create(tmp_path / "forger.pem"), genuine)
    file = _save(tmp_path, f"audit.{fmt}", data)
    digest = _save(tmp_path, "forged.json", forged.record())
    if fmt == "jsonl":  # the forged digest as the last record, in place of the genuine one
        rows = data[: data.rstrip(b"\n").rfind(b"\n") + 1]
        file = _save(tmp_path, "audit.jsonl", rows + json.dumps(forged.record()).encode() + b"\n")
        code, out = _verify_cli(capsys, file, public_key)
    else:
        code, out = _verify_cli(capsys, file, public_key, digest)
    assert code == 1 and "signed by another key" in out, out
    # The genuine digest checked against the forger's key fails the same way.
    forger_pem = _save(
        tmp_path,
        "forger-public.pem",
        CheckpointKey.load_or_create(tmp_path / "forger.pem").public_pem().encode(),
    )
    code, out = _verify_cli(
        capsys,
        _save(tmp_path, f"genuine.{fmt}", data),
        forger_pem,
        _save(tmp_path, "genuine.json", genuine.record()) if fmt == "csv" else None,
    )
    assert code == 1 and "another key" in out, out


def test_filters_are_named_in_the_digest_and_the_audit_entry(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    _traffic(client, idp)
    data, export_id = _export(
        client, idp, "jsonl", decision="deny", subject="alice", since="1h", exclude_reads="true"
    )
    lines = data.split(b"\n")[:-1]
    digest = parse_digest(json.loads(lines[-1]))
    rows = [json.loads(line) for line in lines[:-1]]
    assert digest.export_id == export_id and digest.format == "jsonl"
    assert set(digest.filters) == {"decision", "subject", "since", "exclude_reads"}
    assert digest.filters["decision"] == "deny" and digest.filters["subject"] == "alice"
    assert digest.filters["since"].endswith("Z")  # "1h" is named as the time it meant
    assert len(rows) == digest.row_count == len(AWKWARD_PROMPTS)
    assert {(r["decision"], r["subject"], r["code"]) for r in rows} == {
        ("deny", "alice", "licence_forbids_purpose")
    }
    assert [r["prompt"]["prompt"] for r in rows] == list(AWKWARD_PROMPTS)

    [entry] = [
        e for e in _entries(services) if e.action == "export_audit" and e.decision == "allow"
    ]
    assert entry.details["export_id"] == export_id
    assert entry.details["filters"] == digest.filters and entry.details["format"] == "jsonl"
    assert entry.details["head_seq"] == digest.chain_head.seq


def _entries(services: Services) -> list[AuditEntry]:
    return list(export(services.db, AuditFilter()))


def test_the_csv_digest_is_served_after_the_stream_and_by_another_gateway(
    client: TestClient,
    services: Services,
    settings: Settings,
    idp: IdentityProvider,
    model_loader: ModelLoader,
) -> None:
    _traffic(client, idp)
    _data, export_id = _export(client, idp, "csv", decision="deny")
    first = _digest(client, idp, export_id)
    read = services.audit.get(services.audit.head()[0])
    assert read is not None and (read.action, read.decision, read.details["export_id"]) == (
        "export_audit",
        "allow",
        export_id,
    )
    # A second gateway on the same database and keys (another instance, or after a restart).
    other = build_services(settings, loader=model_loader)
    with TestClient(create_app(services=other)) as second:
        again = second.get(f"/v1/audit/exports/{export_id}/digest", headers=_officer(idp))
    assert again.status_code == 200 and again.json() == first
    assert isinstance(parse_digest(first), ExportDigest)


def test_an_unknown_export_id_is_404_problem_json_and_audited(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    sent = send(
        client,
        services,
        "GET",
        "/v1/audit/exports/01KNOSUCHEXPORT0000000000/digest",
        headers=_officer(idp),
    )
    entry = assert_refused(sent, 404, "export_not_found")
    assert entry.action == "export_audit"
    for odd in ("..%2F..%2Fetc", "%00", "x" * 200, "%E2%80%A8"):
        response = client.get(f"/v1/audit/exports/{odd}/digest", headers=_officer(idp))
        assert response.status_code in (404, 422), (odd, response.status_code)
        assert response.headers["content-type"] == "application/problem+json"


def test_an_employee_can_neither_export_nor_read_a_digest(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    _, export_id = _export(client, idp, "csv")
    alice = bearer(idp.token("alice"))
    for url in ("/v1/audit/export?format=csv", f"/v1/audit/exports/{export_id}/digest"):
        sent = send(client, services, "GET", url, headers=alice)
        entry = assert_refused(sent, 403, "role_forbidden")
        assert entry.subject == "alice" and entry.action == "export_audit"


def test_an_unknown_format_is_422(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    sent = send(client, services, "GET", "/v1/audit/export?format=xlsx", headers=_officer(idp))
    assert_refused(sent, 422, "invalid_request")


def test_a_log_that_does_not_verify_is_not_exported(
    client: TestClient, services: Services, idp: IdentityProvider
) -> None:
    from sqlalchemy import text

    _traffic(client, idp)
    with services.db.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET reason = 'nothing to see' WHERE seq = 2"))
    sent = send(client, services, "GET", "/v1/audit/export?format=csv", headers=_officer(idp))
    assert sent.response.status_code == 503
    assert sent.response.json()["code"] == "audit_export_refused"
    assert [(e.code, e.decision) for e in sent.mine()] == [("audit_export_refused", "error")]


def test_an_export_during_concurrent_appends_agrees_with_its_digest(
    client: TestClient,
    services: Services,
    idp: IdentityProvider,
    public_key: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _traffic(client, idp)
    alice = bearer(idp.token("alice"))
    stop = threading.Event()

    def append() -> None:
        while not stop.is_set():
            client.get("/v1/audit", headers=alice)  # a deny entry each time

    writers = [threading.Thread(target=append) for _ in range(2)]
    for writer in writers:
        writer.start()
    try:
        exports = [_export(client, idp, fmt) for fmt in ("jsonl", "csv", "jsonl")]
    finally:
        stop.set()
        for writer in writers:
            writer.join()
    for n, (data, export_id) in enumerate(exports):
        fmt = "csv" if data.startswith(b"seq,") else "jsonl"
        digest = _save(tmp_path, f"d{n}.json", _digest(client, idp, export_id))
        file = _save(tmp_path, f"e{n}.{fmt}", data)
        code, out = _verify_cli(capsys, file, public_key, digest)
        assert code == 0, out


def test_public_key_prints_the_checkpoint_key(
    services: Services, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["audit", "public-key"]) == 0
    assert capsys.readouterr().out == services.audit.checkpoint_key.public_pem()


def test_verify_export_uses_the_installed_key_by_default(
    client: TestClient,
    idp: IdentityProvider,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data, _ = _export(client, idp, "jsonl")
    code = cli.main(["audit", "verify-export", str(_save(tmp_path, "a.jsonl", data))])
    assert code == 0, capsys.readouterr().out
    code = cli.main(["audit", "verify-export", str(tmp_path / "missing.jsonl")])
    assert code == 2


def test_the_largest_seq_filter_exports_and_one_beyond_is_refused(
    client: TestClient,
    services: Services,
    idp: IdentityProvider,
    public_key: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _traffic(client, idp)
    largest = str(2**53 - 1)  # the last seq RFC 8785 JSON (the entry hash) can hold
    data, _ = _export(client, idp, "jsonl", seq_from="2", seq_to=largest)
    digest = parse_digest(json.loads(data.split(b"\n")[-2]))
    assert digest.filters == {"seq_from": 2, "seq_to": 2**53 - 1}
    assert digest.seq_range is not None and digest.seq_range.first == 2
    code, out = _verify_cli(capsys, _save(tmp_path, "largest.jsonl", data), public_key)
    assert code == 0, out
    beyond = client.get("/v1/audit/export", params={"seq_to": str(2**53)}, headers=_officer(idp))
    assert beyond.status_code == 422 and beyond.json()["code"] == "invalid_request"
    last = services.audit.get(services.audit.head()[0])
    assert last is not None and (last.decision, last.code) == ("deny", "invalid_request")


@pytest.fixture
def pg_settings(settings: Settings, postgres_url: str) -> Settings:  # noqa: F811
    """The test gateway's settings on a fresh PostgreSQL database (skipped where none answers)."""
    return settings.model_copy(
        update={"data_dir": settings.data_dir / "pg", "database_url": postgres_url}
    )


def test_exports_on_postgresql_verify_and_their_digests_outlive_the_gateway(
    pg_settings: Settings,
    model_loader: ModelLoader,
    idp: IdentityProvider,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    services = build_services(pg_settings, loader=model_loader)
    key = _save(tmp_path, "key.pem", services.audit.checkpoint_key.public_pem().encode())
    with TestClient(create_app(services=services)) as client:
        _traffic(client, idp)
        exports = [_export(client, idp, fmt, decision="deny") for fmt in ("jsonl", "csv")]
    services.db.dispose()
    restarted = build_services(pg_settings, loader=model_loader)
    with TestClient(create_app(services=restarted)) as client:
        for n, (data, export_id) in enumerate(exports):
            digest = _save(tmp_path, f"d{n}.json", _digest(client, idp, export_id))
            file = _save(tmp_path, f"e{n}", data)
            code, out = _verify_cli(capsys, file, key, digest)
            assert code == 0, out
    restarted.db.dispose()
