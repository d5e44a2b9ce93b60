"""Shared browser-test harness: the app served from a thread on the test
database, driven by Debian's Chromium through Playwright.

Every test in tests/browser/ is marked `browser`. Fixtures:
- `live_server`: base URL (http://127.0.0.1:PORT) of a second app instance
  on the same test database, with CSRF protection ON (as in production).
- `browser_page`: a fresh Playwright page (own context: cookies, storage) at
  a phone-like viewport unless the test resizes it.
- `login(page, email, password)`: signs in through the real login form.
"""

import shutil
import threading

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from survey import create_app
from survey.extensions import db
from tests.conftest import TEST_CONFIG


def pytest_collection_modifyitems(items):
    for item in items:
        if "/tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_app(app, database_url):
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True})


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    with live_app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def chromium():
    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError("chromium is not installed: run scripts/install-test-deps.sh (make test-deps)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def login(page, base_url: str, email: str, password: str) -> None:
    """Sign in through the login form and wait until the redirect lands."""
    page.goto(f"{base_url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state("networkidle")
    if "/login" in page.url:
        raise AssertionError(f"login failed for {email}: {page.url}")


@pytest.fixture
def login_as(browser_page, live_server):
    def _login(email: str, password: str):
        login(browser_page, live_server, email, password)
        return browser_page

    return _login
