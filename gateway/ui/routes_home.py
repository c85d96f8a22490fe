"""The workspace's home: who is signed in, and the sections their roles open."""

from __future__ import annotations

from fastapi import Request, Response

from gateway.ui.deps import SessionDep, page_router
from gateway.ui.pages import render

router = page_router()


@router.get("", name="ui_home")
@router.get("/", include_in_schema=False)
def home(request: Request, _session: SessionDep) -> Response:
    """Home: the sections the caller's roles open (the same casbin rules as their pages)."""
    return render(request, "home.html")
