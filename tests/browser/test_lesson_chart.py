"""A lesson whose sentences speak of a chart below the plot brings that chart into view: at 1024x768
in presenter mode the learning-rate chart of the schedule lessons and the MLP's loss slice lay
below the fold, and a new lecturer had to scroll to see what the text claims. On the paths tab the
plot comes first: the schedule lessons speak of the paths too ("the last 50 points scatter less"),
and at 1024x768 the plot and the learning-rate chart do not fit together, so the page scrolls no
further than the legend's top (scrolled to the chart, the plot was off the screen: a new lecturer);
on a 1080p screen both show. The lesson's text stays in view beside it; a lesson about the plot
is read from the top of the page."""
import pytest

from .shots import shot
from .test_lessons import wait_lesson

pytestmark = pytest.mark.browser

IN_VIEW = """(ids) => ids.every((id) => { const node = document.getElementById(id);
  const r = node.getBoundingClientRect();
  return node.checkVisibility() && r.height > 10 && r.top >= 0 && r.bottom <= innerHeight; })"""
TITLE_IN_VIEW = """() => { const r = document.querySelector('#lesson-panel .lesson-title').getBoundingClientRect();
  return r.top >= 0 && r.bottom <= innerHeight; }"""


def wait_in_view(page, lesson_id, ids):
    try:
        page.wait_for_function(IN_VIEW, arg=ids, timeout=60000)  # the MLP's slice shows once trained
    except Exception as error:
        boxes = page.evaluate("(ids) => ids.map((id) => [id, document.getElementById(id).getBoundingClientRect().toJSON()])", ids)
        raise AssertionError(f"{lesson_id}: {ids} not in the window: {boxes}, scrollY {page.evaluate('scrollY')}") from error
    assert page.evaluate(TITLE_IN_VIEW), lesson_id


def test_the_chart_a_lesson_speaks_of_shows_beside_the_plot_on_a_1080p_screen(open_page):
    watch = open_page("?lesson=schedule-step", viewport=(1920, 1080))  # presenter mode: the plot alone is 756 px tall
    wait_lesson(watch.page, "schedule-step")
    wait_in_view(watch.page, "schedule-step at 1920", ["lr-chart", "plot", "legend"])
    assert watch.errors == []


def test_the_chart_a_lesson_speaks_of_is_in_view(open_page):
    watch = open_page("?lesson=schedule-step&present=1", viewport=(1024, 768))
    page = watch.page
    wait_lesson(page, "schedule-step")
    wait_in_view(page, "schedule-step", ["plot", "legend"])
    # Stopped, the inspector above the chart adds its gradient check (~200 px): the plot stays in view.
    page.keyboard.press("End")
    page.wait_for_function("() => !window.optviz.player.playing && document.querySelector('#inspector .gradient-check')",
                           timeout=20000)
    page.evaluate("() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))")
    assert page.evaluate(IN_VIEW, ["plot", "legend"]) and page.evaluate(TITLE_IN_VIEW), page.evaluate("scrollY")
    page.screenshot(path=shot("lesson-chart/schedule-step-1024.png"))
    # The controls hidden (the lesson a strip, the plot wider and taller), then the strip's text
    # opened beside the stage: the chart stays in view each time, and so does the lesson's title.
    # (Hide controls is pressed in place: Playwright's click would first scroll the top bar into view.)
    toggle_controls = "() => document.getElementById('toggle-controls').click()"
    page.evaluate(toggle_controls)
    wait_in_view(page, "schedule-step, controls hidden", ["plot", "legend"])
    # the folded strip sticks to the window's top: the legend is below it, not under it
    page.wait_for_function("() => document.getElementById('legend').getBoundingClientRect().top"
                           " >= document.getElementById('lesson-panel').getBoundingClientRect().bottom", timeout=10000)
    page.click("#lesson-panel .lesson-read")
    wait_in_view(page, "schedule-step, its text opened", ["plot", "legend"])
    page.screenshot(path=shot("lesson-chart/schedule-step-1024-read.png"))
    page.click("#lesson-panel .lesson-read")
    page.evaluate(toggle_controls)
    page.evaluate("() => document.activeElement.blur()")
    page.keyboard.press("PageDown")
    wait_lesson(page, "schedule-exponential")
    wait_in_view(page, "schedule-exponential", ["plot", "legend"])
    page.select_option("#lesson-menu", "loss-slice")
    wait_lesson(page, "loss-slice")
    wait_in_view(page, "loss-slice", ["mlp-slice"])
    page.screenshot(path=shot("lesson-chart/loss-slice-1024.png"))
    # The lesson before speaks of the plot and the charts at the top: the page is back at its top.
    page.keyboard.press("PageUp")
    wait_lesson(page, "overfitting")
    page.wait_for_function("() => scrollY === 0", timeout=10000)
    assert watch.errors == []
