"""A lesson longer than the controls column says that it goes on. At 1024x768 in presenter mode
Adam's first-step lesson stopped at "grows to (1 − β₁)/√(1 − β₂) ≈" and its Try it button lay
below the column's foot; no scrollbar showed, so a new lecturer took the text for cut off. While
text lies below, a "more ▾" bar sits at the column's foot and scrolls the text on; at the end it
goes; a lesson that fits has none."""
import pytest

from .shots import shot
from .test_lessons import wait_lesson

pytestmark = pytest.mark.browser

STATE = """() => {
  const more = document.querySelector('#lesson-panel .lesson-more');
  const column = document.getElementById('lesson-panel').parentNode;
  const foot = column.getBoundingClientRect().bottom;
  const tryIt = [...document.querySelectorAll('#lesson-panel .lesson-try button')][0];
  const box = more.getBoundingClientRect();
  return {shown: more.checkVisibility(), moreBottom: box.bottom, moreTop: box.top, foot,
          below: column.scrollHeight - column.scrollTop - column.clientHeight,
          tryBottom: tryIt ? tryIt.getBoundingClientRect().bottom : null};
}"""


def test_a_long_lesson_shows_more_until_its_end_is_in_view(open_page):
    watch = open_page("?lesson=adam-first-step&present=1", viewport=(1024, 768))
    page = watch.page
    wait_lesson(page, "adam-first-step")
    page.wait_for_timeout(200)
    before = page.evaluate(STATE)
    assert before["below"] > 20 and before["tryBottom"] > before["foot"]  # the scene of the report
    assert before["shown"] and before["foot"] - 30 <= before["moreBottom"] <= before["foot"] + 1, before
    page.screenshot(path=shot("lesson-more/adam-first-step-1024.png"))
    for _ in range(10):
        if not page.evaluate(STATE)["shown"]:
            break
        page.click("#lesson-panel .lesson-more")
        page.wait_for_timeout(700)  # the smooth scroll
    after = page.evaluate(STATE)
    assert not after["shown"] and after["below"] <= 2, after
    assert after["tryBottom"] <= after["foot"], after  # Try it now in view
    # Scrolled back up, the bar is back.
    page.evaluate("() => document.getElementById('lesson-panel').parentNode.scrollTo({top: 0})")
    page.wait_for_function("() => document.querySelector('#lesson-panel .lesson-more').checkVisibility()", timeout=5000)
    assert watch.errors == []


def test_a_lesson_that_fits_has_no_more_bar(open_page):
    watch = open_page("?lesson=adam-first-step&present=1", viewport=(1920, 1080))
    page = watch.page
    wait_lesson(page, "adam-first-step")
    page.wait_for_timeout(200)
    state = page.evaluate(STATE)
    assert state["below"] <= 2 and not state["shown"], state
    assert watch.errors == []
