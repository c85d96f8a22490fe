"""``/docs`` (Swagger UI) and ``/redoc`` served from the gateway itself, assets included.

FastAPI's own pages load Swagger UI and ReDoc from a CDN, so on an installation without
internet they render blank. The assets here come from the ``fastapi-offline`` wheel (pinned
in pyproject.toml: Swagger UI 5.32 and ReDoc 2.5, MIT-licensed, their licence notices inside
the bundles), mounted under ``DOCS_ASSETS_PATH``; the pages name nothing outside the gateway.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

DOCS_ASSETS_PATH = "/docs-assets"
ASSETS_DIR = Path(fastapi_offline.__file__).parent / "static"
# Swagger UI's validator badge fetches an image from validator.swagger.io: switched off so the
# page calls no other host. Everything else is FastAPI's default.
_SWAGGER_PARAMETERS = {"validatorUrl": None}
# ReDoc's side menu always draws Redocly's logo from their CDN; served with that one image
# pointing at nothing (its onError handler then drops it).
_REDOC_LOGO = b'src:"https://cdn.redoc.ly/redoc/logo-mini.svg"'
REDOC_JS_PATH = "/docs/redoc.standalone.js"
# The browser itself refuses anything from another host on these pages, whatever a bundle
# does; inline scripts are the pages' own start-up code, blob workers ReDoc's search.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "frame-ancestors 'none'"
)


def _redoc_bundle() -> bytes:
    bundle = (ASSETS_DIR / "redoc.standalone.js").read_bytes()
    if _REDOC_LOGO not in bundle:  # a new ReDoc: look again before pinning it
        raise RuntimeError("the pinned ReDoc bundle no longer loads its logo as expected")
    return bundle.replace(_REDOC_LOGO, b'src:"data:,"')


def _contained(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = DOCS_CSP
    return page


def install_offline_docs(app: FastAPI) -> None:
    """Serve /docs, /redoc and their assets locally; ``app`` must be built with
    ``docs_url=None, redoc_url=None`` so FastAPI's CDN pages are not registered."""
    app.mount(DOCS_ASSETS_PATH, StaticFiles(directory=ASSETS_DIR), name="docs-assets")
    redoc_js = _redoc_bundle()

    @app.get(REDOC_JS_PATH, include_in_schema=False)
    async def redoc_bundle() -> Response:
        return Response(redoc_js, media_type="text/javascript")

    openapi_url = app.openapi_url or "/openapi.json"
    redirect_url = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"

    def assets(request: Request) -> str:
        return f"{request.scope.get('root_path', '')}{DOCS_ASSETS_PATH}"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _contained(
            get_swagger_ui_html(
                openapi_url=f"{root}{openapi_url}",
                title=f"{app.title} - Swagger UI",
                oauth2_redirect_url=f"{root}{redirect_url}",
                swagger_js_url=f"{assets(request)}/swagger-ui-bundle.js",
                swagger_css_url=f"{assets(request)}/swagger-ui.css",
                swagger_favicon_url=f"{assets(request)}/favicon.png",
                swagger_ui_parameters={**_SWAGGER_PARAMETERS, **(app.swagger_ui_parameters or {})},
            )
        )

    @app.get(redirect_url, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return _contained(get_swagger_ui_oauth2_redirect_html())

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _contained(
            get_redoc_html(
                openapi_url=f"{root}{openapi_url}",
                title=f"{app.title} - ReDoc",
                redoc_js_url=f"{root}{REDOC_JS_PATH}",
                redoc_favicon_url=f"{assets(request)}/favicon.png",
                with_google_fonts=False,  # fonts.googleapis.com is another host
            )
        )
