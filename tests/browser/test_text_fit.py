"""No name is cut at a projector's 1024x768 in presenter mode with the controls shown: the closed
menus (the lessons menu in the top bar, the surface menu) show their whole chosen name."""
import pytest
from tests.browser.shots import shot

pytestmark = pytest.mark.browser

# Each visible select: the chosen option's width in the select's own font, and the room its box
# leaves for it (less its padding and the drop-down arrow).
CUT_SELECTS = """() => {
  const measure = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll('select')].filter((s) => s.offsetWidth > 0).map((s) => {
    const style = getComputedStyle(s);
    measure.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = s.selectedOptions[0]?.textContent || '';
    const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 24;
    return {id: s.id, text, width: measure.measureText(text).width, room};
  }).filter((s) => s.text && s.width > s.room + 1);
}"""


@pytest.mark.parametrize("query", ["?present=1&surface=linear_regression", "?present=1&lesson=learning-rate",
                                   "?present=1&lesson=batch-gd", "?present=1&controls=0&lesson=batch-gd",
                                   "?present=1&surface=linear_regression&tab=mlp"])
def test_closed_menus_show_their_whole_name_at_1024_in_presenter_mode(open_page, query):
    watch = open_page(query, viewport=(1024, 768))
    watch.page.wait_for_timeout(300)
    assert watch.page.evaluate(CUT_SELECTS) == []
    name = query[1:].replace("&", "_").replace("=", "-")
    watch.page.screenshot(path=shot(f"fit/menus_{name}_1024.png"))


def test_the_dashboard_header_says_every_shared_setting_within_the_slide(open_page):
    """The settings all runs share were one line cut with "…" at the slide's edge (walkthrough
    35): they wrap now, each line inside the 1920 px slide, and together they say all of them."""
    watch = open_page("?tab=mlp", viewport=(1280, 800))
    page = watch.page
    page.click("#mlp-presets button >> nth=0")  # six runs sharing a long list of settings
    page.wait_for_function("() => document.querySelectorAll('#mlp-runs .run-chip').length >= 6")
    if page.is_enabled("#mlp-stop"):
        page.click("#mlp-stop")
    shared = page.evaluate("() => window.optvizMlp.sharedSettings().shared")
    assert len(shared) >= 8
    with page.expect_download(timeout=60000) as info:
        page.click("[data-mlp-export=svg]")
    svg = open(info.value.path(), encoding="utf-8").read()
    lines = page.evaluate("""(svg) => {
      const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
      const measure = document.createElement('canvas').getContext('2d');
      const font = doc.documentElement.getAttribute('font-family');
      return [...doc.querySelectorAll('text.header-line')].map((t) => {
        measure.font = `${t.getAttribute('font-size')}px ${font}`;
        return {text: t.textContent, right: Number(t.getAttribute('x')) + measure.measureText(t.textContent).width};
      });
    }""", svg)
    assert lines and all(line["right"] <= 1920 - 24 for line in lines), lines
    said = " · ".join(line["text"] for line in lines)
    assert "…" not in said and all(setting in said for setting in shared), (said, shared)


# Text that runs out of its box: the surface's formula (each MathML piece inside its column),
# the regression view's legend entries (inside the chart), and any element of the controls, the
# legend or the inspector that hides or scrolls what overflows it.
CUT_TEXT = """() => {
  const out = [];
  const inside = (node, box, what) => {
    const r = node.getBoundingClientRect();
    if (r.width && (r.left < box.left - 1 || r.right > box.right + 1)) out.push([what, node.textContent.trim().slice(0, 50),
                                                                                  Math.round(r.right - box.right)]);
  };
  const formula = document.getElementById('surface-formula');
  if (formula.offsetWidth) for (const math of formula.querySelectorAll('math')) inside(math, formula.getBoundingClientRect(), 'formula');
  const fit = document.getElementById('fit-chart');
  if (fit && fit.offsetWidth) {
    const box = fit.getBoundingClientRect();
    for (const text of fit.querySelectorAll('.legend .legendtext')) inside(text, box, 'fit legend');
  }
  for (const node of document.querySelectorAll('#controls *, #legend *, #inspector *')) {
    if (!node.offsetWidth || node.closest('svg, math, select, input, textarea')) continue;
    const style = getComputedStyle(node);
    if (!['hidden', 'clip', 'auto', 'scroll'].includes(style.overflowX) && style.textOverflow !== 'ellipsis') continue;
    if (node.scrollWidth > node.clientWidth + 1) out.push(['overflow', node.id || node.className, node.scrollWidth - node.clientWidth]);
  }
  return out;
}"""


@pytest.mark.parametrize("query", ["?present=1&surface=linear_regression", "?present=1&lesson=batch-gd",
                                   "?present=1&surface=beale", "?present=1&surface=linear_regression&controls=0",
                                   "?surface=linear_regression"])
@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080)], ids=["1024", "1920"])
def test_no_formula_or_legend_text_is_cut(open_page, query, size):
    watch = open_page(query, viewport=size)
    watch.page.wait_for_timeout(400)
    assert watch.page.evaluate(CUT_TEXT) == []


# The lines of the preset's explanation (its summary and text) against the box that scrolls them:
# each line shows whole or not at all (walkthrough 32/33: the box stopped in the middle of a line).
HALF_LINES = """() => {
  const box = document.getElementById('mlp-preset-explanation');
  const r = box.getBoundingClientRect();
  const style = getComputedStyle(box);
  const top = r.top + parseFloat(style.borderTopWidth), bottom = r.bottom - parseFloat(style.borderBottomWidth);
  const range = document.createRange();
  range.selectNodeContents(box);
  const lines = [...range.getClientRects()].filter((l) => l.height > 4);
  return {count: lines.length, cut: lines.filter((l) => l.top < bottom - 1 && l.bottom > bottom + 1)
                                          .map((l) => [Math.round(l.top - top), Math.round(l.bottom - top), Math.round(bottom - top)])};
}"""


@pytest.mark.parametrize("controls", ["1", "0"])
def test_the_preset_explanation_never_stops_mid_line(open_page, controls):
    watch = open_page(f"?present=1&controls={controls}&tab=mlp", viewport=(1024, 768))
    page = watch.page
    page.click("#mlp-presets button >> nth=0")
    page.wait_for_selector("#mlp-preset-explanation:not([hidden])")
    page.wait_for_timeout(300)
    if page.is_enabled("#mlp-stop"):
        page.click("#mlp-stop")
    m = page.evaluate(HALF_LINES)
    page.screenshot(path=shot(f"fit/mlp_explanation_controls{controls}_1024_present.png"))
    assert m["count"] >= 3 and m["cut"] == [], m


def test_the_inspector_reads_from_the_back_row_on_a_1080p_screen(open_page):
    """Presenter mode at 1920x1080 held the inspector beside the plot at 17 px (0.85 of 20 px in a
    330 px column), smaller than everything around it; it is at least 18 px now and each value
    (θ, the moments) still fits one line."""
    watch = open_page("?present=1", viewport=(1920, 1080))
    sizes = watch.page.evaluate("""() => {
      const cells = [...document.querySelectorAll('#inspector td')].filter((td) => td.offsetWidth > 0);
      const line = (td) => parseFloat(getComputedStyle(td).lineHeight) || 1.4 * parseFloat(getComputedStyle(td).fontSize);
      return {font: parseFloat(getComputedStyle(cells[0]).fontSize), wrapped: cells.filter((td) => td.getBoundingClientRect().height > 1.5 * line(td)).map((td) => td.textContent)};
    }""")
    assert sizes["font"] >= 18 and sizes["wrapped"] == [], sizes
