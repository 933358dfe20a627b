"""No name is cut at a projector's 1024x768 in presenter mode with the controls shown: the closed
menus (the lessons menu in the top bar, the surface menu) show their whole chosen name."""
import pytest

pytestmark = pytest.mark.browser

# Each visible select: the chosen option's width in the select's own font, and the room its box
# leaves for it (less its padding and the drop-down arrow).
CUT_SELECTS = """() => {
  const measure = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll('select')].filter((s) => s.offsetWidth > 0).map((s) => {
    const style = getComputedStyle(s);
    measure.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = s.selectedOptions[0]?.textContent || '';
    const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 24;
    return {id: s.id, text, width: measure.measureText(text).width, room};
  }).filter((s) => s.text && s.width > s.room + 1);
}"""


@pytest.mark.parametrize("query", ["?present=1&surface=linear_regression", "?present=1&lesson=learning-rate",
                                   "?present=1&lesson=batch-gd", "?present=1&controls=0&lesson=batch-gd",
                                   "?present=1&surface=linear_regression&tab=mlp"])
def test_closed_menus_show_their_whole_name_at_1024_in_presenter_mode(open_page, query):
    watch = open_page(query, viewport=(1024, 768))
    watch.page.wait_for_timeout(300)
    assert watch.page.evaluate(CUT_SELECTS) == []
    name = query[1:].replace("&", "_").replace("=", "-")
    watch.page.screenshot(path=f"/work/helpers/shots/fit/menus_{name}_1024.png")
