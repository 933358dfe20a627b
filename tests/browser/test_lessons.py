"""Lesson mode in the page: every lesson opens from /?lesson=ID, PageDown walks the lecture,
a change says "modified" and restore brings the scene back; the regression dual view and the
inspector's gradient check follow the animation."""
import json
import urllib.parse
import urllib.request

import pytest

from .conftest import PageWatch

pytestmark = pytest.mark.browser


def lessons(server_url):
    with urllib.request.urlopen(f"{server_url}/api/lessons", timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def offline_page(browser, server_url):
    """A page whose every request outside the test server is aborted and recorded."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    outside = []
    loopback = urllib.parse.urlsplit(server_url).netloc

    def guard(route):
        if urllib.parse.urlsplit(route.request.url).netloc == loopback:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    watch = PageWatch(context.new_page())
    watch.outside = outside
    yield watch
    context.close()


def wait_lesson(page, lesson_id):
    try:
        page.wait_for_function("(id) => document.body.dataset.lesson === id && document.body.dataset.lessonStatus",
                               arg=lesson_id, timeout=30000)
    except Exception as error:
        shown = page.evaluate("() => JSON.stringify(document.body.dataset)")
        raise AssertionError(f"lesson {lesson_id} did not open: {page.url} shows {shown}") from error


def panel_text(page):
    return page.evaluate("() => document.getElementById('lesson-panel').innerText")


def whole_paths(watch):
    """Stop the lesson's animation at the end: every path drawn in full."""
    watch.settle()
    watch.page.evaluate("() => window.optviz.seek(1e9)")
    watch.settle()


def wait_paths_drawn(watch, lesson):
    """The lesson plays on its own; stopped at its end, each of its runs shows a whole path. Plotly's
    data is read once the plot has been handed the drawn frame (inplace.js writes the SVG of a
    playing frame first and plotly's data ~150 ms after the plot stops moving)."""
    watch.page.wait_for_function("() => window.optviz.player.playing || window.optviz.frame > 0", timeout=20000)
    whole_paths(watch)
    names = watch.page.evaluate("() => window.optviz.runs().map(r => r.label)")
    assert names, lesson["id"]
    try:
        watch.page.wait_for_function(
            "(names) => names.every(name => document.getElementById('plot').data.some("
            "t => t.type === 'scatter' && (t.name || '').startsWith(name) && (t.x || []).length >= 2))",
            arg=names, timeout=5000)
    except Exception:
        pass  # the assertions below say which path is short
    for name in names:
        path = watch.path(name)
        assert path and len(path) >= 2, (lesson["id"], name, path)


def wait_first_epoch(page, lesson):
    # Training started and its first epoch arrived; the rest is not waited for (bounded test).
    page.wait_for_function("() => window.optvizMlp.results.length && window.optvizMlp.results.every("
                           "r => r && r.history && r.history.length >= 1)", timeout=60000)
    assert page.evaluate("() => document.getElementById('panel-mlp').hidden") is False, lesson["id"]


def test_pagedown_walks_every_lesson_offline(offline_page, server_url):
    watch = offline_page
    page = watch.page
    catalogue = lessons(server_url)
    assert len(catalogue) >= 20
    page.goto(f"{server_url}/?lesson={catalogue[0]['id']}&present=1")
    for index, lesson in enumerate(catalogue):
        wait_lesson(page, lesson["id"])
        text = panel_text(page)
        assert lesson["title"] in text and lesson["notice"][0] in text, lesson["id"]
        assert f"{index + 1} / {len(catalogue)}" in text
        assert page.evaluate("() => document.body.dataset.lessonStatus") == "lesson", lesson["id"]
        assert page.evaluate("() => document.body.classList.contains('present')"), "presenter mode carried along"
        if lesson["tab"] == "paths":
            wait_paths_drawn(watch, lesson)
        else:
            wait_first_epoch(page, lesson)
        assert watch.errors == [], (lesson["id"], watch.errors)
        if index + 1 < len(catalogue):
            page.keyboard.press("PageDown")
    # The last lesson has no next one: PageDown stays.
    page.keyboard.press("PageDown")
    page.wait_for_timeout(300)
    assert page.evaluate("() => document.body.dataset.lesson") == catalogue[-1]["id"]
    assert watch.outside == []
    assert all(url.startswith(server_url) for url in watch.requests)


def test_pageup_and_buttons_go_back_and_forth(open_page, server_url):
    catalogue = lessons(server_url)
    watch = open_page(f"?lesson={catalogue[1]['id']}")
    page = watch.page
    wait_lesson(page, catalogue[1]["id"])
    page.keyboard.press("PageUp")
    wait_lesson(page, catalogue[0]["id"])
    assert page.locator("#lesson-panel button[aria-label^='Previous']").is_disabled()
    page.locator("#lesson-panel button[aria-label^='Next']").click()
    wait_lesson(page, catalogue[1]["id"])
    # A clicker's PageDown works even when the last click left the focus on a slider.
    page.locator("#lesson-panel button[aria-label^='Fold']").click()
    page.locator("#steps").focus()
    page.keyboard.press("PageDown")
    wait_lesson(page, catalogue[2]["id"])


def test_the_menu_groups_lessons_by_topic_and_opens_one(open_page, server_url):
    catalogue = lessons(server_url)
    watch = open_page("")
    page = watch.page
    groups = page.evaluate("() => Array.from(document.querySelectorAll('#lesson-menu optgroup'), "
                           "g => [g.label, Array.from(g.children, o => o.value)])")
    topics = list(dict.fromkeys(lesson["topic"] for lesson in catalogue))
    assert [label for label, _ in groups] == topics
    assert [value for _, values in groups for value in values] == [lesson["id"] for lesson in catalogue]
    target = next(lesson for lesson in catalogue if lesson["id"] == "canyon-momentum")
    page.select_option("#lesson-menu", target["id"])
    wait_lesson(page, target["id"])
    assert "sp=condition:100" in page.url and "lesson=canyon-momentum" in page.url
    # A clicker's PageDown right after a lesson was chosen from the menu walks on (the walkthrough:
    # the menu kept the focus and its own PageDown moved its selection instead), and so does one
    # sent to the menu while it has the focus.
    ids = [lesson["id"] for lesson in catalogue]
    at = ids.index(target["id"])
    assert page.evaluate("() => document.activeElement.id") != "lesson-menu"
    page.keyboard.press("PageDown")
    wait_lesson(page, ids[at + 1])
    page.focus("#lesson-menu")
    page.keyboard.press("PageDown")
    wait_lesson(page, ids[at + 2])
    page.keyboard.press("PageUp")
    wait_lesson(page, ids[at + 1])
    assert watch.errors == []


def test_a_change_says_modified_and_restore_brings_the_lesson_back(open_page, server_url):
    watch = open_page("?lesson=canyon-momentum")
    page = watch.page
    wait_lesson(page, "canyon-momentum")
    whole_paths(watch)
    before = watch.path("SGD")
    assert len(before) == 301
    page.locator("#lesson-panel button[aria-label^='Fold']").click()  # the controls come back
    page.evaluate("() => { const s = document.getElementById('steps'); s.value = '100'; "
                  "s.dispatchEvent(new Event('input')); }")
    page.wait_for_function("() => document.body.dataset.lessonStatus === 'modified'", timeout=10000)
    status = page.locator("#lesson-status")
    assert "Modified" in status.inner_text()
    whole_paths(watch)
    assert len(watch.path("SGD")) == 101
    status.locator("button", has_text="Restore").click()
    wait_lesson(page, "canyon-momentum")
    assert page.evaluate("() => document.body.dataset.lessonStatus") == "lesson"
    whole_paths(watch)
    assert watch.path("SGD") == before


def test_presenting_is_no_change_but_now_try_is_its_own_scene(open_page, server_url):
    watch = open_page("?lesson=cliff")
    page = watch.page
    wait_lesson(page, "cliff")
    page.locator("#toggle-present").click()
    page.wait_for_timeout(100)
    assert page.evaluate("() => document.body.dataset.lessonStatus") == "lesson"
    page.locator("#lesson-panel button", has_text="Try it").click()
    wait_lesson(page, "cliff")
    assert page.evaluate("() => document.body.dataset.lessonStatus") == "trying"
    assert "clip=1" in page.url and "present=1" in page.url
    assert "Now trying" in page.locator("#lesson-status").inner_text()


def test_the_student_link_opens_the_lesson_the_same_way(open_page, server_url):
    watch = open_page("?lesson=nesterov")
    page = watch.page
    wait_lesson(page, "nesterov")
    page.locator("#student-link").click()
    link = page.locator("#link-output").input_value()
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
    assert query["lesson"] == ["nesterov"] and query["present"] == ["1"] and query["controls"] == ["0"]
    # Nothing of the untouched MLP form: its default optimizer's default rates were written as
    # m=p.lr:0.1,p.momentum:0.9 into every link.
    assert "m" not in query and "mrun" not in query, link
    student = open_page("?" + urllib.parse.urlsplit(link).query, viewport=(1024, 768))
    wait_lesson(student.page, "nesterov")
    assert student.page.evaluate("() => document.body.dataset.lessonStatus") == "lesson"
    # Controls hidden, the lesson is a strip above the plot (test_lesson_strip.py measures the plot's share).
    assert student.page.locator("#lesson-panel").is_visible()
    assert not student.page.locator("#optimizer-list").is_visible()
    width = student.page.evaluate("() => document.getElementById('plot').getBoundingClientRect().width")
    assert width >= 0.4 * 1024


def test_an_unknown_lesson_falls_back_to_the_default_scene_with_a_notice(open_page):
    watch = open_page("?lesson=no-such-lesson")
    page = watch.page
    banner = page.locator("#banner")
    banner.wait_for(state="visible")
    assert "no-such-lesson" in banner.inner_text()
    assert page.locator("#lesson-panel").count() == 0
    assert "lesson=" not in page.url
    assert page.evaluate("() => window.optviz.state.surface") == "canyon"
    assert watch.errors == []


def test_presenter_mode_at_1024_keeps_the_plot_wide(open_page):
    watch = open_page("?lesson=canyon-momentum&present=1", viewport=(1024, 768))
    page = watch.page
    wait_lesson(page, "canyon-momentum")
    plot = page.evaluate("() => document.getElementById('plot').getBoundingClientRect().width")
    panel = page.locator("#lesson-panel")
    assert panel.is_visible() and plot >= 0.4 * 1024
    # Unfolded, the lesson covers the controls column; folded, the controls come back.
    assert not page.locator("#optimizer-list").is_visible()
    page.locator("#lesson-panel button[aria-label^='Fold']").click()
    assert page.locator("#optimizer-list").is_visible()


def fit_line(page):
    """θ0, θ1 of the line drawn in the regression dual view (from two points of the trace)."""
    traces = page.evaluate("() => document.getElementById('fit-chart').data.map(t => ({mode: t.mode, "
                           "x: Array.from(t.x), y: Array.from(t.y)}))")
    line = next(t for t in traces if t["mode"] == "lines")
    (x0, x1), (y0, y1) = line["x"], line["y"]
    slope = (y1 - y0) / (x1 - x0)
    return y0 - slope * x0, slope, next(t for t in traces if t["mode"] == "markers")


def test_regression_dual_view_draws_the_line_of_the_frame_shown(open_page, server_url):
    watch = open_page("?lesson=batch-gd", viewport=(1024, 768))
    page = watch.page
    wait_lesson(page, "batch-gd")
    whole_paths(watch)
    with urllib.request.urlopen(f"{server_url}/api/surfaces", timeout=30) as response:
        data = next(s for s in json.loads(response.read()) if s["name"] == "linear_regression")["data"]
    for frame in (0, 7, 40):
        page.evaluate("(f) => window.optviz.seek(f)", frame)
        watch.settle()
        theta = watch.path("SGD")[-1]   # the contour's path ends at the point of the frame shown
        theta0, theta1, points = fit_line(page)
        assert theta0 == pytest.approx(theta[0], abs=1e-9) and theta1 == pytest.approx(theta[1], abs=1e-9), frame
        assert points["x"] == pytest.approx(data["x"]) and points["y"] == pytest.approx(data["y"])
    assert page.locator("#fit-box").is_visible()
    box = page.evaluate("() => document.getElementById('plot').getBoundingClientRect().width")
    assert box >= 0.4 * 1024  # the contour keeps its share with the dual view beside it
    # Playing, the line moves with the path.
    page.evaluate("() => { window.optviz.seek(0); window.optviz.togglePlay(); }")
    page.wait_for_function("() => window.optviz.frame >= 20", timeout=20000)
    page.evaluate("() => window.optviz.togglePlay()")
    watch.settle()
    theta = watch.path("SGD")[-1]
    theta0, theta1, _ = fit_line(page)
    assert (theta0, theta1) == pytest.approx(tuple(theta), abs=1e-9)
    # A surface without data has no dual view.
    page.evaluate("() => window.optviz.setSurface('quadratic')")
    watch.settle()
    assert page.locator("#fit-box").is_hidden()


def pair_in(text, name):
    line = next(row for row in text.splitlines() if row.startswith(name))
    inside = line[line.index("(") + 1: line.index(")")]
    return [float(v) for v in inside.split(",")]


def test_the_inspector_shows_the_numerical_gradient_beside_the_analytic_one(open_page):
    watch = open_page("?lesson=gd-bowl")
    page = watch.page
    wait_lesson(page, "gd-bowl")
    whole_paths(watch)
    page.evaluate("() => window.optviz.seek(5)")
    watch.settle()
    check = page.locator("#inspector .gradient-check:not(.stale)")
    check.wait_for(state="visible", timeout=20000)
    text = check.inner_text()
    assert "h = 0.0001" in text and "central differences" in text
    x, y = watch.path("SGD")[-1]
    # f = ½(x² + 4y²): ∇f = (x, 4y) by hand; the numerical one agrees to the digits shown.
    analytic = pair_in(text.replace("\t", " "), "∇f analytic")
    numerical = pair_in(text.replace("\t", " "), "numerical")
    assert analytic == pytest.approx([x, 4 * y], rel=1e-5)
    assert numerical == pytest.approx([x, 4 * y], rel=1e-5)


# Cells of the gradient check that reach past the inspector's right edge (which clips them).
PAST_THE_EDGE = """() => {
  const edge = document.getElementById('inspector').getBoundingClientRect().right;
  return [...document.querySelectorAll('#inspector .gradient-check td')]
    .filter((td) => td.getBoundingClientRect().right > edge + 0.5).map((td) => td.textContent);
}"""


@pytest.mark.parametrize("viewport", [(1920, 1080), (1500, 950)])
def test_at_a_converged_step_the_gradient_check_does_not_report_rounding_as_a_difference(open_page, viewport):
    # The walkthrough saw "rel. difference 0.0063" at a converged point, where both gradients
    # are ~1e-9 and differ by the central difference's own error (surfaces/gradient_check.py).
    # The sentence that says so fits the inspector's column (at 1920 it ran past its edge).
    watch = open_page("?surface=local_minima&steps=1500&present=1", viewport=viewport)
    watch.settle()
    check = watch.page.locator("#inspector .gradient-check:not(.stale)")
    check.wait_for(state="visible", timeout=20000)
    values = watch.page.evaluate("""() => [...document.querySelectorAll('#inspector .gradient-check tr')]
      .filter((tr) => tr.cells[0].textContent === 'rel. difference').map((tr) => tr.cells[1].textContent)""")
    assert len(values) == 3, values
    for value in values:
        assert value.startswith("≈ 0: within the numerical gradient's error ±") or float(value) < 1e-4, value
    assert watch.page.evaluate(PAST_THE_EDGE) == []
    assert watch.errors == []


def test_a_lesson_change_stays_on_the_page_and_back_returns(open_page, server_url):
    """Next, previous, the menu and "Restore" change the scene in place: a reload showed a blank,
    unstyled page for up to 2 s on a projector at every lesson. Back returns to the lesson before."""
    catalogue = lessons(server_url)
    mlp_lesson = next(lesson for lesson in catalogue if lesson["tab"] == "mlp")
    watch = open_page(f"?lesson={catalogue[0]['id']}&present=1", viewport=(1024, 768))
    page = watch.page
    wait_lesson(page, catalogue[0]["id"])
    page.evaluate("() => { window.stillTheSamePage = true; }")
    same_page = "() => window.stillTheSamePage === true"

    page.keyboard.press("PageDown")
    second = catalogue[1]
    wait_lesson(page, second["id"])
    assert page.evaluate(same_page), "PageDown reloaded the page"
    assert f"2 / {len(catalogue)}" in panel_text(page) and second["title"] in panel_text(page)
    wait_paths_drawn(watch, second)
    assert "present=1" in page.url and f"lesson={second['id']}" in page.url and "sweep=" in page.url

    page.select_option("#lesson-menu", mlp_lesson["id"])
    wait_lesson(page, mlp_lesson["id"])
    assert page.evaluate(same_page), "the lesson menu reloaded the page"
    wait_first_epoch(page, mlp_lesson)
    assert page.evaluate("() => document.getElementById('panel-paths').hidden") is True
    assert page.evaluate("() => window.optvizMlp.mlp.runs.length") == mlp_lesson["link"].count("mrun=")

    page.go_back()
    wait_lesson(page, second["id"])
    assert page.evaluate(same_page), "Back reloaded the page"
    assert page.evaluate("() => document.getElementById('panel-paths').hidden") is False
    assert page.evaluate("() => window.optvizMlp.controller") is None, "the MLP lesson's training still runs"
    wait_paths_drawn(watch, second)
    assert page.evaluate("() => document.body.dataset.lessonStatus") == "lesson"
    assert len(page.locator("#lesson-panel").all()) == 1


def test_a_long_lesson_keeps_its_count_and_buttons_in_view(open_page):
    # At 1024 presenter the Adam lesson is longer than the controls column, which scrolls.
    watch = open_page("?lesson=adam-first-step&present=1", viewport=(1024, 768))
    page = watch.page
    wait_lesson(page, "adam-first-step")
    column = "document.querySelector('#panel-paths .controls')"
    assert page.evaluate(f"() => {column}.scrollHeight > {column}.clientHeight"), "the lesson fits: the test shows nothing"
    page.evaluate(f"() => {{ {column}.scrollTop = 1e6; }}")
    page.wait_for_timeout(100)
    shown = page.evaluate("""() => ['Next', 'Previous'].map((name) => {
        const button = document.querySelector(`#lesson-panel button[aria-label^='${name}']`);
        const r = button.getBoundingClientRect();
        return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === button; })""")
    assert shown == [True, True]
    assert "Lesson" in page.locator("#lesson-panel .lesson-count").inner_text()


def test_the_first_lesson_marks_every_step(open_page):
    # "Each step is shorter than the one before" needs the steps on screen: a dot at each point.
    watch = open_page("?lesson=gd-bowl&present=1", viewport=(1024, 768))
    page = watch.page
    wait_lesson(page, "gd-bowl")
    assert page.evaluate("() => document.body.dataset.lessonStatus") == "lesson"
    assert page.locator("#marks").input_value() == "1"
    whole_paths(watch)
    sizes = page.evaluate("() => document.getElementById('plot').data.find((t) => (t.name || '').startsWith('SGD')"
                          " && t.mode === 'lines+markers').marker.size")
    assert len(sizes) == 61 and all(size > 0 for size in sizes)
