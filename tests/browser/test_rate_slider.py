"""The learning-rate slider of the paths tab is centred on the rate suggested for the surface: the
suggested rate sits in its middle, a quarter of the slider is under a decade (the whole schema
range, 1e-5 to 10, made a quarter two decades, too touchy to narrate), and its right end is past
the rate at which the run diverges, so "make it diverge" is a drag."""
import pytest

from .test_redraw import move_slider

pytestmark = pytest.mark.browser


def test_the_rate_slider_centres_on_the_suggested_rate_and_reaches_divergence(open_page):
    watch = open_page("?surface=quadratic&run=sgd")
    suggested = watch.page.evaluate("() => window.optviz.suggestedLr('sgd')")
    slider = watch.page.locator("#sgd-lr")
    middle = int(slider.input_value())
    assert abs(middle - 500) <= 1, middle
    rates = {}
    for position in (375, 625, 1000):
        move_slider(watch, "sgd-lr", position)
        watch.settle()
        rates[position] = watch.page.evaluate("() => window.optviz.paramsOf('sgd').lr")
    assert rates[625] / rates[375] < 10, rates  # a quarter of the slider: under a decade
    assert rates[375] < suggested < rates[625]
    # The quadratic's SGD diverges past lr = 2 / L; the slider's end is beyond it.
    assert watch.page.evaluate("() => window.optviz.results.sgd.status") == "diverged", rates
    assert watch.errors == []
