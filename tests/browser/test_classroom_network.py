"""The page as a student's browser meets it: from another machine, over plain http.

A lecturer serves optviz on the room's network (`--host 0.0.0.0`) and students open
http://<the laptop's address>:8000. Such an origin is not a secure context, and browsers hide
the APIs reserved to secure ones (crypto.randomUUID, the clipboard, WebCodecs). Here Chromium
resolves a made-up host name to this machine, so the page is served over loopback but loaded
from an origin that is neither https nor localhost, exactly as a student's browser loads it."""
from urllib.parse import urlsplit

import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS, PageWatch

pytestmark = pytest.mark.browser

CLASSROOM_HOST = "lecture-room.test"


@pytest.fixture
def student_page(browser, server_url):
    # A second Chromium from the session's Playwright (a second sync_playwright cannot start
    # inside the first one's loop), with the made-up name resolved to this machine.
    port = urlsplit(server_url).port
    student = browser.browser_type.launch(executable_path=CHROMIUM, args=[
        *CHROMIUM_ARGS, f"--host-resolver-rules=MAP {CLASSROOM_HOST} 127.0.0.1"])
    try:
        context = student.new_context(viewport={"width": 1280, "height": 800})
        yield PageWatch(context.new_page()), f"http://{CLASSROOM_HOST}:{port}"
    finally:
        student.close()


def test_a_student_on_the_room_network_gets_a_working_page(student_page):
    watch, url = student_page
    watch.page.goto(f"{url}/")
    assert watch.page.evaluate("() => window.isSecureContext") is False
    watch.settle()
    assert len(watch.path("SGD")) > 10
    # What needs a secure context is not offered: copying an image, encoding a video.
    for export in ("copy", "webm"):
        assert watch.page.locator(f"[data-export={export}]").is_hidden(), export
    # The MLP tab trains (its requests carry a per-tab id made without crypto.randomUUID).
    watch.page.click("[data-tab=mlp]")
    watch.page.click("#mlp-train")
    watch.page.wait_for_function("() => document.querySelectorAll('#mlp-loss .scatterlayer .trace').length > 0",
                                 timeout=60000)
    assert watch.errors == []
