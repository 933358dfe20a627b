"""A lesson with the controls hidden gives the plot the screen: the lesson card shrinks to a strip
above the stage (its count, title and next / previous), instead of keeping the controls'
column (at 1024x768 in presenter mode the plot got ~650 px of 1024). PageDown still walks on."""
import pytest

from .test_lessons import lessons, wait_lesson
from tests.browser.shots import shot

pytestmark = pytest.mark.browser

MEASURE = """() => {
  const box = (node) => node.getBoundingClientRect();
  const panel = document.querySelector('main:not([hidden])');
  const plot = panel.id === 'panel-paths' ? box(document.getElementById('plot')) : null;
  const lesson = box(document.getElementById('lesson-panel'));
  const next = document.querySelector('#lesson-panel button[aria-label^="Next"]');
  return {overflow: document.documentElement.scrollWidth - innerWidth, vw: innerWidth, vh: innerHeight,
          stage: box(panel.querySelector('.stage')).width, plot: plot && {width: plot.width, height: plot.height, top: plot.top},
          lesson: {top: lesson.top, bottom: lesson.bottom, height: lesson.height, width: lesson.width},
          nextShown: Boolean(next && next.checkVisibility())};
}"""


def check_full_screen(page, where):
    page.wait_for_function("() => { const p = document.getElementById('plot'); const s = p && p.querySelector('.main-svg');"
                           " return !s || Math.abs(s.getBoundingClientRect().width - p.clientWidth) < 3; }", timeout=10000)
    m = page.evaluate(MEASURE)
    assert m["overflow"] <= 0, (where, m)
    assert m["stage"] >= 0.9 * m["vw"], (where, m)  # no column kept beside the stage
    if m["plot"]:
        assert m["plot"]["width"] >= 0.6 * m["vw"] and m["plot"]["height"] >= 0.45 * m["vh"], (where, m)
        assert m["lesson"]["bottom"] <= m["plot"]["top"], (where, m)  # a strip above, never over the plot
    assert m["lesson"]["height"] <= 0.12 * m["vh"], (where, m)  # compact
    assert m["nextShown"], (where, m)
    return m


@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080)], ids=["1024x768", "1920x1080"])
def test_hidden_controls_in_a_lesson_give_the_plot_the_screen(open_page, size):
    watch = open_page("?lesson=canyon-momentum&present=1&controls=0", viewport=size)
    page = watch.page
    wait_lesson(page, "canyon-momentum")
    check_full_screen(page, f"{size} opened with controls=0")
    # Shown again: the lesson is back on top of the controls column; hidden again: the strip.
    page.click("#toggle-controls")
    page.wait_for_timeout(300)
    assert page.evaluate("() => document.getElementById('lesson-panel').parentNode.id") == "controls"
    page.click("#toggle-controls")
    page.wait_for_timeout(300)
    check_full_screen(page, f"{size} after Hide controls")
    # The clicker's PageDown still goes to the next lesson, which opens the same way.
    page.evaluate("() => document.activeElement.blur()")
    page.keyboard.press("PageDown")
    wait_lesson(page, "nesterov")
    assert "controls=0" in page.url
    check_full_screen(page, f"{size} next lesson")
    assert watch.errors == []


def test_an_mlp_lesson_with_hidden_controls_gives_the_stage_the_screen(open_page):
    watch = open_page("?lesson=symmetry&present=1&controls=0", viewport=(1024, 768))
    wait_lesson(watch.page, "symmetry")
    check_full_screen(watch.page, "mlp lesson")


READING = """() => {
  const box = (node) => { const r = node.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left,
                                                                           right: r.right, width: r.width, height: r.height}; };
  const panel = document.getElementById('lesson-panel');
  const body = panel.querySelector('.lesson-body');
  const read = panel.querySelector('.lesson-read');
  const shown = (node) => node && node.checkVisibility();
  const area = document.querySelector('main:not([hidden]) .nsewdrag');
  // What a lesson's sentences point at: the plot's data area (Adam's first step is in it), the
  // legend's entries (the Adam family's names), the MLP charts (batchnorm's accuracy).
  const targets = {plot: area && box(area),
                   legend: [...document.querySelectorAll('#legend .legend-item')].filter(shown).map(box),
                   accuracy: shown(document.getElementById('mlp-accuracy')) ? box(document.getElementById('mlp-accuracy')) : null,
                   loss: shown(document.getElementById('mlp-loss')) ? box(document.getElementById('mlp-loss')) : null};
  const controls = [...document.querySelectorAll('main:not([hidden]) .controls > :not(.lesson-panel)')].filter(shown).length;
  // What shows of the panel: a long lesson scrolls within the controls' column.
  const clip = (r, c) => ({top: Math.max(r.top, c.top), bottom: Math.min(r.bottom, c.bottom), left: Math.max(r.left, c.left),
                           right: Math.min(r.right, c.right)});
  const column = getComputedStyle(panel.parentNode).overflowY === 'auto' ? box(panel.parentNode) : box(panel);
  return {plot: box(document.getElementById('plot')), panel: clip(box(panel), column), body: clip(box(body), column),
          vh: innerHeight, vw: innerWidth,
          targets, bodyShown: body.checkVisibility(), controlsShown: controls > 0, strip: panel.classList.contains('strip'),
          readShown: shown(read), expanded: read && read.getAttribute('aria-expanded'),
          nextShown: shown(panel.querySelector('button[aria-label^="Next"]')),
          text: body.checkVisibility() ? body.innerText : '', scrollY, fontSize: parseFloat(getComputedStyle(body).fontSize)};
}"""


def overlap(a, b):
    return a["left"] < b["right"] - 1 and b["left"] < a["right"] - 1 and a["top"] < b["bottom"] - 1 and b["top"] < a["bottom"] - 1


def open_text(page, lesson):
    """Opens the strip's text and checks it is all there, in the window, and covers nothing it speaks of."""
    page.click("#lesson-panel .lesson-read")
    page.wait_for_function("() => { const p = document.getElementById('plot'); const s = p.querySelector('.main-svg');"
                           " return !p.checkVisibility() || Math.abs(s.getBoundingClientRect().width - p.offsetWidth) < 2; }",
                           timeout=10000)  # the plot has given the text its room
    opened = page.evaluate(READING)
    assert opened["bodyShown"] and not opened["controlsShown"] and opened["expanded"] == "true", opened
    assert opened["readShown"] and opened["nextShown"], opened  # ▴ and the clicker's next stay at hand
    assert lesson["narrative"] in opened["text"] and all(line in opened["text"] for line in lesson["notice"]), opened["text"]
    assert opened["panel"]["bottom"] <= opened["vh"] and opened["panel"]["right"] <= opened["vw"], opened
    assert opened["fontSize"] >= 16 and opened["body"]["bottom"] - opened["body"]["top"] > 100, opened
    assert opened["scrollY"] == 0, opened
    targets = opened["targets"]
    for name, target in [("plot", targets["plot"]), ("accuracy", targets["accuracy"]), ("loss", targets["loss"]),
                         *(("legend", entry) for entry in targets["legend"])]:
        for text in (opened["panel"], opened["body"]):
            assert target is None or not overlap(text, target), (lesson["id"], name, opened)
    return opened


@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080)], ids=["1024x768", "1920x1080"])
def test_the_strip_opens_the_lesson_text_beside_what_it_describes(open_page, server_url, size):
    """With the controls hidden the strip's ▸ opens the lesson's text (the lecturer reads it to the
    class without showing the controls) beside the plot, which gives it room: over the plot's right
    side it covered Adam's first step, the Adam family's legend and batchnorm's accuracy chart, the
    very things the text speaks of. ▴ or Escape folds it, and the plot gets the screen back. The next
    lesson opens folded (it opened under the last lesson's open text)."""
    by_id = {item["id"]: item for item in lessons(server_url)}
    watch = open_page("?lesson=adam-first-step&present=1&controls=0", viewport=size)
    page = watch.page
    wait_lesson(page, "adam-first-step")
    check_full_screen(page, "folded")
    before = page.evaluate(READING)
    assert before["readShown"] and not before["bodyShown"] and before["expanded"] == "false", before
    open_text(page, by_id["adam-first-step"])
    page.screenshot(path=shot(f"pathspage/test-lesson-read-{size[0]}.png"))
    page.click("#lesson-panel .lesson-read")
    check_full_screen(page, "folded again")
    folded = page.evaluate(READING)
    assert not folded["bodyShown"] and folded["plot"] == before["plot"] and folded["panel"] == before["panel"], folded
    # Open, then the clicker's PageDown: the next lesson opens as a strip, its text folded.
    page.click("#lesson-panel .lesson-read")
    page.evaluate("() => document.activeElement.blur()")
    page.keyboard.press("PageDown")
    wait_lesson(page, "adam-family")
    check_full_screen(page, "next lesson")
    moved = page.evaluate(READING)
    assert moved["strip"] and not moved["bodyShown"] and moved["expanded"] == "false", moved
    open_text(page, by_id["adam-family"])
    page.keyboard.press("Escape")
    assert not page.evaluate(READING)["bodyShown"]
    check_full_screen(page, "folded by Escape")
    # An MLP lesson (from the menu) opens its text beside the charts too.
    page.select_option("#lesson-menu", "batchnorm")
    wait_lesson(page, "batchnorm")
    open_text(page, by_id["batchnorm"])
    page.screenshot(path=shot(f"pathspage/test-lesson-read-mlp-{size[0]}.png"))
    assert watch.errors == []
