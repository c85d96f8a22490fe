"""The README's "Actions and codes" section names every audit action and every problem code the
code can produce, so an officer reading an entry, or a client handling a refusal, can look it
up. New codes and actions fail this test until they are documented."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("gateway", "policies", "consent", "watermark", "audit", "engines")
_SECTION = re.compile(r"^## Actions and codes\n(.*?)(?=^## )", re.S | re.M)
# A snake_case literal as the first argument of an error's constructor, ``super().__init__`` or
# ``problem(request, status, …)``, after a ``Decision``, a ``…CODE =`` constant, or given as
# ``code=``: how codes are written here.
_CONSTRUCTED = re.compile(
    r"(?:\b_?(?:[A-Z]\w*)?(?:Error|Request|Found|Invalid|Large|Unsupported|Refusal|Conflict|Limited"
    r"|Full|Costly|Unavailable|Failed)\(|super\(\)\.__init__\(|\b_?problem\((?:\s*request,\s*\d+,)?)"
    r"\s*(?:\d+,\s*)?\"([a-z]+_[a-z0-9_]+)\""
    r"|(?:Decision\.[A-Z]+,|\b[A-Z_]*CODE = |\bcode=)\s*\"([a-z][a-z0-9_]*)\""
)
# Writers take the request context first and the action second; officer changes name theirs.
_WRITTEN_ACTION = re.compile(
    r"\w\(\s*(?:\w*ctx|self\._ctx),\s*\"([a-z][a-z_]+)\""
    r"|_officer_change\(\s*principal,\s*voice_id,\s*\"([a-z][a-z_]+)\""
)
_ACTION_KEYWORD = re.compile(r"\baction=\"([a-z][a-z_]+)\"")
_BACKTICKED = re.compile(r"`([a-z][a-z0-9_]+)`")


def _section() -> str:
    match = _SECTION.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert match, "README.md has no '## Actions and codes' section"
    return match.group(1)


def _sources() -> Iterator[str]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.read_text(encoding="utf-8")


def _error_classes() -> Iterator[type]:
    for package in PACKAGES:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if ".migrations" in info.name or info.name.startswith("engines._"):
                continue
            importlib.import_module(info.name)
    seen: set[type] = set()
    stack = [Exception]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    yield from (cls for cls in seen if cls.__module__.split(".")[0] in PACKAGES)


def produced_codes() -> set[str]:
    codes = {
        code
        for cls in _error_classes()
        if isinstance(code := cls.__dict__.get("code"), str) and code
    }
    for source in _sources():
        for constructed, keyword in _CONSTRUCTED.findall(source):
            codes.add(constructed or keyword)
    from gateway.problems import _HTTP_CODES

    codes.update(_HTTP_CODES.values())
    return codes


def written_actions() -> set[str]:
    actions: set[str] = set()
    for source in _sources():
        for written, officer in _WRITTEN_ACTION.findall(source):
            actions.add(written or officer)
        lines = (line for line in source.splitlines() if "add_argument" not in line)
        actions.update(_ACTION_KEYWORD.findall("\n".join(lines)))
    return actions


def test_every_code_is_listed() -> None:
    listed = set(_BACKTICKED.findall(_section()))
    assert len(produced_codes()) > 50  # the collection itself works
    assert sorted(produced_codes() - listed) == []


def test_every_action_is_listed() -> None:
    listed = set(_BACKTICKED.findall(_section()))
    assert {"generate", "read_audit", "enrol"} <= written_actions()
    assert sorted(written_actions() - listed) == []
