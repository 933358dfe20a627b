"""Time the GIF export, before and after gifframes.js, in the same run, and print tables.

    python benchmarks/gif_export.py [--before COMMIT]

Needs the git history (the "before" module is read from it) and Chromium at /usr/bin/chromium.
Before (COMMIT's static/js/exports.js): every frame quantized to its own 256-colour palette
(gifenc's quantize), mapped with gifenc's applyPalette and written in full. After: one palette
from the last and the middle frames, each frame storing only the pixels
that changed (transparent elsewhere, frame left in place), colours mapped once (gifframes.js).

1. End to end: the page's real GIF export (animatedGif of each version, the old module served
   from git beside the new one) on two scenes, in one Chromium against one server: seconds,
   frames, size, bytes.
2. Encoding alone, on the same frames (the RGBA frames the new export drew, captured): seconds
   per frame, bytes, and how far each decoded frame (Chromium's ImageDecoder, which composites
   frames as a viewer does) is from the drawn frame: mean and max absolute channel error, PSNR.

One run of each (the machine is shared); `uptime` is printed beside the tables. Nothing here is
asserted: speed lives in benchmarks, not tests.
"""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
SCENES = {"canyon, 3 runs x 40 steps (41 frames)": "?surface=canyon&steps=40",
          "canyon, 3 runs x 300 steps (90 frames)": "?surface=canyon&steps=300&run=sgd&run=momentum&run=adam"}
BEFORE_URL = "/static/js/exports-before.js"  # served from git by a route: imports the same siblings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve():
    import uvicorn

    from app.main import create_app
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


EXPORT = """async ([module, capture]) => {
    const m = await import(module);
    window.captured = [];
    const original = CanvasRenderingContext2D.prototype.getImageData;
    CanvasRenderingContext2D.prototype.getImageData = function () {
        const image = original.apply(this, arguments);
        if (capture && this.canvas.width >= 1280) window.captured.push(new Uint8ClampedArray(image.data));
        return image;
    };
    const t0 = performance.now();
    const blob = await m.animatedGif(window.optviz.figureContext(window.optviz.runs()));
    const seconds = (performance.now() - t0) / 1000;
    CanvasRenderingContext2D.prototype.getImageData = original;
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const view = new DataView(bytes.buffer);
    return { seconds, bytes: bytes.length, width: view.getUint16(6, true), height: view.getUint16(8, true) };
}"""

# The new export captures the last and the middle frames first (its palette), then every frame in order.
ENCODE = """async ([width, height]) => {
    const { GIFEncoder, quantize, applyPalette } = await import('/static/vendor/gifenc/gifenc.esm.js');
    const { gifFrames } = await import('/static/js/gifframes.js');
    const frames = window.captured.slice(2);
    const delay = (i) => i === frames.length - 1 ? 2000 : 80;
    const before = () => {  // the old animatedGif's loop, verbatim
        const gif = GIFEncoder();
        frames.forEach((data, i) => {
            const palette = quantize(data, 256);
            gif.writeFrame(applyPalette(data, palette), width, height, { palette, delay: delay(i) });
        });
        gif.finish();
        return gif.bytes();
    };
    const after = () => {
        const gif = gifFrames({ GIFEncoder, quantize }, window.captured.slice(0, 2), width, height);
        frames.forEach((data, i) => gif.add(data, delay(i)));
        return gif.bytes();
    };
    const error = async (bytes) => {
        const decoder = new ImageDecoder({ data: bytes, type: 'image/gif' });
        await decoder.tracks.ready;
        const frameCount = decoder.tracks.selectedTrack.frameCount;
        const canvas = new OffscreenCanvas(width, height);
        const paint = canvas.getContext('2d', { willReadFrequently: true });
        let sum = 0, squares = 0, max = 0, count = 0;
        for (let i = 0; i < frames.length; i++) {
            const { image } = await decoder.decode({ frameIndex: i });
            paint.clearRect(0, 0, width, height);
            paint.drawImage(image, 0, 0);
            image.close();
            const shown = paint.getImageData(0, 0, width, height).data, drawn = frames[i];
            for (let p = 0; p < drawn.length; p += 4) for (let c = 0; c < 3; c++) {
                const d = Math.abs(shown[p + c] - drawn[p + c]);
                sum += d; squares += d * d; max = Math.max(max, d); count += 1;
            }
        }
        decoder.close();
        const mse = squares / count;
        return { frames: frameCount, mean: sum / count, max,
                 psnr: 10 * Math.log10(255 * 255 / mse) };
    };
    const out = {};
    for (const [name, encode] of [['before', before], ['after', after]]) {
        const t0 = performance.now();
        const bytes = encode();
        const seconds = (performance.now() - t0) / 1000;
        out[name] = { seconds, perFrame: 1000 * seconds / frames.length, bytes: bytes.length, ...(await error(bytes)) };
    }
    return out;
}"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default=None, help="the commit whose exports.js is 'before' (default: the one"
                        " before gifframes.js was added, the last with a palette per frame)")
    args = parser.parse_args()
    if args.before is None:
        added = subprocess.run(["git", "log", "--diff-filter=A", "--format=%h", "--", "static/js/gifframes.js"], cwd=ROOT,
                               check=True, capture_output=True, text=True).stdout.split()[-1]
        args.before = f"{added}~1"
    old = subprocess.run(["git", "show", f"{args.before}:static/js/exports.js"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    server, url = serve()
    rows, encoding = [], None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for scene, query in SCENES.items():
            page = browser.new_page(viewport={"width": 1500, "height": 950})
            page.route(f"**{BEFORE_URL}", lambda route: route.fulfill(body=old, content_type="text/javascript"))
            page.goto(f"{url}/{query}")
            page.wait_for_function("() => window.optviz && window.optviz.grid && !window.optviz.busy", timeout=60000)
            page.evaluate("() => window.optviz.rendered")
            for version, module in (("before", BEFORE_URL), ("after", "/static/js/exports.js")):
                result = page.evaluate(EXPORT, [module, version == "after"])
                rows.append((scene, version, result))
                if version == "after" and encoding is None:
                    encoding = (scene, result, page.evaluate(ENCODE, [result["width"], result["height"]]))
            page.close()
        browser.close()
    server.should_exit = True

    print(f"GIF export, end to end (the page's animatedGif; before = {args.before}'s exports.js)\n")
    print(f"{'scene':42} {'version':8} {'seconds':>8} {'size':>10} {'bytes':>10}")
    for scene, version, r in rows:
        print(f"{scene:42} {version:8} {r['seconds']:8.1f} {r['width']:>5}x{r['height']:<4} {r['bytes']:>10,}")
    scene, result, enc = encoding
    print(f"\nEncoding alone, the same {enc['after']['frames']} frames of {result['width']}x{result['height']} "
          f"({scene})\n")
    print(f"{'encoder':8} {'seconds':>8} {'ms/frame':>9} {'bytes':>10} {'frames':>6} {'mean err':>9} {'max err':>8} "
          f"{'PSNR dB':>8}")
    for name in ("before", "after"):
        e = enc[name]
        print(f"{name:8} {e['seconds']:8.2f} {e['perFrame']:9.1f} {e['bytes']:>10,} {e['frames']:>6} {e['mean']:9.3f} "
              f"{e['max']:>8} {e['psnr']:8.2f}")
    print()
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
