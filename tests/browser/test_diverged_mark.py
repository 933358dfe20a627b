"""A run that diverges at its first step ends where it began: its ✕ and its "diverged at step 1"
label are drawn beside the start marker, not over it (the walkthrough saw a lr = 100 run as a ✕
hiding the start diamond). Measured as the rendered boxes of the start diamond, the ✕ and the
label's text in the plot's SVG, in presenter mode at 1024×768 and 1920×1080."""
import pytest

pytestmark = pytest.mark.browser

# The rendered boxes of one scatter trace's markers and texts, found by the trace's data.
BOXES = """() => {
  const box = (node) => { const r = node.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const out = {};
  for (const g of document.querySelectorAll('#plot .scatterlayer .trace')) {
    const trace = g.__data__[0].trace;
    const key = trace.name === 'start' ? 'start' : (trace.text && String(trace.text[0]).startsWith('diverged') ? 'mark' : null);
    if (!key) continue;
    out[key] = {points: [...g.querySelectorAll('.point')].map(box), texts: [...g.querySelectorAll('.textpoint text')].map(box),
                text: [...g.querySelectorAll('.textpoint text')].map((t) => t.textContent)};
  }
  return out;
}"""


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("viewport", [(1024, 768), (1920, 1080)])
def test_a_run_that_diverges_at_once_leaves_the_start_marker_visible(open_page, viewport):
    watch = open_page("?surface=quadratic&run=sgd;lr:100&present=1&controls=0", viewport=viewport)
    message = watch.page.evaluate("() => window.optviz.results.sgd.message")
    assert message == "diverged at step 1"
    assert watch.path("SGD") == [(-2.5, 2.0)]  # the path is its start alone
    boxes = watch.page.evaluate(BOXES)
    [start] = boxes["start"]["points"]
    [cross] = boxes["mark"]["points"]
    [label] = boxes["mark"]["texts"]
    assert boxes["mark"]["text"] == [message]
    assert start[2] - start[0] > 10 and cross[2] - cross[0] > 10 and label[2] - label[0] > 50  # all drawn
    assert not overlap(start, cross), (start, cross)
    assert not overlap(start, label), (start, label)
    # and the ✕ stays near the start it belongs to (within ~3 diamonds)
    centre = lambda b: ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
    (sx, sy), (cx, cy) = centre(start), centre(cross)
    assert ((sx - cx) ** 2 + (sy - cy) ** 2) ** 0.5 < 3 * (start[2] - start[0])
    assert watch.errors == []
