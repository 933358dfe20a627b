"""The contour fills the whole plot area. Drawn at equal aspect in a box whose aspect is not the
domain's, the plot shows more than the domain along one axis: the axes take the whole box (no
white band beside a square plateau at 1080p) and the grid the page asks for covers that view, so
every corner of the plot area is painted, on the page and in the exported image."""
import re

import pytest

from .pixels import DECODED, PAINTED, png_url
from .shots import shot

pytestmark = pytest.mark.browser

# Pixels of the back (contour) layer at the corners of the area the plot box
# leaves inside its margins, 3 px in; and where plotly drew the axes' area.
CORNERS = """async () => {
""" + PAINTED + """
  const plot = document.getElementById('plot');
  const back = document.getElementById('plot-back');
  const m = plot.layout.margin;
  const [W, H] = [plot.clientWidth, plot.clientHeight];
  const {paint} = await painted(back);
  const [l, t, r, b] = [m.l + 3, m.t + 3, W - m.r - 4, H - m.b - 4];
  const spots = [[l, t], [r, t], [l, b], [r, b]];
  const area = plot.querySelector('.nsewdrag').getBoundingClientRect();
  const contour = back.querySelector('.contourlayer').getBoundingClientRect();
  return {room: {width: W - m.l - m.r, height: H - m.t - m.b}, area: {width: area.width, height: area.height},
          contour: {width: contour.width, height: contour.height},
          pixels: spots.map(([x, y]) => [x, y, ...paint.getImageData(Math.round(x), Math.round(y), 1, 1).data.slice(0, 3)]),
          ranges: [plot.layout.xaxis.range, plot.layout.yaxis.range], domain: window.optviz.surface.domain};
}"""


def blank(pixel):
    return all(channel >= 250 for channel in pixel[2:])


def check_filled(m, where):
    assert m["area"]["width"] == pytest.approx(m["room"]["width"], abs=2), (where, m)
    assert m["area"]["height"] == pytest.approx(m["room"]["height"], abs=2), (where, m)
    assert [p for p in m["pixels"] if blank(p)] == [], (where, m["pixels"])
    # the contour's drawing spans the whole area (and no more), not the domain's part of it
    assert m["contour"]["width"] == pytest.approx(m["area"]["width"], abs=1.5), (where, m)
    assert m["contour"]["height"] == pytest.approx(m["area"]["height"], abs=1.5), (where, m)
    (x0, x1), (y0, y1) = m["ranges"]
    (dx0, dx1), (dy0, dy1) = m["domain"]
    assert x0 <= dx0 + 1e-9 and x1 >= dx1 - 1e-9 and y0 <= dy0 + 1e-9 and y1 >= dy1 - 1e-9, (where, m)
    ratio = (m["area"]["width"] / (x1 - x0)) / (m["area"]["height"] / (y1 - y0))
    assert ratio == pytest.approx(1, abs=0.02), (where, m)


@pytest.mark.parametrize("query", ["?surface=plateau", "?surface=saddle&present=1&controls=0"])
def test_the_contour_covers_the_whole_plot_area_at_1080p(open_page, query):
    watch = open_page(query, viewport=(1920, 1080))
    check_filled(watch.page.evaluate(CORNERS), query)
    watch.page.screenshot(path=shot(f"fit/contour_fill_{query[9:].replace('&', '_')}_1920.png"))
    assert watch.errors == []


def test_the_contour_follows_the_box_when_the_layout_changes(open_page):
    watch = open_page("?surface=plateau", viewport=(1920, 1080))
    page = watch.page
    for button in ("#toggle-present", "#toggle-controls"):
        page.click(button)
        # the grid for the new view is asked for after the resize settles (debounced)
        page.wait_for_function("() => { const p = document.getElementById('plot'); const svg = p.querySelector('.main-svg');"
                               " return svg && Math.abs(svg.getBoundingClientRect().width - p.clientWidth) < 3; }")
        page.wait_for_timeout(800)
        watch.settle()
        check_filled(page.evaluate(CORNERS), button)
    assert watch.errors == []


# The exported PNG, decoded in the page; the plot area's rectangle is read from the SVG export of
# the same figure at the same size (plotly's clip paths of the xy subplot and of its axes).
PNG_PIXELS = "async ([url, spots]) => { " + DECODED + """
  const { paint } = await decoded(url);
  return spots.map(([x, y]) => [x, y, ...paint.getImageData(x, y, 1, 1).data.slice(0, 3)]);
}"""


def export(watch, kind):
    with watch.page.expect_download(timeout=120000) as info:
        watch.page.click(f"[data-export={kind}]")
    with open(info.value.path(), "rb") as handle:
        return handle.read()


def test_the_exported_image_has_a_filled_contour(open_page):
    watch = open_page("?surface=plateau", viewport=(1920, 1080))
    svg = export(watch, "svg").decode("utf-8")
    png = export(watch, "png")
    w, h = (float(v) for v in re.search(r'xyplot" class="plotclip"><rect width="([\d.]+)" height="([\d.]+)"', svg).groups())
    x = float(re.search(r'class="axesclip" id="clip\w+x"><rect x="([\d.]+)"', svg).group(1))
    y = float(re.search(r'class="axesclip" id="clip\w+y"><rect x="[\d.]+" y="([\d.]+)"', svg).group(1))
    scale = int.from_bytes(png[16:20], "big") / float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    inset = 4
    spots = [[round((x + dx) * scale), round((y + dy) * scale)] for dx in (inset, w - inset) for dy in (inset, h - inset)]
    pixels = watch.page.evaluate(PNG_PIXELS, [png_url(png), spots])
    assert [p for p in pixels if blank(p)] == [], ((x, y, w, h), pixels)
    # and the plot area starts at the left margin: no white band beside a shrunk area
    assert x == pytest.approx(watch.page.evaluate("() => document.getElementById('plot').layout.margin.l"), abs=1)
