"""Helpers of the MLP panel's browser tests: open the tab (optionally with the options answer
patched, as a new registry entry or a new schema field would change it), set fields, train."""
import json
import urllib.request

import pytest

from .conftest import PageWatch

# Small trainings: each test's networks train in well under a second on the server.
SMALL = {"samples": 200, "epochs": 3, "hidden": [8, 8]}


def api_options(server_url):
    with urllib.request.urlopen(f"{server_url}/api/mlp/options", timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def mlp_page(browser, server_url):
    """opener(query="", patch=None, viewport=(1500, 950)): the MLP tab, loaded and drawn. `patch`
    (a function of the options dict) rewrites GET /api/mlp/options before the page sees it."""
    contexts = []

    def opener(query="", patch=None, viewport=(1500, 950)):
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True)
        contexts.append(context)
        if patch is not None:
            def rewrite(route):
                response = route.fetch()
                options = patch(response.json())
                route.fulfill(status=200, content_type="application/json", body=json.dumps(options))
            context.route("**/api/mlp/options", rewrite)
        watch = PageWatch(context.new_page())
        watch.page.goto(f"{server_url}/?tab=mlp{query}")
        watch.page.wait_for_function("() => window.optvizMlp && document.getElementById('mlp-preview').data",
                                     timeout=20000)
        return watch

    yield opener
    for context in contexts:
        context.close()


def set_fields(watch, **fields):
    """Set configuration fields through the panel's own handler (the form's controls call it)."""
    for name, value in fields.items():
        watch.page.evaluate("([name, value]) => window.optvizMlp.setField(name, value)", [name, value])


def add_run(watch, **fields):
    set_fields(watch, **fields)
    watch.page.click("#mlp-add")


def train_to_end(watch, timeout=60000):
    watch.page.click("#mlp-train")
    watch.page.wait_for_function("() => document.body.dataset.mlpTraining === '0' && window.optvizMlp.results.length"
                                 " && window.optvizMlp.results.every(r => r && r.summary)", timeout=timeout)
    watch.page.evaluate("() => window.optvizMlp.draw() || window.optvizMlp.rendered")


def chip_names(watch):
    return watch.page.locator(".run-chip b").all_inner_texts()
