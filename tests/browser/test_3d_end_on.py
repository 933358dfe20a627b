"""An axis the 3D camera looks along has its tick labels and title hidden, then shown again.

Looking along an axis, plotly projects all of that axis' tick labels and its title onto one spot,
and draws them (WebGL text) on top of each other: the walkthrough's turned 3D view showed a stack
of numbers. Checked here on the layout plotly drew after the camera moved (the labels themselves
are WebGL: see the screenshots), and on the rule itself for cameras worked out by hand."""
import pytest

pytestmark = pytest.mark.browser

RULE = """async () => {
  const { endOnAxes } = await import('/static/js/figures.js');
  return {
    alongX: endOnAxes({ eye: { x: 2.2, y: 0.3, z: 0.4 } }),         // 11° off x
    fromAbove: endOnAxes({ eye: { x: 0.2, y: -0.3, z: 2.0 } }),     // 10° off z
    corner: endOnAxes({ eye: { x: 1.25, y: 1.25, z: 1.25 } }),      // 55° off each
    offX: endOnAxes({ eye: { x: 2.0, y: 1.0, z: 0.0 } }),           // 26.6° off x
    centred: endOnAxes({ eye: { x: 2.0, y: 0.1, z: 1.0 }, center: { x: 0, y: 0, z: 1.0 } }),
  };
}"""


def test_the_rule_names_the_axes_the_camera_looks_along(open_page):
    watch = open_page("?surface=canyon", viewport=(1024, 768))
    rule = watch.page.evaluate(RULE)
    assert rule == {"alongX": ["xaxis"], "fromAbove": ["zaxis"], "corner": [], "offX": [],
                    "centred": ["xaxis"]}


LABELS = "() => ['xaxis', 'yaxis', 'zaxis'].map((a) => document.getElementById('plot')._fullLayout.scene[a].showticklabels)"

TURN = """async (eye) => {
  const figures = await import('/static/js/figures.js');
  const lib = await figures.plotlyFor({ data: [{ type: 'surface' }] });
  await lib.relayout('plot', { 'scene.camera.eye': eye });
}"""


def test_turning_the_camera_along_an_axis_hides_its_labels_and_back_shows_them(open_page):
    watch = open_page("?surface=quadratic&view=3d&present=1&controls=0&run=sgd&run=adam", viewport=(1024, 768))
    page = watch.page
    page.wait_for_selector("#plot .gl-container canvas")
    assert page.evaluate(LABELS) == [True, True, True]
    page.evaluate(TURN, {"x": 0.15, "y": -2.4, "z": 0.25})  # along y, from its low end
    page.wait_for_function(f"() => ({LABELS})().join() === 'true,false,true'", timeout=10000)
    titles = page.evaluate("() => ['xaxis', 'yaxis', 'zaxis'].map((a) => document.getElementById('plot')._fullLayout.scene[a].title.text)")
    assert titles == ["x", "", "z"]
    # a frame redrawn (the slider moved) keeps the turned camera's choice
    page.evaluate("() => window.optviz.seek ? window.optviz.seek(3) : null")
    page.wait_for_timeout(300)
    assert page.evaluate(LABELS) == [True, False, True]
    page.evaluate(TURN, {"x": -0.6, "y": -1.1, "z": 1.6})  # the page's own camera again
    page.wait_for_function(f"() => ({LABELS})().join() === 'true,true,true'", timeout=10000)
    assert watch.errors == []
