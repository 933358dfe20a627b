"""The optimizer-paths page, driven as a lecturer would drive it."""
import csv
import io
import json
import math
from urllib.parse import urlparse

import pytest

from .api_helpers import assert_contour_over

pytestmark = pytest.mark.browser


def state(watch):
    return watch.page.evaluate("() => JSON.parse(JSON.stringify(window.optviz.state))")


def test_loads_clean_and_offline(open_page, server_url):
    watch = open_page()
    assert watch.errors == []
    server = urlparse(server_url).netloc
    outside = [url for url in watch.requests if urlparse(url).netloc != server and not url.startswith(("data:", "blob:"))]
    assert outside == []
    # plotly's cartesian bundle, not the full one and not (before the 3D view opens) the 3D one.
    assert any("/vendor/plotly-cartesian.min.js" in url for url in watch.requests)
    assert not any("/vendor/plotly.min.js" in url or "/vendor/plotly-gl3d" in url for url in watch.requests)
    # The default scene: SGD vs momentum vs Adam in the canyon, each with its path.
    for name in ("SGD", "Momentum", "Adam"):
        assert len(watch.path(name)) > 10
    assert "ravine" in watch.page.inner_text("#surface-lesson")
    assert watch.page.locator("#rules math").count() >= 3  # update rules rendered as MathML


def test_changing_surface_redraws(open_page):
    watch = open_page()
    watch.page.select_option("#surface", "rosenbrock")
    watch.settle()
    contour = next(t for t in watch.traces("plot-back") if t["type"] == "contour")
    assert_contour_over(contour, ((-2.0, 2.0), (-1.0, 3.0)))
    assert watch.path("Adam")[0] == (-1.5, 2.0)
    assert "banana" in watch.page.inner_text("#surface") or "Rosenbrock" in watch.page.inner_text("#surface")
    assert "rosenbrock" in watch.page.url and watch.errors == []


def test_enabling_an_optimizer_adds_its_path(open_page):
    watch = open_page()
    assert watch.path("NAdam") is None
    watch.page.check("#opt-nadam")
    watch.settle()
    assert len(watch.path("NAdam")) > 10
    assert "run=nadam" in watch.page.url
    watch.page.uncheck("#opt-sgd")
    watch.settle()
    assert watch.path("SGD") is None


def test_moving_the_lr_slider_changes_only_that_path(open_page):
    watch = open_page()
    adam_before, sgd_before = watch.path("Adam"), watch.path("SGD")
    requests_before = len(watch.requests)
    slider = watch.page.locator("#adam-lr")
    slider.evaluate("(s) => { s.value = Number(s.value) - 120; s.dispatchEvent(new Event('input', {bubbles: true})); }")
    watch.settle()
    adam_after = watch.path("Adam")
    assert adam_after != adam_before and adam_after[0] == adam_before[0]
    assert watch.path("SGD") == sgd_before
    bodies = [url for url in watch.requests[requests_before:] if url.endswith("/api/trajectories")]
    assert len(bodies) >= 1
    lr = state(watch)["params"]["adam"]["lr"]
    assert lr < 0.3 and f"lr:{lr:g}" in watch.page.url


def type_learning_rate(watch, optimizer, value):
    """Type into the optimizer's lr box (the first number box of its row) and let it redraw."""
    box = watch.page.locator(f"[data-row={optimizer}] .slider-row input[type=number]").first
    box.fill(value)
    box.dispatch_event("change")
    watch.settle()


def test_numeric_box_sets_the_lr_exactly(open_page):
    watch = open_page()
    type_learning_rate(watch, "sgd", "0.01")
    path = watch.path("SGD")
    # canyon: f = (x² + κ y²)/2 from its start; one step of lr 0.01: x - 0.01 x, y - 0.01 κ y
    kappa, (x, y) = watch.page.evaluate("() => [window.optviz.surface.parameters.find(p => p.name === 'condition')"
                                        ".default, window.optviz.start()]")
    assert path[1] == pytest.approx((x - 0.01 * x, y - 0.01 * kappa * y))


def test_click_on_the_plot_moves_the_start(open_page):
    watch = open_page()
    # the axes show the domain widened to the box's aspect: a click maps through their ranges
    box = watch.page.evaluate("""() => { const r = document.querySelector('#plot .nsewdrag').getBoundingClientRect();
        const layout = document.getElementById('plot').layout;
        return {x: r.left + r.width * 0.75, y: r.top + r.height * 0.25, xr: layout.xaxis.range, yr: layout.yaxis.range}; }""")
    watch.page.mouse.click(box["x"], box["y"])
    watch.settle()
    start = state(watch)["start"]
    (x0, x1), (y0, y1) = box["xr"], box["yr"]
    assert start[0] == pytest.approx(x0 + 0.75 * (x1 - x0), abs=0.2) and start[1] == pytest.approx(y1 - 0.25 * (y1 - y0), abs=0.2)
    assert watch.path("Adam")[0] == pytest.approx(tuple(start))
    assert "start=" in watch.page.url


def test_dragging_the_start_marker(open_page):
    watch = open_page()
    handle = watch.page.evaluate("""() => { const r = document.querySelector('#plot .nsewdrag').getBoundingClientRect();
        const layout = document.getElementById('plot').layout;
        const [[x0, x1], [y0, y1]] = [layout.xaxis.range, layout.yaxis.range]; const [x, y] = window.optviz.start();
        const px = (u) => r.left + (u - x0) / (x1 - x0) * r.width, py = (v) => r.top + (y1 - v) / (y1 - y0) * r.height;
        return {x: px(x), y: py(y), tx: px(-5), ty: py(-2), xr: [x0, x1]}; }""")
    watch.page.mouse.move(handle["x"], handle["y"])
    watch.page.mouse.down()
    watch.page.mouse.move(handle["tx"], handle["ty"], steps=8)
    watch.page.mouse.up()
    watch.settle()
    start = state(watch)["start"]
    assert start[0] == pytest.approx(-5, abs=0.2) and start[1] == pytest.approx(-2, abs=0.2)
    layout_range = watch.page.evaluate("() => document.getElementById('plot')._fullLayout.xaxis.range")
    assert layout_range == pytest.approx(handle["xr"])  # the drag did not zoom


def test_play_advances_and_scrubber_seeks(open_page):
    watch = open_page()
    watch.page.fill("#scrubber", "0")
    watch.page.locator("#scrubber").dispatch_event("input")
    assert watch.page.evaluate("() => window.optviz.frame") == 0
    watch.page.click("#play")
    # Bounded waits, not fixed sleeps: on a loaded machine frames come slower, never wrongly.
    watch.page.wait_for_function("() => window.optviz.frame > 5", timeout=10000)
    frame = watch.page.evaluate("() => window.optviz.frame")
    assert 5 < frame < 300
    watch.page.click("#play")  # pause
    paused = watch.page.evaluate("() => window.optviz.frame")
    watch.page.wait_for_timeout(300)
    assert watch.page.evaluate("() => window.optviz.frame") == paused
    # Frames are drawn in place and handed to plotly once the plot is still (figures.js): its
    # data, which watch.path reads, is the frame's once the page has settled.
    watch.settle()
    assert len(watch.path("Adam")) == paused + 1  # the contour shows the path up to the frame
    loss = next(t for t in watch.traces("loss-chart") if t["name"] == "Adam")
    assert len(loss["x"]) == paused + 1  # and the loss chart follows the same frame
    watch.page.fill("#scrubber", "42")
    watch.page.locator("#scrubber").dispatch_event("input")
    watch.settle()
    assert len(watch.path("Adam")) == 43 and "step 42" in watch.page.inner_text("#frame-out")
    assert "Step 42" in watch.page.inner_text("#inspector")
    watch.page.keyboard.press("ArrowRight")  # the focused scrubber takes its own arrow key
    assert watch.page.evaluate("() => window.optviz.frame") == 43
    watch.page.evaluate("() => document.activeElement.blur()")
    watch.page.keyboard.press("ArrowRight")  # the page's shortcut, with no control focused
    assert watch.page.evaluate("() => window.optviz.frame") == 44
    watch.page.keyboard.press("r")
    assert watch.page.evaluate("() => window.optviz.frame") == 0
    watch.page.keyboard.press(" ")
    watch.page.wait_for_function("() => window.optviz.frame > 0", timeout=10000)


def download(watch, kind):
    with watch.page.expect_download() as info:
        watch.page.click(f"[data-export={kind}]")
    path = info.value.path()
    with open(path, "rb") as handle:
        return info.value.suggested_filename, handle.read()


def test_every_export_downloads_a_valid_file(open_page):
    watch = open_page()
    name, png = download(watch, "png")
    assert name.endswith(".png") and png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20000
    width = int.from_bytes(png[16:20], "big")
    assert width >= 2 * watch.page.evaluate("() => document.getElementById('plot').clientWidth") - 2  # slide resolution
    name, svg = download(watch, "svg")
    assert name.endswith(".svg") and b"<svg" in svg[:500] and svg.rstrip().endswith(b"</svg>")
    name, raw = download(watch, "csv")
    rows = list(csv.DictReader(io.StringIO(raw.decode())))
    assert {"Adam", "SGD", "Momentum"} == {row["label"] for row in rows}
    kappa, (x, y) = watch.page.evaluate("() => [window.optviz.surface.parameters.find(p => p.name === 'condition')"
                                        ".default, window.optviz.start()]")
    assert float(rows[0]["x"]) == x and float(rows[0]["loss"]) == pytest.approx(0.5 * (x * x + kappa * y * y))
    name, raw = download(watch, "json")
    data = json.loads(raw)
    assert data["scene"]["surface"] == "canyon" and len(data["runs"]) == 3 and data["runs"][0]["points"]
    name, raw = download(watch, "html")
    html = raw.decode()
    assert name.endswith(".html") and "Plotly.addFrames" in html and "var frames = [" in html
    assert "cdn" not in html.split("var figure")[1].lower()  # the page carries plotly itself


def test_copied_link_restores_the_scene(open_page):
    watch = open_page()
    watch.page.select_option("#surface", "himmelblau")
    watch.settle()
    watch.page.check("#opt-rmsprop")
    watch.settle()
    watch.page.click("#run-group summary")
    watch.page.locator("#seed").fill("7")
    watch.page.locator("#seed").dispatch_event("change")
    watch.page.locator("#noise").fill("0.3")
    watch.page.locator("#noise").dispatch_event("input")
    watch.settle()
    watch.page.click("#schedule-group summary")
    watch.page.select_option("#schedule", "step")
    watch.settle()
    watch.page.click("#view-3d")
    watch.page.click("#copy-link")
    link = watch.page.input_value("#link-output")
    before = state(watch)
    paths_before = {run: watch.page.evaluate(f"() => window.optviz.results['{run}'].points")
                    for run in ("sgd", "rmsprop")}
    restored = open_page(link[link.index("/?") + 1:])
    after = state(restored)
    for key in ("surface", "start", "steps", "noise", "seed", "schedule", "enabled", "view"):
        assert after[key] == before[key], key
    assert after["view"] == "3d" and after["schedule"]["name"] == "step"
    for run, points in paths_before.items():
        assert restored.page.evaluate(f"() => window.optviz.results['{run}'].points") == points


def test_huge_lr_shows_diverged_instead_of_breaking(open_page):
    watch = open_page()
    type_learning_rate(watch, "sgd", "50")
    names = [t["name"] for t in watch.traces() if t["name"]]
    assert any(n.startswith("SGD — diverged at step") for n in names)
    assert "diverged at step" in watch.page.inner_text("[data-status=sgd]")
    assert "diverged at step" in watch.page.inner_text("#inspector")
    assert watch.path("Adam") and watch.errors == []
    assert watch.page.is_hidden("#banner")


def test_rejected_request_shows_a_readable_message(open_page):
    watch = open_page()
    watch.page.evaluate("() => { window.optviz.state.steps = 999999; window.optviz.refresh(); }")
    watch.page.wait_for_selector("#banner:not([hidden])")
    assert "steps" in watch.page.inner_text("#banner") and "5000" in watch.page.inner_text("#banner")
    assert watch.path("Adam")  # the old paths stay on screen


def test_presenter_and_student_link(open_page):
    watch = open_page()
    thin = next(t for t in watch.page.evaluate("() => document.getElementById('plot').data")
                if (t.get("name") or "").startswith("Adam"))
    watch.page.click("#toggle-present")
    watch.settle()
    thick = next(t for t in watch.page.evaluate("() => document.getElementById('plot').data")
                 if (t.get("name") or "").startswith("Adam"))
    assert thick["line"]["width"] > thin["line"]["width"]
    assert watch.page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)") >= 20
    watch.page.click("#student-link")
    link = watch.page.input_value("#link-output")
    assert "present=1" in link and "controls=0" in link
    student = open_page(link[link.index("/?") + 1:])
    assert student.page.is_hidden("#controls")
    assert student.path("Adam")


def test_learning_rate_sweep(open_page):
    watch = open_page()
    watch.page.click("#sweep-group summary")
    watch.page.select_option("#sweep-optimizer", "sgd")
    watch.settle()
    watch.page.check("#sweep-on")
    watch.settle()
    names = [t["name"] for t in watch.traces() if t["type"] == "scatter" and (t["name"] or "").startswith("SGD η=")]
    assert len(names) == 3
    assert any("diverged" in n for n in names)  # the "too large" one
    colours = watch.page.evaluate("() => document.getElementById('plot').data.filter(t => (t.name || '')"
                                  ".startsWith('SGD η=')).map(t => t.line.color)")
    assert len(set(colours)) == 3


def test_frame_in_the_link_is_restored_and_the_contour_survives_scrubbing(open_page):
    watch = open_page("?surface=canyon&frame=12")
    assert watch.page.evaluate("() => window.optviz.frame") == 12
    assert len(watch.path("Adam")) == 13
    for frame in ("30", "31", "150"):
        watch.page.fill("#scrubber", frame)
        watch.page.locator("#scrubber").dispatch_event("input")
    watch.settle()
    assert watch.page.locator("#plot-back .contourlayer path").count() > 10
    # Gradient and step arrows at the current frame, drawn as each run's two arrow traces (plots.js).
    arrows = watch.page.evaluate("() => document.getElementById('plot').data.filter((t) => t.legendgroup === 'adam'"
                                 " && ['−∇f direction', 'step'].includes(t.name)).map((t) => [t.name, t.x, t.y])")
    results = watch.page.evaluate("() => window.optviz.results.adam")
    (x, y), (nx, ny), (gx, gy) = results["points"][150], results["points"][151], results["grad"][150]
    direction, step = arrows
    assert direction[0] == "−∇f direction" and step[0] == "step"
    # The step arrow runs from this step's point to the next; the thin one along −∇f.
    assert (step[1][0], step[2][0], step[1][1], step[2][1]) == pytest.approx((x, y, nx, ny))
    shaft = (direction[1][1] - x, direction[2][1] - y)
    assert shaft[0] * gy - shaft[1] * gx == pytest.approx(0, abs=1e-9) and shaft[0] * gx + shaft[1] * gy < 0
    # Not drawn once |∇f| is under 1/1000 of its start (the hint says so): a run settling on a
    # minimum showed a full-length arrow of a vanishing gradient's direction.
    norms = [math.hypot(*g) for g in results["grad"]]
    vanished = next(k for k, norm in enumerate(norms) if norm < 1e-3 * norms[0])
    assert norms[vanished - 1] >= 1e-3 * norms[0]
    direction_at = ("(k) => { window.optviz.seek(k); return window.optviz.rendered.then(() => document.getElementById('plot')"
                    ".data.find((t) => t.legendgroup === 'adam' && t.name === '−∇f direction').x.length); }")
    assert watch.page.evaluate(direction_at, vanished - 1) > 0
    assert watch.page.evaluate(direction_at, vanished) == 0
    assert "hidden once |∇f| is under 1/1000 of its start" in watch.page.locator("#inspector > .hint").inner_text()
