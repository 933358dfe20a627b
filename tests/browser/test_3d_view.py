"""The 3D view opens, draws the surface and every path, and the paths keep their colours: the
surface does not grey them out. Measured as the pixels of each path's hue (saturated, within 15
degrees) with the surface drawn, against the same scene with the surface made transparent (same
axes, same camera)."""
import pytest

from .pixels import PAINTED

pytestmark = pytest.mark.browser

HUE_PIXELS = """async (colours) => {
""" + PAINTED + """
  const plot = document.getElementById('plot');
  const {paint, canvas, url} = await painted(plot);
  const px = paint.getImageData(0, 0, canvas.width, canvas.height).data;
  const rgb = colours.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
  const counts = rgb.map(() => 0);
  let nonwhite = 0;
  for (let i = 0; i < px.length; i += 4) {
    if (px[i] < 240 || px[i+1] < 240 || px[i+2] < 240) nonwhite++;
    const [r, g, b] = [px[i], px[i + 1], px[i + 2]];
    const max = Math.max(r, g, b), min = Math.min(r, g, b);
    if (max === 0 || (max - min) / max < 0.5) continue;
    const hue = (c) => { const [r, g, b] = c, mx = Math.max(r, g, b), mn = Math.min(r, g, b), d = mx - mn;
      const h = mx === r ? ((g - b) / d) % 6 : mx === g ? (b - r) / d + 2 : (r - g) / d + 4; return (h * 60 + 360) % 360; };
    const h = hue([r, g, b]);
    rgb.forEach((c, k) => { if (Math.max(...c) - Math.min(...c) > 0 && Math.min(Math.abs(h - hue(c)), 360 - Math.abs(h - hue(c))) < 15) counts[k]++; });
  }
  return {counts, nonwhite, total: px.length / 4, url: url.slice(0, 30)};
}"""


def test_the_3d_view_draws_the_surface_and_coloured_paths(open_page):
    watch = open_page("?surface=quadratic&view=3d&steps=60&run=sgd&run=momentum&run=adam", viewport=(1280, 800))
    page = watch.page
    page.wait_for_selector("#plot .gl-container canvas")
    traces = page.evaluate("() => document.getElementById('plot').data.map(t => [t.type, t.mode || '', (t.x || []).length])")
    assert traces[0][0] == "surface" and traces[0][2] > 50
    lines = [t for t in traces if t[0] == "scatter3d" and t[1] == "lines"]
    assert len(lines) == 3 and all(n > 10 for _, _, n in lines)
    colours = [c for c in page.evaluate("() => window.optviz.runs().map(r => r.colour)") if c != "#000000"]
    with_surface = page.evaluate(HUE_PIXELS, colours)["counts"]
    page.evaluate("() => Plotly.restyle('plot', {opacity: 0.001}, [0])")
    page.wait_for_timeout(300)
    without = page.evaluate(HUE_PIXELS, colours)["counts"]
    for colour, shown, bare in zip(colours, with_surface, without):
        assert bare > 200, colour
        assert shown >= 0.85 * bare, (colour, shown, bare)
    assert watch.errors == []
