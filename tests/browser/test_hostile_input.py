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


# Links whose names are Object's own members, or whose values cannot be decoded: each falls back
# to defaults with a visible notice, and the page works (it was blank with an uncaught error).
PROTOTYPE_LINKS = ["?run=toString", "?run=constructor", "?surface=constructor", "?sched=__proto__;x:1",
                   "?sweep=__proto__;0.1", "?m=sched:__proto__", "?tab=mlp&mrun=label:%25"]


@pytest.mark.parametrize("query", PROTOTYPE_LINKS)
def test_prototype_names_and_bad_escapes_fall_back_with_a_notice(open_page, query):
    watch = open_page(query)
    assert watch.errors == []
    state = watch.page.evaluate("() => JSON.parse(JSON.stringify(window.optviz.state))")
    assert state["surface"] == watch.page.evaluate("() => document.getElementById('surface').value")
    assert state["schedule"] is None and state["sweep"] is None
    assert watch.page.locator("#surface option").count() > 5  # the page is built, not blank
    if query != "?m=sched:__proto__":  # the MLP form owns its own fields and silently keeps defaults
        assert watch.page.is_visible("#banner.info")
        assert "could not be read" in watch.page.inner_text("#banner")
    if "tab=mlp" not in query:
        assert watch.path("SGD") or watch.path("Momentum") or watch.path("Adam") or state["enabled"] == []
