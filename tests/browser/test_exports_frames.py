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

from tests.browser.test_exports import export, open_offline
from tests.browser.test_exports_compact import RECORD
from .mlp_helpers import SMALL, add_run, mlp_page, set_fields, train_to_end  # noqa: F401
from tests.browser.shots import shot

pytestmark = pytest.mark.browser

SCENE = "?surface=canyon&steps=40&run=sgd&run=momentum&present=1"
DEFAULT = "?present=1"  # the page's own scene: SGD, Momentum and Adam for 300 steps, two of them "ending near the minimum"
PRESENTER = (1024, 768)
MOMENTUM = "#a65300"  # the palette's second colour, Momentum's

# The GIF decoded as a viewer decodes it (ImageDecoder composites the frames): for each frame,
# the pixels of `colour` (within a small distance) above the plot area's bottom edge `bottom`.
COLOUR_PIXELS = """async ([b64, colour, bottom]) => {
    const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
    const [width, height] = [bytes[6] | (bytes[7] << 8), bytes[8] | (bytes[9] << 8)];
    const want = [1, 3, 5].map(i => parseInt(colour.slice(i, i + 2), 16));
    const decoder = new ImageDecoder({ data: bytes, type: 'image/gif' });
    await decoder.tracks.ready;
    const count = decoder.tracks.selectedTrack.frameCount;
    const canvas = new OffscreenCanvas(width, height);
    const paint = canvas.getContext('2d', { willReadFrequently: true });
    const counts = [];
    for (let i = 0; i < count; i++) {
        const { image } = await decoder.decode({ frameIndex: i });
        paint.clearRect(0, 0, width, height);
        paint.drawImage(image, 0, 0);
        image.close();
        const pixels = paint.getImageData(0, 0, width, bottom).data;
        let n = 0;
        for (let p = 0; p < pixels.length; p += 4) {
            if (Math.abs(pixels[p] - want[0]) + Math.abs(pixels[p + 1] - want[1]) + Math.abs(pixels[p + 2] - want[2]) < 40) n += 1;
        }
        counts.push(n);
    }
    decoder.close();
    return counts;
}"""

# A recorded figure drawn in a box of its size: its plot area, its annotations' and legend items' boxes.
MEASURE = """async (record) => {
    const box = document.createElement('div');
    box.style.cssText = `position:absolute;left:0;top:0;width:${record.width}px;height:${record.height}px`;
    document.body.append(box);
    await window.Plotly.newPlot(box, record.data, { ...record.layout, width: record.width, height: record.height });
    const origin = box.getBoundingClientRect();
    const rect = (node) => { const r = node.getBoundingClientRect();
                             return [r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top]; };
    const size = box._fullLayout._size;
    const out = { area: [size.l, size.t, size.l + size.w, size.t + size.h],
                  annotations: [...box.querySelectorAll('.annotation')].map(n => ({ text: n.textContent, box: rect(n),
                      size: parseFloat(n.querySelector('text').style.fontSize) })),
                  legend: [...box.querySelectorAll('.legend .traces')].map(n => ({ text: n.textContent, box: rect(n) })) };
    window.Plotly.purge(box); box.remove();
    return out;
}"""


def gif_with_figures(watch):
    watch.page.evaluate(RECORD)
    _, data = export(watch, "gif", timeout=240000)
    records = watch.page.evaluate("() => window.exportedFigures")
    fronts = [r for r in records if any(t.get("legendgroup") for t in r["data"])]
    return data, fronts


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
    _, raw = export(watch, "html")
    (tmp_path / "scene.html").write_bytes(raw)
    context, page, refused, errors = open_offline(browser, tmp_path / "scene.html", viewport=PRESENTER)
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


def test_the_html_plot_takes_most_of_a_1024_window_and_its_legend_fits(open_page, browser, tmp_path):
    watch = open_page(DEFAULT, viewport=PRESENTER)
    _, raw = export(watch, "html")
    (tmp_path / "scene.html").write_bytes(raw)
    context, page, refused, errors = open_offline(browser, tmp_path / "scene.html", viewport=PRESENTER)
    shown = page.evaluate("""() => { const l = document.getElementById('plot')._fullLayout;
        return { w: l.xaxis._length, h: l.yaxis._length, x: l.xaxis.range, y: l.yaxis.range,
                 legend: [...document.querySelectorAll('#plot .legend .traces')].map(n => {
                     const r = n.getBoundingClientRect(); return [n.textContent, r.left, r.right, r.bottom]; }) }; }""")
    assert shown["w"] >= 0.55 * PRESENTER[0], shown  # was 414 px, 40 %
    per_x = shown["w"] / (shown["x"][1] - shown["x"][0])
    per_y = shown["h"] / (shown["y"][1] - shown["y"][0])
    assert per_x / per_y == pytest.approx(1, abs=0.02)  # equal aspect
    assert any("ending near the minimum" in item[0] for item in shown["legend"]), shown["legend"]
    for text, left, right, bottom in shown["legend"]:
        assert left >= 0 and right <= PRESENTER[0] and bottom <= PRESENTER[1], (text, left, right)
    page.screenshot(path=shot("exports/test_html_1024.png"))
    assert refused == [] and errors == []
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
    texts = " ".join(item["text"] for item in shown["legend"])
    assert "ending near the minimum" in texts, texts  # the message is there, whole
    for item in shown["legend"]:
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
