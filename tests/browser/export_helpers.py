"""What the export tests share: downloading an export, opening a standalone page offline, recording
the figures the exporter draws, measuring a recorded figure, and decoding a GIF as a viewer does."""


def export(watch, kind, timeout=120000):
    """Click the export button `kind`; returns (suggested filename, bytes)."""
    with watch.page.expect_download(timeout=timeout) as info:
        watch.page.click(f"[data-export={kind}]")
    with open(info.value.path(), "rb") as handle:
        return info.value.suggested_filename, handle.read()


def open_offline(browser, path, viewport=(1280, 800)):
    """Open a file with every network request refused; returns (context, page, refused, errors)."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    refused, errors = [], []

    def block(route):
        refused.append(route.request.url)
        route.abort()

    context.route("http://**/*", block)
    context.route("https://**/*", block)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_selector("#plot .main-svg")
    return context, page, refused, errors


def html_export(watch, tmp_path, name="scene.html"):
    """The standalone HTML export of the page `watch` shows, saved as tmp_path / name."""
    _, raw = export(watch, "html")
    path = tmp_path / name
    path.write_bytes(raw)
    return path


# Every figure the exporter draws off-screen (Plotly.toImage), with its size, in window.exportedFigures.
RECORD = """() => {
    window.exportedFigures = [];
    const original = window.Plotly.toImage;
    window.Plotly.toImage = function (figure, options) {
        window.exportedFigures.push({ data: figure.data, layout: figure.layout, width: options.width, height: options.height });
        return original.apply(this, arguments);
    };
}"""


def gif_with_figures(watch):
    """The GIF export's bytes and the paths layers (the figures with the legend) it drew, in order."""
    watch.page.evaluate(RECORD)
    _, data = export(watch, "gif", timeout=240000)
    records = watch.page.evaluate("() => window.exportedFigures")
    return data, [r for r in records if any(t.get("legendgroup") for t in r["data"])]


# A recorded figure drawn in a box of its size: its plot area and ranges, the boxes of its legend,
# legend items, annotations and x axis title (relative to the box).
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
                  x: box._fullLayout.xaxis.range, y: box._fullLayout.yaxis.range,
                  legend: rect(box.querySelector('.legend')), xtitle: rect(box.querySelector('.g-xtitle')),
                  annotations: [...box.querySelectorAll('.annotation')].map(n => ({ text: n.textContent, box: rect(n),
                      size: parseFloat(n.querySelector('text').style.fontSize) })),
                  items: [...box.querySelectorAll('.legend .traces')].map(n => ({ text: n.textContent, box: rect(n) })) };
    window.Plotly.purge(box); box.remove();
    return out;
}"""

# Declares eachGifFrame(bytes, visit): decodes a GIF as a viewer does (Chromium's ImageDecoder
# composites the frames) and calls visit(paint, index, width, height) with each frame drawn alone on
# a cleared canvas; returns the frame count. Put at the start of an evaluated function's body.
EACH_GIF_FRAME = """async function eachGifFrame(bytes, visit) {
    const [width, height] = [bytes[6] | (bytes[7] << 8), bytes[8] | (bytes[9] << 8)];
    const decoder = new ImageDecoder({ data: bytes, type: 'image/gif' });
    await decoder.tracks.ready;
    const count = decoder.tracks.selectedTrack.frameCount;
    const canvas = new OffscreenCanvas(width, height);
    const paint = canvas.getContext('2d', { willReadFrequently: true });
    for (let i = 0; i < count; i++) {
        const { image } = await decoder.decode({ frameIndex: i });
        paint.clearRect(0, 0, width, height);
        paint.drawImage(image, 0, 0);
        image.close();
        visit(paint, i, width, height);
    }
    decoder.close();
    return count;
}"""
