"""What a slider change redraws, and that the page still shows the API's paths.

A slider change asks for the changed run alone, cancels a request it supersedes, and rewrites
only that run's traces on the paths layer and the loss chart; the paths and loss curves on
screen are then exactly the API's answer for the page's scene, and they are drawn as a full
redraw of the same figure draws them. The 3D view's plotly bundle arrives the first time the
view opens. (Speed itself is measured in benchmarks/page_latency.py, never asserted here.)"""
import json
import urllib.request

import pytest

pytestmark = pytest.mark.browser


def move_slider(watch, slider_id, value):
    watch.page.evaluate("([id, v]) => { const s = document.getElementById(id); s.value = v;"
                        " s.dispatchEvent(new Event('input', {bubbles: true})); }", [slider_id, value])


def api_answer(server_url, body):
    request = urllib.request.Request(f"{server_url}/api/trajectories", data=json.dumps(body).encode(),
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


# The paths layer's and the loss chart's line traces, by trace name.
SHOWN = """() => {
  const lines = (id) => Object.fromEntries(document.getElementById(id).data
    .filter((t) => t.type === 'scatter' && t.mode === 'lines')
    .map((t) => [t.name, {x: Array.from(t.x), y: Array.from(t.y)}]));
  return {plot: lines('plot'), loss: lines('loss-chart')};
}"""


def test_paths_on_screen_are_the_apis_after_quick_slider_changes(open_page, server_url):
    watch = open_page()
    for value in (300, 340, 610, 620, 455):  # no waiting: most answers arrive superseded
        move_slider(watch, "adam-lr", value)
    move_slider(watch, "sgd-lr", 700)
    watch.settle()
    body = watch.page.evaluate("() => window.optviz.requestBody(window.optviz.runs())")
    labels = [run["label"] for run in body["runs"]]
    answer = api_answer(server_url, body)
    shown = watch.page.evaluate(SHOWN)
    assert len(answer["runs"]) == 3
    for label, result in zip(labels, answer["runs"]):
        name = next(n for n in shown["plot"] if n.startswith(label))
        assert list(zip(shown["plot"][name]["x"], shown["plot"][name]["y"])) == [tuple(p) for p in result["points"]]
        assert shown["loss"][label]["y"] == result["loss"]
    assert watch.errors == []


# Which traces' outlines a change rewrites: each trace group of the two plots is tagged with
# its trace's run (its legend group on the paths layer, its name on the loss chart), and every rewritten path reports its group's tag ("new" for a new group).
WATCH_REWRITES = """() => {
  window.rewritten = new Set();
  for (const id of ['plot', 'loss-chart']) {
    const gd = document.getElementById(id);
    const groups = gd.querySelectorAll('.scatterlayer > .trace');
    groups.forEach((g, i) => { g.dataset.probe = `${id}:${gd.data[i].legendgroup || gd.data[i].name}`; });
    new MutationObserver((records) => {
      for (const r of records) {
        const group = r.target.closest && r.target.closest('.scatterlayer > .trace');
        if (group) window.rewritten.add(group.dataset.probe || 'new');
        else if (r.type === 'childList' && r.target.closest && r.target.closest('.scatterlayer')) window.rewritten.add('new');
      }
    }).observe(gd, {subtree: true, childList: true, attributes: true, attributeFilter: ['d']});
  }
}"""


def test_a_slider_change_rewrites_only_its_runs_traces(open_page):
    watch = open_page()
    watch.page.evaluate(WATCH_REWRITES)
    requests = []
    watch.page.on("request", lambda r: requests.append(json.loads(r.post_data)) if r.url.endswith("/api/trajectories") else None)
    move_slider(watch, "adam-lr", 577)
    watch.settle()
    watch.page.wait_for_timeout(100)  # let any later frame of the redraw happen
    assert [[run["optimizer"] for run in body["runs"]] for body in requests] == [["adam"]]
    rewritten = set(watch.page.evaluate("() => [...window.rewritten]"))
    assert rewritten == {"plot:adam", "loss-chart:Adam"}, rewritten


def test_a_newer_value_cancels_the_request_it_supersedes(open_page):
    watch = open_page()
    result = watch.page.evaluate("""async () => {
      const panel = window.optviz;
      const slider = document.getElementById('adam-lr');
      const move = (v) => { slider.value = v; slider.dispatchEvent(new Event('input', {bubbles: true})); };
      move(233);
      await null;  // the change leaves (one request per batch of changes)
      const first = [...panel.requests];
      move(244);
      await null;
      const second = [...panel.requests];
      return {first: first.length, aborted: first[0].controller.signal.aborted,
              second: second.length, secondAborted: second.some((r) => r.controller.signal.aborted)};
    }""")
    assert result == {"first": 1, "aborted": True, "second": 1, "secondAborted": False}
    watch.settle()
    shown = watch.page.evaluate("() => window.optviz.results.adam.points.length")
    assert shown > 1 and watch.errors == []


# The outlines plotly drew, then the same figures drawn from scratch by Plotly.newPlot.
OUTLINES = """async () => {
  const outlines = () => ['plot', 'loss-chart'].map((id) =>
    [...document.getElementById(id).querySelectorAll('.scatterlayer path')].map((p) => p.getAttribute('d')));
  const drawn = outlines();
  for (const id of ['plot', 'loss-chart']) {
    const gd = document.getElementById(id);
    await Plotly.newPlot(gd, JSON.parse(JSON.stringify(gd.data)), JSON.parse(JSON.stringify(gd.layout)), gd._context);
  }
  return {drawn, fresh: outlines()};
}"""


def test_the_partial_redraw_draws_what_a_full_redraw_draws(open_page):
    watch = open_page("?surface=rosenbrock&steps=400&run=sgd&run=momentum&run=adam")
    for value in (420, 610, 380):
        move_slider(watch, "adam-lr", value)
        watch.settle()
    outlines = watch.page.evaluate(OUTLINES)
    assert all(len(d) >= 3 for d in outlines["drawn"])  # three runs at least on each plot
    assert outlines["drawn"] == outlines["fresh"]


def test_the_3d_view_loads_its_bundle_when_it_first_opens(open_page):
    watch = open_page("?surface=quadratic&steps=60")
    assert not any("plotly-gl3d" in url for url in watch.requests)
    watch.page.click("#view-3d")
    watch.settle()
    watch.page.wait_for_function("() => document.querySelector('#plot .gl-container canvas')", timeout=60000)
    types = watch.page.evaluate("() => document.getElementById('plot').data.map((t) => t.type)")
    assert types[0] == "surface" and types.count("scatter3d") >= 2
    assert sum("plotly-gl3d" in url for url in watch.requests) == 1
    # Back to the contour: drawn by the page's own bundle again, paths included.
    watch.page.click("#view-contour")
    watch.settle()
    assert watch.path("SGD") and len(watch.path("SGD")) > 10
    assert watch.page.evaluate("() => document.getElementById('plot-back').data[0].type") == "contour"
    watch.page.click("#view-3d")
    watch.settle()
    assert sum("plotly-gl3d" in url for url in watch.requests) == 1  # fetched once
    assert watch.errors == []


# Right after a slider change's answer is drawn: the outline of each run's line and the position
# of each end marker on the paths layer, and whether plotly's own data still holds the old path.
IN_PLACE = """async (value) => {
  const panel = window.optviz;
  const gd = document.getElementById('plot');
  const before = Array.from(gd.data.find((t) => t.legendgroup === 'adam' && t.mode === 'lines').x);
  const drawn = panel.drawCount;
  const slider = document.getElementById('adam-lr');
  slider.value = value;
  slider.dispatchEvent(new Event('input', {bubbles: true}));
  while (panel.drawCount === drawn) await new Promise((r) => setTimeout(r, 1));
  const shapes = () => [...gd.querySelectorAll('.scatterlayer .trace')].map((g) => ({
    line: g.querySelector('path.js-line')?.getAttribute('d') || null,
    points: [...g.querySelectorAll('path.point')].map((p) => p.getAttribute('transform')),
  }));
  const now = shapes();
  const plotlyStale = JSON.stringify(Array.from(gd.data.find((t) => t.legendgroup === 'adam' && t.mode === 'lines').x))
    === JSON.stringify(before);
  await panel.rendered;
  return {now, plotlyStale, later: shapes(), newX: panel.results.adam.points.map((p) => p[0])};
}"""


def vertices(d):
    import re
    return [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.e+-]+),(-?[\d.e+-]+)", d or "")]


def test_a_slider_change_is_drawn_in_place_where_plotly_then_draws_it(open_page):
    # The fast lane (static/js/inplace.js) writes the changed path's SVG before plotly is given
    # the data; once the plot is still, plotly redraws the same figure. Both drawings must agree
    # to under a pixel: same vertices (plotly may drop collinear ones), same marker positions.
    watch = open_page("?surface=rosenbrock&steps=400&run=sgd&run=momentum&run=adam")
    watch.settle()
    result = watch.page.evaluate(IN_PLACE, 455)
    assert result["plotlyStale"], "the answer was drawn by plotly, not in place"
    assert len(result["now"]) == len(result["later"]) >= 6
    for now, later in zip(result["now"], result["later"]):
        ours, plotlys = vertices(now["line"]), vertices(later["line"])
        assert bool(ours) == bool(plotlys)
        if ours:
            assert ours[0] == pytest.approx(plotlys[0], abs=0.6) and ours[-1] == pytest.approx(plotlys[-1], abs=0.6)
            for vertex in plotlys:
                assert min(abs(vertex[0] - x) + abs(vertex[1] - y) for x, y in ours) < 1.0, vertex
        assert [vertices(t) for t in now["points"]] == [pytest.approx(vertices(t), abs=0.6) for t in later["points"]]
    assert watch.errors == []


def test_playback_with_arrows_is_drawn_in_place(open_page):
    # Arrows are line traces (not layout annotations), so an animation frame changes data alone
    # and is drawn in place: plotly's full re-plot (plotly_afterplot) does not run for each frame.
    watch = open_page("?surface=rosenbrock&steps=300&run=sgd&run=momentum&run=adam&frame=20")
    assert watch.page.evaluate("() => window.optviz.state.arrows") is True
    replots = watch.page.evaluate("""async () => {
      const gd = document.getElementById('plot');
      let replots = 0;
      gd.on('plotly_afterplot', () => { replots += 1; });
      const panel = window.optviz;
      const frames = [];
      for (let frame = 21; frame <= 60; frame++) {
        panel.seek(frame);
        await new Promise((r) => requestAnimationFrame(r));
        frames.push(gd.querySelectorAll('.scatterlayer path.js-line').length);
      }
      return {replots, frames};
    }""")
    assert replots["replots"] <= 2, replots
    assert min(replots["frames"]) >= 9  # three paths and their two arrows, every frame
    assert watch.errors == []


# Every animation frame for `ms` after a slider move: the inspector's height, the page's
# height, and whether a gradient check (dimmed or not) is in the inspector.
FRAMES_AFTER_A_MOVE = """async ([id, value, ms]) => {
  const s = document.getElementById(id);
  s.value = value;
  s.dispatchEvent(new Event('input', {bubbles: true}));
  const frames = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    await new Promise((r) => requestAnimationFrame(r));
    const inspector = document.getElementById('inspector');
    frames.push({inspector: inspector.offsetHeight, page: document.documentElement.scrollHeight,
                 check: Boolean(inspector.querySelector('.gradient-check'))});
  }
  return frames;
}"""


def test_a_slider_move_keeps_the_gradient_check_and_the_page_still(open_page):
    # The inspector was rebuilt without its gradient check at every redraw, and the check came
    # back 250 ms later: the page grew and shrank by the check's height at each slider move.
    # Now the step before's check stays, dimmed, until this step's arrives in its place.
    watch = open_page("?present=1", viewport=(1440, 900))
    watch.page.locator("#inspector .gradient-check:not(.stale)").wait_for(state="visible", timeout=20000)
    frames = watch.page.evaluate(FRAMES_AFTER_A_MOVE, ["adam-lr", 333, 1500])
    assert all(frame["check"] for frame in frames), frames
    assert len({frame["page"] for frame in frames}) == 1, frames
    watch.settle()
    fresh = watch.page.locator("#inspector .gradient-check:not(.stale)")
    fresh.wait_for(state="visible", timeout=20000)
    assert watch.page.locator("#inspector .gradient-check").count() == 1
    assert "Adam" in fresh.inner_text() and watch.errors == []


# Every animation frame for `ms` of playback: the step the counter shows and the step the
# inspector's heading shows, read in the same frame.
STEPS_WHILE_PLAYING = """async (ms) => {
  window.optviz.seek(0);
  document.getElementById('play').click();
  const pairs = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    await new Promise((r) => requestAnimationFrame(r));
    const counter = document.getElementById('frame-out').textContent.match(/step (\\d+)/);
    const heading = document.querySelector('#inspector h2').textContent.match(/Step (\\d+)/);
    pairs.push([Number(counter[1]), Number(heading[1])]);
  }
  document.getElementById('play').click();
  return pairs;
}"""


def test_while_playing_the_inspector_shows_the_step_the_counter_shows(open_page):
    # The walkthrough saw "step 130 / 300" under the plot beside "Step 119" in the inspector: the
    # inspector followed a frame after the paths, which at full speed is ten steps.
    watch = open_page("?present=1&speed=8", viewport=(1024, 768))
    pairs = watch.page.evaluate(STEPS_WHILE_PLAYING, 1500)
    moving = [pair for pair in pairs if pair[0] > 0]
    assert len({counter for counter, _ in moving}) >= 3, pairs  # it did play
    assert all(counter == heading for counter, heading in moving), pairs
    assert watch.errors == []
