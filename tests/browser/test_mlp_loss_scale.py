"""The loss axis's automatic scale decides while the curves stream in: log as soon as the losses
received so far span more than 100× (not when the training ends), and once log it stays log for
the comparison (a retraining of the same runs does not start linear and jump again); the
lecturer's switch still decides. The stream is the server's own, held back in the page and let
through one event at a time, so each step's axis is read at a known amount of data."""
import json

import pytest

from .mlp_helpers import mlp_page  # noqa: F401

pytestmark = pytest.mark.browser

PROJECTOR = (1024, 768)
# N(0, 1) tanh starts at several times ln 3, ReLU with Adam ends near 0.01: the span passes 100×
# part-way through (test_mlp_lecture_view.py checks the finished span against the API).
SPIKE = ("&mrun=activation:relu,init:he_normal,hidden:32|32,epochs:20,samples:200,optimizer:adam,p.lr:0.05"
         "&mrun=activation:tanh,init:normal_1,hidden:32|32|32|32,epochs:20,samples:200")

# /api/mlp/train answered in full by the server, then handed to the page's reader one event
# (an SSE block) per window.__gate.release(1).
GATE = """(() => {
  const realFetch = window.fetch.bind(window);
  const gate = window.__gate = { blocks: null, sent: 0 };
  window.fetch = async (url, init) => {
    if (!String(url).includes("/api/mlp/train")) return realFetch(url, init);
    const text = await (await realFetch(url, init)).text();
    let controller;
    const body = new ReadableStream({ start(c) { controller = c; } });
    gate.blocks = text.split("\\n\\n").filter((b) => b.trim()).map((b) => b + "\\n\\n");
    gate.sent = 0;
    gate.release = (n) => {
      for (; n > 0 && gate.sent < gate.blocks.length; n--) controller.enqueue(new TextEncoder().encode(gate.blocks[gate.sent++]));
      if (gate.sent === gate.blocks.length) controller.close();
    };
    return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
  };
})();"""


def start(page):
    page.click("#mlp-train")
    page.wait_for_function("() => window.__gate.blocks && window.__gate.sent === 0", timeout=120000)
    return page.evaluate("() => window.__gate.blocks.length")


def release(page):
    """Let one more event through; wait until the page has read it and drawn; the axis then."""
    page.evaluate("() => window.__gate.release(1)")
    page.wait_for_function("""() => { const g = window.__gate;
        const epochs = g.blocks.slice(0, g.sent).filter((b) => b.startsWith('event: epoch')).length;
        return window.optvizMlp.results.reduce((n, r) => n + r.history.length, 0) === epochs; }""")
    return axis(page)


def axis(page):
    return page.evaluate("""async () => { const m = window.optvizMlp; m.draw(); await m.rendered;
        const losses = m.results.flatMap((r) => r.history.flatMap((e) => [e.train_loss, e.val_loss])).filter((v) => v > 0);
        return {type: document.getElementById('mlp-loss')._fullLayout.yaxis.type,
                checked: document.getElementById('mlp-log-loss').checked,
                span: losses.length ? Math.max(...losses) / Math.min(...losses) : null,
                training: document.body.dataset.mlpTraining, note: document.getElementById('mlp-log-label').title}; }""")


@pytest.fixture
def gated(mlp_page):
    def opener(query):
        watch = mlp_page(query, viewport=PROJECTOR)
        watch.page.evaluate(GATE)
        return watch
    return opener


def test_the_loss_axis_turns_log_while_the_curves_stream_in_and_stays_log(gated):
    watch = gated(f"&present=1{SPIKE}")
    page = watch.page
    total = start(page)
    seen = []
    while page.evaluate("() => window.__gate.sent") < total:
        seen.append(release(page))
    crossing = next(i for i, s in enumerate(seen) if s["span"] and s["span"] > 100)
    # the span passed 100× with events still to come: the axis turned log then, mid-stream
    assert seen[crossing]["training"] == "1" and crossing < len(seen) - 5, (crossing, len(seen))
    for step in seen:
        over = bool(step["span"] and step["span"] > 100)
        assert (step["type"] == "log") == over and step["checked"] == over, step  # linear before, log from then on
    assert seen[-1]["training"] == "0" and seen[-1]["type"] == "log"
    # Training the same comparison again starts on the log axis it ended on (no jump to linear
    # and back), and says why.
    start(page)
    first = axis(page)
    assert first["type"] == "log" and first["checked"] and first["span"] is None, first
    assert "kept since this comparison's losses spanned more than 100×" in first["note"], first
    while page.evaluate("() => window.__gate.sent") < total:
        step = release(page)
        assert step["type"] == "log", step
    # "Clear" starts afresh: a new comparison's axis is decided by its own losses.
    page.click("#mlp-clear")
    assert axis(page)["type"] == "linear"
    assert watch.errors == []


def test_the_lecturers_switch_decides_while_streaming(gated):
    watch = gated(f"&present=1{SPIKE}")
    page = watch.page
    total = start(page)
    step = release(page)
    while not (step["span"] and step["span"] > 100):
        step = release(page)
    assert step["type"] == "log" and step["training"] == "1"
    page.click("#mlp-log-loss")  # the lecturer wants it linear: it stays linear to the end
    while page.evaluate("() => window.__gate.sent") < total:
        step = release(page)
        assert step["type"] == "linear" and not step["checked"], step
    assert "mlogy=0" in page.url
    assert watch.errors == []
