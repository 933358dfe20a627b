"""The MLP tab as a lecturer meets it on a projector (walkthrough 3): after a preset's Train the
loss curves are on screen without scrolling, the loss chart's title row is one line (the star's
meaning a compact mark), an N(0, 1) spike does not flatten every other run (the loss axis turns
logarithmic by itself, and says so), and the histograms open at the epoch the preset's or the
lesson's text speaks of."""
import urllib.parse

import pytest

from .api_helpers import api
from .mlp_helpers import mlp_page, train_to_end  # noqa: F401
from .test_mlp_plots import boxes

pytestmark = pytest.mark.browser

PROJECTOR = (1024, 768)
FULL_HD = (1920, 1080)
# The lecture's presets as served, each network shrunk so a test trains it in seconds: their
# titles, explanations and epochs (what this file checks) are the registry's own.
SMALL_NETWORK = {"hidden": [16] * 6, "samples": 200, "epochs": 8}


def small_presets(options):
    for preset in options["presets"]:
        preset["configs"] = [{**config, **SMALL_NETWORK} for config in preset["configs"]]
    return options


def wait_trained(page, timeout=120000):
    page.wait_for_function("() => document.body.dataset.mlpTraining === '0' && window.optvizMlp.results.length"
                           " && window.optvizMlp.results.every(r => r && r.summary)", timeout=timeout)
    page.evaluate("() => window.optvizMlp.draw() || window.optvizMlp.rendered")


def plot_area(page, element):
    return page.evaluate("""(id) => { const node = document.getElementById(id); const s = node._fullLayout._size;
        const r = node.getBoundingClientRect(); return {top: r.top + s.t, bottom: r.top + s.t + s.h, box: r.bottom}; }""",
                         element)


@pytest.mark.parametrize("controls", ["1", "0"], ids=["controls", "no-controls"])
@pytest.mark.parametrize("size", [PROJECTOR, FULL_HD], ids=["1024", "1920"])
def test_after_a_preset_the_loss_curves_are_above_the_fold(mlp_page, size, controls):
    # The initialization preset: six runs (six chips), its explanation open, a star per run.
    watch = mlp_page(f"&present=1&controls={controls}", patch=small_presets, viewport=size)
    page = watch.page
    page.click("[data-mlp-preset=initialization]")
    wait_trained(page)
    height = size[1]
    assert page.is_visible("#mlp-preset-explanation") and page.locator(".run-chip").count() == 6
    for chart in ("mlp-loss", "mlp-accuracy"):
        area = plot_area(page, chart)
        # the whole plot area, and the chart's box with its epoch axis, without scrolling
        assert 0 <= area["top"] and area["bottom"] <= height and area["box"] <= height, (chart, area)
    assert page.evaluate("() => document.documentElement.scrollWidth - innerWidth") <= 0
    # The loss chart's title row is one line: "Loss", the star's mark and the log switch side by side.
    head = page.evaluate("""() => { const head = document.querySelector('#mlp-loss').previousElementSibling;
        const line = parseFloat(getComputedStyle(head.querySelector('h3')).lineHeight) || 28;
        const tops = [...head.children].filter(n => n.offsetWidth).map(n => n.getBoundingClientRect())
          .map(r => r.top + r.height / 2);
        return {height: head.getBoundingClientRect().height, line, spread: Math.max(...tops) - Math.min(...tops)}; }""")
    assert head["height"] <= 1.5 * head["line"] and head["spread"] <= 6, head
    assert page.is_visible("#mlp-loss-star")
    # The chips are the runs' names, the solid / dashed key on their row: nothing of the key is cut.
    key = boxes(watch, ".mlp-line-key", within="body")[0]
    assert key[2] <= size[0]
    assert watch.errors == []


def test_the_star_mark_is_compact_and_says_its_meaning_in_full(mlp_page):
    watch = mlp_page("&present=1", patch=small_presets, viewport=PROJECTOR)
    page = watch.page
    page.click("[data-mlp-preset=symmetry]")
    wait_trained(page)
    mark = page.inner_text("#mlp-loss-star")
    assert mark.startswith("★") and "lowest" in mark and "loss" in mark
    title = (page.get_attribute("#mlp-loss-star", "title") or "").replace("\u00a0", " ")
    assert "lowest validation loss (epochs ≥ 1)" in title and "epoch 0 is the network before any update" in title
    assert watch.errors == []


# Two runs the lecture compares: N(0, 1) weights start at a loss several times ln 3 while ReLU
# with Adam ends near 0.03 (more than a hundredfold between them); ReLU alone spans less.
SPIKE = ("&mrun=activation:relu,init:he_normal,hidden:32|32,epochs:10,samples:200,optimizer:adam,p.lr:0.05"
         "&mrun=activation:tanh,init:normal_1,hidden:32|32|32|32,epochs:10,samples:200")
CALM = "&mrun=activation:relu,init:he_normal,hidden:32|32,epochs:10,samples:200,optimizer:adam,p.lr:0.05"


def engine_span(server_url, page):
    """Highest over lowest loss (train and validation, every run and epoch), trained by the API."""
    configs = page.evaluate("() => window.optvizMlp.mlp.runs")
    runs = api(server_url, "/api/mlp/run", {"configs": configs})["runs"]
    losses = [e[key] for run in runs for e in run["history"] for key in ("train_loss", "val_loss")]
    return max(losses) / min(losses)


def loss_axis(page):
    return page.evaluate("""() => { const l = document.getElementById('mlp-loss')._fullLayout;
        return {type: l.yaxis.type, title: l.yaxis.title.text, checked: document.getElementById('mlp-log-loss').checked,
                auto: Boolean(document.getElementById('mlp-log-auto') && !document.getElementById('mlp-log-auto').hidden),
                note: (document.getElementById('mlp-log-label') || {}).title || ''}; }""")


def test_the_loss_axis_turns_logarithmic_when_the_losses_span_more_than_a_hundredfold(mlp_page, server_url):
    watch = mlp_page(f"&present=1{SPIKE}", viewport=PROJECTOR)
    page = watch.page
    assert loss_axis(page)["type"] == "linear"  # nothing trained yet: nothing to span
    train_to_end(watch)
    span = engine_span(server_url, page)
    assert span > 100
    axis = loss_axis(page)
    assert axis["type"] == "log" and axis["title"] == "loss (log scale)" and axis["checked"] and axis["auto"], axis
    assert "more than 100×" in axis["note"] and f"{round(span)}×" in axis["note"], axis
    # every run's curve now has room: the lowest and the highest loss are decades apart on screen
    ticks = page.evaluate("() => document.getElementById('mlp-loss')._fullLayout.yaxis.range")
    assert ticks[1] - ticks[0] >= 2 - 0.1  # log10 range: at least the two decades of data
    # The switch still chooses: linear, written in the link, and kept when the link is opened.
    page.click("#mlp-log-loss")
    page.wait_for_function("() => document.getElementById('mlp-loss')._fullLayout.yaxis.type === 'linear'")
    axis = loss_axis(page)
    assert axis["title"] == "loss" and not axis["checked"] and not axis["auto"], axis
    query = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    assert query["mlogy"] == ["0"]
    reopened = mlp_page(f"&present=1{SPIKE}&mlogy=0", viewport=PROJECTOR)
    train_to_end(reopened)
    assert loss_axis(reopened.page)["type"] == "linear"
    # "Clear" starts a new comparison on the automatic scale again
    page.click("#mlp-clear")
    assert "mlogy" not in urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    assert watch.errors == [] and reopened.errors == []


def test_the_loss_axis_stays_linear_when_the_losses_span_less(mlp_page, server_url):
    watch = mlp_page(f"&present=1{CALM}", viewport=PROJECTOR)
    page = watch.page
    train_to_end(watch)
    span = engine_span(server_url, page)
    assert 2 < span < 100
    axis = loss_axis(page)
    assert axis["type"] == "linear" and axis["title"] == "loss" and not axis["checked"] and axis["auto"], axis
    assert "less than 100×" in axis["note"]
    # and the lecturer's log choice from a link (mlogy=1, the old format) still opens log
    chosen = mlp_page(f"&present=1{CALM}&mlogy=1", viewport=PROJECTOR)
    train_to_end(chosen)
    axis = loss_axis(chosen.page)
    assert axis["type"] == "log" and axis["checked"] and not axis["auto"], axis
    assert watch.errors == [] and chosen.errors == []


def shown_histograms(page):
    """The epoch the histograms show and, per layer, the σ and saturation their notes say."""
    return page.evaluate("""() => ({epoch: Number(document.getElementById('mlp-epoch').value),
        out: document.getElementById('mlp-epoch-out').textContent,
        notes: document.getElementById('mlp-histograms').layout.annotations.map(a => a.text)})""")


def test_the_initialization_preset_opens_its_histograms_at_initialization(mlp_page, server_url):
    served = {p["id"]: p for p in api(server_url, "/api/mlp/options")["presets"]}
    assert served["initialization"]["epoch"] == 0 and served["symmetry"]["epoch"] is None
    watch = mlp_page("&present=1", patch=small_presets, viewport=PROJECTOR)
    page = watch.page
    page.click("[data-mlp-preset=initialization]")
    wait_trained(page)
    shown = shown_histograms(page)
    assert shown["epoch"] == 0 and shown["out"] == "0 (initialization)", shown
    # the notes are those of the network before any update: the first run's epoch-0 σ per layer
    history = page.evaluate("() => window.optvizMlp.results[0].history")
    assert history[-1]["epoch"] == SMALL_NETWORK["epochs"]
    assert len(shown["notes"]) == len(history[0]["layers"]) == 6
    for note, first, last in zip(shown["notes"], history[0]["layers"], history[-1]["layers"]):
        sigma = float(note.split("σ ")[1].split("<br>")[0])
        assert sigma == pytest.approx(first["std"], rel=0.05), (note, first["std"], last["std"])
    assert "mepoch=0" in page.url
    # A preset whose text speaks of the end opens at the last epoch.
    page.click("[data-mlp-preset=symmetry]")
    wait_trained(page)
    shown = shown_histograms(page)
    assert shown["epoch"] == SMALL_NETWORK["epochs"] and "mepoch" not in page.url, shown
    assert watch.errors == []


def open_lesson(browser, server_url, lesson):
    context = browser.new_context(viewport={"width": PROJECTOR[0], "height": PROJECTOR[1]})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server_url}/?lesson={lesson}&present=1")
    page.wait_for_function("() => window.optvizMlp && window.optvizMlp.results.length", timeout=30000)
    wait_trained(page, timeout=180000)
    return context, page, errors


def test_a_lesson_on_initialization_shows_the_epoch_its_sentences_speak_of(browser, server_url):
    lessons = {item["id"]: item for item in api(server_url, "/api/lessons")}
    assert "At initialization more than half of the units in layers 2 to 6 are saturated." in lessons["init-too-large"]["notice"]
    context, page, errors = open_lesson(browser, server_url, "init-too-large")
    try:
        shown = shown_histograms(page)
        assert shown["epoch"] == 0 and shown["out"] == "0 (initialization)", shown
        # what the sentence says, read off the page's histograms: layers 2 to 6 over half saturated
        saturated = [next((float(part.split("%")[0]) for part in note.split("<br>") if "saturated" in part), 0.0)
                     for note in shown["notes"]]
        assert len(saturated) == 6 and all(share > 50 for share in saturated[1:]), saturated
        # the decision surface beside them says it is the same epoch's network, the untrained one
        assert page.inner_text("#mlp-decision-epoch") == "at initialization (epoch 0)"
        # looking at another epoch is how the lesson is shown, not a change of its scene
        page.evaluate("""() => { const s = document.getElementById('mlp-epoch'); s.value = 5;
            s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); }""")
        page.wait_for_function("() => location.search.includes('mepoch=5')")
        page.wait_for_timeout(300)
        assert page.evaluate("() => document.body.dataset.lessonStatus") != "modified"
        assert errors == []
    finally:
        context.close()


def test_a_lesson_about_the_end_of_training_shows_the_last_epoch(browser, server_url):
    context, page, errors = open_lesson(browser, server_url, "dead-relu")
    try:
        shown = shown_histograms(page)
        assert shown["epoch"] == 15 and "mepoch" not in page.url, shown
        assert page.inner_text("#mlp-decision-epoch") == "at epoch 15"
        assert errors == []
    finally:
        context.close()


def test_a_link_without_an_epoch_key_is_read_as_before():
    # the page's link format, as lessons/links.py reads it: no mepoch, no epoch; a bad one is named
    from lessons import parse_link
    assert parse_link("tab=mlp&mrun=default").mlp_epoch is None
    assert parse_link("tab=mlp&mrun=default&mepoch=0").mlp_epoch == 0
    with pytest.raises(ValueError, match="mepoch"):
        parse_link("tab=mlp&mrun=default&mepoch=-1")
    with pytest.raises(ValueError, match="mepoch"):
        parse_link("tab=mlp&mrun=default&mepoch=1.5")
