"""/docs and /redoc work without internet: every asset comes from the service itself.

The first tests read the HTML and the assets through TestClient. The last ones (integration
tier: make test-integration) open the pages in Debian's headless chromium, driven by Selenium
through /usr/bin/chromedriver: Swagger UI renders the operations, a token pasted into
Authorize lets "Try it out" create a task, and the browser never asks for a URL outside the
service.
"""

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.wait import WebDriverWait
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from src.core.settings import Settings
from src.main import create_app
from tests.support.api_users import make_user
from tests.support.browser import chromium
from tests.support.live_server import LiveServer

ASSETS = {
    "/docs/assets/swagger-ui-bundle.js": "text/javascript",
    "/docs/assets/swagger-ui.css": "text/css",
    "/docs/assets/redoc.standalone.js": "text/javascript",
    "/docs/assets/favicon.png": "image/png",
}


def referenced_urls(html: str) -> list[str]:
    """Every src=, href= and Swagger UI `url:` of a page, in order."""
    return [a or b for a, b in re.findall(r"""(?:src|href)="([^"]*)"|\burl: '([^']*)'""", html)]


# --- the pages and assets, through TestClient ---------------------------------------------


def test_docs_page_loads_swagger_ui_from_the_service(client: TestClient) -> None:
    response = client.get("/docs")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "://" not in html  # no CDN, no absolute URL of any kind
    assert referenced_urls(html) == [
        "/docs/assets/swagger-ui.css",
        "/docs/assets/favicon.png",
        "/docs/assets/swagger-ui-bundle.js",
        "/openapi.json",
    ]
    assert '"persistAuthorization": true' in html
    assert '"validatorUrl": null' in html  # no badge image from validator.swagger.io
    assert "window.location.origin + '/docs/oauth2-redirect'" in html


def test_redoc_page_loads_redoc_from_the_service_without_google_fonts(client: TestClient) -> None:
    response = client.get("/redoc")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "://" not in response.text
    assert referenced_urls(response.text) == [
        "/docs/assets/favicon.png",
        "/docs/assets/redoc.standalone.js",
    ]
    assert 'spec-url="/openapi.json"' in response.text


@pytest.mark.parametrize(("path", "media_type"), ASSETS.items())
def test_assets_are_served_with_their_content_type(
    client: TestClient, path: str, media_type: str
) -> None:
    response = client.get(path)

    assert response.status_code == 200
    # Browsers refuse a script or stylesheet of the wrong type under nosniff.
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.headers["x-content-type-options"] == "nosniff"
    assert len(response.content) > 1000
    assert "etag" in response.headers


def test_swagger_ui_is_version_5_which_renders_openapi_3_1(client: TestClient) -> None:
    bundle = client.get("/docs/assets/swagger-ui-bundle.js").text
    match = re.search(r'PACKAGE_VERSION:"(\d+)\.(\d+)\.(\d+)"', bundle)
    assert match, "no version string found in swagger-ui-bundle.js"
    assert int(match[1]) >= 5, match[0]
    assert "SwaggerUIBundle" in bundle
    assert client.get("/openapi.json").json()["openapi"].startswith("3.1")


def test_an_unchanged_asset_is_not_sent_again(client: TestClient) -> None:
    first = client.get("/docs/assets/swagger-ui.css")

    again = client.get(
        "/docs/assets/swagger-ui.css", headers={"If-None-Match": first.headers["etag"]}
    )

    assert again.status_code == 304
    assert again.content == b""


def test_unknown_assets_are_404(client: TestClient) -> None:
    assert client.get("/docs/assets/nope.js").status_code == 404
    assert client.get("/docs/assets/../../src/core/settings.py").status_code == 404


def test_oauth2_redirect_page(client: TestClient) -> None:
    response = client.get("/docs/oauth2-redirect")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "swaggerUIRedirectOauth2" in response.text


def test_docs_routes_stay_out_of_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    assert not [path for path in paths if path.startswith(("/docs", "/redoc"))]


def test_the_root_still_leads_to_the_docs(client: TestClient) -> None:
    response = client.get("/", follow_redirects=True)

    assert response.status_code == 200
    assert "SwaggerUIBundle" in response.text


def test_urls_follow_the_root_path_behind_a_proxy(settings: Settings) -> None:
    client = TestClient(create_app(settings), root_path="/task-api")

    docs = client.get("/docs").text
    redoc = client.get("/redoc").text

    assert referenced_urls(docs) == [
        "/task-api/docs/assets/swagger-ui.css",
        "/task-api/docs/assets/favicon.png",
        "/task-api/docs/assets/swagger-ui-bundle.js",
        "/task-api/openapi.json",
    ]
    assert "window.location.origin + '/task-api/docs/oauth2-redirect'" in docs
    assert referenced_urls(redoc) == [
        "/task-api/docs/assets/favicon.png",
        "/task-api/docs/assets/redoc.standalone.js",
    ]


# --- in a real browser (integration tier) -------------------------------------------------

WAIT = 30.0  # seconds: a bound against hangs, never an expectation of speed


@pytest.fixture
def server(settings: Settings, committed_url: URL) -> Iterator[LiveServer]:
    with LiveServer(create_app(settings, database_url=committed_url)) as live:
        yield live


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    with chromium(network_log=True) as driver:
        yield driver


def browser_log(driver: webdriver.Chrome, kind: str) -> list[dict[str, Any]]:
    """The entries of a chromedriver log ("performance", "browser") since the last read."""
    entries: list[dict[str, Any]] = driver.get_log(kind)  # type: ignore[no-untyped-call]
    return entries


def severe_console_messages(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    """Console errors (a failed load, a script error) since the last call."""
    return [entry for entry in browser_log(driver, "browser") if entry["level"] == "SEVERE"]


@dataclass
class Request:
    url: str
    blocked: str | None  # Chrome's blockedReason ("csp"...) when it never left the browser


def network_requests(driver: webdriver.Chrome) -> list[Request]:
    """Every request the page started since the last call, from the DevTools Network events:
    requestWillBeSent for each, loadingFailed with a blockedReason for those the browser
    refused to send (the Content-Security-Policy of the docs pages)."""
    urls: dict[str, str] = {}
    blocked: dict[str, str] = {}
    order: list[str] = []
    for entry in browser_log(driver, "performance"):
        message = json.loads(entry["message"])["message"]
        params = message["params"]
        if message["method"] == "Network.requestWillBeSent":
            key = f"{params['requestId']}:{len(order)}"  # redirects reuse a requestId
            urls[key] = params["request"]["url"]
            order.append(key)
        elif message["method"] == "Network.loadingFailed" and params.get("blockedReason"):
            for key in order:
                if key.startswith(params["requestId"] + ":"):
                    blocked[key] = params["blockedReason"]
    return [Request(urls[key], blocked.get(key)) for key in order]


def outside(origin: str, urls: list[str]) -> list[str]:
    """The URLs that are neither on `origin` (scheme://host:port) nor data:/blob: URLs."""
    return [
        url
        for url in urls
        if not (url == origin or url.startswith((origin + "/", "data:", "blob:")))
    ]


def wait_for(driver: webdriver.Chrome, by: str, selector: str) -> WebElement:
    element: WebElement = WebDriverWait(driver, WAIT).until(
        ec.visibility_of_element_located((by, selector))
    )
    return element


def click(driver: webdriver.Chrome, by: str, selector: str) -> None:
    element = WebDriverWait(driver, WAIT).until(ec.element_to_be_clickable((by, selector)))
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def replace_text(element: WebElement, value: str) -> None:
    """Type into a React-controlled field (select all, then type: clear() skips onChange)."""
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    element.send_keys(value)


def screenshot(driver: webdriver.Chrome, path: Path) -> Path:
    driver.save_screenshot(str(path))
    print(f"screenshot: {path}")
    return path


@pytest.mark.integration
def test_swagger_ui_creates_a_task_with_a_pasted_token_and_only_talks_to_the_service(
    server: LiveServer, browser: webdriver.Chrome, committed_engine: Engine, tmp_path: Path
) -> None:
    user = make_user()
    title = f"Created from Swagger UI {uuid.uuid4().hex[:8]}"
    operation = "#operations-tasks-create_task_api__user_id__tasks_post"

    browser.get(server.url + "/docs")
    wait_for(browser, By.CSS_SELECTOR, operation)
    rendered = browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
    assert {element.get_attribute("data-path") for element in rendered} >= {
        "/api/{user_id}/tasks",
        "/api/{user_id}/tasks/{task_id}",
        "/api/users/me",
    }
    screenshot(browser, tmp_path / "docs-operations.png")

    # Authorize: paste the token into the BearerJWT field of the dialog.
    click(browser, By.CSS_SELECTOR, ".scheme-container button.authorize")
    replace_text(wait_for(browser, By.CSS_SELECTOR, ".modal-ux input[type=text]"), user.token)
    click(browser, By.CSS_SELECTOR, ".modal-ux .auth-btn-wrapper button.authorize")
    wait_for(browser, By.CSS_SELECTOR, ".modal-ux .auth-btn-wrapper button.btn-done")
    assert "Authorized" in browser.find_element(By.CSS_SELECTOR, ".modal-ux").text
    click(browser, By.CSS_SELECTOR, ".modal-ux .auth-btn-wrapper button.btn-done")

    # POST /api/{user_id}/tasks: Try it out, fill the path and the body, Execute.
    click(browser, By.CSS_SELECTOR, f"{operation} .opblock-summary-control")
    click(browser, By.CSS_SELECTOR, f"{operation} button.try-out__btn")
    replace_text(
        wait_for(browser, By.CSS_SELECTOR, f"{operation} tr[data-param-name=user_id] input"),
        user.sub,
    )
    replace_text(
        wait_for(browser, By.CSS_SELECTOR, f"{operation} textarea.body-param__text"),
        json.dumps({"title": title}),
    )
    click(browser, By.CSS_SELECTOR, f"{operation} button.execute")
    status = wait_for(
        browser,
        By.CSS_SELECTOR,
        f"{operation} .live-responses-table tr.response .response-col_status",
    )
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", status)
    screenshot(browser, tmp_path / "docs-try-it-out.png")

    assert status.text.strip() == "201"
    response_body = browser.find_element(
        By.CSS_SELECTOR, f"{operation} .live-responses-table tr.response .response-col_description"
    ).text
    assert title in response_body
    with committed_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT user_id, title FROM tasks WHERE title = :title"), {"title": title}
        ).all()
    assert [(row.user_id, row.title) for row in rows] == [(user.user_id, title)]

    requests = network_requests(browser)
    urls = [request.url for request in requests]
    assert outside(server.url, urls) == []  # not even attempted
    for expected in (
        "/docs",
        "/docs/assets/swagger-ui-bundle.js",
        "/docs/assets/swagger-ui.css",
        "/openapi.json",
        f"/api/{user.sub}/tasks",
    ):
        assert server.url + expected in urls, expected
    assert severe_console_messages(browser) == []


@pytest.mark.integration
def test_redoc_renders_and_only_talks_to_the_service(
    server: LiveServer, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    browser.get(server.url + "/redoc")

    heading = wait_for(browser, By.CSS_SELECTOR, ".api-info h1")
    wait_for(browser, By.XPATH, "//*[contains(text(), '/api/{user_id}/tasks')]")
    screenshot(browser, tmp_path / "redoc.png")

    assert heading.text.startswith("Task API")
    requests = network_requests(browser)
    urls = [request.url for request in requests]
    assert server.url + "/docs/assets/redoc.standalone.js" in urls
    assert server.url + "/openapi.json" in urls
    # ReDoc 2's footer links the Redocly logo on cdn.redoc.ly: the page's policy keeps the
    # browser from fetching it (nothing else is even attempted today).
    attempted = outside(server.url, urls)
    print(f"attempted outside the service (each must be blocked by CSP): {attempted}")
    assert [r.url for r in requests if r.url in attempted and r.blocked != "csp"] == []
    assert set(attempted) <= {"https://cdn.redoc.ly/redoc/logo-mini.svg"}
    assert [
        entry
        for entry in severe_console_messages(browser)
        if not any(url in entry["message"] for url in attempted)
    ] == []


def test_outside_finds_every_other_origin() -> None:
    urls = [
        "http://127.0.0.1:8123/docs",
        "http://127.0.0.1:8123",
        "data:image/png;base64,AAAA",
        "blob:http://127.0.0.1:8123/0b5e6f5e",
        "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css",
        "http://127.0.0.1:81234/docs",
        "http://localhost:8123/docs",
        "https://127.0.0.1:8123/docs",
    ]

    assert outside("http://127.0.0.1:8123", urls) == urls[4:]
