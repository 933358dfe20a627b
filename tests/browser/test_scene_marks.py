"""The paths tab shows what the server knows of the scene: every stationary point marked by its
kind, the server's run messages, the update rule for the options that are on, and the sweep's
factors."""
import pytest

from .api_helpers import api

pytestmark = pytest.mark.browser


def test_every_stationary_point_is_marked_with_its_kind(open_page, server_url):
    watch = open_page("?surface=himmelblau&run=sgd")
    expected = api(server_url, "/api/surfaces/himmelblau/scene")["stationary_points"]
    traces = watch.traces()
    shown = {}
    for name in ("global minimum", "local minimum", "saddle point", "local maximum"):
        for trace in traces:
            if trace["name"] == name:
                shown[name] = sorted(zip(trace["x"], trace["y"]))
    by_kind = {"minimum": [], "saddle": [], "maximum": []}
    for point in expected:
        by_kind[point["kind"]].append(tuple(point["point"]))
    assert sorted(shown.get("global minimum", []) + shown.get("local minimum", [])) == sorted(by_kind["minimum"])
    assert shown.get("saddle point", []) == sorted(by_kind["saddle"]) and by_kind["saddle"]
    assert shown.get("local maximum", []) == sorted(by_kind["maximum"]) and by_kind["maximum"]
    kinds = watch.page.evaluate("() => [...document.querySelectorAll('#legend [data-kind]')].map(n => n.dataset.kind)")
    assert sorted(kinds) == ["maximum", "minimum", "saddle"]
    assert "global minimum" in watch.page.inner_text("#legend")  # Himmelblau's four minima are all global


def test_the_legend_tells_the_global_minimum_from_the_local_ones(open_page, server_url):
    watch = open_page("?surface=local_minima&run=sgd")
    points = api(server_url, "/api/surfaces/local_minima/scene")["stationary_points"]
    assert sum(p["global"] for p in points) == 1 and sum(p["kind"] == "minimum" and not p["global"] for p in points) == 3
    legend = watch.page.inner_text("#legend")
    assert "★\nglobal minimum" in legend or "★ global minimum" in legend
    assert "☆\nlocal minimum" in legend or "☆ local minimum" in legend


def test_the_page_shows_the_servers_run_message(open_page, server_url):
    watch = open_page("?surface=quadratic&steps=50&run=sgd;lr:50")
    message = watch.page.evaluate("() => window.optviz.results.sgd.message")
    assert message.startswith("diverged at step")
    assert message in watch.page.inner_text("[data-status=sgd]")
    assert message in watch.page.inner_text("#legend")
    assert message in watch.page.inner_text("#inspector")
    labels = [t for t in watch.page.evaluate("() => document.getElementById('plot').data")
              if t.get("text") and t.get("name") != "label plate"]
    assert labels and labels[0]["text"] == [message]  # the label by the ✕ on the plot says it too


def test_the_rule_shown_is_the_rule_run(open_page, server_url):
    watch = open_page("?surface=quadratic&run=sgd;momentum:0.9,nesterov:1")
    expected = api(server_url, "/api/optimizers/sgd/rule?momentum=0.9&nesterov=1")["mathml"]
    general = api(server_url, "/api/optimizers")[0]["update_rule_mathml"]
    assert expected != general
    watch.page.wait_for_function("(n) => document.querySelectorAll('[data-rule=sgd] math').length === n", arg=len(expected))
    shown = watch.page.evaluate("() => [...document.querySelectorAll('[data-rule=sgd] math')].map(m => m.textContent)")
    assert shown == [watch.page.evaluate("(m) => { const d = document.createElement('div'); d.innerHTML = m;"
                                         " return d.textContent; }", m) for m in expected]


def test_sweep_labels_say_the_factors(open_page, server_url):
    watch = open_page("?surface=quadratic&run=sgd")
    sweep = api(server_url, "/api/surfaces/quadratic/scene")["sweep"]["sgd"]
    watch.page.click("#sweep-group summary")
    watch.page.click("#sweep-preset")
    watch.settle()
    names = [t["name"] for t in watch.traces() if t["type"] == "scatter" and (t["name"] or "").startswith("SGD η=")]
    assert len(names) == len(sweep["factors"])
    for name, label in zip(names, sweep["labels"]):
        assert f": {label} (×" in name
    assert all(label in watch.page.inner_text("#sweep-factors") for label in sweep["labels"])


def test_rastrigin_marks_its_global_minimum_and_counts_the_rest(open_page, server_url):
    watch = open_page("?surface=rastrigin&run=sgd")
    points = api(server_url, "/api/surfaces/rastrigin/scene")["stationary_points"]
    marks = [t for t in watch.traces() if t["name"] in ("global minimum", "local minimum", "saddle point", "local maximum")]
    assert [t["name"] for t in marks] == ["global minimum"]
    assert list(zip(marks[0]["x"], marks[0]["y"])) == [pytest.approx((0.0, 0.0), abs=1e-9)]
    minima = sum(p["kind"] == "minimum" for p in points) - 1
    saddles = sum(p["kind"] == "saddle" for p in points)
    maxima = sum(p["kind"] == "maximum" for p in points)
    assert (minima, saddles, maxima) == (80, 144, 64)  # Rastrigin's 9 x 9 grid of minima over the plot
    assert (f"not marked: {minima} local minima, {saddles} saddle points, {maxima} local maxima"
            in watch.page.inner_text("#legend"))
