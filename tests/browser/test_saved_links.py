"""Links saved in the URL format of optviz 0.1.0 keep opening the same scene.

Each saved link (tests/browser/data/saved_links.json) carries, written out by hand, the scene
it means. The test asks the API for that scene's paths itself and checks the page shows
exactly those paths, and the view settings and the MLP comparison the link names."""
import json
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .api_helpers import api

pytestmark = pytest.mark.browser

SAVED = json.loads((Path(__file__).parent / "data" / "saved_links.json").read_text())["links"]


def suggested_rates(server_url, surface, surface_params):
    """The surface's suggested learning rates for these parameters (the scene endpoint when the
    server has it, else the surface list)."""
    query = urllib.parse.urlencode(surface_params)
    try:
        return api(server_url, f"/api/surfaces/{surface}/scene?{query}")["suggested_lr"]
    except urllib.error.HTTPError as error:
        if error.code != 404:
            raise
    return next(s for s in api(server_url, "/api/surfaces") if s["name"] == surface)["suggested_lr"]


def expected_runs(server_url, scene):
    """{page run key: API request run} for the scene a saved link describes."""
    rates = suggested_rates(server_url, scene["surface"], scene.get("surface_params", {}))
    schedule = scene.get("schedule")
    clip = scene.get("clip_norm")
    runs = {}
    if "sweep" in scene:
        sweep = scene["sweep"]
        for i, lr in enumerate(sweep["lrs"]):
            runs[f"sweep-{i}"] = {"optimizer": sweep["optimizer"], "params": {"lr": lr}, "schedule": schedule,
                                  "clip_norm": clip}
        return runs
    for run in scene["runs"]:
        params = {"lr": rates[run["optimizer"]], **run.get("params", {})}
        runs[run["optimizer"]] = {"optimizer": run["optimizer"], "params": params, "schedule": schedule,
                                  "clip_norm": clip}
    return runs


@pytest.mark.parametrize("saved", SAVED, ids=[s["link"][:60] for s in SAVED])
def test_a_saved_link_opens_its_scene(open_page, server_url, saved):
    watch = open_page(saved["link"])
    scene = saved["request"]
    runs = expected_runs(server_url, scene)
    if runs:
        body = {key: scene[key] for key in ("surface", "surface_params", "start", "steps", "noise", "seed", "batch_size")
                if key in scene}
        answer = api(server_url, "/api/trajectories", {**body, "runs": list(runs.values())})
        shown = watch.page.evaluate("() => Object.fromEntries(Object.entries(window.optviz.results)"
                                    ".map(([k, r]) => [k, r.points]))")
        assert set(shown) == set(runs)
        for key, result in zip(runs, answer["runs"]):
            assert shown[key] == result["points"], key
    else:
        assert watch.page.evaluate("() => Object.keys(window.optviz.results).length") == 0
    state = watch.page.evaluate("() => JSON.parse(JSON.stringify(window.optviz.state))")
    assert state["surface"] == scene["surface"]
    for key, value in saved.get("state", {}).items():
        assert state[key] == value, key
    assert watch.page.evaluate("() => document.body.classList.contains('present')") == state["present"]
    assert watch.page.is_visible("#controls") == (state["controls"] and state["tab"] == "paths")
    assert watch.page.is_visible("#panel-mlp") == (state["tab"] == "mlp")
    if "mlp" in saved:
        expected = saved["mlp"]
        for key, value in expected["config"].items():
            assert state["mlp"]["config"][key] == value, key
        if "runs" in expected:
            assert len(state["mlp"]["runs"]) == len(expected["runs"])
            for run, fields in zip(state["mlp"]["runs"], expected["runs"]):
                for key, value in fields.items():
                    assert run[key] == value, key
        for key in ("selected", "logLoss"):
            if key in expected:
                assert state["mlp"][key] == expected[key], key
    assert watch.errors == []
