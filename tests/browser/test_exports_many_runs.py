"""An exported slide of many runs keeps its title and legend inside the image. With all 17
optimizers on, the PNG's and GIF's legend listed each run with its message ("Momentum — ran all
300 steps, ending near the minimum"): the names ran past the image's right edge and the list past
its bottom, and the title, naming every run, took three lines."""
import pytest

from tests.browser.test_layout import all_optimizers_link

pytestmark = pytest.mark.browser

# Wraps a Plotly export method: the last figure (with a legend) and size an image is made from.
RECORD = """(method) => {
    const original = window.Plotly[method];
    window.Plotly[method] = function (figure, options) {
        if (figure.layout.showlegend !== false) window.exportedFigure = { figure: JSON.parse(JSON.stringify(figure)), options };
        return original.apply(this, arguments);
    };
}"""

# Draws the recorded figure at its export size and measures what plotly laid out.
MEASURE = """async () => {
    const { figure, options } = window.exportedFigure;
    const box = document.createElement('div');
    box.style.cssText = `position:absolute; left:0; top:0; width:${options.width}px; height:${options.height}px`;
    document.body.append(box);
    await window.Plotly.newPlot(box, figure.data, { ...figure.layout, width: options.width, height: options.height });
    const paper = box.querySelector('.main-svg').getBoundingClientRect();
    const inside = (node) => { const r = node.getBoundingClientRect();
        return { left: r.left - paper.left, top: r.top - paper.top, right: r.right - paper.left, bottom: r.bottom - paper.top }; };
    const out = { width: options.width, height: options.height,
                  legend: inside(box.querySelector('.legend')),
                  entries: [...box.querySelectorAll('.legend .legendtext')].map((t) => t.textContent),
                  title: [...box.querySelectorAll('.gtitle')].map(inside) };
    box.remove();
    return out;
}"""


@pytest.mark.parametrize("export", ["png", "gif"])
def test_a_slide_of_all_optimizers_keeps_its_legend_and_title_inside(open_page, server_url, export):
    watch = open_page(all_optimizers_link(server_url).replace("surface=plateau", "surface=canyon") + "&present=1",
                      viewport=(1024, 768))
    page = watch.page
    labels = page.evaluate("() => window.optviz.runs().map((r) => r.label)")
    assert len(labels) >= 15
    if export == "png":
        page.evaluate(RECORD, "downloadImage")
        with page.expect_download(timeout=60000):
            page.click("[data-export=png]")
    else:  # the first frames are enough: every frame has the same legend and title
        page.evaluate(RECORD, "toImage")
        page.click("[data-export=gif]")
        page.wait_for_function("() => window.exportedFigure", timeout=60000)
        page.keyboard.press("Escape")
    shown = page.evaluate(MEASURE)
    legend, width, height = shown["legend"], shown["width"], shown["height"]
    assert legend["right"] <= width and legend["bottom"] <= height, shown
    assert all(title["top"] >= 0 and title["bottom"] <= height for title in shown["title"]), shown
    # Every run is named; with this many, by its name alone (each message is on the page).
    for label in labels:
        assert label in shown["entries"], (label, shown["entries"])
    assert watch.errors == []
