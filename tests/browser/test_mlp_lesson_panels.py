"""What the MLP lessons' lower panels show at 1024×768 in presenter mode, as a new lecturer saw them.

- A lesson opened at epoch 0 (mepoch=0) beside loss curves of its whole training says so on the
  panels that show epoch 0: their untrained regions read as "the network did not learn".
- The batchnorm lesson opens with the run its text speaks of selected; xavier-he names the runs to
  pick, as the run menu names them.
- The standardization lesson's raw inputs (metres against kilograms) drew a 3 px strip of decision
  surface with its tick labels printed over each other.
- A loss curve lying exactly under another (tanh·N(0, 0.01) under tanh·zeros) shows as a border."""
import re

import pytest

from .mlp_helpers import mlp_page, train_to_end  # noqa: F401 (a fixture)
from .test_lessons import wait_lesson
from .test_path_overlap import PIXELS

pytestmark = pytest.mark.browser

PRESENT = (1024, 768)

TRAINED = ("() => document.body.dataset.mlpTraining === '0' && window.optvizMlp.results.length"
           " && window.optvizMlp.results.every(r => r && r.summary)")

RUN_MENU = """() => {
  const select = document.getElementById('mlp-selected');
  return {options: Array.from(select.options).map((o) => o.text), shown: select.selectedOptions[0].text};
}"""

BADGES = """() => ['mlp-epoch-out', 'mlp-decision-epoch'].map((id) => {
  const element = document.getElementById(id);
  const box = element.getBoundingClientRect();
  return {text: element.textContent, badge: element.classList.contains('at-init'), height: box.height,
          weight: getComputedStyle(element).fontWeight};
})"""

# The decision plot's drawing area and the boxes of its tick labels, in screen pixels.
DECISION = """() => {
  const plot = document.getElementById('mlp-decision');
  const area = plot.querySelector('.nsewdrag').getBoundingClientRect();
  const boxes = (axis) => Array.from(plot.querySelectorAll(`.${axis}tick text`))
    .map((t) => t.getBoundingClientRect()).filter((b) => b.width > 0)
    .map((b) => [b.left, b.top, b.right, b.bottom]);
  return {width: area.width, height: area.height, x: boxes('x'), y: boxes('y')};
}"""


def menu_names(text):
    """The run names a lesson's text tells the lecturer to pick (in “…”)."""
    return re.findall(r"“([^”]+)”", text)


def overlapping(boxes):
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]


def test_mlp_lessons_lower_panels_show_what_their_text_says(open_page):
    watch = open_page("?lesson=batchnorm&present=1", viewport=PRESENT)
    page = watch.page
    wait_lesson(page, "batchnorm")
    page.wait_for_function(TRAINED, timeout=120000)
    page.evaluate("() => window.optvizMlp.draw() || window.optvizMlp.rendered")
    # the run the text calls "the run shown" is the one selected; the one it says to pick is in the menu
    menu = page.evaluate(RUN_MENU)
    text = page.locator("#lesson-panel").inner_text()
    assert menu["shown"] == "BatchNorm on", menu
    assert page.evaluate("() => document.body.dataset.lessonStatus") == "lesson"  # msel is how it is shown
    assert menu_names(text) == ["BatchNorm off"] and set(menu_names(text)) <= set(menu["options"]), (text, menu)
    # the histograms and the decision surface show epoch 0 beside 15 trained epochs, and say so
    epoch, decision = page.evaluate(BADGES)
    assert epoch["badge"] and epoch["text"] == "0 (initialization)", epoch
    assert decision["badge"] and decision["text"] == "at initialization (epoch 0)" and decision["height"] > 0, decision
    assert int(epoch["weight"]) >= 700 and int(decision["weight"]) >= 700
    # at the last epoch they show the trained network, without the badge
    page.evaluate("() => { const s = document.getElementById('mlp-epoch'); s.value = s.max; "
                  "s.dispatchEvent(new Event('input')); }")
    epoch, decision = page.evaluate(BADGES)
    assert not epoch["badge"] and not decision["badge"] and decision["text"] == "at epoch 15", (epoch, decision)

    # the lesson before: xavier-he names the runs to pick as the run menu names them
    page.keyboard.press("PageUp")
    wait_lesson(page, "xavier-he")
    page.wait_for_function("() => document.getElementById('mlp-selected').options.length === 3")
    menu = page.evaluate(RUN_MENU)
    names = menu_names(page.locator("#lesson-panel").inner_text())
    assert names == ["ReLU · Xavier", "ReLU · He"] and set(names) <= set(menu["options"]), (names, menu)
    assert menu["shown"] == "tanh · Xavier", menu  # "the run shown first"

    # the standardization lesson: the raw inputs' decision surface is a readable box, its ticks apart
    page.select_option("#lesson-menu", "standardization")
    wait_lesson(page, "standardization")
    page.wait_for_function(TRAINED, timeout=120000)
    page.evaluate("() => window.optvizMlp.draw() || window.optvizMlp.rendered")
    assert page.evaluate(RUN_MENU)["shown"] == "standardize inputs off"
    decision = page.evaluate(DECISION)
    assert decision["width"] >= 150 and decision["height"] >= 150, decision
    assert len(decision["x"]) >= 3 and len(decision["y"]) >= 3, decision
    assert overlapping(decision["x"]) == [] and overlapping(decision["y"]) == [], decision
    assert watch.errors == []


# Three small networks: ReLU learns; tanh with N(0, 0.01) and with zeros stay at ln 3, one curve
# exactly on the other. The covered run is the second (#a65300), the one over it the third (#00795a).
SMALL = "samples:200,epochs:4,hidden:8|8"
COVERED = f"&present=1&mrun=activation:relu,init:he_normal,{SMALL}&mrun=init:normal_0.01,{SMALL}&mrun=init:zeros,{SMALL}"

# The loss chart drawn without its stars (which carry the runs' colours too), as pixels.
LOSS_PIXELS = """async () => {
  const plot = document.getElementById('mlp-loss');
  const data = plot.data.filter((t) => t.mode === 'lines');
  return {url: await Plotly.toImage({data, layout: plot.layout}, {format: 'png', width: plot.clientWidth, height: plot.clientHeight}),
          widths: data.map((t) => [t.name, t.line.width])};
}"""


def test_a_loss_curve_under_another_shows_as_its_border(mlp_page):
    watch = mlp_page(COVERED, viewport=PRESENT)
    page = watch.page
    train_to_end(watch)
    drawn = page.evaluate(LOSS_PIXELS)
    widths = dict(drawn["widths"])
    covered = [width for name, width in widths.items() if "N(0, 0.01) (train)" in name]
    top = [width for name, width in widths.items() if "zeros (train)" in name]
    assert covered and top and covered[0] > 1.5 * top[0], widths
    rgba = page.evaluate(PIXELS, drawn["url"])
    pixels = [tuple(rgba[k:k + 3]) for k in range(0, len(rgba), 4)]
    near = lambda colour: sum(1 for p in pixels if sum(abs(a - b) for a, b in zip(p, colour)) < 60)  # noqa: E731
    orange, green = near((0xa6, 0x53, 0x00)), near((0x00, 0x79, 0x5a))
    assert orange > 150 and green > 150, (orange, green)
    assert watch.errors == []
