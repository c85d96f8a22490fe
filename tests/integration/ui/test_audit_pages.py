"""The compliance officer's audit pages through the app: every filter of ``GET /v1/audit``, cursor
paging both ways with the filters kept, an entry with its checks, rule, licence, prompt and
signed file, chain verification, exports with their digest and the activity chart; each page
authorised by the API's casbin rule and recorded as the API records it; refusals as pages."""

from __future__ import annotations

import hashlib
import html
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

import audit
from gateway.services import Services
from gateway.settings import Settings
from gateway.ui import routes_audit
from tests.factories import IdentityProvider, bearer
from tests.integration.ui.workspace import csrf_token, entries, oidc_sign_in

IMAGE = {"prompt": "a lighthouse in the fog", "purpose": "internal", "seed": 3}
_ROW_LINK = re.compile(r'href="/ui/audit/(\d+)"')
_HREF = re.compile(r'href="([^"]+)"')


@pytest.fixture
def oidc_settings(oidc_settings: Settings) -> Settings:
    """The workspace's gateway, serving a model whose licence forbids commercial use too."""
    models = {"consentgate/tiny-sd": "tiny:0", "stabilityai/sd-turbo": "tiny:1"}
    return oidc_settings.model_copy(update={"image_models": models})


def _traffic(ui: TestClient, idp: IdentityProvider) -> dict[str, Any]:
    """An allowed image, a licence denial and a role denial, through the API."""
    alice = bearer(idp.token("alice", name="Alice Liddell"))
    made = ui.post("/v1/images", json=IMAGE, headers=alice)
    assert made.status_code == 201, made.text
    commercial = {**IMAGE, "model": "stabilityai/sd-turbo", "purpose": "commercial"}
    assert ui.post("/v1/images", json=commercial, headers=alice).status_code == 403
    nobody = bearer(idp.token("mallory", roles=["nobody"]))
    assert ui.post("/v1/images", json=IMAGE, headers=nobody).status_code == 403
    return dict(made.json())


def _rows(page: str) -> list[int]:
    return [int(seq) for seq in _ROW_LINK.findall(page)]


def _link(page: str, rel: str) -> str:
    match = re.search(rf'href="([^"]+)" rel="{rel}"', page)
    assert match, f"no {rel} link"
    return html.unescape(match[1])


def test_filters_are_the_apis_and_each_view_is_a_read_audit_entry(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    _traffic(ui, oidc_idp)
    oidc_sign_in(ui, oidc_idp, "rhea")

    denials = ui.get("/ui/audit", params={"decision": "deny", "engine": "image"})

    assert denials.status_code == 200
    denied = {e.seq for e in entries(oidc_services, decision="deny", engine="image")}
    assert len(denied) == 2 and set(_rows(denials.text)) == denied
    assert "licence_forbids_purpose" in denials.text and "role_forbidden" in denials.text
    read = entries(oidc_services, action="read_audit")[-1]
    assert (read.subject, read.reason) == ("rhea", "audit search")
    wanted = {"decision": "deny", "engine": "image", "exclude_reads": True}
    assert read.details["filters"] == wanted
    mine = ui.get("/ui/audit", params={"subject": "mallory", "exclude_reads": "false"})
    assert set(_rows(mine.text)) == {e.seq for e in entries(oidc_services, subject="mallory")}
    reads = ui.get("/ui/audit", params={"action": "read_audit", "exclude_reads": "false"})
    assert len(_rows(reads.text)) == 2  # the two reads before it, shown when asked for


def test_the_filter_form_drops_its_empty_fields(ui: TestClient, oidc_idp: IdentityProvider) -> None:
    oidc_sign_in(ui, oidc_idp, "rhea")
    form = {"decision": "deny", "code": "", "seq_from": "", "since": "7d", "colour": "red"}

    sent = ui.get("/ui/audit/filter", params=form)

    assert sent.status_code == 303
    assert sent.headers["location"] == "/ui/audit?decision=deny&since=7d"
    assert ui.get(sent.headers["location"]).status_code == 200


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"colour": "red"}, "unknown_parameter"),
        ({"seq_from": "0"}, "invalid_request"),
        ({"since": "yesterday"}, "invalid_time"),
        ({"sha256": "abc"}, "invalid_request"),
    ],
)
def test_a_bad_filter_is_a_page_with_the_apis_code_and_recorded(
    ui: TestClient,
    oidc_idp: IdentityProvider,
    oidc_services: Services,
    params: dict[str, str],
    code: str,
) -> None:
    oidc_sign_in(ui, oidc_idp, "rhea")

    refused = ui.get("/ui/audit", params=params)

    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("text/html")
    assert f'data-testid="error-code">{code}<' in refused.text
    assert entries(oidc_services, code=code, subject="rhea")


def test_paging_goes_older_and_back_newer_with_the_filters_kept(
    ui: TestClient,
    oidc_idp: IdentityProvider,
    oidc_services: Services,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(routes_audit, "PAGE_SIZE", 2)
    nobody = bearer(oidc_idp.token("mallory", roles=["nobody"]))
    for _ in range(5):
        assert ui.post("/v1/images", json=IMAGE, headers=nobody).status_code == 403
    oidc_sign_in(ui, oidc_idp, "rhea")
    expected = sorted((e.seq for e in entries(oidc_services, code="role_forbidden")), reverse=True)

    first = ui.get("/ui/audit", params={"code": "role_forbidden"})
    second = ui.get(_link(first.text, "next"))
    third = ui.get(_link(second.text, "next"))
    back = ui.get(_link(third.text, "prev"))
    front = ui.get(_link(back.text, "prev"))

    pages = [_rows(p.text) for p in (first, second, third)]
    assert pages == [expected[0:2], expected[2:4], expected[4:5]]
    assert 'rel="next"' not in third.text and 'rel="prev"' not in first.text
    assert _rows(back.text) == expected[2:4] and _rows(front.text) == expected[0:2]
    assert "code=role_forbidden" in _link(back.text, "prev")
    reads = entries(oidc_services, action="read_audit", subject="rhea")
    assert all(r.details["filters"]["code"] == "role_forbidden" for r in reads)


def test_an_allowed_generation_shows_its_checks_prompt_and_signed_file(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    made = _traffic(ui, oidc_idp)
    oidc_sign_in(ui, oidc_idp, "rhea")

    page = ui.get(f"/ui/audit/{made['audit_seq']}")

    assert page.status_code == 200, page.text
    text = page.text
    assert "employee, image, generate" in text  # the casbin rule
    assert "Apache-2.0" in text and "a lighthouse in the fog" in text
    assert text.count('class="check-passed"') == 2  # authorisation and licence
    src = f"/ui/audit/artifacts/{made['artifact_id']}"
    assert f'<img src="{src}"' in text
    assert 'data-testid="c2pa-state">Trusted' in text
    assert f"/ui/audit?request_id={made['request_id']}" in html.unescape(text)
    image = ui.get(src)
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert hashlib.sha256(image.content).hexdigest() == made["sha256"]
    reads = entries(oidc_services, action="read_artifact", subject="rhea")
    assert len(reads) == 2  # the manifest for the summary, then the file
    seen = entries(oidc_services, action="read_audit", subject="rhea")[-1]
    assert seen.details["filters"] == {
        "seq_from": made["audit_seq"],
        "seq_to": made["audit_seq"],
    }


def test_a_denied_entry_shows_which_check_failed_and_why(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    _traffic(ui, oidc_idp)
    oidc_sign_in(ui, oidc_idp, "rhea")
    (licence,) = entries(oidc_services, code="licence_forbids_purpose")
    (role,) = entries(oidc_services, code="role_forbidden")

    by_licence = ui.get(f"/ui/audit/{licence.seq}").text
    by_role = ui.get(f"/ui/audit/{role.seq}").text

    assert 'data-testid="entry-code">licence_forbids_purpose<' in by_licence
    assert html.escape(licence.reason) in by_licence
    assert re.search(r'check-passed">\s*<th scope="row">Authorisation', by_licence)
    assert re.search(r'check-failed">\s*<th scope="row">Licence', by_licence)
    assert 'data-testid="artifact"' not in by_licence
    assert re.search(r'check-failed">\s*<th scope="row">Authorisation', by_role)
    assert re.search(r'check-not_reached">\s*<th scope="row">Licence', by_role)


def test_an_entry_that_does_not_exist_is_a_404_page(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    oidc_sign_in(ui, oidc_idp, "rhea")

    missing = ui.get("/ui/audit/999999")

    assert missing.status_code == 404
    assert 'data-testid="error-code">not_found<' in missing.text
    (refusal,) = entries(oidc_services, action="read_audit", decision="deny")
    assert refusal.code == "not_found"


@pytest.mark.parametrize(
    "path",
    ["/ui/audit", "/ui/audit/1", "/ui/audit/activity", "/ui/audit/exports", "/ui/audit/verify"],
)
def test_an_employee_is_refused_every_audit_page_and_it_is_recorded(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services, path: str
) -> None:
    oidc_sign_in(ui, oidc_idp, "ann")

    refused = ui.get(path)

    assert refused.status_code == 403
    assert 'data-testid="error-code">role_forbidden<' in refused.text
    (entry,) = entries(oidc_services, code="role_forbidden", subject="ann")
    assert entry.details["path"] == path


def test_another_persons_file_is_not_served_to_an_employee(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    made = _traffic(ui, oidc_idp)
    oidc_sign_in(ui, oidc_idp, "ann")

    refused = ui.get(f"/ui/audit/artifacts/{made['artifact_id']}")

    assert refused.status_code == 404
    (entry,) = entries(oidc_services, action="read_artifact", subject="ann")
    assert (entry.decision, entry.code) == ("deny", "artifact_not_found")


def test_chain_verification_needs_the_csrf_token_and_is_recorded(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    _traffic(ui, oidc_idp)
    oidc_sign_in(ui, oidc_idp, "rhea")
    form = ui.get("/ui/audit/verify")

    forged = ui.post("/ui/audit/verify", data={})
    done = ui.post("/ui/audit/verify", data={"csrf_token": csrf_token(form.text)})

    assert forged.status_code == 403 and "csrf_failed" in forged.text
    assert done.status_code == 200
    assert 'data-testid="verify-result"' in done.text and "The chain is valid" in done.text
    (verified,) = entries(oidc_services, action="verify", subject="rhea")
    assert verified.reason == "verify: ok=True"
    entries_checked = re.search(r'data-testid="verify-entries">(\d+)<', done.text)
    assert entries_checked and int(entries_checked[1]) == verified.seq - 1


def test_an_export_has_the_pages_filters_and_a_digest_to_download(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    _traffic(ui, oidc_idp)
    oidc_sign_in(ui, oidc_idp, "rhea")
    page = ui.get("/ui/audit/exports", params={"decision": "deny"})
    action = html.unescape(re.findall(r'<form method="post" action="([^"]+)"', page.text)[-1])
    token = csrf_token(page.text)

    export = ui.post(action, data={"format": "csv", "csrf_token": token})
    forged = ui.post(action, data={"format": "csv"})

    assert forged.status_code == 403
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    assert "attachment" in export.headers["content-disposition"]
    export_id = export.headers["Consentgate-Export-Id"]
    rows = export.text.strip().splitlines()[1:]
    assert len(rows) == 2 and all(",deny," in row for row in rows)
    found = ui.get("/ui/audit/exports/digest", params={"export_id": export_id})
    assert found.headers["location"] == f"/ui/audit/exports/{export_id}/digest"
    digest = ui.get(found.headers["location"])
    assert digest.status_code == 200
    body = json.loads(digest.content)["export_digest"]
    assert (body["export_id"], body["row_count"]) == (export_id, 2)
    assert body["rows_sha256"] == hashlib.sha256(export.content).hexdigest()
    assert body["filters"] == {"decision": "deny", "exclude_reads": True}
    (exported,) = entries(oidc_services, action="export_audit", reason="audit export")
    assert exported.subject == "rhea"
    listed = ui.get("/ui/audit/exports").text
    recent = listed[listed.index('data-testid="recent-exports"') :]
    assert f"/ui/audit/exports/{export_id}/digest" in recent and "csv" in recent


def test_the_activity_chart_counts_requests_and_denials_per_day_by_code(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    _traffic(ui, oidc_idp)
    oidc_sign_in(ui, oidc_idp, "rhea")

    page = ui.get("/ui/audit/activity", params={"engine": "image"})

    assert page.status_code == 200
    assert "<svg" in page.text and page.text.count("<rect") >= 3
    day = entries(oidc_services, engine="image")[0].time[:10]
    table = page.text[page.text.index('data-testid="activity-table"') :]
    row = re.search(rf'<th scope="row">{day}</th>\s*<td>(\d+)</td>\s*<td><a [^>]+>(\d+)<', table)
    assert row and (int(row[1]), int(row[2])) == (3, 2)
    summaries = entries(oidc_services, action="read_audit", reason="audit summary")
    assert {s.details["group_by"] for s in summaries} == {"day", "code"}
    assert all(s.details["filters"]["engine"] == "image" for s in summaries)


def test_the_chart_has_a_bar_for_every_day_of_its_window_quiet_days_too() -> None:
    window = audit.AuditFilter(
        since="2026-01-01T06:00:00.000000Z", until="2026-01-04T00:00:00.000000Z"
    )
    days = routes_audit.chart_days(window, {"2026-01-02": 4})
    chart = routes_audit.draw_chart(
        days, {"2026-01-02": 4}, {"2026-01-02": 3}, {"role_forbidden": {"2026-01-02": 2}}
    )

    assert days == ["2026-01-01", "2026-01-02", "2026-01-03"]  # until is exclusive
    heights = [bar["height"] for bar in chart["bars"]]
    assert heights == [0, chart["height"], 0]
    (busy,) = [bar for bar in chart["bars"] if bar["stack"]]
    assert [(part["code"], part["height"]) for part in busy["stack"]] == [
        ("role_forbidden", chart["height"] / 2),
        ("other", chart["height"] / 4),
    ]
    assert chart["rows"] == [
        {
            "day": "2026-01-02",
            "next_day": "2026-01-03",
            "total": 4,
            "denials": 3,
            "codes": {"role_forbidden": 2},
        }
    ]


def test_the_audit_pages_read_in_traditional_chinese(
    ui: TestClient, oidc_idp: IdentityProvider, oidc_services: Services
) -> None:
    made = _traffic(ui, oidc_idp)
    oidc_sign_in(ui, oidc_idp, "rhea")
    chinese = {"Accept-Language": "zh-TW"}

    table = ui.get("/ui/audit", headers=chinese).text
    entry = ui.get(f"/ui/audit/{made['audit_seq']}", headers=chinese).text
    chart = ui.get("/ui/audit/activity", headers=chinese).text

    assert "篩選條件" in table and "套用篩選" in table and "拒絕" in table
    assert "授權檢查（casbin）" in entry and "通過" in entry and "C2PA 資訊清單" in entry
    assert "每日請求與拒絕次數" in chart


def _entry(**fields: Any) -> audit.AuditEntry:
    base: dict[str, Any] = {
        "seq": 9,
        "time": "2026-01-02T03:04:05.000000Z",
        "request_id": "01J00000000000000000000000",
        "subject": "alice",
        "roles": ["employee"],
        "action": "generate",
        "engine": "voice_clone",
        "model": "consentgate/tiny-vits",
        "purpose": "internal",
        "decision": "deny",
        "code": "consent_revoked",
        "reason": "the consent was revoked",
        "prompt_hash": None,
        "output_sha256": None,
        "manifest_label": None,
        "policy_rule": ["employee", "voice_clone", "generate"],
        "details": {"voice_id": "voice_1"},
        "prev_hash": "0" * 64,
        "hash": "1" * 64,
    }
    return audit.AuditEntry(**{**base, **fields})


@pytest.mark.parametrize(
    ("fields", "results"),
    [
        ({}, ["passed", "passed", "failed", "not_reached"]),
        (
            {"code": "content_blocked", "details": {"consent_id": "c_1", "category": "payment"}},
            ["passed", "passed", "passed", "failed"],
        ),
        ({"code": "role_forbidden", "policy_rule": None}, ["failed"] + ["not_reached"] * 3),
        ({"code": "queue_full"}, ["passed", "not_recorded", "not_recorded", "not_recorded"]),
        ({"decision": "allow", "code": "ok"}, ["passed"] * 4),
        ({"action": "read_audit", "engine": None, "details": {}}, ["passed"]),
    ],
)
def test_an_entrys_checks_say_which_step_refused_it(
    fields: dict[str, Any], results: list[str]
) -> None:
    checks = routes_audit.entry_checks(_entry(**fields))

    assert [check.result for check in checks] == results
    failed = [check for check in checks if check.result == "failed"]
    assert all(check.evidence == fields.get("code", "consent_revoked") for check in failed)
