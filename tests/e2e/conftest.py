"""End-to-end fixtures: the real app served on 127.0.0.1 with a fresh database, and Debian's
chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import re
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_app
from tests.conftest import migrate_and_seed

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "Ribbon-2026"


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("Debian's chromium is not installed; run scripts/install.sh --test")


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app on a fresh SQLite file (the demo street, no needs or projects yet)."""
    db_file = tmp_path_factory.mktemp("e2e") / "e2e.sqlite3"
    app = make_app(f"sqlite:///{db_file}", UPLOAD_FOLDER=str(db_file.parent / "uploads"))
    migrate_and_seed(app)
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    """``live_app`` served by a real HTTP server in a thread."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture()
def new_page(browser, live_server, artifacts_dir, request):
    """``new_page(username=None, phone=False)``: a page in a fresh browser context, logged in."""
    contexts = []

    def make(username: str | None = None, phone: bool = False):
        viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        context = browser.new_context(viewport=viewport, base_url=live_server, locale="zh-CN",
                                      has_touch=phone, is_mobile=phone)
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        if username:
            login(page, username)
        return page

    yield make
    for context in contexts:
        context.close()


def login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label(re.compile(r"^用户名")).fill(username)
    page.get_by_label(re.compile(r"^密码")).fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/me")
