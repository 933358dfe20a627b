"""The page gives the plot the screen at projector and desktop sizes, in normal and presenter
mode, with the controls shown or hidden, on both tabs; the contour is drawn at equal aspect.

One page per size; presenter mode, the controls and the tab are switched with the page's own
buttons, so each measurement also checks that the plots followed the layout change."""
import json
import urllib.request

import pytest

pytestmark = pytest.mark.browser

SIZES = [(1024, 768), (1280, 720), (1440, 900), (1920, 1080)]

MEASURE = """() => {
  const box = (node) => { const r = node.getBoundingClientRect(); return {left: r.left, top: r.top, width: r.width,
                                                                        height: r.height, bottom: r.bottom}; };
  const panel = document.querySelector('main:not([hidden])');
  // Every plot on the visible tab must fill its box: plotly was told when the box changed.
  const stale = [...panel.querySelectorAll('.js-plotly-plot')].filter((p) => p.offsetWidth > 0).map((p) => {
    const svg = p.querySelector('.main-svg');
    return svg ? {id: p.id, box: p.clientWidth, svg: svg.getBoundingClientRect().width} : {id: p.id, box: p.clientWidth, svg: 0};
  }).filter((p) => Math.abs(p.box - p.svg) > 3);
  const out = {overflow: document.documentElement.scrollWidth - innerWidth, stale, vw: innerWidth, vh: innerHeight,
               stage: box(panel.querySelector('.stage'))};
  if (panel.id === 'panel-paths') {
    out.plot = box(document.getElementById('plot'));
    out.area = box(document.querySelector('#plot .nsewdrag'));
    out.contour = box(document.querySelector('#plot-back .contourlayer'));
    out.legend = box(document.getElementById('legend'));
    out.domain = window.optviz.surface.domain;
    const layout = document.getElementById('plot').layout;
    out.ranges = [layout.xaxis.range, layout.yaxis.range];
    out.plotlyLegend = document.querySelectorAll('#plot .legend').length;
    out.play = box(document.getElementById('play'));
    out.scrubber = box(document.getElementById('scrubber'));
  }
  return out;
}"""


def all_optimizers_link(server_url):
    with urllib.request.urlopen(f"{server_url}/api/optimizers", timeout=10) as response:
        names = [o["name"] for o in json.loads(response.read()) if o.get("surfaces", True)]
    return "?surface=plateau&" + "&".join(f"run={name}" for name in names)


def switch(page, present, controls, tab):
    state = page.evaluate("() => ({present: window.optviz.state.present, controls: window.optviz.state.controls})")
    if state["present"] != present:
        page.click("#toggle-present")
    if state["controls"] != controls:
        page.click("#toggle-controls")
    page.click(f"#tab-{tab}")
    # Resizes are asynchronous (a ResizeObserver, then plotly, then the grid of the new view):
    # wait until the plots caught up and the paths panel has nothing on its way.
    page.wait_for_function(f"() => ({MEASURE})().stale.length === 0", timeout=10000)
    page.wait_for_timeout(150)
    page.wait_for_function("() => !window.optviz.busy", timeout=30000)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_plot_gets_the_screen_in_every_mode(open_page, server_url, size):
    watch = open_page(all_optimizers_link(server_url), viewport=size)
    page = watch.page
    width, height = size
    for present in (False, True):
        for controls in (True, False):
            for tab in ("paths", "mlp"):
                switch(page, present, controls, tab)
                m = page.evaluate(MEASURE)
                where = f"{width}x{height} present={present} controls={controls} tab={tab}"
                assert m["overflow"] <= 0, where
                assert m["stale"] == [], where
                share = 0.40 if controls else 0.60
                assert m["stage"]["width"] >= share * width, where
                if tab == "mlp":
                    continue
                assert m["plot"]["width"] >= share * width, where
                if not controls:
                    assert m["plot"]["height"] >= 0.45 * height, where
                # Equal aspect: as many pixels per unit in x as in y (1 ± 2 %) over the ranges the
                # axes show (the domain, widened along one axis to fill the box), and the contour
                # layer drawn exactly under the paths layer.
                (x0, x1), (y0, y1) = m["ranges"]
                (dx0, dx1), (dy0, dy1) = m["domain"]
                assert x0 <= dx0 + 1e-9 and x1 >= dx1 - 1e-9 and y0 <= dy0 + 1e-9 and y1 >= dy1 - 1e-9, where
                ratio = (m["area"]["width"] / (x1 - x0)) / (m["area"]["height"] / (y1 - y0))
                assert ratio == pytest.approx(1, abs=0.02), where
                for key in ("left", "top", "width", "height"):
                    assert m["contour"][key] == pytest.approx(m["area"][key], abs=1.5), (where, key)
                # The whole plot and the transport bar under it (Play, the scrubber) are on the
                # screen without scrolling, however many optimizers the legend names.
                for part in ("area", "play", "scrubber"):
                    assert m[part]["bottom"] <= height, (where, part, m[part])
                # The legend (all optimizers on) sits above the plot, never on it.
                assert m["plotlyLegend"] == 0 and m["legend"]["bottom"] <= m["plot"]["top"] + 0.5, where
    # At 1024 px, 17 optimizers' messages would take many lines: the legend names the runs only,
    # and each item's tooltip still says what its run reached.
    if width == 1024:
        legend = page.evaluate("() => ({compact: document.getElementById('legend').classList.contains('compact'), "
                               "titles: [...document.querySelectorAll('#legend [data-legend]')].map(n => n.title), "
                               "said: window.optviz.runs().map(r => `${r.label}: ${r.result.message}`)})")
        assert legend["compact"] and legend["titles"] == legend["said"]
    assert watch.errors == []


def test_window_resize_resizes_the_plots(open_page):
    watch = open_page(viewport=(1440, 900))
    watch.page.set_viewport_size({"width": 1024, "height": 768})
    watch.page.wait_for_function(f"() => ({MEASURE})().stale.length === 0", timeout=10000)
    m = watch.page.evaluate(MEASURE)
    assert m["overflow"] <= 0 and m["plot"]["width"] >= 0.4 * 1024


def test_wheeling_the_controls_to_their_end_leaves_the_page_where_it_is(open_page):
    watch = open_page("?present=1&sweep=sgd;0.0018|0.018|0.036", viewport=(1024, 768))
    page = watch.page
    box = page.locator("#panel-paths .controls").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(12):
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(60)
    page.wait_for_timeout(300)
    column = page.evaluate("() => { const c = document.querySelector('#panel-paths .controls');"
                           " return [c.scrollTop, c.scrollHeight - c.clientHeight]; }")
    assert column[0] > 0 and column[0] >= column[1] - 2, column  # the column reached its end
    assert page.evaluate("() => window.scrollY") == 0
