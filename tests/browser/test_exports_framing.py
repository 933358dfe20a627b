"""An export shows what the lecturer framed on screen. The exports used to compute their own
equal-aspect view of the surface's domain for their own size: the canyon, shown on a wide screen
as x -13..13, y -5..5, came out of the PNG as x -10..10, y -8..8 (paths cut, and shrunk).

Now each export shows the screen's x and y ranges, at equal aspect, widened about their centre
along one axis only by what the export's plot area's aspect asks for. The expected view is worked
out here from the sizes (not read back from the code that makes it)."""
import struct

import pytest

from tests.browser.export_helpers import open_offline
from tests.browser.test_exports import gif_frames

pytestmark = pytest.mark.browser

# 1920x1080: the plot box is much wider than the canyon's 2:1 domain, so the screen shows more
# x than the domain (an export framed from the domain alone cannot contain it).
SCENE = "?surface=canyon&steps=20&run=sgd&run=momentum"
VIEWPORT = (1920, 1080)


def framed(screen, width, height):
    """The smallest view holding `screen` at equal aspect in a width x height plot area, widened
    symmetrically about the screen's centre."""
    (x0, x1), (y0, y1) = screen
    per_unit = min(width / (x1 - x0), height / (y1 - y0))
    cx, cy, hx, hy = (x0 + x1) / 2, (y0 + y1) / 2, width / per_unit / 2, height / per_unit / 2
    return [[cx - hx, cx + hx], [cy - hy, cy + hy]]


def assert_frames_the_screen(view, screen, width, height, what):
    expected = framed(screen, width, height)
    for axis in (0, 1):
        span = screen[axis][1] - screen[axis][0]
        lo, hi = view[axis]
        # contains the screen's range ...
        assert lo <= screen[axis][0] + 1e-6 * span and hi >= screen[axis][1] - 1e-6 * span, (what, axis, view, screen)
        # ... and exceeds it only by the aspect's padding, on both sides alike (1 % of a span: pixel rounding)
        assert lo == pytest.approx(expected[axis][0], abs=0.01 * span), (what, axis, view, expected)
        assert hi == pytest.approx(expected[axis][1], abs=0.01 * span), (what, axis, view, expected)
    # equal aspect: as many pixels per unit in x as in y
    per_x = width / (view[0][1] - view[0][0])
    per_y = height / (view[1][1] - view[1][0])
    assert per_x / per_y == pytest.approx(1, abs=0.02), (what, per_x, per_y)


def screen_view(page):
    """The x and y ranges plotly shows on screen."""
    return page.evaluate("() => { const l = document.getElementById('plot')._fullLayout;"
                         " return [l.xaxis.range.slice(), l.yaxis.range.slice()]; }")


def screen_area(page):
    """The width and height in pixels of the plot area on screen."""
    return page.evaluate("() => { const s = document.getElementById('plot')._fullLayout._size; return [s.w, s.h]; }")


RECORD = """(method) => {
    window.exported = [];
    const original = window.Plotly[method];
    window.Plotly[method] = function (figure, options) {
        const l = figure.layout;
        window.exported.push({ x: l.xaxis.range.slice(), y: l.yaxis.range.slice(), margin: l.margin,
                               width: options.width, height: options.height, scale: options.scale || 1,
                               axes: l.xaxis.visible !== false });
        return original.apply(this, arguments);
    };
}"""


def plot_area(record):
    margin = record["margin"]
    return record["width"] - margin["l"] - margin["r"], record["height"] - margin["t"] - margin["b"]


# The page's own plot box at these sizes is taller than the domain's 2:1 (y shown beyond the
# domain's -5..5); the image's legend used to take its room from the plot area, so the PNG was
# taller still and showed y -8..8.
@pytest.mark.parametrize("query,viewport", [("", (1920, 1080)), ("&present=1", (1024, 768))], ids=["1920", "1024-present"])
def test_png_is_an_image_of_the_screen_view(open_page, query, viewport):
    watch = open_page(SCENE + query, viewport=viewport)
    screen = screen_view(watch.page)
    width, height = screen_area(watch.page)
    watch.page.evaluate(RECORD, "downloadImage")
    with watch.page.expect_download(timeout=60000) as info:
        watch.page.click("[data-export=png]")
    png = open(info.value.path(), "rb").read()
    [record] = watch.page.evaluate("() => window.exported")
    # the recorded figure is the one in the file: its size at scale 2
    assert struct.unpack(">II", png[16:24]) == (record["width"] * record["scale"], record["height"] * record["scale"])
    assert_frames_the_screen([record["x"], record["y"]], screen, *plot_area(record), "png")
    # An image of the plot: its plot area has the screen's proportions, so there is no padding at
    # all (a legend beside it makes the image wider, not the view taller).
    area = plot_area(record)
    assert area[0] / area[1] == pytest.approx(width / height, rel=0.02)
    assert watch.errors == []


def test_gif_shows_the_screen_view(open_page):
    watch = open_page(SCENE, viewport=VIEWPORT)
    screen = screen_view(watch.page)
    watch.page.evaluate(RECORD, "toImage")
    with watch.page.expect_download(timeout=120000) as info:
        watch.page.click("[data-export=gif]")
    width, height, frames = gif_frames(open(info.value.path(), "rb").read())
    records = watch.page.evaluate("() => window.exported")
    assert frames == 21 and width >= 1280
    # every layer of every frame (the contour once, the paths per frame) at the same view, the GIF's size
    assert len({(tuple(r["x"]), tuple(r["y"]), r["width"], r["height"]) for r in records}) == 1
    assert (records[0]["width"], records[0]["height"]) == (width, height)
    assert_frames_the_screen([records[0]["x"], records[0]["y"]], screen, *plot_area(records[0]), "gif")
    assert watch.errors == []


@pytest.mark.parametrize("window", [(1280, 800), (1024, 768)], ids=["1280x800", "1024x768"])
def test_html_shows_the_screen_view_in_any_window(open_page, browser, tmp_path, window):
    # Controls hidden at 1920x1080: the plot box is wider than the domain, x -12.6..12.6 on screen.
    watch = open_page(SCENE + "&controls=0", viewport=VIEWPORT)
    screen = screen_view(watch.page)
    assert screen[0][1] - screen[0][0] > 21
    with watch.page.expect_download(timeout=60000) as info:
        watch.page.click("[data-export=html]")
    path = tmp_path / "scene.html"
    path.write_bytes(open(info.value.path(), "rb").read())
    context, page, refused, errors = open_offline(browser, path, viewport=window)
    shown = page.evaluate("""() => ['plot', 'back'].map((id) => {
        const l = document.getElementById(id)._fullLayout;
        return { x: l.xaxis.range.slice(), y: l.yaxis.range.slice(), w: l.xaxis._length, h: l.yaxis._length }; })""")
    front, back = shown
    assert_frames_the_screen([front["x"], front["y"]], screen, front["w"], front["h"], "html")
    # the contour layer below shows the same view in the same area
    assert back["x"] == pytest.approx(front["x"]) and back["y"] == pytest.approx(front["y"])
    assert (back["w"], back["h"]) == (front["w"], front["h"])
    assert refused == [] and errors == []
    context.close()
