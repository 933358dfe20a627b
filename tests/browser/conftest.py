"""Browser tests: the real page in Debian's headless Chromium, driven by Playwright,
against a server started here on a free loopback port. No skip: a missing Chromium fails."""
import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-default-apps"]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageWatch:
    """A page plus what it said: console errors, page errors and every request URL."""

    def __init__(self, page):
        self.page = page
        self.errors = []
        self.requests = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    def settle(self):
        """Wait until no request is pending and the last redraw has finished."""
        self.page.wait_for_function(
            "() => window.optviz && window.optviz.grid && !window.optviz.busy",
            timeout=60000)  # bounded; generous because five sessions share two cores
        self.page.evaluate("() => window.optviz.rendered")

    def traces(self, element="plot"):
        return self.page.evaluate(
            "(id) => document.getElementById(id).data.map(t => ({name: t.name, type: t.type, "
            "x: Array.from(t.x || []), y: Array.from(t.y || [])}))", element)

    def path(self, prefix):
        for trace in self.traces():
            if trace["type"] == "scatter" and (trace["name"] or "").startswith(prefix):
                return list(zip(trace["x"], trace["y"]))
        return None


@pytest.fixture
def open_page(browser, server_url):
    contexts = []

    def opener(query="", viewport=(1500, 950)):
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True)
        contexts.append(context)
        watch = PageWatch(context.new_page())
        watch.page.goto(f"{server_url}/{query}")
        watch.settle()
        return watch

    yield opener
    for context in contexts:
        context.close()
