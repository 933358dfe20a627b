"""The inspector's gradient check lines its runs up in shared columns: at a projector's 1024×768
(presenter mode, controls hidden, as the walkthrough saw it) and at 1920×1080, each label and each
value of every run starts at the same x as the other runs' (separate tables per run sized their
columns each to their own content: the values of SGD, Momentum and Adam started at 410, 445 and
445 px)."""
import pytest

pytestmark = pytest.mark.browser

# For each run (a row group headed by its name): the left x of each row's label and value cell.
CELL_LEFTS = """() => {
  const rows = [...document.querySelectorAll('#inspector .gradient-check tr')];
  const runs = [];
  for (const tr of rows) {
    if (tr.cells.length === 1) { runs.push({name: tr.cells[0].textContent, rows: {}}); continue; }
    const [label, value] = tr.cells;
    runs[runs.length - 1].rows[label.textContent] = [label.getBoundingClientRect().left, value.getBoundingClientRect().left,
                                                     value.textContent];
  }
  return runs;
}"""


@pytest.mark.parametrize("viewport", [(1024, 768), (1920, 1080)])
def test_the_gradient_check_values_of_every_run_share_one_column(open_page, viewport):
    watch = open_page("?present=1&controls=0", viewport=viewport)
    check = watch.page.locator("#inspector .gradient-check:not(.stale)")
    check.wait_for(state="visible", timeout=20000)
    runs = watch.page.evaluate(CELL_LEFTS)
    assert [run["name"] for run in runs] == watch.page.evaluate("() => window.optviz.runs().map(r => r.label)")
    assert len(runs) == 3
    labels = ["∇f analytic", "numerical", "rel. difference"]
    label_x = {run["rows"][name][0] for run in runs for name in labels}
    value_x = {run["rows"][name][1] for run in runs for name in labels}
    assert max(label_x) - min(label_x) < 0.5, runs
    assert max(value_x) - min(value_x) < 0.5, runs
    # and the values are beside their labels, not across a stretched column
    widest_label = watch.page.evaluate("""() => Math.max(...[...document.querySelectorAll(
      '#inspector .gradient-check td:first-child')].map((td) => td.getBoundingClientRect().width))""")
    assert min(value_x) - min(label_x) <= widest_label + 1
    assert watch.errors == []


STATE = """() => { const c = document.querySelector('#inspector .gradient-check');
  return c && {stale: c.classList.contains('stale'), text: c.innerText, step: document.querySelector('#inspector h2').textContent}; }"""


@pytest.mark.parametrize("viewport", [(1024, 768), (1920, 1080)])
def test_after_a_resize_the_gradient_check_is_current_once_the_redraw_is_done(open_page, viewport):
    """A resize redraws the same step: the check shown is that step's and is not dimmed as stale once
    the redraw is done (it stayed dimmed for ~1.5 s, until a check of the same points came back)."""
    watch = open_page("?present=1&controls=0", viewport=viewport)
    page = watch.page
    page.locator("#inspector .gradient-check:not(.stale)").wait_for(state="visible", timeout=20000)
    before = page.evaluate(STATE)
    for size in [(viewport[0] - 60, viewport[1] - 40), viewport]:
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.wait_for_function("() => window.optviz.resizing", timeout=5000)
        watch.settle()
        after = page.evaluate(STATE)
        assert after and not after["stale"], (size, after)
        assert after["text"] == before["text"] and after["step"] == before["step"], (before, after)
    assert watch.errors == []
