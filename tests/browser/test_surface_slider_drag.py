"""A surface parameter's slider (the canyon's condition number κ) keeps working under the mouse
while the server answers the scene for each new value: the slider under the pointer is the same
element before and after an answer (it was rebuilt after each, which ended the drag), and a drag
across it moves κ continuously over its whole schema range (the log slider stopped at 10 for a
parameter allowed up to 1000, with its default at 100)."""
import json
import math
import urllib.request

import pytest

pytestmark = pytest.mark.browser


def canyon_condition(server_url):
    with urllib.request.urlopen(f"{server_url}/api/surfaces", timeout=30) as response:
        canyon = next(s for s in json.loads(response.read()) if s["name"] == "canyon")
    return next(p for p in canyon["parameters"] if p["name"] == "condition")


def test_the_slider_node_survives_a_scene_answer(open_page):
    watch = open_page("?surface=canyon")
    page = watch.page
    page.evaluate("() => { document.getElementById('sp-condition').dataset.marker = 'first'; }")
    box = page.locator("#sp-condition").locator("xpath=..").locator("input[type=number]")
    box.fill("30")
    box.press("Enter")
    watch.settle()
    assert page.evaluate("() => window.optviz.scene && window.optviz.state.surfaceParams.condition") == 30
    assert page.evaluate("() => document.getElementById('sp-condition').dataset.marker") == "first"
    # its value still shows what is in use, in place
    assert float(box.input_value()) == 30
    # Another surface with other parameters builds its own controls.
    page.select_option("#surface", "rosenbrock")
    watch.settle()
    assert page.locator("#sp-condition").count() == 0


def test_a_mouse_drag_across_kappa_moves_it_continuously(open_page, server_url):
    spec = canyon_condition(server_url)
    watch = open_page("?surface=canyon", viewport=(1920, 1080))
    page = watch.page
    answers = []
    page.on("response", lambda r: answers.append(r.url) if "/scene" in r.url else None)
    slider = page.locator("#sp-condition")
    slider.scroll_into_view_if_needed()
    area = slider.bounding_box()
    y = area["y"] + area["height"] / 2
    x0, x1 = area["x"] + 2, area["x"] + area["width"] - 2
    page.mouse.move(x0, y)
    page.mouse.down()
    values = []
    moves = 30
    for k in range(1, moves + 1):
        page.mouse.move(x0 + (x1 - x0) * k / moves, y)
        page.wait_for_timeout(150)  # scene answers arrive during the drag (one is asked for at a time)
        values.append(page.evaluate("() => window.optviz.state.surfaceParams.condition"))
    page.mouse.up()
    during = len(answers)
    watch.settle()
    assert during >= 2, answers  # the drag went on through several answers
    assert all(v is not None for v in values), values
    assert values == sorted(values) and len(set(values)) >= moves - 2, values  # every move moved κ
    assert values[-1] == pytest.approx(spec["maximum"], rel=0.02)  # the whole range: up to 1000
    # half-way along the track is half-way in log κ
    assert math.log10(values[moves // 2 - 1]) == pytest.approx(
        (math.log10(spec["minimum"]) + math.log10(spec["maximum"])) / 2, abs=0.2)
    assert page.evaluate("() => window.optviz.scene.start") is not None
    assert watch.errors == []
