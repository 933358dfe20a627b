"""The MLP panel: a comparison streams, its curves grow, stop works, exports download."""
import csv
import io
import json

import pytest

pytestmark = pytest.mark.browser


def mlp_state(watch):
    return watch.page.evaluate("() => JSON.parse(JSON.stringify(window.optvizMlp.state.mlp))")


def lengths(watch):
    return watch.page.evaluate("() => window.optvizMlp.results.map(r => r ? r.history.length : 0)")


def open_mlp(open_page, query=""):
    watch = open_page(f"?tab=mlp{query}")
    watch.page.wait_for_function("() => document.getElementById('mlp-preview').data")
    return watch


def add_config(watch, activation, init):
    watch.page.select_option("#mlp-field-activation", activation)
    watch.page.select_option("#mlp-field-init", init)
    watch.page.click("#mlp-add")


def test_two_configurations_stream_and_both_curves_grow(open_page):
    watch = open_mlp(open_page)
    box = watch.page.locator("[data-param=epochs]")
    box.fill("25")
    box.dispatch_event("change")
    add_config(watch, "tanh", "normal_0.01")
    add_config(watch, "relu", "he_normal")
    chips = watch.page.locator(".run-chip b")
    # the chips name what differs (activation and initialization), not what the runs share
    assert chips.all_inner_texts() == ["tanh · N(0, 0.01)", "ReLU · He"]
    watch.page.click("#mlp-train")
    watch.page.wait_for_function("() => window.optvizMlp.results.every(r => r && r.history.length >= 3)")
    early = lengths(watch)
    watch.page.wait_for_function("() => document.body.dataset.mlpTraining === '0'", timeout=60000)
    final = lengths(watch)
    assert final == [26, 26] and all(a < b for a, b in zip(early, final))
    traces = watch.page.evaluate("() => document.getElementById('mlp-loss').data.map(t => t.x.length)")
    assert 26 in traces
    assert "trained 25 epochs" in watch.page.inner_text(".run-chip")
    # the story: the tiny-init tanh network does not learn, ReLU + He does
    losses = watch.page.evaluate("() => window.optvizMlp.results.map(r => r.history.at(-1).train_loss)")
    assert losses[1] < 0.5 * losses[0]
    histogram_bars = watch.page.evaluate("() => document.getElementById('mlp-histograms').data.length")
    assert histogram_bars == 2  # one histogram per hidden layer of the selected run
    assert watch.errors == []


def test_stop_ends_the_stream(open_page):
    watch = open_mlp(open_page)
    box = watch.page.locator("[data-param=epochs]")
    box.fill("2000")
    box.dispatch_event("change")
    watch.page.click("#mlp-train")
    watch.page.wait_for_function("() => window.optvizMlp.results[0] && window.optvizMlp.results[0].history.length >= 2")
    watch.page.click("#mlp-stop")
    stopped_at = lengths(watch)[0]
    watch.page.wait_for_timeout(800)
    assert lengths(watch)[0] == stopped_at < 1000  # of 2001 entries: it stopped, and nothing came after
    assert watch.page.inner_text("#mlp-status") == "stopped"
    assert watch.page.is_enabled("#mlp-train") and watch.page.is_disabled("#mlp-stop")
    health = watch.page.evaluate("() => fetch('/api/health').then(r => r.json())")
    assert health["training_streams"] == 0


def test_exports_of_a_trained_comparison(open_page):
    watch = open_mlp(open_page)
    for name, value in (("epochs", 4), ("samples", 200), ("hidden", [8, 8, 8, 8])):
        watch.page.evaluate("([n, v]) => window.optvizMlp.setField(n, v)", [name, value])
    add_config(watch, "tanh", "normal_0.01")
    add_config(watch, "relu", "he_normal")
    watch.page.click("#mlp-train")
    watch.page.wait_for_function("() => document.body.dataset.mlpTraining === '0' && "
                                 "window.optvizMlp.results.every(r => r && r.summary)", timeout=60000)
    with watch.page.expect_download() as info:
        watch.page.click("[data-mlp-export=csv]")
    rows = list(csv.DictReader(io.StringIO(open(info.value.path()).read())))
    assert len(rows) == 2 * 5 and {"layer4_grad_norm", "val_acc"} <= set(rows[0])
    assert {row["label"] for row in rows} == {"tanh · N(0, 0.01)", "ReLU · He"}
    with watch.page.expect_download() as info:
        watch.page.click("[data-mlp-export=json]")
    data = json.load(open(info.value.path()))
    assert len(data["runs"]) == 2 and data["runs"][1]["summary"]["status"] == "finished"
    assert [len(run["history"]) for run in data["runs"]] == [5, 5]


def test_comparison_survives_a_link(open_page):
    watch = open_mlp(open_page)
    watch.page.select_option("#mlp-field-dataset", "moons")
    add_config(watch, "relu", "he_normal")
    add_config(watch, "sigmoid", "xavier_uniform")
    watch.page.click("#copy-link")
    link = watch.page.input_value("#link-output")
    assert "tab=mlp" in link and link.count("mrun=") == 2
    restored = open_mlp(open_page, "&" + link.split("?", 1)[1])
    before, after = mlp_state(watch), mlp_state(restored)
    assert after["runs"] == before["runs"] and after["config"]["dataset"] == "moons"
    assert restored.page.locator(".run-chip").count() == 2


def test_bad_mlp_link_values_fall_back_to_defaults(open_page):
    watch = open_mlp(open_page, "&m=activation:bogus,hidden:9999,epochs:-3,dataset:moons,p.lr:1e308")
    config = mlp_state(watch)["config"]
    assert config["activation"] == "tanh" and config["hidden"] == [32, 32] and config["epochs"] == 30
    assert config["dataset"] == "moons" and config["params"] == {"lr": 0.1, "momentum": 0.9}
    assert watch.errors == []


def test_preview_fits_its_box_when_the_page_opens_on_the_other_tab(open_page):
    watch = open_page()  # the paths tab: the MLP panel is hidden while its data arrives
    watch.page.click("#tab-mlp")
    watch.page.wait_for_function("() => document.getElementById('mlp-preview').data")
    widths = watch.page.evaluate("""() => { const p = document.getElementById('mlp-preview');
        return [p.clientWidth, p._fullLayout.width]; }""")
    assert abs(widths[0] - widths[1]) <= 2
