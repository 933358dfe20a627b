"""The MLP panel as a lecturer shows it: chips that say what differs, histograms readable with six
layers, keys clear of the axes, one slide-sized dashboard export, charts that follow their boxes,
and the training queue's and the server's messages."""
import base64
import json
import re

import pytest

from .mlp_helpers import SMALL, add_run, api_options, chip_names, mlp_page, set_fields, train_to_end  # noqa: F401

pytestmark = pytest.mark.browser


def boxes(watch, selector, within="#panel-mlp"):
    return watch.page.evaluate("""([within, selector]) => [...document.querySelector(within).querySelectorAll(selector)]
        .map(n => { const r = n.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })""", [within, selector])


def overlap(a, b):
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5


def test_chips_name_the_learning_rate_when_only_it_differs(mlp_page):
    watch = mlp_page()
    add_run(watch, params={"lr": 100})
    add_run(watch, params={"lr": 1e-6})
    add_run(watch, params={"lr": 1e-6}, hidden=[64, 64, 64])
    names = chip_names(watch)
    assert len(set(names)) == 3
    assert "100" in names[0] and "1.00e-6" in names[1] and "1.00e-6" in names[2]
    assert "2×32 units" in names[0] and "3×64 units" in names[2]
    # what all three share is said once, not in every chip
    assert not any("Spiral" in name or "tanh" in name for name in names)
    shared = watch.page.text_content("#mlp-shared")  # folded away under "Shared settings"
    assert "Spiral" in shared and "tanh" in shared and watch.page.is_visible("#mlp-shared-box")


def test_a_deep_comparison_reads_at_projector_size(mlp_page, server_url):
    options = api_options(server_url)
    watch = mlp_page("&present=1", viewport=(1024, 768))
    set_fields(watch, **{**SMALL, "hidden": [16] * 6})
    add_run(watch, activation="relu", init="he_normal")
    add_run(watch, activation="leaky_relu", init="he_normal")
    train_to_end(watch)
    page = watch.page
    # one y scale for every layer, with its tick labels on the first histogram of each row
    ranges = page.evaluate("""() => { const l = document.getElementById('mlp-histograms').layout;
        return Object.keys(l).filter(k => k.startsWith('yaxis')).map(k => [l[k].range, l[k].showticklabels]); }""")
    assert len(ranges) == 6 and len({tuple(r) for r, _ in ranges}) == 1 and any(shown for _, shown in ranges)
    # six layers' notes are readable: none overlaps another, all inside the chart
    notes = boxes(watch, "#mlp-histograms g.annotation")
    chart = boxes(watch, "#mlp-histograms", within="body")[0]
    assert len(notes) == 6
    assert not any(overlap(a, b) for i, a in enumerate(notes) for b in notes[i + 1:])
    assert all(chart[0] - 1 <= n[0] and n[2] <= chart[2] + 1 and chart[1] - 1 <= n[1] for n in notes)
    # the gradient-norm key is clear of both axis titles
    legend = boxes(watch, "#mlp-gradients .legend")[0]
    for title in boxes(watch, "#mlp-gradients .g-xtitle, #mlp-gradients .g-ytitle"):
        assert not overlap(legend, title)
    # "% dead" only where the activation's units can die (the server's can_die)
    can_die = {a["name"]: bool(a.get("can_die")) for a in options["activations"]}
    for index, activation in enumerate(["relu", "leaky_relu"]):
        page.select_option("#mlp-selected", str(index))
        assert page.evaluate("() => window.optvizMlp.view().canDie") == can_die[activation]
    assert can_die["leaky_relu"] is False
    assert "dead" not in page.inner_text("#mlp-histograms")  # leaky ReLU is selected
    # the charts follow their boxes when the controls are hidden and shown again
    for _ in range(2):
        page.click("#toggle-controls")
        page.wait_for_timeout(400)
        sizes = page.evaluate("""() => [...document.querySelectorAll('#panel-mlp .chart')].map(n =>
            [n.id, n.clientWidth, Number(n.querySelector('svg.main-svg').getAttribute('width'))])""")
        assert all(abs(box - drawn) <= 2 for _, box, drawn in sizes), sizes
        assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert watch.errors == []


def test_dead_units_are_counted_only_for_units_that_can_die(mlp_page):
    watch = mlp_page()
    notes = watch.page.evaluate("""async () => {
        const { histogramFigure } = await import('/static/js/mlpplots.js');
        const layer = { mean: 0.2, std: 0.5, saturated: 0, dead: 0.3,
                        histogram: { edges: [-1, 0, 1, 2], counts: [0, 5, 5] } };
        const run = { colour: '#000000' };
        const text = (canDie) => histogramFigure(run, { layers: [layer, layer] }, false, canDie, { height: 300 })
            .layout.annotations.map(a => a.text).join(' ');
        return [text(true), text(false)]; }""")
    assert "30% dead" in notes[0] and "dead" not in notes[1]


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_the_dashboard_exports_as_one_slide(mlp_page):
    watch = mlp_page()
    set_fields(watch, **SMALL)
    add_run(watch, activation="tanh")
    add_run(watch, activation="relu", init="he_normal")
    train_to_end(watch)
    # the loss along a random direction, from each run's summary, drawn once the runs are trained
    slices = watch.page.evaluate("() => window.optvizMlp.results.map(r => r.summary.slice)")
    assert watch.page.is_visible("#mlp-slice")
    drawn = watch.page.evaluate("() => document.getElementById('mlp-slice').data.map(t => [t.x, t.y])")
    assert drawn == [[s["alpha"], s[key]] for s in slices for key in ("train_loss", "val_loss")]
    with watch.page.expect_download() as info:
        watch.page.click("[data-mlp-export=svg]")
    svg = open(info.value.path(), encoding="utf-8").read()
    assert re.match(r'<svg [^>]*width="1920" height="1080"', svg)
    # loss, accuracy, the slice the tab shows, decision surface, histograms, gradient norms
    assert svg.count('class="main-svg"') >= 6
    for text in ("tanh", "ReLU · He", "train", "validation", "layer 2", "accuracy", "Decision surface", "J(θ + a·θ₁)"):
        assert text in svg, text
    with watch.page.expect_download() as info:
        watch.page.click("[data-mlp-export=png]")
    png = open(info.value.path(), "rb").read()
    assert png_size(png) == (1920, 1080)
    # every run's colour is painted (its curves and its key), and no class uses a run's colour
    colours = watch.page.evaluate("() => window.optvizMlp.runsForPlots().map(r => r.colour)")
    counts = watch.page.evaluate("""async ([b64, colours]) => {
        const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d');
        context.drawImage(bitmap, 0, 0);
        const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
        const rgb = colours.map(h => [1, 3, 5].map(i => parseInt(h.slice(i, i + 2), 16)));
        const counts = rgb.map(() => 0);
        for (let p = 0; p < pixels.length; p += 4) {
          rgb.forEach((c, k) => { if (Math.abs(pixels[p] - c[0]) + Math.abs(pixels[p + 1] - c[1])
                                      + Math.abs(pixels[p + 2] - c[2]) < 24) counts[k]++; });
        }
        return counts; }""", [base64.b64encode(png).decode(), colours])
    assert all(count > 300 for count in counts), counts
    classes = watch.page.evaluate("async () => (await import('/static/js/mlpplots.js')).CLASS_COLOURS")
    runs = watch.page.evaluate("""async (n) => { const { runColour } = await import('/static/js/mlpplots.js');
        return [...Array(n).keys()].map(runColour); }""", api_options_max(watch))
    assert not {c.lower() for c in classes} & {c.lower() for c in runs}
    assert watch.errors == []


def api_options_max(watch):
    return watch.page.evaluate("() => window.optvizMlp.options.max_configs")


def sse(*events):
    return "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events)


def test_a_queued_training_says_how_many_are_ahead_and_errors_show_as_banners(mlp_page):
    watch = mlp_page()
    page = watch.page
    page.evaluate("""() => { window.statuses = []; new MutationObserver(() =>
        window.statuses.push(document.getElementById('mlp-status').textContent))
        .observe(document.getElementById('mlp-status'), { childList: true, characterData: true, subtree: true }); }""")
    # the server's position is the place in the line: 3 means two trainings wait ahead of this one
    body = sse(("queued", {"position": 3}),
               ("error", {"index": 0, "message": "configs.0: the training process ended unexpectedly"}))
    page.route("**/api/mlp/train", lambda route: route.fulfill(status=200, content_type="text/event-stream", body=body))
    page.click("#mlp-train")
    page.wait_for_selector("#banner:not([hidden])")
    statuses = page.evaluate("() => window.statuses")
    assert "waiting for a training slot: 2 ahead" in statuses
    assert "ended unexpectedly" in page.inner_text("#banner")
    assert page.inner_text("#mlp-status") == "failed"
    page.evaluate("() => window.optvizMlp.onEvent('queued', {position: 1})")
    assert page.inner_text("#mlp-status") == "waiting for a training slot: next in line"
    page.click("#mlp-clear")
    assert page.is_hidden("#banner")
    assert watch.errors == []


CHARTS_FIT = """() => [...document.querySelectorAll('#panel-mlp .chart, #mlp-preview')].filter(n => n.offsetParent)
    .every(n => { const svg = n.querySelector('svg.main-svg');
                  return svg && Math.abs(Number(svg.getAttribute('width')) - n.clientWidth) <= 2
                      && Math.abs(Number(svg.getAttribute('height')) - n.clientHeight) <= 2; })"""


@pytest.mark.parametrize("present", [False, True], ids=["normal", "presenter"])
def test_every_chart_follows_its_box_at_projector_sizes(mlp_page, present):
    watch = mlp_page("&present=1" if present else "", viewport=(1024, 768))
    page = watch.page
    for width, height in [(1024, 768), (1280, 720), (1440, 900), (1920, 1080)]:
        page.set_viewport_size({"width": width, "height": height})
        for _ in range(2):  # controls hidden, then shown again
            page.click("#toggle-controls")
            page.wait_for_function(CHARTS_FIT, timeout=5000)
            overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, (width, height, overflow)
            charts = page.evaluate("() => [...document.querySelectorAll('#panel-mlp .chart')].filter(n => n.offsetParent)"
                                   ".map(n => n.clientWidth)")
            assert len(charts) == 5 and min(charts) > 200, (width, height, charts)
    assert watch.errors == []
