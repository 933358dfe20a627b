"""Before any training the MLP charts show empty ranges that mean something: epochs from 0 and a
loss from 0 (plotly's default for no data was -1 to 6 on both axes: negative epochs and losses).
Once a run trains, the axes follow its data again."""
import pytest

from .mlp_helpers import SMALL, add_run, mlp_page, train_to_end  # noqa: F401  (mlp_page is a fixture)

pytestmark = pytest.mark.browser

RANGES = """() => Object.fromEntries(['mlp-loss', 'mlp-accuracy', 'mlp-gradients'].map((id) => {
  const layout = document.getElementById(id)._fullLayout;
  return [id, {x: layout.xaxis.range, y: layout.yaxis.range, ylog: layout.yaxis.type === 'log'}];
}))"""


def test_empty_mlp_charts_start_at_epoch_and_loss_zero(mlp_page):
    watch = mlp_page(viewport=(1920, 1080))
    page = watch.page
    page.wait_for_function("() => document.getElementById('mlp-gradients')._fullLayout", timeout=20000)
    ranges = page.evaluate(RANGES)
    for chart, r in ranges.items():
        assert r["x"][0] == 0 and r["x"][1] >= 1, (chart, r)
        if not r["ylog"]:
            assert r["y"][0] == 0 and r["y"][1] > 0, (chart, r)
    # A trained run: the epoch axis spans its epochs and the loss axis its losses.
    add_run(watch, **SMALL)
    train_to_end(watch)
    page.wait_for_timeout(300)
    ranges = page.evaluate(RANGES)
    losses = page.evaluate("() => window.optvizMlp.results[0].history.flatMap(e => [e.train_loss, e.val_loss])")
    for chart, r in ranges.items():
        x0, x1 = r["x"]
        assert x0 <= 0 and 2.9 <= x1 <= 3.5, (chart, r)  # epochs 0..3, plotly's padding
    y0, y1 = ranges["mlp-loss"]["y"]
    assert y0 <= min(losses) and y1 >= max(losses) and y1 < 2 * max(losses)
    assert watch.errors == []
