"""/docs (Swagger UI) and /redoc served entirely by this service, so they work offline.

FastAPI's built-in pages load their JavaScript and CSS from a CDN (cdn.jsdelivr.net) and show
a blank page without internet access. Here the same pages point at copies served under
/docs/assets, taken from the pinned `fastapi-offline` package (backend/requirements.lock),
which ships Swagger UI 5 (`swagger-ui-bundle.js`, `swagger-ui.css`), ReDoc 2
(`redoc.standalone.js`) and FastAPI's favicon. Only those static files are used, not the
package's app factory. To update them, bump `fastapi-offline` in pyproject.toml and
requirements.lock; tests/api/test_docs_offline.py checks the files and the pages.

The pages also carry a Content-Security-Policy that allows this origin only, so the browser
cannot fetch anything from elsewhere even where a bundle would: ReDoc 2 puts an <img> of
https://cdn.redoc.ly/redoc/logo-mini.svg in its "API docs by Redocly" footer, which the policy
blocks (ReDoc then hides the image). The inline script that starts Swagger UI and ReDoc's
injected styles need 'unsafe-inline'; nothing on these pages renders user input.

The app must be created with `docs_url=None, redoc_url=None` so that FastAPI's own CDN pages
are not registered as well.
"""

from fastapi import APIRouter, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_URL = "/docs"
REDOC_URL = "/redoc"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
ASSETS_URL = "/docs/assets"

SWAGGER_UI_PARAMETERS = {
    # The token pasted into Authorize survives a page reload (kept in localStorage).
    "persistAuthorization": True,
    # No "valid" badge fetched from validator.swagger.io: the page talks to this service only.
    "validatorUrl": None,
}

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "frame-ancestors 'self'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)

router = APIRouter(include_in_schema=False)
router.mount(
    ASSETS_URL,
    StaticFiles(packages=[("fastapi_offline", "static")]),
    name="docs-assets",
)


def _root(request: Request) -> str:
    """The prefix the app is served under (uvicorn --root-path behind a proxy), or ''."""
    root_path: str = request.scope.get("root_path", "")
    return root_path.rstrip("/")


def _openapi_url(request: Request) -> str:
    return _root(request) + (request.app.openapi_url or "/openapi.json")


def _self_only(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return page


@router.get(DOCS_URL)
def swagger_ui(request: Request) -> HTMLResponse:
    root = _root(request)
    page = get_swagger_ui_html(
        openapi_url=_openapi_url(request),
        title=f"{request.app.title} - Swagger UI",
        swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
        oauth2_redirect_url=f"{root}{OAUTH2_REDIRECT_URL}",
        swagger_ui_parameters=SWAGGER_UI_PARAMETERS,
    )
    return _self_only(page)


@router.get(OAUTH2_REDIRECT_URL)
def swagger_ui_oauth2_redirect() -> HTMLResponse:
    return _self_only(get_swagger_ui_oauth2_redirect_html())


@router.get(REDOC_URL)
def redoc(request: Request) -> HTMLResponse:
    root = _root(request)
    page = get_redoc_html(
        openapi_url=_openapi_url(request),
        title=f"{request.app.title} - ReDoc",
        redoc_js_url=f"{root}{ASSETS_URL}/redoc.standalone.js",
        redoc_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
        with_google_fonts=False,
    )
    return _self_only(page)
