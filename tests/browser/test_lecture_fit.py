"""What a lecturer meets at a projector's 1024x768 and a 1080p screen, measured: hiding the controls
never shrinks the plot, the whole plot (both axes) and the MLP loss chart are above the fold,
sliders are long enough to drag, and no label or formula is cut off."""
import pytest

pytestmark = pytest.mark.browser

SIZES = [(1024, 768), (1280, 720), (1440, 900), (1920, 1080)]
SIX = "&".join(f"run={name}" for name in ("sgd", "momentum", "nesterov", "rmsprop", "adam", "nadam"))

AREA = "() => document.querySelector('#plot .nsewdrag').getBoundingClientRect().width"


def wait_layout(page):
    # Plotly sizes its svg to the box's border box (offset size) and keeps a size within 1 px of
    # the box's (plotly's autosize): against the content box (client size, 2 px of borders less)
    # a box 1 px shorter than plotly's size read as never laid out.
    page.wait_for_function("() => { const p = document.getElementById('plot'); const svg = p.querySelector('.main-svg');"
                           " return svg && Math.abs(svg.getBoundingClientRect().width - p.offsetWidth) < 2"
                           " && Math.abs(svg.getBoundingClientRect().height - p.offsetHeight) < 2; }", timeout=10000)
    page.wait_for_timeout(200)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("surface", ["canyon", "plateau"])
def test_hiding_the_controls_never_shrinks_the_plot(open_page, size, surface):
    watch = open_page(f"?surface={surface}", viewport=size)
    page = watch.page
    for present in (False, True):
        if page.evaluate("() => window.optviz.state.present") != present:
            page.click("#toggle-present")
        wait_layout(page)
        shown = page.evaluate(AREA)
        page.click("#toggle-controls")
        wait_layout(page)
        hidden = page.evaluate(AREA)
        page.click("#toggle-controls")
        assert hidden >= shown - 1, (size, surface, present, shown, hidden)


BOTTOMS = """() => {
  const bottom = (sel) => Math.max(...[...document.querySelectorAll(sel)].map((n) => n.getBoundingClientRect().bottom));
  return {vh: innerHeight, box: document.getElementById('plot').getBoundingClientRect().bottom,
          xticks: bottom('#plot .xtick text'), xtitle: bottom('#plot .xtitle'), ytop: Math.min(...[...document
          .querySelectorAll('#plot .ytick text')].map((n) => n.getBoundingClientRect().top)),
          legendLines: Math.round(document.getElementById('legend').getBoundingClientRect().height /
                                  parseFloat(getComputedStyle(document.getElementById('legend')).lineHeight || 20))};
}"""


@pytest.mark.parametrize("controls", ["1", "0"])
@pytest.mark.parametrize("surface", ["plateau", "saddle", "rosenbrock"])
def test_the_whole_plot_shows_without_scrolling_with_six_optimizers(open_page, controls, surface):
    watch = open_page(f"?surface={surface}&{SIX}&present=1&controls={controls}", viewport=(1024, 768))
    wait_layout(watch.page)
    m = watch.page.evaluate(BOTTOMS)
    assert m["box"] <= m["vh"] and m["xticks"] <= m["vh"] and m["xtitle"] <= m["vh"], m
    assert m["ytop"] >= 0, m
    assert watch.page.evaluate("() => document.getElementById('plot').clientHeight") >= 300


def test_the_mlp_loss_chart_is_above_the_fold_in_presenter_mode(open_page):
    watch = open_page("?present=1&controls=0&tab=mlp", viewport=(1024, 768))
    page = watch.page
    page.click("#mlp-presets button >> nth=0")  # six runs and the preset's explanation
    page.wait_for_selector("#mlp-preset-explanation:not([hidden])")
    page.wait_for_function("() => document.querySelectorAll('#mlp-runs .run-chip').length >= 6")
    page.wait_for_timeout(300)
    box = page.evaluate("() => { const r = document.getElementById('mlp-loss').getBoundingClientRect();"
                        " return {top: r.top, bottom: r.bottom, height: r.height, vh: innerHeight}; }")
    if page.is_enabled("#mlp-stop"):
        page.click("#mlp-stop")
    assert box["height"] >= 200 and box["bottom"] <= box["vh"], box


SLIDERS = """() => [...document.querySelectorAll('#optimizer-list .opt:not(.off) input[type=range]')]
  .map((s) => ({param: s.dataset.param, width: s.getBoundingClientRect().width}))"""
CUT = """() => [...document.querySelectorAll('#controls .slider-row > span:first-child, #controls label, #controls .opt-head')]
  .filter((n) => n.offsetWidth > 0 && n.scrollWidth > n.clientWidth + 1).map((n) => n.textContent.trim().slice(0, 40))"""
FORMULA = """() => { const box = document.getElementById('surface-formula'); const r = box.getBoundingClientRect();
  const parts = [...box.querySelectorAll('math')].map((m) => m.getBoundingClientRect());
  return {scroll: box.scrollWidth - box.clientWidth, overflowX: getComputedStyle(box).overflowX,
          outside: parts.filter((p) => p.right > r.right + 1 || p.left < r.left - 1).length, text: box.textContent}; }"""


@pytest.mark.parametrize("present", ["0", "1"])
def test_sliders_are_long_enough_and_nothing_is_cut_off(open_page, present):
    watch = open_page(f"?surface=canyon&present={present}&run=sgd&run=adam", viewport=(1024, 768))
    page = watch.page
    widths = page.evaluate(SLIDERS)
    assert widths and all(w["width"] >= 120 for w in widths), widths
    assert page.evaluate(CUT) == []
    for surface in ("canyon", "beale", "rastrigin"):
        page.select_option("#surface", surface)
        watch.settle()
        formula = page.evaluate(FORMULA)
        assert formula["scroll"] <= 0 and formula["outside"] == 0, (surface, formula)


TRANSPORT = """() => {
  const box = (node) => node.getBoundingClientRect();
  const transport = box(document.querySelector('.transport')), play = box(document.getElementById('play'));
  const fit = document.getElementById('fit-box'), plot = box(document.getElementById('plot'));
  return {height: transport.height, playTop: play.top, playBottom: play.bottom, playHeight: play.height,
          bottom: transport.bottom, vh: innerHeight, plotBottom: plot.bottom, fitShown: !fit.hidden,
          fitBottom: box(fit).bottom,
          rows: [...document.querySelector('.transport').children].filter((n) => n.checkVisibility())
            .map((n) => { const r = box(n); return [n.id || n.tagName, r.top, r.bottom]; })};
}"""


@pytest.mark.parametrize("query", ["?lesson=batch-gd&present=1", "?lesson=batch-gd&present=1&controls=0", "?lesson=batch-gd",
                                   "?surface=linear_regression&present=1", "?surface=canyon&present=1"])
@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080)], ids=["1024x768", "1920x1080"])
def test_the_transport_is_one_line(open_page, query, size):
    """Play, the scrubber, the step and the Speed select share one line, with the regression's data
    view beside the contour too (under the contour alone, at 1024 px in presenter mode, the Speed
    select wrapped to a second line); and the transport still shows whole under the plot."""
    watch = open_page(query, viewport=size)
    wait_layout(watch.page)
    m = watch.page.evaluate(TRANSPORT)
    for name, top, bottom in m["rows"]:
        middle = (top + bottom) / 2
        assert m["playTop"] <= middle <= m["playBottom"], (name, m)  # on the play button's row
    assert m["height"] < 1.8 * m["playHeight"], m
    assert m["bottom"] <= m["vh"] and m["plotBottom"] < m["bottom"], m
    if m["fitShown"]:
        assert m["fitBottom"] < m["bottom"] - m["height"], m  # the data view ends above the transport
    assert watch.errors == []
