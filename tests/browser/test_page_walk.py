"""A lecturer's walk through the paths tab raises no page error: switching surfaces, opening
lessons, dragging sliders and the scrubber, presenter mode and the controls toggled, the tabs,
the 3D view and playing. The walkthrough saw two uncaught "undefined" errors: plotly rejects an
animation (with no reason) that a newer one replaces before it is drawn, which four redraws of
a sweep within one frame (a scrubber dragged fast) did; nothing caught it."""
import pytest

from .test_lessons import wait_lesson

pytestmark = pytest.mark.browser

# The scrubber dragged fast: several input events before the browser draws a frame.
FAST_SCRUB = """(values) => { const s = document.getElementById('scrubber');
  for (const v of values) { s.value = String(v); s.dispatchEvent(new Event('input', {bubbles: true})); } }"""


def drag(page, selector, pixels):
    box = page.locator(selector).first.bounding_box()
    assert box and box["width"] > 0, selector
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 4, y)
    page.mouse.down()
    for i in range(1, 12):
        page.mouse.move(box["x"] + 4 + i * pixels / 11, y)
    page.mouse.up()


def test_a_sweep_scrubbed_fast_raises_no_page_error(open_page):
    watch = open_page("?surface=quadratic&start=-2.5,2&steps=60&sweep=sgd;0.02|0.2|0.52", viewport=(1024, 768))
    page = watch.page
    page.evaluate(FAST_SCRUB, [5, 6, 7, 8])
    watch.settle()
    page.wait_for_timeout(300)  # plotly's rejection is reported after its frame
    assert watch.errors == []
    # and the plot ends up with the last of them: every rate's path has 9 points
    paths = [t for t in watch.traces() if t["type"] == "scatter" and (t["name"] or "").startswith("SGD η")]
    assert len(paths) == 3 and all(len(t["x"]) == 9 for t in paths), [(t["name"], len(t["x"])) for t in paths]


def test_a_walk_through_the_paths_tab_raises_no_page_error(open_page):
    watch = open_page("", viewport=(1024, 768))
    page = watch.page
    for surface in ["rosenbrock", "canyon", "saddle", "quadratic"]:
        page.select_option("#surface", surface)
        page.wait_for_timeout(100)
    watch.settle()
    page.select_option("#lesson-menu", "learning-rate")
    wait_lesson(page, "learning-rate")
    page.wait_for_function("() => window.optviz.player.playing || window.optviz.frame > 0", timeout=20000)
    page.evaluate(FAST_SCRUB, [3, 9, 14, 20, 26])
    page.keyboard.press("PageDown")
    wait_lesson(page, "batch-gd")
    page.click("#lesson-panel button[aria-label^='Leave']")
    watch.settle()
    page.select_option("#surface", "canyon")
    watch.settle()
    drag(page, ".opt:not(.off) .slider-row input[type=range]", 60)
    page.click("#toggle-present")
    page.click("#toggle-controls")
    page.click("#play")
    page.evaluate(FAST_SCRUB, [10, 40, 70, 100])
    page.click("#toggle-controls")
    page.click("#tab-mlp")
    page.click("#tab-paths")
    page.click("#view-3d")
    watch.settle()
    page.click("#play")
    page.wait_for_timeout(400)
    page.click("#view-contour")
    page.click("#toggle-present")
    watch.settle()
    page.wait_for_timeout(300)
    assert watch.errors == []
