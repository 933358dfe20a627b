"""Optimizers whose colours read alike are told apart by their dash.

No 18 colours that keep 3:1 on every contour fill get farther apart than CIEDE2000 ~16: with all
17 optimizers on, the walkthrough could not tell Momentum's orange-brown from AdaDelta's, AMSGrad's,
Schedule-free AdamW's and L-BFGS's browns, nor Nesterov's green from Lion's, on a projector. So
each palette place has a dash too (figures.js PALETTE_DASHES), and every two optimizers are either
CIEDE2000 >= DASH_BELOW_DELTA_E (>= 25) apart or drawn with different dashes. SGD, Momentum,
Nesterov and Adam, the four a lecture shows together, stay solid. The page's paths, its legend, its
loss chart and the exports all draw the declared dash."""
import itertools
import json
import re

import pytest

from tests.browser.export_helpers import export
from tests.browser.test_palette import ciede2000, lab, registry

pytestmark = pytest.mark.browser

DECLARED = """async () => {
  const f = await import('/static/js/figures.js');
  return {palette: f.PALETTE, dashes: f.PALETTE_DASHES, threshold: f.DASH_BELOW_DELTA_E};
}"""

PLOTLY_DASHES = {"solid", "dot", "dash", "longdash", "dashdot", "longdashdot"}
TOGETHER = ("sgd", "momentum", "nesterov", "adam")


def on_surfaces(server_url):
    import urllib.request
    with urllib.request.urlopen(f"{server_url}/api/optimizers", timeout=10) as response:
        return [o["name"] for o in json.loads(response.read()) if o["surfaces"]]


def all_runs(server_url, extra=""):
    return "?surface=canyon&steps=40" + extra + "".join(f"&run={n}" for n in on_surfaces(server_url))


def test_every_two_optimizers_differ_by_colour_or_by_dash(open_page, server_url):
    names = registry(server_url)
    watch = open_page("?surface=canyon", viewport=(1024, 768))
    declared = watch.page.evaluate(DECLARED)
    colours, dashes, threshold = declared["palette"], declared["dashes"], declared["threshold"]
    assert len(dashes) == len(colours) >= len(names) and set(dashes) <= PLOTLY_DASHES
    # the threshold is above what colour alone achieves, so the dashes do tell close colours apart
    closest = min(ciede2000(lab(a), lab(b)) for a, b in itertools.combinations(colours[:len(names)], 2))
    assert threshold >= 25 > closest + 5
    alike = [(a, b, round(ciede2000(lab(colours[i]), lab(colours[j])), 1))
             for (i, a), (j, b) in itertools.combinations(enumerate(names), 2)
             if ciede2000(lab(colours[i]), lab(colours[j])) < threshold and dashes[i] == dashes[j]]
    assert alike == []
    # the walkthrough's pairs in particular
    for a, b in [("momentum", "adadelta"), ("momentum", "amsgrad"), ("momentum", "schedule_free_adamw"),
                 ("momentum", "lbfgs"), ("nesterov", "lion")]:
        assert dashes[names.index(a)] != dashes[names.index(b)], (a, b)
    assert [dashes[names.index(n)] for n in TOGETHER] == ["solid"] * 4
    assert watch.errors == []


LEGEND_LINES = """() => [...document.querySelectorAll('#legend [data-legend]')].map((item) => {
  const line = getComputedStyle(item.querySelector('.legend-line'));
  return [item.dataset.legend, line.borderTopStyle, line.borderTopWidth, line.backgroundImage];
})"""


def test_the_page_draws_each_optimizers_declared_dash(open_page, server_url):
    names = registry(server_url)
    watch = open_page(all_runs(server_url, "&present=1"), viewport=(1024, 768))
    dashes = watch.page.evaluate(DECLARED)["dashes"]
    runs = watch.page.evaluate("() => window.optviz.runs().map(r => [r.key, r.label])")
    assert len(runs) == 17
    expected = {label: dashes[names.index(key)] for key, label in runs}
    # the paths
    paths = watch.page.evaluate("""() => document.getElementById('plot').data
        .filter(t => t.mode && t.mode.startsWith('lines') && t.name && t.showlegend !== false && t.legendgroup)
        .map(t => [t.name, t.line.dash])""")
    drawn = {name: dash for name, dash in paths if name in expected}
    assert drawn == expected
    # the loss chart
    curves = watch.page.evaluate("() => document.getElementById('loss-chart').data.map(t => [t.name, t.line.dash])")
    assert {name: dash for name, dash in curves if name in expected} == expected
    # the legend: solid samples are a solid border; the others a pattern, one per dash
    lines = {key: rest for key, *rest in watch.page.evaluate(LEGEND_LINES)}
    pattern_of = {}
    for key, _ in runs:
        style, width, image = lines[key]
        dash = dashes[names.index(key)]
        if dash == "solid":
            assert (style, width, image) == ("solid", "3px", "none"), key
        else:
            assert style == "none" and image.startswith("repeating-linear-gradient"), (key, lines[key])
            # the same dash, the same pattern (the colour aside)
            pattern_of.setdefault(dash, set()).add(re.sub(r"rgb\([^)]*\)", "C", image))
    assert all(len(patterns) == 1 for patterns in pattern_of.values()), pattern_of
    assert len({next(iter(p)) for p in pattern_of.values()}) == len(pattern_of) >= 3
    assert watch.errors == []


RECORD_DATA = """(method) => {
    window.exportedData = [];
    const original = window.Plotly[method];
    window.Plotly[method] = function (figure, options) {
        window.exportedData.push(figure.data.filter(t => t.line && t.name && t.legendgroup && t.legendgroup !== 'stationary')
                                            .map(t => [t.name, t.line.dash]));
        return original.apply(this, arguments);
    };
}"""


@pytest.mark.parametrize("kind,method", [("png", "downloadImage"), ("gif", "toImage")])
def test_image_exports_draw_the_declared_dashes(open_page, server_url, kind, method):
    names = registry(server_url)
    watch = open_page(all_runs(server_url).replace("steps=40", "steps=6"), viewport=(1280, 800))
    dashes = watch.page.evaluate(DECLARED)["dashes"]
    expected = {label: dashes[names.index(key)]
                for key, label in watch.page.evaluate("() => window.optviz.runs().map(r => [r.key, r.label])")}
    watch.page.evaluate(RECORD_DATA, method)
    export(watch, kind, timeout=240000)
    records = [r for r in watch.page.evaluate("() => window.exportedData") if r]
    assert records
    for record in records:
        assert {name: dash for name, dash in record if name in expected} == expected
    assert watch.errors == []


def test_html_export_draws_the_declared_dashes(open_page, server_url):
    names = registry(server_url)
    watch = open_page(all_runs(server_url).replace("steps=40", "steps=6"), viewport=(1280, 800))
    dashes = watch.page.evaluate(DECLARED)["dashes"]
    expected = {label: dashes[names.index(key)]
                for key, label in watch.page.evaluate("() => window.optviz.runs().map(r => [r.key, r.label])")}
    _, raw = export(watch, "html")
    figure = json.loads(re.search(rb"var figure = (.*);\n", raw).group(1))
    drawn = {t["name"]: t["line"]["dash"] for t in figure["data"] if t.get("line") and t.get("name") in expected}
    assert drawn == expected
    assert watch.errors == []
