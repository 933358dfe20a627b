"""What a new lecturer's walkthrough of the MLP tab found, each checked the way it was met:
the trained run added twice, histogram ticks run together at 1024 px, the gradient-norm key
taking half its chart, unexplained stars on the loss curves, a stretched decision surface at
1920 px, and a hint pointing at hidden controls."""
import pytest

from .api_helpers import api
from .mlp_helpers import SMALL, add_run, chip_names, mlp_page, set_fields, train_to_end  # noqa: F401
from .test_mlp_plots import boxes, overlap

pytestmark = pytest.mark.browser

PROJECTOR = (1024, 768)
FULL_HD = (1920, 1080)


def plot_area(watch, element):
    """The plot area of a drawn chart in page pixels: [left, top, right, bottom]."""
    return watch.page.evaluate("""(id) => { const node = document.getElementById(id); const s = node._fullLayout._size;
        const r = node.getBoundingClientRect(); return [r.left + s.l, r.top + s.t, r.left + s.l + s.w, r.top + s.t + s.h]; }""",
                               element)


def test_the_trained_configuration_is_not_added_twice(mlp_page, server_url):
    watch = mlp_page("&present=1", viewport=PROJECTOR)
    page = watch.page
    set_fields(watch, **SMALL)
    train_to_end(watch)  # Train with an empty comparison trains the form's configuration
    assert len(chip_names(watch)) == 1
    # the button says the configuration is already there, and a click (even a scripted one) adds nothing
    assert page.is_disabled("#mlp-add") and "In the comparison" in page.inner_text("#mlp-add")
    page.evaluate("() => document.getElementById('mlp-add').click()")
    assert len(chip_names(watch)) == 1
    # the same configuration written with a default hyperparameter spelled out is the same configuration
    set_fields(watch, params={"lr": 0.1, "momentum": 0.9, "dampening": 0})
    assert page.is_disabled("#mlp-add")
    # another setting: it can be added, under a name of its own; back to the first: refused again
    set_fields(watch, params={"lr": 0.05, "momentum": 0.9})
    assert page.is_enabled("#mlp-add")
    page.click("#mlp-add")
    names = chip_names(watch)
    assert len(names) == 2 and names[0] != names[1]
    set_fields(watch, params={"lr": 0.1, "momentum": 0.9})
    assert page.is_disabled("#mlp-add")
    assert watch.errors == []


def test_a_link_listing_one_configuration_twice_opens_one_run(mlp_page):
    watch = mlp_page("&mrun=activation:relu&mrun=activation:relu&mrun=default")
    names = chip_names(watch)
    assert len(names) == 2 and len(set(names)) == 2, names
    assert watch.errors == []


def histogram_tick_labels(watch):
    """Each histogram's x tick labels: [[left, top, right, bottom, text], ...] per layer."""
    return watch.page.evaluate("""() => [...document.querySelectorAll('#mlp-histograms .xaxislayer-above')]
        .map(layer => [...layer.querySelectorAll('text')].map(t => {
            const r = t.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom, t.textContent]; }))""")


def test_histogram_tick_labels_never_overlap_at_projector_size(mlp_page):
    # The lecture's N(0, 0.01) network (six tanh layers of 100): each layer's activations are ~10x
    # narrower than the one before, so labels of another scale (1e-2 ... 1e-6) stand side by side.
    # Plotly's own ticks ran together at epochs 7, 8 and 15 ("1e−4" into "−0.001") at 1024 px.
    watch = mlp_page("&present=1", viewport=PROJECTOR)
    page = watch.page
    set_fields(watch, hidden=[100] * 6, activation="tanh", init="normal_0.01", params={"lr": 0.01, "momentum": 0.9},
               epochs=16)
    add_run(watch)
    train_to_end(watch, timeout=120000)
    for controls_shown in (True, False):
        assert page.is_visible("#mlp-controls") == controls_shown
        for epoch in range(17):
            page.evaluate("(e) => { window.optvizMlp.mlp.epoch = e; window.optvizMlp.draw(); return window.optvizMlp.rendered; }",
                          epoch)
            axes = histogram_tick_labels(watch)
            assert len(axes) == 6 and all(axes), (epoch, axes)  # every layer's axis is labelled
            labels = [label for axis in axes for label in axis]
            for i, a in enumerate(labels):
                for b in labels[i + 1:]:
                    assert not overlap(a, b), (controls_shown, epoch, a, b)
            chart = boxes(watch, "#mlp-histograms", within="body")[0]
            assert all(chart[0] - 1 <= t[0] and t[2] <= chart[2] + 1 for t in labels)
        page.click("#toggle-controls")
        page.wait_for_timeout(300)
        page.evaluate("() => window.optvizMlp.rendered")
    assert watch.errors == []


@pytest.mark.parametrize("controls", ["", "&controls=0"])
def test_the_gradient_norm_key_leaves_the_chart_to_the_plot(mlp_page, controls):
    watch = mlp_page(f"&present=1{controls}", viewport=PROJECTOR)
    set_fields(watch, **{**SMALL, "hidden": [16] * 6})
    add_run(watch)
    train_to_end(watch)
    chart = boxes(watch, "#mlp-gradients", within="body")[0]
    area = plot_area(watch, "mlp-gradients")
    width, height = chart[2] - chart[0], chart[3] - chart[1]
    # the plot area keeps most of the chart: the key beside it left it 38 % of the width at 1024 px
    assert (area[2] - area[0]) / width >= 0.7, (area, chart)
    assert (area[3] - area[1]) / height >= 0.5, (area, chart)
    # all six layers are in the key, which is inside the chart and clear of the plot and the axis titles
    assert watch.page.evaluate("() => document.querySelectorAll('#mlp-gradients .legend .traces').length") == 6
    legend = boxes(watch, "#mlp-gradients .legend")[0]
    assert chart[0] - 1 <= legend[0] and legend[2] <= chart[2] + 1 and chart[1] - 1 <= legend[1]
    assert not overlap(legend, area)
    for title in boxes(watch, "#mlp-gradients .g-xtitle, #mlp-gradients .g-ytitle"):
        assert not overlap(legend, title)
    assert watch.errors == []


def test_the_loss_stars_sit_where_the_chart_says(mlp_page, server_url):
    watch = mlp_page("&present=1", viewport=PROJECTOR)
    page = watch.page
    set_fields(watch, **{**SMALL, "epochs": 8})
    add_run(watch, params={"lr": 0.1, "momentum": 0.9})
    add_run(watch, params={"lr": 3.0, "momentum": 0.9})  # a rough run: its lowest loss is not its last
    assert not page.is_visible("#mlp-loss-star")  # no star, nothing to explain
    train_to_end(watch)
    # a compact mark in the chart's title row, its full meaning in its tooltip
    note = page.inner_text("#mlp-loss-star")
    assert page.is_visible("#mlp-loss-star") and note.startswith("★") and "lowest val" in note
    title = page.get_attribute("#mlp-loss-star", "title").replace("\u00a0", " ")
    assert "lowest validation loss (epochs ≥ 1)" in title
    stars = page.evaluate("""() => document.getElementById('mlp-loss').data.filter(t => t.marker && t.marker.symbol === 'star')
        .map(t => ({x: t.x[0], y: t.y[0], colour: t.marker.color, hover: t.hovertemplate}))""")
    # each run trained again by the API, its history read here: the star is at its lowest
    # validation loss over epochs 1, 2, ... (epoch 0 is the untrained network), the first if tied
    configs = page.evaluate("() => window.optvizMlp.mlp.runs")
    runs = api(server_url, "/api/mlp/run", {"configs": configs})["runs"]
    colours = page.evaluate("() => window.optvizMlp.runsForPlots().map(r => r.colour)")
    assert len(stars) == len(runs) == 2
    for run, colour in zip(runs, colours):
        trained = [e for e in run["history"] if e["epoch"] >= 1]
        lowest = min(e["val_loss"] for e in trained)
        epoch = next(e["epoch"] for e in trained if e["val_loss"] <= lowest + 1e-12)
        star = next(s for s in stars if s["colour"] == colour)
        assert star["x"] == epoch and star["y"] == pytest.approx(lowest, rel=1e-12)
        assert "lowest validation loss of epochs ≥ 1" in star["hover"]
    assert watch.errors == []


@pytest.mark.parametrize("controls", ["", "&controls=0"])
def test_the_decision_surface_is_drawn_at_equal_aspect(mlp_page, controls):
    watch = mlp_page(f"&present=1{controls}", viewport=FULL_HD)
    set_fields(watch, **SMALL)
    add_run(watch)
    train_to_end(watch)
    for element in ("mlp-decision", "mlp-preview"):
        x_per_unit, y_per_unit = watch.page.evaluate("""(id) => { const l = document.getElementById(id)._fullLayout;
            const per = (a) => a._length / Math.abs(a.range[1] - a.range[0]); return [per(l.xaxis), per(l.yaxis)]; }""",
                                                     element)
        assert x_per_unit / y_per_unit == pytest.approx(1, abs=0.02), (element, x_per_unit, y_per_unit)
        # the axes show the regions and the points, not empty paper beside them (plotly once kept an
        # x range of [-1, 6] with the aspect right: the regions sat in a corner)
        ranges, extents = watch.page.evaluate("""(id) => { const n = document.getElementById(id); const l = n._fullLayout;
            const values = (axis) => n.data.flatMap(t => Array.from(t[axis] || []));
            const extent = (axis) => [Math.min(...values(axis)), Math.max(...values(axis))];
            return [[l.xaxis.range, l.yaxis.range], [extent('x'), extent('y')]]; }""", element)
        for (low, high), (data_low, data_high) in zip(ranges, extents):
            assert low <= data_low and data_high <= high and high - low <= 1.2 * (data_high - data_low), (element, ranges,
                                                                                                        extents)
    # the regions and the points are what is drawn, not a sliver: the plot keeps most of the box's height
    chart = boxes(watch, "#mlp-decision", within="body")[0]
    area = plot_area(watch, "mlp-decision")
    assert (area[3] - area[1]) / (chart[3] - chart[1]) >= 0.6
    assert watch.errors == []


def empty_hint(watch):
    return watch.page.evaluate("() => getComputedStyle(document.getElementById('mlp-runs'), '::before').content")


def test_the_empty_comparison_hint_is_true_with_controls_shown_and_hidden(mlp_page):
    watch = mlp_page("&present=1", viewport=PROJECTOR)
    page = watch.page
    # controls shown: the form is on the left of the comparison, as the hint says
    hint = empty_hint(watch)
    assert "on the left" in hint and "Add to comparison" in hint
    controls = boxes(watch, "#mlp-controls", within="body")[0]
    runs = boxes(watch, "#mlp-runs", within="body")[0]
    assert page.is_visible("#mlp-controls") and controls[2] <= runs[0]
    # hidden: no form anywhere; the hint names the button that shows it, as that button reads
    page.click("#toggle-controls")
    page.wait_for_function("() => !getComputedStyle(document.getElementById('mlp-runs'), '::before').content.includes('left')")
    hint = empty_hint(watch)
    assert not page.is_visible("#mlp-controls")
    label = page.inner_text("#toggle-controls")
    assert label == "Show controls" and f"“{label}”" in hint and "Add to comparison" in hint
    # and a page opened with the controls hidden says the same
    watch = mlp_page("&present=1&controls=0", viewport=PROJECTOR)
    assert "on the left" not in empty_hint(watch) and "“Show controls”" in empty_hint(watch)
    assert not watch.page.is_visible("#mlp-controls")
    watch.page.click("#toggle-controls")
    watch.page.wait_for_function("() => getComputedStyle(document.getElementById('mlp-runs'), '::before').content"
                                 ".includes('on the left')")
    assert watch.page.is_visible("#mlp-controls")
