"""A lesson's "Modified" line speaks of its own tab's scene: a paths lesson changed by the
lecturer says so on the paths tab, not on the MLP tab (whose comparison is no part of it), and
trying a network during a paths lesson leaves the paths lesson unmodified; the same the other
way round for an MLP lesson."""
import pytest

from .mlp_helpers import SMALL, add_run
from .test_lessons import wait_lesson, whole_paths

pytestmark = pytest.mark.browser


def status(page):
    line = page.locator("#lesson-status")
    return {"status": page.evaluate("() => document.body.dataset.lessonStatus"),
            "shown": line.is_visible(), "text": line.inner_text() if line.is_visible() else ""}


def switch(page, tab):
    page.click(f"#tab-{tab}")
    page.wait_for_function("(tab) => !document.getElementById(`panel-${tab}`).hidden", arg=tab)


def test_a_paths_lessons_modified_line_shows_on_the_paths_tab_only(open_page):
    watch = open_page("?lesson=canyon-momentum")
    page = watch.page
    wait_lesson(page, "canyon-momentum")
    whole_paths(watch)
    page.evaluate("() => { const s = document.getElementById('steps'); s.value = '100'; "
                  "s.dispatchEvent(new Event('input')); }")
    page.wait_for_function("() => document.body.dataset.lessonStatus === 'modified'", timeout=10000)
    assert status(page)["shown"] and "Modified" in status(page)["text"]
    switch(page, "mlp")
    assert page.locator("#lesson-panel").is_visible()  # the lesson itself is still open
    assert not status(page)["shown"], status(page)
    switch(page, "paths")
    assert status(page)["shown"] and "Modified" in status(page)["text"]
    assert watch.errors == []


def test_trying_a_network_during_a_paths_lesson_leaves_the_lesson_unmodified(open_page):
    watch = open_page("?lesson=nesterov")
    page = watch.page
    wait_lesson(page, "nesterov")
    switch(page, "mlp")
    page.wait_for_function("() => window.optvizMlp && document.getElementById('mlp-preview').data", timeout=20000)
    add_run(watch, **SMALL)
    page.wait_for_function("() => location.search.includes('mrun=')")
    assert status(page)["status"] == "lesson" and not status(page)["shown"], status(page)
    switch(page, "paths")
    assert status(page)["status"] == "lesson" and not status(page)["shown"], status(page)
    assert watch.errors == []


def test_an_mlp_lessons_modified_line_shows_on_the_mlp_tab_only(open_page):
    watch = open_page("?lesson=loss-slice")
    page = watch.page
    wait_lesson(page, "loss-slice")
    page.wait_for_function("() => window.optvizMlp && window.optvizMlp.mlp.runs.length === 1", timeout=20000)
    page.click("#mlp-clear")  # the comparison is the lesson's scene: clearing it modifies the lesson
    page.wait_for_function("() => document.body.dataset.lessonStatus === 'modified'", timeout=10000)
    assert status(page)["shown"] and "Modified" in status(page)["text"]
    switch(page, "paths")
    assert not status(page)["shown"], status(page)
    switch(page, "mlp")
    assert status(page)["shown"]
    assert watch.errors == []
