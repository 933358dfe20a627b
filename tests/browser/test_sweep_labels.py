"""A learning-rate sweep's rate labels at its paths' ends never lie over each other: paths that end
close together (the lecture's 0.02 and 0.2 on the bowl, or several rates that all reach the minimum)
put "η=0.02" over "η=0.2". Measured as the rendered boxes of the labels' text in the plot's SVG, and
each label stays beside its own path's end marker."""
import pytest
from tests.browser.shots import shot

pytestmark = pytest.mark.browser

LABELS = """() => {
  const box = (node) => { const r = node.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const gd = document.getElementById('plot');
  const labels = [], ends = {};
  for (const g of gd.querySelectorAll('.scatterlayer .trace')) {
    const trace = g.__data__[0].trace;
    const text = trace.text && String(trace.text[0]);
    if ((trace.mode || '').includes('text') && text.startsWith('η=')) {
      labels.push({group: trace.legendgroup, text, boxes: [...g.querySelectorAll('.textpoint text')].map(box)});
    }
    if ((trace.mode || '').startsWith('markers') && trace.x.length === 1 && trace.legendgroup?.startsWith('sweep-')) {
      ends[trace.legendgroup] = [...g.querySelectorAll('.point')].map(box)[0];
    }
  }
  return {labels, ends, font: parseFloat(getComputedStyle(gd.querySelector('.textpoint text')).fontSize)};
}"""

SWEEPS = ["surface=quadratic&start=-2.5,2&steps=60&sweep=sgd;0.02|0.2|0.52",
          "surface=quadratic&start=-2.5,2&steps=200&sweep=sgd;0.1|0.12|0.14|0.16|0.18",
          "surface=canyon&sweep=momentum;0.002|0.01|0.05"]


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("sweep", SWEEPS)
@pytest.mark.parametrize("mode", ["present=1&controls=0", "present=0&controls=1"])
@pytest.mark.parametrize("viewport", [(1024, 768), (1920, 1080)])
def test_the_sweep_labels_do_not_overlap(open_page, sweep, mode, viewport):
    watch = open_page(f"?{sweep}&{mode}", viewport=viewport)
    m = watch.page.evaluate(LABELS)
    count = sweep.split(";")[1].count("|") + 1
    assert len(m["labels"]) == count, m
    boxes = []
    for label in m["labels"]:
        [b] = label["boxes"]
        assert b[2] - b[0] > 20, label  # drawn
        boxes.append(b)
        # beside its own end marker: within a line across, and at most as many lines down or up as
        # there are labels to stack (five rates ending on the minimum stack five labels)
        end = m["ends"][label["group"]]
        gap_x = max(0, end[0] - b[2], b[0] - end[2])
        gap_y = max(0, end[1] - b[3], b[1] - end[3])
        assert gap_x <= m["font"] and gap_y <= count * 1.5 * m["font"], (label, end)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not overlap(a, b), (m["labels"])
    name = sweep.split("&")[0].split("=")[1]
    watch.page.screenshot(path=shot(f"pathspage/test-sweep-{name}-{count}-{viewport[0]}-{mode[:9]}.png"))
    assert watch.errors == []
