"""Exports spend their pixels and bytes on the plot.

- The GIF's and video's legend sat on the right of the 1280 px slide and took ~30 % of its width
  with 17 optimizers on (the plot got the rest). It now sits below the plot in rows: the plot area
  is the slide's width less the axes' margins, and the legend's rows fit between the x axis'
  title and the slide's bottom edge (drawn here again from the recorded figure and measured).
- The standalone HTML asked for a contour grid twice the screen's view along each axis (four times
  the area, ~2x the bytes and the server's time) for a page that widened its range to its window.
  It now shows the screen's view itself, at equal aspect in any window, over a grid that covers
  that view and no more than a grid step beyond it."""
import pytest

from tests.browser.export_helpers import MEASURE, gif_with_figures, html_export, open_offline
from tests.browser.test_path_dashes import all_runs

pytestmark = pytest.mark.browser


def test_the_slides_legend_sits_below_the_plot_and_leaves_it_the_width(open_page, server_url):
    watch = open_page(all_runs(server_url).replace("steps=40", "steps=6") + "&present=1", viewport=(1024, 768))
    front = gif_with_figures(watch)[1][0]
    width, height = front["width"], front["height"]
    assert width >= 1280
    shown = watch.page.evaluate(MEASURE, front)
    left, top, right, bottom = shown["area"]
    assert right - left >= 0.88 * width, shown  # was ~0.65 with the legend on the right
    assert len(shown["items"]) == 19  # 17 runs, the start and the global minimum: all in the legend
    l_left, l_top, l_right, l_bottom = shown["legend"]
    assert l_top >= max(bottom, shown["xtitle"][3]) - 1, shown  # below the x axis' title
    assert l_bottom <= height + 1 and l_left >= 0 and l_right <= width + 1, shown  # inside the slide
    assert l_bottom - l_top <= 0.25 * height, shown
    # equal aspect in the plot area
    per_x = (right - left) / (shown["x"][1] - shown["x"][0])
    per_y = (bottom - top) / (shown["y"][1] - shown["y"][0])
    assert per_x / per_y == pytest.approx(1, abs=0.02)
    assert watch.errors == []


def test_the_html_exports_grid_covers_the_view_it_shows_and_no_more(open_page, browser, server_url, tmp_path):
    watch = open_page("?surface=canyon&steps=20&run=sgd&run=momentum&controls=0", viewport=(1920, 1080))
    screen = watch.page.evaluate("() => { const l = document.getElementById('plot')._fullLayout;"
                                 " return [l.xaxis.range.slice(), l.yaxis.range.slice()]; }")
    path = html_export(watch, tmp_path)
    for window in [(1280, 800), (1024, 768), (800, 1000)]:
        context, page, refused, errors = open_offline(browser, path, viewport=window)
        shown = page.evaluate("""() => { const l = document.getElementById('plot')._fullLayout;
            const grid = document.getElementById('back').data[0];
            return { x: l.xaxis.range.slice(), y: l.yaxis.range.slice(), w: l.xaxis._length, h: l.yaxis._length,
                     gx: [grid.x[0], grid.x[grid.x.length - 1], grid.x[1] - grid.x[0]],
                     gy: [grid.y[0], grid.y[grid.y.length - 1], grid.y[1] - grid.y[0]] }; }""")
        for axis, grid in ((0, shown["gx"]), (1, shown["gy"])):
            view = shown["x" if axis == 0 else "y"]
            # the page shows the screen's view, whatever the window's shape ...
            assert view == pytest.approx(screen[axis], abs=1e-3 * (screen[axis][1] - screen[axis][0])), (window, axis)
            # ... over a grid that covers it, and reaches at most a grid step beyond it
            low, high, step = grid
            assert low <= view[0] + 1e-9 and high >= view[1] - 1e-9, (window, axis, grid, view)
            assert view[0] - low <= step + 1e-9 and high - view[1] <= step + 1e-9, (window, axis, grid, view)
        per_x = shown["w"] / (shown["x"][1] - shown["x"][0])
        per_y = shown["h"] / (shown["y"][1] - shown["y"][0])
        assert per_x / per_y == pytest.approx(1, abs=0.02), window
        assert refused == [] and errors == []
        context.close()
    assert watch.errors == []
