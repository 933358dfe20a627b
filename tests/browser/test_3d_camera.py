"""The 3D camera stays above the surface, and no tick sits where plotly draws an axis' title.

Turned under the surface (a drag, or a relayout), the lecturer saw the surface's underside and lost
the paths: the eye is put back at MIN_ELEVATION_DEGREES above the centre it looks at, at its own
distance and bearing. Plotly draws a 3D axis' title at its middle beside the ticks: a tick "0" at
the middle of a domain centred on 0 read with the title "x" as one word, "0x"; the middle stays
free of ticks (tested on the layout plotly drew: its labels are WebGL text)."""
import math

import pytest
from tests.browser.shots import shot

pytestmark = pytest.mark.browser

RULE = """async () => {
  const { keptAbove } = await import('/static/js/figures.js');
  return {
    below: keptAbove({ eye: { x: 1.6, y: 0, z: -1.2 }, center: { x: 0, y: 0, z: 0 } }),   // 2 away, 36.9° under
    level: keptAbove({ eye: { x: 0, y: -2, z: -0.15 }, center: { x: 0, y: 0, z: -0.15 } }),
    above: keptAbove({ eye: { x: -0.6, y: -1.1, z: 1.6 }, center: { x: 0, y: 0, z: -0.15 } }),
    straightDown: keptAbove({ eye: { x: 0, y: 0, z: -2 }, center: { x: 0, y: 0, z: 0 } }),
  };
}"""


def elevation(camera):
    eye, center = camera["eye"], camera.get("center") or {"x": 0, "y": 0, "z": 0}
    d = [eye[k] - center[k] for k in "xyz"]
    return math.degrees(math.asin(d[2] / math.hypot(*d))), math.atan2(d[1], d[0]), math.hypot(*d)


def test_the_rule_puts_an_eye_under_the_surface_back_above_it(open_page):
    watch = open_page("?surface=quadratic", viewport=(1024, 768))
    rule = watch.page.evaluate(RULE)
    assert rule["above"] is None
    s, c = math.sin(math.radians(12)), math.cos(math.radians(12))
    # by hand: at 12° over the centre, on the eye's bearing and at its distance (2)
    assert rule["below"] == pytest.approx({"x": 2 * c, "y": 0, "z": 2 * s})
    assert rule["level"] == pytest.approx({"x": 0, "y": -2 * c, "z": -0.15 + 2 * s})
    sd = rule["straightDown"]
    assert math.hypot(sd["x"], sd["y"]) == pytest.approx(2 * c) and sd["z"] == pytest.approx(2 * s)


CAMERA = "() => document.getElementById('plot')._fullLayout.scene.camera"
TURN = """async (eye) => {
  const figures = await import('/static/js/figures.js');
  const lib = await figures.plotlyFor({ data: [{ type: 'surface' }] });
  await lib.relayout('plot', { 'scene.camera.eye': eye });
}"""
# The lowest elevation (degrees) any camera plotly reported from here on had.
LOWEST = """() => { window.lowest = 90; document.getElementById('plot').on('plotly_relayout', (e) => {
  const c = e['scene.camera']; if (!c || !c.eye) return;
  const d = ['x', 'y', 'z'].map((k) => c.eye[k] - c.center[k]);
  window.lowest = Math.min(window.lowest, Math.asin(d[2] / Math.hypot(...d)) * 180 / Math.PI); }); }"""
ABOVE = f"() => {{ const c = ({CAMERA})(); const d = ['x', 'y', 'z'].map((k) => c.eye[k] - c.center[k]);" \
        " return Math.asin(d[2] / Math.hypot(...d)) >= (12 - 0.01) * Math.PI / 180; }"


@pytest.mark.parametrize("viewport", [(1024, 768), (1920, 1080)])
def test_the_camera_turned_under_the_surface_comes_back_above(open_page, viewport):
    watch = open_page("?surface=quadratic&view=3d&present=1&controls=0&run=sgd&run=adam", viewport=viewport)
    page = watch.page
    page.wait_for_selector("#plot .gl-container canvas")
    page.evaluate(TURN, {"x": 1.2, "y": -1.5, "z": -0.9})
    page.wait_for_function(ABOVE, timeout=10000)
    height, bearing, distance = elevation(page.evaluate(CAMERA))
    center = page.evaluate(CAMERA)["center"]
    wanted = [1.2 - center["x"], -1.5 - center["y"], -0.9 - center["z"]]
    assert height == pytest.approx(12, abs=0.05)
    assert bearing == pytest.approx(math.atan2(wanted[1], wanted[0]), abs=1e-6)
    assert distance == pytest.approx(math.hypot(*wanted), rel=1e-6)
    # a drag upward turns the camera under the surface: let go, it is above again
    box = page.locator("#plot").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.evaluate(TURN, {"x": -0.6, "y": -1.1, "z": 1.6})
    page.evaluate(LOWEST)
    page.mouse.move(cx, cy + 0.3 * box["height"])
    page.mouse.down()
    for i in range(1, 21):
        page.mouse.move(cx + 2 * i, cy + 0.3 * box["height"] - 0.35 * box["height"] * i / 20)
    page.mouse.up()
    page.wait_for_function(f"() => window.lowest < 0 && ({ABOVE})()", timeout=10000)  # it went under, and came back
    assert elevation(page.evaluate(CAMERA))[0] >= 11.99
    page.screenshot(path=shot(f"pathspage/test-3d-camera-{viewport[0]}.png"))
    assert watch.errors == []


TICKS = """() => { const scene = document.getElementById('plot')._fullLayout.scene;
  return ['xaxis', 'yaxis', 'zaxis'].map((a) => ({name: a, range: scene[a].range.slice(), ticks: (scene[a].tickvals || []).slice(),
                                                   title: scene[a].title.text})); }"""


@pytest.mark.parametrize("surface", ["quadratic", "rosenbrock", "canyon", "saddle"])
def test_no_3d_tick_sits_at_an_axis_middle_where_its_title_is(open_page, surface):
    watch = open_page(f"?surface={surface}&view=3d&present=1&controls=0", viewport=(1024, 768))
    page = watch.page
    page.wait_for_selector("#plot .gl-container canvas")
    page.wait_for_function("() => document.getElementById('plot')._fullLayout.scene")
    for axis in page.evaluate(TICKS):
        low, high = sorted(axis["range"])
        middle, span = (low + high) / 2, high - low
        assert 2 <= len(axis["ticks"]) <= 4, axis
        assert all(abs(t - middle) >= 0.08 * span - 1e-9 for t in axis["ticks"]), axis
    assert watch.errors == []
