"""The GIF shows, frame by frame, what the exporter drew. Its frames after the first store only
the pixels that changed (transparent elsewhere, the frame before left in place) over one palette:
decoded as a viewer decodes them (Chromium's ImageDecoder composites the frames), each must be
the drawn frame, contour and all, to within the palette's rounding."""
import pytest

from tests.browser.export_helpers import EACH_GIF_FRAME

pytestmark = pytest.mark.browser

# The RGBA frames the exporter reads off its canvas (the first two: the palette's previews), the
# GIF made from them, and each decoded frame's error against the drawn one.
COMPARE = """async () => {
    """ + EACH_GIF_FRAME + """
    const m = await import('/static/js/exports.js');
    const drawn = [];
    const original = CanvasRenderingContext2D.prototype.getImageData;
    CanvasRenderingContext2D.prototype.getImageData = function () {
        const image = original.apply(this, arguments);
        if (this.canvas.width >= 1280) drawn.push(new Uint8ClampedArray(image.data));
        return image;
    };
    let blob;
    try { blob = await m.animatedGif(window.optviz.figureContext(window.optviz.runs())); }
    finally { CanvasRenderingContext2D.prototype.getImageData = original; }
    const frames = drawn.slice(2);
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const [width, height] = [bytes[6] | (bytes[7] << 8), bytes[8] | (bytes[9] << 8)];
    const errors = [];
    const count = await eachGifFrame(bytes, (paint, i) => {
        const shown = paint.getImageData(0, 0, width, height).data, want = frames[i];
        let sum = 0, far = 0, clear = 0;
        for (let p = 0; p < want.length; p += 4) {
            if (shown[p + 3] < 255) clear += 1;
            const d = Math.max(Math.abs(shown[p] - want[p]), Math.abs(shown[p + 1] - want[p + 1]), Math.abs(shown[p + 2] - want[p + 2]));
            sum += d;
            if (d > 16) far += 1;
        }
        errors.push({ mean: sum / (want.length / 4), far, clear });
    });
    // how many pixels change from one drawn frame to the next: the paths grow
    const changed = frames.slice(1).map((f, i) => { let n = 0; for (let p = 0; p < f.length; p += 4)
        if (f[p] !== frames[i][p] || f[p + 1] !== frames[i][p + 1] || f[p + 2] !== frames[i][p + 2]) n += 1; return n; });
    return { count, drawn: frames.length, pixels: width * height, errors, changed };
}"""


def test_each_gif_frame_is_the_frame_drawn(open_page):
    watch = open_page("?surface=canyon&steps=20&run=sgd&run=momentum")
    result = watch.page.evaluate(COMPARE)
    assert result["count"] == result["drawn"] == 21
    assert all(n > 0 for n in result["changed"])  # the premise: every frame differs from the one before
    for i, error in enumerate(result["errors"]):
        assert error["clear"] == 0, (i, error)  # no see-through pixel: each frame shows in full
        assert error["mean"] < 2, (i, error)  # palette rounding, on average
        assert error["far"] <= 1e-4 * result["pixels"], (i, error)  # a rare antialiased edge at most
    assert watch.errors == []
