"""The contour's colours read on a projector for every surface: no dark fills (a black path and
the level lines stay visible on each, contrast >= 10:1), a visible range of fills, and log-scaled
levels where the surface spans decades (half its grid within 5 % of the range above the minimum,
measured here from the grid the API serves)."""
import json
import urllib.request

import pytest

from .pixels import PAINTED

pytestmark = pytest.mark.browser

LUMINANCE = """async () => {
""" + PAINTED + """
  const back = document.getElementById('plot-back');
  const {paint, canvas, url} = await painted(back);
  const area = back.querySelector('.contourlayer').getBoundingClientRect();
  const origin = back.getBoundingClientRect();
  const pixels = paint.getImageData(Math.ceil(area.left - origin.left) + 2, Math.ceil(area.top - origin.top) + 2,
                                    Math.floor(area.width) - 4, Math.floor(area.height) - 4).data;
  const linear = (c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const values = [];
  for (let i = 0; i < pixels.length; i += 4 * 7) {
    values.push(0.2126 * linear(pixels[i]) + 0.7152 * linear(pixels[i + 1]) + 0.0722 * linear(pixels[i + 2]));
  }
  values.sort((a, b) => a - b);
  const [low, high] = [values[0], values[values.length - 1]];
  return {p5: values[Math.floor(values.length * 0.05)], low, high};
}"""


def surface_names(server_url):
    with urllib.request.urlopen(f"{server_url}/api/surfaces", timeout=10) as response:
        return [s["name"] for s in json.loads(response.read())]


def spans_decades(server_url, name):
    with urllib.request.urlopen(f"{server_url}/api/surfaces/{name}/grid?resolution=160", timeout=30) as response:
        grid = json.loads(response.read())
    gaps = sorted(z - grid["z_min"] for row in grid["z"] for z in row)
    return gaps[len(gaps) // 2] < 0.05 * (grid["z_max"] - grid["z_min"])


def test_every_surface_reads_on_a_projector(open_page, server_url):
    watch = open_page(viewport=(1280, 720))
    failures = []
    for name in surface_names(server_url):
        watch.page.select_option("#surface", name)
        watch.settle()
        m = watch.page.evaluate(LUMINANCE)
        logged = watch.page.evaluate("() => window.optviz.grid.transform.label.startsWith('log')")
        if m["p5"] < 0.45 or m["high"] - m["low"] < 0.2 or (spans_decades(server_url, name) and not logged):
            failures.append((name, m, logged))
    assert failures == []
