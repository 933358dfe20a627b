"""Keyboard and mouse that respect controls: shortcuts only when no control has the focus, arrow
keys on sliders, no zoom on the contour, undo (Ctrl+Z) and "Reset scene"."""
import pytest

pytestmark = pytest.mark.browser


def state(watch):
    return watch.page.evaluate("() => JSON.parse(JSON.stringify(window.optviz.state))")


def test_space_on_a_focused_checkbox_toggles_it_and_does_not_play(open_page):
    watch = open_page()
    frame = watch.page.evaluate("() => window.optviz.frame")
    watch.page.focus("#opt-nadam")
    watch.page.keyboard.press(" ")
    watch.settle()
    assert watch.page.is_checked("#opt-nadam") and "nadam" in state(watch)["enabled"]
    assert watch.page.evaluate("() => window.optviz.player.playing") is False
    assert watch.page.evaluate("() => window.optviz.frame") == frame
    watch.page.focus("#play")  # Space on a focused button presses that button, once
    watch.page.keyboard.press(" ")
    assert watch.page.evaluate("() => window.optviz.player.playing") is True


def test_arrow_keys_move_a_focused_slider(open_page):
    watch = open_page()
    before = watch.page.evaluate("() => window.optviz.paramsOf('sgd').lr")
    frame = watch.page.evaluate("() => window.optviz.frame")
    watch.page.focus("#sgd-lr")
    for _ in range(5):
        watch.page.keyboard.press("ArrowRight")
    watch.settle()
    assert state(watch)["params"]["sgd"]["lr"] > before
    assert watch.page.evaluate("() => window.optviz.frame") == frame  # the animation did not step


def test_the_contour_does_not_zoom(open_page):
    watch = open_page()
    layout = watch.page.evaluate("() => { const l = document.getElementById('plot').layout;"
                                 " return [l.dragmode, l.xaxis.fixedrange, l.yaxis.fixedrange]; }")
    assert layout == [False, True, True]


def test_ctrl_z_undoes_the_last_change_and_reset_restores_the_defaults(open_page):
    watch = open_page()
    original = watch.page.evaluate("() => window.optviz.results.sgd.points")
    box = watch.page.locator("[data-row=sgd] .slider-row input[type=number]").first
    box.fill("0.001")
    box.dispatch_event("change")
    watch.settle()
    assert watch.page.evaluate("() => window.optviz.results.sgd.points") != original
    watch.page.evaluate("() => document.activeElement.blur()")
    watch.page.keyboard.press("Control+z")
    watch.settle()
    assert "lr" not in state(watch)["params"].get("sgd", {})
    assert watch.page.evaluate("() => window.optviz.results.sgd.points") == original
    assert watch.page.input_value("[data-row=sgd] .slider-row input[type=number]") != "0.001"
    # Several changes, then "Reset scene": the surface's default start, rates and optimizers.
    watch.page.fill("#start-x", "3")
    watch.page.dispatch_event("#start-x", "change")
    watch.settle()
    watch.page.check("#opt-nadam")
    watch.settle()
    watch.page.click("#reset-scene")
    watch.settle()
    after = state(watch)
    assert after["start"] is None and "nadam" not in after["enabled"]
    assert watch.page.evaluate("() => window.optviz.results.sgd.points") == original
    assert not watch.page.is_checked("#opt-nadam")
    assert watch.errors == []


def lr_of(watch, name):
    return state(watch)["params"].get(name, {}).get("lr")


def undo(watch):
    watch.page.evaluate("() => document.activeElement && document.activeElement.blur()")
    watch.page.keyboard.press("Control+z")
    watch.settle()


def test_one_slow_slider_drag_is_one_undo_step(open_page):
    watch = open_page()
    page = watch.page
    original = page.evaluate("() => window.optviz.results.sgd.points")
    slider = page.locator("#sgd-lr").bounding_box()
    x, y = slider["x"] + slider["width"] * 0.3, slider["y"] + slider["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, 4):  # a lecturer's drag, pausing to talk between moves
        page.mouse.move(x + k * slider["width"] * 0.15, y, steps=3)
        page.wait_for_timeout(900)
    page.mouse.up()
    watch.settle()
    assert lr_of(watch, "sgd") is not None
    undo(watch)
    assert lr_of(watch, "sgd") is None
    assert page.evaluate("() => window.optviz.results.sgd.points") == original


def test_undo_restores_exactly_the_previous_scene(open_page):
    watch = open_page()
    page = watch.page
    # A checkbox turned off, then a learning rate typed: undo takes back the rate only.
    page.uncheck("#opt-momentum")
    watch.settle()
    box = page.locator("[data-row=sgd] .slider-row input[type=number]").first
    box.fill("0.001")
    box.dispatch_event("change")
    watch.settle()
    undo(watch)
    assert lr_of(watch, "sgd") is None and "momentum" not in state(watch)["enabled"]
    assert not page.is_checked("#opt-momentum")
    undo(watch)
    assert "momentum" in state(watch)["enabled"] and page.is_checked("#opt-momentum")
    # Two changes in quick succession are two steps, not one.
    page.check("#opt-nadam")
    box.fill("0.002")
    box.dispatch_event("change")
    watch.settle()
    undo(watch)
    assert lr_of(watch, "sgd") is None and "nadam" in state(watch)["enabled"]
    assert watch.errors == []


def test_home_and_end_go_to_the_first_and_the_last_step(open_page):
    # A clicker's or keyboard's Home / End: back to the start of the paths, or straight to where
    # every run ended (the default page opens at the end, so End is tried after Home).
    watch = open_page()
    last = watch.page.evaluate("() => window.optviz.maxFrame()")
    watch.page.evaluate("() => document.activeElement && document.activeElement.blur()")
    watch.page.keyboard.press("Home")
    watch.settle()
    assert watch.page.evaluate("() => window.optviz.frame") == 0
    watch.page.keyboard.press("End")
    watch.settle()
    assert watch.page.evaluate("() => window.optviz.frame") == last > 0
    assert watch.page.input_value("#scrubber") == str(last)
