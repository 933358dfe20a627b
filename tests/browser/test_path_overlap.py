"""A path that a later path covers is drawn wider beneath it, and stays beneath it.

The lesson walkthrough saw one path where four lessons speak of two: Newton's jump along the ridge
SGD walks down (saddle), RMSProp under Adam (plateau), AdaGrad under RMSProp, Adam under AMSGrad
under NAdam. Two causes: coincident paths at one width (the upper hides the lower), and
Plotly.animate leaving the animated traces' groups at the end of their layer, so a path meant to be
drawn under another came out on top of it."""
import pytest

from .pixels import DECODED, png_url

pytestmark = pytest.mark.browser

# The pixels of a PNG (a screenshot: what is on screen, plotly's layer order included), decoded by the page.
PIXELS = "async (url) => { " + DECODED + """
  const { paint, canvas } = await decoded(url);
  return Array.from(paint.getImageData(0, 0, canvas.width, canvas.height).data);
}"""

DEPTHS = """async (cases) => {
  const { coverDepths } = await import('/static/js/overlap.js');
  return cases.map((paths) => coverDepths(paths, 10));
}"""


def line(x0, y0, x1, y1, n=100):
    return [[x0 + (x1 - x0) * k / (n - 1), y0 + (y1 - y0) * k / (n - 1)] for k in range(n)]


def test_a_path_counts_the_later_paths_that_cover_it(open_page):
    watch = open_page("?surface=canyon")
    far = [[1e300, 0], [float("inf"), 1]]  # a diverged run's points: skipped, not an error
    cases = [
        [line(0, 0, 10, 0), line(0, 5, 10, 5)],                       # apart
        [line(0, 0, 10, 0), line(0, 0, 10, 0, n=7)],                  # the same road, fewer points
        [line(0, 0, 10, 0), line(0, 0, 10, 0), line(0, 0, 10, 0)],    # three on one road
        [line(0, 0, 10, 0), line(0, 0.03, 7, 0.03, n=3)],             # 70 % of it, under a line's width off
        [line(0, 0, 10, 0), line(0, 0, 1, 0)],                        # a tenth of it
        [line(0, 0, 10, 0), None, far, line(0, 0, 10, 0)],            # gaps and nonsense in between
    ]
    got = watch.page.evaluate(DEPTHS, cases)
    assert got == [[0, 0], [1, 0], [2, 1, 0], [1, 0], [0, 0], [1, 0, 0, 0]]
    assert watch.errors == []


SCREEN = """() => {
  const plot = document.getElementById('plot');
  const box = plot.getBoundingClientRect();
  const layout = plot._fullLayout;
  const px = (x, y) => [box.left + layout._size.l + layout.xaxis.l2p(x), box.top + layout._size.t + layout.yaxis.l2p(y)];
  const lines = plot.data.filter((t) => t.mode && t.mode.startsWith('lines') && t.name && !t.name.startsWith('−') && t.name !== 'step');
  const order = Array.from(plot.querySelectorAll('.scatterlayer > .trace')).map((g) => g.__data__[0].trace.index);
  return {ridge: [px(0, 1.3), px(0, 0.5)], widths: Object.fromEntries(lines.map((t) => [t.name.split(' ')[0], t.line.width])),
          indices: Object.fromEntries(lines.map((t) => [t.name.split(' ')[0], plot.data.indexOf(t)])), order};
}"""


def test_newtons_jump_shows_inside_sgd_on_the_saddle_lesson_after_playing(open_page):
    watch = open_page("?lesson=saddle&present=1", viewport=(1024, 768))
    page = watch.page
    watch.settle()
    # The lesson plays on its own; let it run to the end (Plotly.animate at every frame).
    page.wait_for_function("() => document.getElementById('frame-out').textContent.includes('160 / 160')", timeout=60000)
    page.wait_for_timeout(600)  # past the in-place writes' hand-over to plotly
    screen = page.evaluate(SCREEN)
    assert screen["widths"]["SGD"] > 1.5 * screen["widths"]["Newton's"]
    # in the layer, Newton's path comes after SGD's (drawn over it)
    assert screen["order"].index(screen["indices"]["Newton's"]) > screen["order"].index(screen["indices"]["SGD"])
    (x0, y0), (_, y1) = screen["ridge"]
    png = page.screenshot(clip={"x": x0 - 15, "y": y0, "width": 30, "height": y1 - y0})
    rgba = page.evaluate(PIXELS, png_url(png))
    pixels = [tuple(rgba[k:k + 3]) for k in range(0, len(rgba), 4)]
    green = sum(1 for r, g, b in pixels if g > 90 and r < 110 and b < 60 and g - r > 30)    # Newton #4b7800
    black = sum(1 for r, g, b in pixels if r < 40 and g < 40 and b < 40)                   # SGD #000000
    assert green > 40 and black > 100, (green, black)
    assert watch.errors == []


def test_widths_follow_the_cover_as_a_slider_moves(open_page):
    """Moving Adam's rate changes which paths it covers; each path's drawn width follows at once
    (in place) and plotly's own data agrees once the plot is still."""
    from .test_redraw import move_slider
    watch = open_page("?surface=rosenbrock&steps=400&run=sgd&run=momentum&run=adam")
    seen = set()
    for value in (231, 568, 160, 568):  # Adam at lr ≈ 0.0033, 0.046, 0.0019 (its slider spans 0.0269 ÷× 50)
        move_slider(watch, "adam-lr", value)
        watch.settle()
        widths = watch.page.evaluate("""() => {
          const gd = document.getElementById('plot');
          return gd.data.map((t, i) => [t.mode, t.line && t.line.width, gd._fullData[i].uid]).filter((t) => t[0] === 'lines')
            .map(([, width, uid]) => [width, parseFloat(gd.querySelector(`.scatterlayer .trace${uid} path.js-line`)?.style.strokeWidth)]);
        }""")
        drawn_paths = [(data, drawn) for data, drawn in widths if data is not None and drawn == drawn]  # NaN: no path drawn
        assert len(drawn_paths) >= 3 and all(abs(data - drawn) < 1e-6 for data, drawn in drawn_paths), (value, widths)
        seen.add(tuple(data for data, _ in widths[:3]))
    assert len(seen) >= 2  # the cover did change along the way
    assert watch.errors == []


def test_sgds_zig_zags_in_the_canyon_are_not_widened_in_presenter_mode(open_page):
    """Momentum's first strokes across the canyon lie beside SGD's (both start the same way), so
    the old measure (1.2 % of the span, 30 % of the length) counted SGD as covered and drew it
    wider: at presenter width the first 30 zig-zags that lesson 7 asks the class to count merged
    into one black wedge (a new lecturer, 1024x768). Neither run is under the other."""
    watch = open_page("?lesson=canyon-momentum&present=1", viewport=(1024, 768))
    widths = watch.page.evaluate("""() => Object.fromEntries(document.getElementById('plot').data
      .filter((t) => t.mode === 'lines' && t.name && /^(SGD|Momentum)/.test(t.name)).map((t) => [t.name.split(' ')[0], t.line.width]))""")
    assert widths["SGD"] == widths["Momentum"], widths
    assert watch.errors == []
