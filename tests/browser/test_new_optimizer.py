"""Adding an optimizer is one registry entry: no JavaScript names it.

The test copies the project, adds one entry to optimizers/registry.py (a copy of momentum under
a new name and title, as a newcomer would add an optimizer), starts that copy's server, and
checks that the new optimizer is served, listed on the paths tab with working sliders, written
to and read from links, and offered (and trained) on the MLP tab."""
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port

from .api_helpers import api
from .conftest import PageWatch

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ENTRY = '''
# A test's throwaway optimizer: one registry entry, nothing else.
import dataclasses as _dataclasses
OPTIMIZERS["throwaway"] = _dataclasses.replace(
    OPTIMIZERS["momentum"], name="throwaway", title="Throwaway",
    idea="A copy of momentum under another name, added by a test as a single registry entry.")
'''


@pytest.fixture(scope="module")
def extended_server(tmp_path_factory):
    tree = tmp_path_factory.mktemp("optviz") / "optviz"
    shutil.copytree(ROOT, tree, ignore=shutil.ignore_patterns(".git", "tests", "docs", "benchmarks", "__pycache__"))
    registry = tree / "optimizers" / "registry.py"
    source = registry.read_text()
    marker = "\nFIRST_ORDER = "
    assert marker in source, "the registry's derived lists moved; put the entry before them"
    registry.write_text(source.replace(marker, ENTRY + marker, 1))
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    process = subprocess.Popen([sys.executable, "-m", "app", "serve", "--port", str(port)], cwd=tree, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.time() > deadline:
                process.kill()
                raise RuntimeError(f"the copy's server did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


def open_extended(browser, url, query):
    context = browser.new_context(viewport={"width": 1500, "height": 950})
    watch = PageWatch(context.new_page())
    watch.page.goto(f"{url}/{query}")
    watch.settle()
    return context, watch


def test_the_copy_imports_its_own_code(extended_server):
    served = {spec["name"]: spec for spec in api(extended_server, "/api/optimizers")}
    assert served["throwaway"]["title"] == "Throwaway"
    assert [h["name"] for h in served["throwaway"]["hyperparameters"]] == \
        [h["name"] for h in served["momentum"]["hyperparameters"]]


def test_a_new_registry_entry_works_on_both_tabs_and_in_links(browser, extended_server):
    context, watch = open_extended(browser, extended_server, "?surface=canyon&run=sgd&run=throwaway")
    try:
        page = watch.page
        assert page.locator("#opt-throwaway").is_checked()
        path = watch.path("Throwaway")
        assert path and len(path) > 10
        # Its rule is momentum's, so its path is momentum's with the same hyperparameters.
        body = page.evaluate("() => window.optviz.requestBody(window.optviz.runs().filter(r => r.key === 'throwaway'))")
        params = body["runs"][0]["params"]
        body["runs"] = [{**body["runs"][0], "optimizer": "momentum"}]
        reference = api(extended_server, "/api/trajectories", body)["runs"][0]["points"]
        assert [list(point) for point in path] == reference

        # Its lr slider redraws its path and writes the new value into the link.
        slider = page.locator("#throwaway-lr")
        slider.evaluate("(s) => { s.value = Number(s.value) - 150; s.dispatchEvent(new Event('input', {bubbles: true})); }")
        watch.settle()
        moved = watch.path("Throwaway")
        lr = page.evaluate("() => window.optviz.state.params.throwaway.lr")
        assert lr < params["lr"] and moved != path and moved[0] == path[0]
        assert f"run=throwaway;lr:{lr:g}" in page.url
        link = page.url
        assert watch.errors == []
    finally:
        context.close()

    # The link reopens the same path.
    context, watch = open_extended(browser, extended_server, link[len(extended_server) + 1:])
    try:
        assert watch.path("Throwaway") == moved
        # The MLP tab offers it, and a network trains with it.
        watch.page.click("#tab-mlp")
        choice = watch.page.locator("#mlp-field-optimizer option[value=throwaway]")
        assert choice.count() == 1 and choice.inner_text() == "Throwaway"
        assert watch.errors == []
    finally:
        context.close()
    answer = api(extended_server, "/api/mlp/run",
                 {"configs": [{"optimizer": "throwaway", "hidden": [8], "epochs": 3, "params": {"lr": 0.05}}]})
    run = answer["runs"][0]
    assert run["status"] == "finished" and run["epochs_trained"] == 3
    assert all(record["train_loss"] < 10 for record in run["history"])
