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
  return {plot: box(document.getElementById('plot')), strip: box(panel), body: box(body), vh: innerHeight, vw: innerWidth,
          bodyShown: body.checkVisibility(), controlsShown: document.getElementById('controls').checkVisibility(),
          readShown: Boolean(read && read.checkVisibility()), expanded: read && read.getAttribute('aria-expanded'),
          text: body.checkVisibility() ? body.innerText : '', scrollY, fontSize: parseFloat(getComputedStyle(body).fontSize)};
}"""


@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080)], ids=["1024x768", "1920x1080"])
def test_the_strip_opens_the_lesson_text_without_the_controls(open_page, server_url, size):
    """With the controls hidden the strip's ▸ opens the lesson's text over the plot (the lecturer reads
    it to the class without showing the controls), ▴ or Escape folds it; the strip and the plot keep
    their place and size throughout."""
    watch = open_page("?lesson=canyon-momentum&present=1&controls=0", viewport=size)
    page = watch.page
    wait_lesson(page, "canyon-momentum")
    lesson = next(item for item in lessons(server_url) if item["id"] == "canyon-momentum")
    check_full_screen(page, "folded")
    before = page.evaluate(READING)
    assert before["readShown"] and not before["bodyShown"] and before["expanded"] == "false", before
    page.click("#lesson-panel .lesson-read")
    opened = page.evaluate(READING)
    assert opened["bodyShown"] and not opened["controlsShown"] and opened["expanded"] == "true", opened
    assert lesson["narrative"] in opened["text"] and all(line in opened["text"] for line in lesson["notice"]), opened["text"]
    # over the plot, under the strip, whole within the window, in the panel's reading size
    assert opened["body"]["top"] >= opened["strip"]["bottom"] and opened["body"]["bottom"] <= opened["vh"], opened
    assert opened["body"]["right"] <= opened["vw"] and opened["fontSize"] >= 16, opened
    assert opened["body"]["height"] > 100 and opened["scrollY"] == before["scrollY"] == 0, opened
    assert opened["plot"] == before["plot"] and opened["strip"] == before["strip"], (before, opened)
    page.screenshot(path=shot(f"pathspage/test-lesson-read-{size[0]}.png"))
    page.click("#lesson-panel .lesson-read")
    folded = page.evaluate(READING)
    assert not folded["bodyShown"] and folded["plot"] == before["plot"] and folded["strip"] == before["strip"], folded
    check_full_screen(page, "folded again")
    # Escape folds it too, and the next lesson opens as the lecturer left the text (open)
    page.click("#lesson-panel .lesson-read")
    page.evaluate("() => document.activeElement.blur()")
    page.keyboard.press("PageDown")
    wait_lesson(page, "nesterov")
    assert page.evaluate(READING)["bodyShown"]
    page.keyboard.press("Escape")
    assert not page.evaluate(READING)["bodyShown"]
    check_full_screen(page, "next lesson, folded")
    assert watch.errors == []
