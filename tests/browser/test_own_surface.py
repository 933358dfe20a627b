"""The formula box and the data box: a function you type, data you paste, both kept in the link."""
import json
import urllib.request

import pytest

from .api_helpers import assert_contour_over

pytestmark = pytest.mark.browser

HIMMELBLAU = "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"


def state(watch):
    return watch.page.evaluate("() => JSON.parse(JSON.stringify(window.optviz.state))")


def typed_name(server_url):
    with urllib.request.urlopen(f"{server_url}/api/formula") as response:
        return json.loads(response.read())["name"]


def post(server_url, body):
    request = urllib.request.Request(f"{server_url}/api/trajectories", data=json.dumps(body).encode(),
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def choose_typed(watch, server_url):
    watch.page.select_option("#surface", typed_name(server_url))
    watch.settle()


def apply_formula(watch, formula):
    watch.page.fill("#formula-input", formula)
    watch.page.press("#formula-input", "Enter")
    watch.page.wait_for_function("(f) => window.optviz.state.formula === f", arg=formula)
    watch.settle()


def test_a_typed_formula_draws_the_paths_the_api_computes(open_page, server_url):
    watch = open_page()
    choose_typed(watch, server_url)
    apply_formula(watch, HIMMELBLAU)
    assert watch.page.locator("#formula-message math").count() == 1 and watch.errors == []
    page_state = state(watch)
    start = watch.page.evaluate("() => window.optviz.start()")
    for name, label in (("adam", "Adam"), ("sgd", "SGD")):
        lr = watch.page.evaluate("(n) => window.optviz.paramsOf(n).lr", name)
        answer = post(server_url, {"surface": page_state["surface"], "formula": HIMMELBLAU, "start": start,
                                   "steps": page_state["steps"], "runs": [{"optimizer": name, "params": {"lr": lr}}]})
        expected = answer["runs"][0]["points"]
        drawn = watch.path(label)
        assert len(drawn) == len(expected)
        assert all(abs(a - b) <= 1e-9 * max(1, abs(b)) for p, q in zip(drawn, expected) for a, b in zip(p, q))
    contour = next(t for t in watch.traces("plot-back") if t["type"] == "contour")
    assert_contour_over(contour, ((-3, 3), (-3, 3)))  # the typed surface's default plot


def test_a_bad_formula_is_marked_where_it_goes_wrong_without_a_request_storm(open_page, server_url):
    watch = open_page()
    choose_typed(watch, server_url)
    watch.page.fill("#formula-input", "")
    before = len(watch.requests)
    watch.page.type("#formula-input", "x + 2*y +* 3", delay=40)  # a keystroke every 40 ms
    watch.page.wait_for_selector("#formula-message.error .formula-at mark")
    checks = [url for url in watch.requests[before:] if "/api/formula" in url]
    assert 1 <= len(checks) <= 2  # the pause after typing, not one per keystroke
    assert not any("/api/trajectories" in url for url in watch.requests[before:])
    message = watch.page.inner_text("#formula-message .formula-error-text")
    assert "found '*' at position 10" in message
    assert watch.page.get_attribute("#formula-message .formula-at", "data-position") == "9"
    assert watch.page.inner_text("#formula-message .formula-at mark") == "*"
    assert watch.page.is_disabled("#formula-apply")
    watch.page.press("#formula-input", "Enter")  # refused: the caret goes to the character
    assert watch.page.evaluate("() => document.getElementById('formula-input').selectionStart") == 9
    assert state(watch)["formula"] != "x + 2*y +* 3"


def test_a_link_with_a_formula_reopens_the_same_scene(open_page, server_url):
    watch = open_page()
    choose_typed(watch, server_url)
    watch.page.fill("#formula-x0", "-2")
    watch.page.fill("#formula-x1", "2")
    watch.page.fill("#formula-y0", "-1")
    watch.page.fill("#formula-y1", "1.5")
    apply_formula(watch, "x^2 - y^2")
    assert "formula=" in watch.page.url and "domain=-2,2,-1,1.5" in watch.page.url
    drawn = watch.path("Adam")
    again = open_page("?" + watch.page.url.split("?", 1)[1])
    assert again.page.input_value("#formula-input") == "x^2 - y^2"
    assert again.page.input_value("#surface") == typed_name(server_url)
    assert again.path("Adam") == drawn and len(drawn) > 10
    contour = next(t for t in again.traces("plot-back") if t["type"] == "contour")
    assert_contour_over(contour, ((-2, 2), (-1, 1.5)))
    assert again.errors == []


def regression(watch):
    name = watch.page.evaluate("() => Object.values(window.optviz.meta.surfaces).find((s) => s.own_data).name")
    watch.page.select_option("#surface", name)
    watch.settle()
    watch.page.click("#data-box > summary")


def test_csv_with_bad_rows_reports_their_line_numbers_and_fits_nothing(open_page):
    watch = open_page()
    regression(watch)
    before = len(watch.requests)
    watch.page.fill("#data-text", "x,y\n1,2\n2,abc\n\n3,7,9\n4,8")
    watch.page.click("#data-apply")
    message = watch.page.inner_text("#data-message")
    assert "line 3: “abc” is not a number" in message and "line 5: expected 2 values (x, y), found 3" in message
    assert state(watch)["data"] is None
    # Nothing is sent for them: no data grid or scene, no paths. (The page may still ask for
    # what it asks for at rest: the gradient check once the scene is still, the grid of a resized view.)
    sent = [url for url in watch.requests[before:] if "/data/" in url or url.endswith("/api/trajectories")]
    assert sent == []


def test_your_data_are_fitted_shown_and_kept_in_the_link(open_page, server_url):
    watch = open_page()
    regression(watch)
    rows = [[x / 2, 10 + 3 * x / 2 + (-1) ** x * 0.5] for x in range(12)]
    watch.page.fill("#data-text", "\n".join(f"{x}\t{y}" for x, y in rows))  # a column pair from a spreadsheet
    watch.page.click("#data-apply")
    watch.page.wait_for_function("() => window.optviz.state.data !== null")
    watch.settle()
    assert state(watch)["data"] == rows and "data=" in watch.page.url
    # the fit view beside the contour shows your points
    fit = watch.page.evaluate("() => document.getElementById('fit-chart').data[0]")
    assert fit["x"] == [r[0] for r in rows] and fit["y"] == [r[1] for r in rows]
    scene = watch.page.evaluate("() => window.optviz.scene")
    drawn = watch.path("SGD")
    expected = post(server_url, {"surface": state(watch)["surface"], "data": rows, "start": scene["start"],
                                 "steps": state(watch)["steps"],
                                 "runs": [{"optimizer": "sgd", "params": {"lr": scene["suggested_lr"]["sgd"]}}]})
    assert drawn == [tuple(p) for p in expected["runs"][0]["points"]]
    again = open_page("?" + watch.page.url.split("?", 1)[1])
    assert state(again)["data"] == rows and again.path("SGD") == drawn and again.errors == []


def test_data_too_many_for_a_link_are_fitted_but_left_out_of_it(open_page, tmp_path):
    watch = open_page()
    regression(watch)
    rows = [[i * 0.001234567, 2 + i * 0.00987654321] for i in range(400)]
    csv_file = tmp_path / "measurements.csv"
    csv_file.write_text("x,y\n" + "\n".join(f"{x!r},{y!r}" for x, y in rows))
    watch.page.set_input_files("#data-file", str(csv_file))
    watch.page.wait_for_function("() => window.optviz.state.data !== null")
    watch.settle()
    assert len(state(watch)["data"]) == 400 and "data=" not in watch.page.url
    assert "too many for a link" in watch.page.inner_text("#data-message")
    assert len(watch.path("SGD")) > 10 and watch.errors == []


def test_the_csv_reader_numbers_lines_as_an_editor_does(open_page):
    watch = open_page()
    result = watch.page.evaluate("""async () => {
      const { parseCsv, decodeData, encodeData } = await import('/static/js/csvdata.js');
      const caps = { maxRows: 5, maxAbs: 1e6 };
      const read = (text) => parseCsv(text, caps);
      return {
        mixed: read('x,y\\r\\n1,2\\n\\n# a comment\\n3;4\\n5\\t6\\n"7", 8\\n9,1e999\\n10,0x1F'),
        tooMany: read('1,1\\n2,2\\n3,3\\n4,4\\n5,5\\n6,6'),
        sameX: read('1,1\\n1,2'),
        roundTrip: decodeData(encodeData([[0.1, 1e-7], [-2.5, 3]]), caps),
        badLink: [decodeData('1,2;1,3', caps), decodeData('1,2;3', caps), decodeData('1,2;3,Infinity', caps)],
      };
    }""")
    mixed = result["mixed"]
    assert mixed["header"] and mixed["rows"] == [[1, 2], [3, 4], [5, 6], [7, 8]]
    assert mixed["errors"] == [{"line": 8, "message": "values must be within ±1000000"},
                               {"line": 9, "message": "“0x1F” is not a number"}]
    assert result["tooMany"]["errors"][0]["message"] == "6 rows: at most 5 are allowed"
    assert "2 distinct x" in result["sameX"]["errors"][0]["message"]
    assert result["roundTrip"] == [[0.1, 1e-7], [-2.5, 3]]
    assert result["badLink"] == [None, None, None]
