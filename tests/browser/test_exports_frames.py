"""What a lecturer at 1024x768 in presenter mode sees in the exports.

- The animations (GIF, video, standalone HTML) draw frame k as each path up to step k, its marker
  at the head: an early frame's path is shorter than the last frame's (decoded from the GIF's
  pixels; read from the HTML's traces while it plays). Reported as "whole paths drawn, only the
  markers move".
- Each GIF/video frame says which step it shows ("step 10 / 40"), in the title row, outside the
  plot area, at presenter size.
- The legend's long messages ("Momentum — ran all 40 steps, ending near the minimum") wrap inside
  the image (PNG) and the window (HTML); they ran past the right edge. The HTML's plot takes most
  of a 1024x768 window (it was ~410 px wide, the legend beside it taking the rest).
- The MLP dashboard's chart titles lie inside their chart's box (the loss chart's ran past it)."""
import base64

import pytest

from tests.browser.export_helpers import EACH_GIF_FRAME, MEASURE, export, gif_with_figures, html_export, open_offline
from .mlp_helpers import SMALL, add_run, mlp_page, set_fields, train_to_end  # noqa: F401
from tests.browser.shots import shot

pytestmark = pytest.mark.browser

SCENE = "?surface=canyon&steps=40&run=sgd&run=momentum&present=1"
DEFAULT = "?present=1"  # the page's own scene: SGD, Momentum and Adam for 300 steps, two of them "ending near the minimum"
PRESENTER = (1024, 768)
MOMENTUM = "#a65300"  # the palette's second colour, Momentum's

# For each frame of the GIF (decoded as a viewer decodes it), the pixels of `colour` (within a
# small distance) above the plot area's bottom edge `bottom`.
COLOUR_PIXELS = """async ([b64, colour, bottom]) => {
    """ + EACH_GIF_FRAME + """
    const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
    const want = [1, 3, 5].map(i => parseInt(colour.slice(i, i + 2), 16));
    const counts = [];
    await eachGifFrame(bytes, (paint, i, width) => {
        const pixels = paint.getImageData(0, 0, width, bottom).data;
        let n = 0;
        for (let p = 0; p < pixels.length; p += 4) {
            if (Math.abs(pixels[p] - want[0]) + Math.abs(pixels[p + 1] - want[1]) + Math.abs(pixels[p + 2] - want[2]) < 40) n += 1;
        }
        counts.push(n);
    });
    return counts;
}"""


def step_labels(record):
    return [a["text"] for a in record["layout"].get("annotations", []) if a.get("text", "").startswith("step ")]


def test_gif_frames_draw_each_path_up_to_its_step_and_say_which(open_page):
    watch = open_page(SCENE, viewport=PRESENTER)
    data, fronts = gif_with_figures(watch)
    # the figures drawn: the palette's two previews (the last step, the middle), then one per step
    frames = fronts[2:]
    assert len(frames) == 41
    assert [step_labels(f) for f in frames] == [[f"step {k} / 40"] for k in range(41)]
    # the label sits in the title row: above the plot area, inside the slide, at presenter size
    for record in (frames[0], frames[-1]):
        shown = watch.page.evaluate(MEASURE, record)
        label = next(a for a in shown["annotations"] if a["text"].startswith("step "))
        left, top, right, bottom = label["box"]
        assert bottom <= shown["area"][1] and top >= 0 and right <= record["width"] + 1, (label, shown["area"])
        assert label["size"] >= 20
    # the pixels: Momentum's path, drawn in its colour, grows from frame to frame
    plot_bottom = watch.page.evaluate(MEASURE, frames[0])["area"][3]
    counts = watch.page.evaluate(COLOUR_PIXELS, [base64.b64encode(data).decode(), MOMENTUM, int(plot_bottom)])
    assert len(counts) == 41
    early, middle, last = counts[4], counts[20], counts[-1]
    assert 0 < early < 0.5 * last, counts  # a whole path (or a ghost of it in its colour) in every frame fails here
    assert early < middle < last, counts
    assert watch.errors == []


def test_the_html_draws_each_path_up_to_the_frame_while_it_plays(open_page, browser, tmp_path):
    watch = open_page(SCENE, viewport=PRESENTER)
    full = watch.page.evaluate("() => window.optviz.runs().map(r => r.result.points.length)")
    context, page, refused, errors = open_offline(browser, html_export(watch, tmp_path), viewport=PRESENTER)
    # its frames: frame k holds each path up to step k (no trace the whole path: no ghost)
    frames = page.evaluate("""() => document.getElementById('plot')._transitionData._frames.map(f => ({
        step: Number(f.name), lines: f.data.filter(t => t.mode && t.mode.includes('lines')).map(t => t.x.length) }))""")
    assert len(frames) == 41
    for frame in frames:
        assert frame["lines"] == [frame["step"] + 1] * len(full), frame
    # played through, then shown at step 10 and at the end: the drawn paths' SVG lengths
    page.evaluate("() => document.getElementById('plot').on('plotly_animated', () => { window.played = true; })")
    page.click("text=▶ Play")
    page.wait_for_function("() => window.played === true", timeout=30000)
    show = """(step) => Plotly.animate('plot', [String(step)], { mode: 'immediate', frame: { duration: 0, redraw: false },
                                                              transition: { duration: 0 } })"""
    drawn = """(n) => { const plot = document.getElementById('plot');
        const lines = plot.data.filter(t => t.mode === 'lines');
        return lines.every(t => t.x.length === n) && [...plot.querySelectorAll('.scatterlayer .trace .lines path')]
            .map(p => p.getTotalLength()); }"""
    page.evaluate(show, 10)
    early = page.wait_for_function(drawn, arg=11).json_value()
    page.evaluate(show, 40)
    last = page.wait_for_function(drawn, arg=41).json_value()
    assert len(early) == len(last) == len(full) and sum(early) < 0.8 * sum(last), (early, last)
    assert refused == [] and errors == []
    context.close()


# The standalone page as shown: its plot area and ranges, its legend items, its player's parts.
HTML_SHOWN = """() => { const l = document.getElementById('plot')._fullLayout;
    const box = (n) => { const r = n ? n.getBoundingClientRect() : {}; return [r.left, r.top, r.right, r.bottom]; };
    const slider = document.getElementById('slider');
    return { w: l.xaxis._length, h: l.yaxis._length, x: l.xaxis.range, y: l.yaxis.range,
             area: [l.xaxis._offset, l.yaxis._offset, l.xaxis._offset + l.xaxis._length, l.yaxis._offset + l.yaxis._length],
             legend: [...document.querySelectorAll('#plot .legend .traces')].map(n => [n.textContent, ...box(n)]),
             player: box(document.getElementById('player')),
             slider: [...box(slider), slider && Number(slider.max)],
             ticks: [...document.querySelectorAll('#ticks span')].map(n => [n.textContent, ...box(n)]) }; }"""


@pytest.mark.parametrize("window, share", [((1024, 768), 0.38), ((1920, 1080), 0.6)], ids=["1024", "1920"])
def test_the_html_fills_the_window_labels_its_last_step_and_pauses_cleanly(open_page, browser, tmp_path, window, share):
    """At 1024x768 the page's plot took 599x348 px of the window (26 %: the legend on the right,
    150 px of plotly's controls below); its slider's labels ended at 288 of 300 steps; and Pause
    left plotly's interrupted Play promise rejected, unhandled (a page error)."""
    watch = open_page(DEFAULT, viewport=PRESENTER)
    context, page, refused, errors = open_offline(browser, html_export(watch, tmp_path), viewport=window)
    # fitted to the window: the slider labelled (or, in the old page, plotly's own slider drawn)
    page.wait_for_function("() => document.querySelectorAll('#ticks span').length > 1 || document.querySelector('.slider-container')")
    shown = page.evaluate(HTML_SHOWN)
    # the plot takes a good share of the window, at equal aspect (was 26 % at 1024, 54 % at 1920)
    assert shown["w"] * shown["h"] >= share * window[0] * window[1], shown
    per_x = shown["w"] / (shown["x"][1] - shown["x"][0])
    per_y = shown["h"] / (shown["y"][1] - shown["y"][0])
    assert per_x / per_y == pytest.approx(1, abs=0.02)
    # the legend, whole and inside the window, clear of the plot area and of the player
    assert any("ending near the minimum" in item[0] for item in shown["legend"]), shown["legend"]
    left, top, right, bottom = shown["area"]
    for text, l, t, r, b in shown["legend"]:
        assert l >= 0 and r <= window[0] and b <= shown["player"][1], (text, l, r, b)
        assert r <= left or l >= right or b <= top or t >= bottom, (text, shown["area"])
    assert shown["player"][3] <= window[1] and bottom <= shown["player"][1]
    # the slider runs to the last step, which its last label names, at the slider's right end
    assert shown["slider"][4] == 300
    last, l, t, r, b = shown["ticks"][-1]
    assert last == "300" and abs((l + r) / 2 - shown["slider"][2]) <= 12, (shown["ticks"], shown["slider"])
    assert all(a[3] <= b[1] for a, b in zip(shown["ticks"], shown["ticks"][1:])), shown["ticks"]  # no label on another
    # played, paused mid-way, played on to the end: no page error, no console error
    messages = []
    page.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)
    page.evaluate("() => { window.seen = []; document.getElementById('plot')"
                  ".on('plotly_animatingframe', (e) => window.seen.push(Number(e.name))); }")
    page.click("text=▶ Play")
    page.wait_for_function("() => window.seen.length > 10", timeout=30000)
    page.screenshot(path=shot(f"exports/test_html_{window[0]}_playing.png"))
    page.click("text=❚❚ Pause")
    paused = page.evaluate("() => window.seen.length")
    page.click("text=▶ Play")
    page.wait_for_function("() => window.seen.at(-1) === 300", timeout=60000)
    page.wait_for_function("() => document.getElementById('current').textContent === 'step 300'")
    page.screenshot(path=shot(f"exports/test_html_{window[0]}_end.png"))
    seen = page.evaluate("() => window.seen")
    assert seen[paused:] and seen[paused] > seen[paused - 1] > 0, seen  # Play went on from where it paused
    # the slider's keys step a frame at a time (a step of 1 snapped back to the frame it left)
    page.focus("#slider")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => document.getElementById('current').textContent === 'step 297'")
    assert refused == [] and errors == [] and messages == []
    context.close()


def test_the_png_legend_fits_inside_the_image(open_page):
    watch = open_page(DEFAULT, viewport=PRESENTER)
    watch.page.evaluate("""() => {
        window.downloaded = [];
        const original = window.Plotly.downloadImage;
        window.Plotly.downloadImage = function (figure, options) {
            window.downloaded.push({ data: figure.data, layout: figure.layout, width: options.width, height: options.height });
            return original.apply(this, arguments);
        };
    }""")
    export(watch, "png")
    record = watch.page.evaluate("() => window.downloaded[0]")
    shown = watch.page.evaluate(MEASURE, record)
    texts = " ".join(item["text"] for item in shown["items"])
    assert "ending near the minimum" in texts, texts  # the message is there, whole
    for item in shown["items"]:
        left, top, right, bottom = item["box"]
        assert left >= 0 and right <= record["width"] and bottom <= record["height"], (item, record["width"])
    assert watch.errors == []


def test_the_mlp_dashboards_chart_titles_lie_inside_their_charts(mlp_page):
    watch = mlp_page(viewport=PRESENTER)
    set_fields(watch, **SMALL)
    add_run(watch, activation="tanh")
    add_run(watch, activation="relu", init="he_normal")
    train_to_end(watch)  # trained: the slice joins the upper row, four charts share it
    watch.page.check("#mlp-log-loss")  # the loss on a log scale, as a long training shows it: its title says so
    with watch.page.expect_download() as info:
        watch.page.click("[data-mlp-export=svg]")
    svg = open(info.value.path(), encoding="utf-8").read()
    # the slide drawn in the page: each chart's title (bold text right after its white box) against that box
    titles = watch.page.evaluate("""(svg) => {
        const holder = document.createElement('div');
        holder.innerHTML = svg;
        document.body.append(holder);
        const out = [...holder.querySelectorAll('svg > rect[rx="10"] + text[font-weight="700"]')].map((text) => {
            const box = text.previousElementSibling.getBBox(), own = text.getBBox();
            return { text: text.textContent, left: own.x, right: own.x + own.width, boxLeft: box.x, boxRight: box.x + box.width };
        });
        holder.remove();
        return out;
    }""", svg)
    with watch.page.expect_download() as info:
        watch.page.click("[data-mlp-export=png]")
    with open(shot("exports/test_dashboard.png"), "wb") as out:
        out.write(open(info.value.path(), "rb").read())
    assert len(titles) == 6, titles  # loss, accuracy, slice, decision, histograms, gradient norms
    assert any(t["text"].startswith("Loss") and "log scale" in t["text"] for t in titles), titles
    for title in titles:
        assert title["boxLeft"] <= title["left"] and title["right"] <= title["boxRight"] - 4, title
    assert watch.errors == []
