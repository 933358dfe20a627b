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
    // the old plot stays under the loading note, faded (opacity) and inert: not "shown"
    const stack = getComputedStyle(document.querySelector('.plot-stack'));
    const plotFaded = Number(stack.opacity) <= 0.2 && stack.pointerEvents === 'none';
    window.__samples.push({loading: panel.classList.contains('loading'), lesson: document.getElementById('surface-lesson').textContent,
                           z: z ? JSON.stringify(z[7].slice(0, 4)) : null,
                           plotShown: visible('plot') && visible('plot-back') && !plotFaded,
                           plotFaded: plotFaded && visible('plot'),
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
            # not a blank page for the moment of a switch: the old plot shows through, faded
            assert s["plotFaded"], s
            continue
        # Whatever is on screen is one scene: old text with the old contour and paths, or all new.
        scene = "old" if s["lesson"] == old["lesson"] else "new"
        assert s["z"] == (old if scene == "old" else new)["z"], s
        assert s["paths"] == (old if scene == "old" else new)["paths"], s
    assert any(s["loading"] for s in samples)  # the loading state showed while the scene was awaited
    assert samples[-1]["z"] == new["z"] and not samples[-1]["loading"]
    assert watch.errors == []


SIDEBAR = """() => [...document.querySelectorAll('#optimizer-list .opt:not(.off)')].map((row) => {
  const name = row.dataset.row;
  const status = row.querySelector('[data-status]');
  const box = document.getElementById(name + '-lr').parentNode.querySelector('input[type=number]');
  const shown = (node) => node.checkVisibility({visibilityProperty: true});
  return {name, status: shown(status) ? status.textContent : null, lr: shown(box) ? Number(box.value) : null,
          slider: shown(document.getElementById(name + '-lr'))};
})"""


def test_the_sidebar_shows_no_old_statuses_or_rates_while_a_surface_loads(open_page, server_url):
    """While the new surface loaded (~3 s) the plot was blank but the optimizers' statuses and
    suggested rates were still the old surface's."""
    import json
    import urllib.request
    watch = open_page("?surface=canyon&run=sgd&run=adam")
    page = watch.page
    before = page.evaluate(SIDEBAR)
    assert all(row["status"] and row["lr"] for row in before)  # the canyon's, shown
    held = []
    page.route("**/api/surfaces/rosenbrock/scene*", lambda route: held.append(route))
    page.select_option("#surface", "rosenbrock")
    while not held:
        page.wait_for_timeout(50)
    page.wait_for_timeout(300)  # the grid may arrive meanwhile; the scene is held
    loading = page.evaluate(SIDEBAR)
    for row in loading:
        assert row == {"name": row["name"], "status": None, "lr": None, "slider": False}, row
    held[0].continue_()
    watch.settle()
    with urllib.request.urlopen(f"{server_url}/api/surfaces/rosenbrock/scene", timeout=30) as response:
        suggested = json.loads(response.read())["suggested_lr"]
    after = page.evaluate(SIDEBAR)
    messages = page.evaluate("() => Object.fromEntries(window.optviz.runs().map(r => [r.key, r.result.message]))")
    for row in after:
        assert row["slider"] and row["lr"] == pytest.approx(suggested[row["name"]], rel=1e-3), row
        assert row["status"] == messages[row["name"]] and row["status"], row
    assert watch.errors == []
