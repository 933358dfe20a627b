"""A run that diverges at its first step ends where it began: its ✕ and its "diverged at step 1"
label are drawn beside the start marker, not over it (the walkthrough saw a lr = 100 run as a ✕
hiding the start diamond). Measured as the rendered boxes of the start diamond, the ✕ and the
label's text in the plot's SVG, in presenter mode at 1024×768 and 1920×1080."""
import pytest

pytestmark = pytest.mark.browser

# The rendered boxes of the start's, the ✕'s and the label's markers and texts, found by their traces' data.
BOXES = """() => {
  const box = (node) => { const r = node.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const out = {};
  for (const g of document.querySelectorAll('#plot .scatterlayer .trace')) {
    const trace = g.__data__[0].trace;
    const key = trace.name === 'start' ? 'start' : trace.marker?.symbol === 'x' ? 'cross'
      : (trace.text && String(trace.text[0]).startsWith('diverged') ? 'label' : null);
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
    [cross] = boxes["cross"]["points"]
    [label] = boxes["label"]["texts"]
    assert boxes["label"]["text"] == [message]
    assert start[2] - start[0] > 10 and cross[2] - cross[0] > 10 and label[2] - label[0] > 50  # all drawn
    assert not overlap(start, cross), (start, cross)
    assert not overlap(start, label), (start, label)
    # and the ✕ stays near the start it belongs to (within ~3 diamonds)
    centre = lambda b: ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
    (sx, sy), (cx, cy) = centre(start), centre(cross)
    assert ((sx - cx) ** 2 + (sy - cy) ** 2) ** 0.5 < 3 * (start[2] - start[0])
    assert watch.errors == []


# The ✕ of each diverged run, its path and the axes' ranges, from plotly's data; the ✕'s and the
# plot area's boxes on screen.
EXIT = """() => {
  const gd = document.getElementById('plot');
  const area = gd.querySelector('.nsewdrag').getBoundingClientRect();
  const out = {x: gd._fullLayout.xaxis.range, y: gd._fullLayout.yaxis.range,
               area: [area.left, area.top, area.right, area.bottom], marks: []};
  gd.data.forEach((trace, i) => {
    if (trace.type !== 'scatter' || trace.marker?.symbol !== 'x') return;
    const path = gd.data.find((t) => t.legendgroup === trace.legendgroup && t.mode?.startsWith('lines') && t.name);
    const g = [...gd.querySelectorAll('.scatterlayer .trace')].find((n) => n.__data__[0].trace.index === i);
    const r = g.querySelector('.point').getBoundingClientRect();
    out.marks.push({at: [trace.x[0], trace.y[0]], path: [Array.from(path.x), Array.from(path.y)],
                    box: [r.left, r.top, r.right, r.bottom]});
  });
  return out;
}"""


@pytest.mark.parametrize("query", ["?surface=quadratic&run=sgd;lr:2.1", "?surface=quadratic&start=-2.5,2&steps=60&sweep=sgd;0.02|0.2|0.52",
                                   "?surface=canyon&run=sgd;lr:0.03&run=momentum;lr:0.05,momentum:0.9"])
@pytest.mark.parametrize("viewport", [(1024, 768), (1920, 1080)])
@pytest.mark.parametrize("controls", ["1", "0"])
def test_the_diverged_mark_sits_where_the_path_leaves_the_plot(open_page, query, viewport, controls):
    """The ✕ of a path that leaves the plot is where its last visible segment crosses the plot's edge
    (each coordinate clamped to the domain on its own put it off that segment, and inside the plot
    where the plot shows more than the domain)."""
    watch = open_page(f"{query}&present=1&controls={controls}", viewport=viewport)
    m = watch.page.evaluate(EXIT)
    assert m["marks"], m
    (x0, x1), (y0, y1) = m["x"], m["y"]
    hair = 1e-9 * max(x1 - x0, y1 - y0)
    inside = lambda px, py: x0 - hair <= px <= x1 + hair and y0 - hair <= py <= y1 + hair
    for mark in m["marks"]:
        (mx, my), (xs, ys) = mark["at"], mark["path"]
        assert inside(mx, my) and min(mx - x0, x1 - mx, my - y0, y1 - my) <= hair, (mark, m)  # on the edge
        last = max(i for i in range(len(xs)) if inside(xs[i], ys[i]))
        assert last < len(xs) - 1, mark  # the path does leave the plot
        (ax, ay), (bx, by) = (xs[last], ys[last]), (xs[last + 1], ys[last + 1])
        cross = (bx - ax) * (my - ay) - (by - ay) * (mx - ax)
        assert abs(cross) <= 1e-9 * abs(bx - ax) * abs(by - ay) + 1e-9 * (x1 - x0) ** 2, (mark, m)  # on that segment
        assert min(ax, bx) - hair <= mx <= max(ax, bx) + hair and min(ay, by) - hair <= my <= max(ay, by) + hair, mark
        # and on screen the ✕'s centre is on the plot area's edge
        cx, cy = (mark["box"][0] + mark["box"][2]) / 2, (mark["box"][1] + mark["box"][3]) / 2
        left, top, right, bottom = m["area"]
        assert min(abs(cx - left), abs(cx - right), abs(cy - top), abs(cy - bottom)) <= 2, (cx, cy, m["area"])
    assert watch.errors == []
