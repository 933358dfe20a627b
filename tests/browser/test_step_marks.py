"""An optional dot every k steps on every path (one control for all optimizers, in the link)."""
import pytest

pytestmark = pytest.mark.browser

# The paths' traces (not the arrows', which are lines too: plots.js arrowTraces).
MARKED = """() => document.getElementById('plot').data.filter((t) => t.type === 'scatter' && (t.mode || '').startsWith('lines')
    && !['−∇f direction', 'step'].includes(t.name))
  .map((t) => ({name: t.name, mode: t.mode, n: t.x.length,
                marked: t.marker && Array.isArray(t.marker.size) ? t.marker.size.flatMap((s, i) => (s > 0 ? [i] : [])) : []}))"""


def test_a_dot_every_k_steps_on_every_path(open_page):
    watch = open_page("?surface=canyon&steps=40&marks=10&run=sgd&run=adam&run=nadam")
    paths = watch.page.evaluate(MARKED)
    assert len(paths) == 3
    for path in paths:
        assert path["mode"] == "lines+markers"
        assert path["marked"] == list(range(0, path["n"], 10)), path
    watch.page.select_option("#marks", "5")
    watch.settle()
    for path in watch.page.evaluate(MARKED):
        assert path["marked"] == list(range(0, path["n"], 5)), path
    assert "marks=5" in watch.page.url
    watch.page.select_option("#marks", "0")
    watch.settle()
    assert all(path["mode"] == "lines" for path in watch.page.evaluate(MARKED))
    assert "marks=" not in watch.page.url
    assert watch.errors == []


def test_a_step_mark_outside_the_choices_is_ignored(open_page):
    watch = open_page("?surface=canyon&steps=20&marks=7")
    assert watch.page.evaluate("() => window.optviz.state.marks") == 0
    assert watch.page.input_value("#marks") == "0"
