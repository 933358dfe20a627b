"""Nothing on the MLP tab is cut after a preset trains, at a projector's 1024 x 768 in presenter
mode (controls shown and hidden) and at 1920 x 1080: no box cuts its content (the controls column
scrolls by design, a preset's explanation only while its "more" button says so), nothing leaves
the stage, no plot's text runs past its plot, no chart title breaks inside a formula. And a
preset's explanation is readable in full: "more" grows its box to the whole text."""
import pytest

from .mlp_helpers import mlp_page  # noqa: F401
from .test_mlp_lecture_view import small_presets, wait_trained
from .shots import shot

pytestmark = pytest.mark.browser


CUT = """() => {
  const out = [];
  const panel = document.getElementById('panel-mlp');
  const stage = panel.querySelector('.stage').getBoundingClientRect();
  const name = (n) => n.id ? `#${n.id}` : `${n.tagName.toLowerCase()}.${String(n.className).split(' ')[0]}`;
  for (const n of panel.querySelectorAll('*')) {
    if (n.closest('.js-plotly-plot') && !n.classList.contains('js-plotly-plot')) continue;
    if (!(n.offsetWidth || n.offsetHeight)) continue;
    const r = n.getBoundingClientRect();
    const cs = getComputedStyle(n);
    if (n.closest('.stage') && (r.right > stage.right + 1 || r.left < stage.left - 1)) out.push(['outside stage', name(n), Math.round(r.left), Math.round(r.right)]);
    if (cs.overflowX !== 'visible' && n.scrollWidth > n.clientWidth + 1) out.push(['cut across', name(n), n.scrollWidth, n.clientWidth]);
    const scrolls = n.id === 'mlp-controls' || (n.id === 'mlp-preset-explanation' && document.getElementById('mlp-more')?.hidden === false);
    if (cs.overflowY !== 'visible' && n.scrollHeight > n.clientHeight + 1 && !scrolls) out.push(['cut down', name(n), n.scrollHeight, n.clientHeight]);
  }
  // Text inside each plot stays inside the plot (plotly clips nothing, the page's box does).
  for (const plot of panel.querySelectorAll('.js-plotly-plot')) {
    if (!plot.offsetWidth) continue;
    const box = plot.getBoundingClientRect();
    for (const t of plot.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      const r = t.getBoundingClientRect();
      if (!r.width) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        out.push(['text outside plot', plot.id, t.textContent.slice(0, 30), Math.round(r.left - box.left), Math.round(box.right - r.right), Math.round(r.top - box.top), Math.round(box.bottom - r.bottom)]);
    }
  }
  // Headings wrap between words, never inside a formula such as ‖∂L/∂W‖.
  for (const h of panel.querySelectorAll('.chart-head h3')) {
    if (!h.offsetWidth) continue;
    const text = h.textContent;
    for (const formula of text.match(/‖[^‖]*‖|J\([^)]*\)/g) || []) {
      const node = [...h.childNodes].find((c) => c.nodeType === 3 && c.textContent.includes(formula));
      if (!node) continue;
      const range = document.createRange();
      const at = node.textContent.indexOf(formula);
      range.setStart(node, at); range.setEnd(node, at + formula.length);
      const tops = new Set([...range.getClientRects()].filter((q) => q.width > 0).map((q) => Math.round(q.top)));
      if (tops.size > 1) out.push(['formula broken', formula]);
    }
  }
  if (document.documentElement.scrollWidth > innerWidth) out.push(['page scrolls sideways', document.documentElement.scrollWidth]);
  return out;
}"""

SIZES = [((1024, 768), "1", "1"), ((1024, 768), "1", "0"), ((1920, 1080), "1", "1"), ((1920, 1080), "0", "1")]


@pytest.mark.parametrize("preset", ["initialization", "batchnorm"])
@pytest.mark.parametrize("size,present,controls", SIZES, ids=["1024-present", "1024-present-no-controls",
                                                             "1920-present", "1920"])
def test_nothing_on_the_mlp_tab_is_cut_after_a_preset(mlp_page, preset, size, present, controls):
    watch = mlp_page(f"&present={present}&controls={controls}", patch=small_presets, viewport=size)
    page = watch.page
    page.click(f"[data-mlp-preset={preset}]")
    settled(page)
    cut = page.evaluate(CUT)
    assert cut == []
    assert watch.errors == []


def settled(page):
    """Trained, and no redraw pending (the last events' scheduled one would move the plots' text
    while it is read): then drawn once more, and read."""
    wait_trained(page)
    page.wait_for_function("() => !window.optvizMlp.scheduled")
    page.evaluate("() => window.optvizMlp.draw() || window.optvizMlp.rendered")


# The explanation's lines inside its box: how many lie below its bottom edge.
BELOW = """() => { const box = document.getElementById('mlp-preset-explanation');
  const bottom = box.getBoundingClientRect().bottom - parseFloat(getComputedStyle(box).borderBottomWidth);
  const range = document.createRange(); range.selectNodeContents(box.querySelector('.mlp-explanation-text'));
  const lines = [...range.getClientRects()].filter((l) => l.height > 4);
  return {lines: lines.length, below: lines.filter((l) => l.bottom > bottom + 1).length,
          text: box.querySelector('.mlp-explanation-text').textContent}; }"""


@pytest.mark.parametrize("controls", ["1", "0"], ids=["controls", "no-controls"])
def test_a_presets_explanation_is_readable_in_full_at_1024(mlp_page, server_url, controls):
    from .api_helpers import api
    served = {p["id"]: p for p in api(server_url, "/api/mlp/options")["presets"]}
    watch = mlp_page(f"&present=1&controls={controls}", patch=small_presets, viewport=(1024, 768))
    page = watch.page
    page.click("[data-mlp-preset=initialization]")
    settled(page)
    folded = page.evaluate(BELOW)
    assert folded["text"] == served["initialization"]["explanation"]
    # the box holds a few lines; the rest is below its edge and "more" says so
    assert folded["below"] > 0 and page.is_visible("#mlp-more"), folded
    assert page.inner_text("#mlp-more") == "more ▾"
    page.screenshot(path=shot(f"mlptab/explanation-1024-controls{controls}-folded.png"))
    page.click("#mlp-more")
    grown = page.evaluate(BELOW)
    assert grown["below"] == 0 and grown["lines"] == folded["lines"], grown
    assert page.is_visible("#mlp-preset-explanation .mlp-explanation-text")  # the click did not fold the box
    assert page.inner_text("#mlp-more") == "less ▴"
    assert page.evaluate(CUT) == []
    page.screenshot(path=shot(f"mlptab/explanation-1024-controls{controls}-grown.png"))
    page.click("#mlp-more")
    assert page.evaluate(BELOW)["below"] > 0 and page.inner_text("#mlp-more") == "more ▾"
    # a preset whose text fits says nothing of more
    page.click("[data-mlp-preset=symmetry]")
    wait_trained(page)
    if page.evaluate(BELOW)["below"] == 0:
        assert not page.is_visible("#mlp-more")
    assert watch.errors == []


def test_an_explanation_that_fits_has_no_more_button(mlp_page):
    watch = mlp_page("&present=1", patch=small_presets, viewport=(1920, 1080))
    page = watch.page
    page.click("[data-mlp-preset=initialization]")
    wait_trained(page)
    assert page.evaluate(BELOW)["below"] == 0 and not page.is_visible("#mlp-more")
    assert watch.errors == []
