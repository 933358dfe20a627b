"""Shared links are parsed defensively, and refusals from the server read as messages."""
import json
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.pwned=1</script>"
IMAGE = "<img src=x onerror=window.pwned=1>"


@pytest.mark.parametrize("query", [
    f"?surface={quote(SCRIPT)}",
    f"?run={quote('adam;lr:' + IMAGE)}&run={quote(SCRIPT)}",
    f"?surface=canyon&sp={quote('condition:' + SCRIPT)}&start={quote(IMAGE)},1&steps={quote(SCRIPT)}",
    f"?sched={quote('step;drop:' + IMAGE)}&sweep={quote('sgd;1e308|' + SCRIPT)}&view={quote(SCRIPT)}",
    f"?tab=mlp&m={quote('label:' + IMAGE + ',activation:' + SCRIPT)}&mrun={quote('label:' + SCRIPT)}",
    "?surface=canyon&steps=1e400&noise=NaN&seed=-1&frame=Infinity&speed=1e9&unknown=1&__proto__=x",
])
def test_hostile_links_fall_back_to_defaults_and_inject_nothing(open_page, query):
    dialogs = []
    watch = open_page(query)
    watch.page.on("dialog", lambda d: dialogs.append(d.message))
    watch.page.wait_for_timeout(300)
    assert watch.page.evaluate("() => window.pwned") is None
    assert dialogs == [] and watch.errors == []
    assert watch.page.locator("img[onerror], body script:not([src])").count() == 0
    state = watch.page.evaluate("() => JSON.parse(JSON.stringify(window.optviz.state))")
    assert state["surface"] in ("canyon",) and state["steps"] == 300 and state["view"] == "contour"
    assert all(isinstance(v, (int, float)) for v in (state["noise"], state["seed"]))
    assert watch.path("SGD") or watch.path("Adam")  # the page still works


def test_a_label_with_markup_is_shown_as_text(open_page):
    watch = open_page(f"?tab=mlp&mrun={quote('label:' + IMAGE)}")
    chip = watch.page.locator(".run-chip b").first
    assert "<img" in chip.inner_text() or "img src" in chip.inner_text()
    assert watch.page.locator(".run-chip img").count() == 0


def test_a_429_is_shown_as_a_readable_message(open_page):
    watch = open_page("?tab=mlp")
    watch.page.route("**/api/mlp/train", lambda route: route.fulfill(
        status=429, content_type="application/json", headers={"retry-after": "5"},
        body=json.dumps({"detail": "this client already has 2 trainings running; stop one first"})))
    watch.page.click("#mlp-train")
    watch.page.wait_for_selector("#banner:not([hidden])")
    text = watch.page.inner_text("#banner")
    assert "busy" in text and "already has 2 trainings running" in text
    assert watch.page.is_enabled("#mlp-train")
