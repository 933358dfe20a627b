"""Switching surfaces shows a loading state, never the new contour beside the old surface's text
or under the old paths. The scene answer is held back, as a slow network or a busy server
would, so the grid arrives first."""
import pytest

pytestmark = pytest.mark.browser

SAMPLER = """() => {
  window.__samples = [];
  const sample = () => {
    const back = document.getElementById('plot-back');
    const z = back && back.data && back.data[0] && back.data[0].z;
    const panel = document.getElementById('panel-paths');
    const visible = (id) => getComputedStyle(document.getElementById(id)).visibility !== 'hidden';
    window.__samples.push({loading: panel.classList.contains('loading'), lesson: document.getElementById('surface-lesson').textContent,
                           z: z ? JSON.stringify(z[7].slice(0, 4)) : null, plotShown: visible('plot') && visible('plot-back'),
                           lessonShown: visible('surface-lesson'),
                           paths: (document.getElementById('plot').data || []).filter((t) => t.mode === 'lines')
                             .map((t) => t.x[0]).join(',')});
    if (window.__samples.length < 4000) requestAnimationFrame(sample);
  };
  requestAnimationFrame(sample);
}"""

SNAPSHOT = """() => ({lesson: document.getElementById('surface-lesson').textContent,
  z: JSON.stringify(document.getElementById('plot-back').data[0].z[7].slice(0, 4)),
  paths: document.getElementById('plot').data.filter((t) => t.mode === 'lines').map((t) => t.x[0]).join(',')})"""


def test_switching_surfaces_never_mixes_old_and_new(open_page):
    watch = open_page("?surface=canyon")
    page = watch.page
    old = page.evaluate(SNAPSHOT)

    def slow_scene(route):
        page.wait_for_timeout(700)
        route.continue_()

    page.route("**/api/surfaces/*/scene*", slow_scene)
    page.evaluate(SAMPLER)
    page.select_option("#surface", "plateau")
    watch.settle()
    page.wait_for_timeout(300)
    new = page.evaluate(SNAPSHOT)
    assert new["lesson"] != old["lesson"] and new["z"] != old["z"]
    samples = page.evaluate("() => window.__samples")
    for s in samples:
        if s["loading"]:
            assert not s["plotShown"] and not s["lessonShown"], s
            continue
        # Whatever is on screen is one scene: old text with the old contour and paths, or all new.
        scene = "old" if s["lesson"] == old["lesson"] else "new"
        assert s["z"] == (old if scene == "old" else new)["z"], s
        assert s["paths"] == (old if scene == "old" else new)["paths"], s
    assert any(s["loading"] for s in samples)  # the loading state showed while the scene was awaited
    assert samples[-1]["z"] == new["z"] and not samples[-1]["loading"]
    assert watch.errors == []
