"""Regenerate the README's screenshots: python docs/screenshots.py [name ...] (needs Debian's chromium).

Besides the page's scenes it exports the animation as a GIF and as standalone HTML, as a lecturer
would, and pictures a GIF frame and the HTML export playing, opened from disk with the network cut."""
import base64
import contextlib
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import uvicorn  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from app.main import create_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-default-apps"]
DESKTOP = (1440, 900)
PROJECTOR = (1024, 768)
FULL_HD = (1920, 1080)

# name -> (link, viewport)
SCENES = {
    "default": ("", DESKTOP),
    "3d": ("?surface=rosenbrock&run=sgd&run=momentum&run=adam&run=nadam&view=3d", DESKTOP),
    "presenter": ("?surface=canyon&run=sgd&run=momentum&run=adam&present=1&controls=0&frame=40", DESKTOP),
    "diverged": ("?surface=quadratic&sweep=sgd;0.05|0.4|0.6&run=sgd", DESKTOP),
    "cliff-clipping": ("?surface=cliff&run=sgd;lr:2&run=adam&clip=0.5", DESKTOP),
    "mlp-comparison": ("?tab=mlp", DESKTOP),
    "mlp-batchnorm": ("?tab=mlp&msel=4", DESKTOP),
    # Projector and full-HD screens in presenter mode, both tabs, controls shown and hidden.
    "presenter-1024-controls": ("?surface=himmelblau&run=sgd&run=momentum&run=adam&run=newton&present=1", PROJECTOR),
    "presenter-1024": ("?surface=himmelblau&run=sgd&run=momentum&run=adam&run=newton&present=1&controls=0", PROJECTOR),
    "presenter-1920": ("?surface=local_minima&run=sgd&run=momentum&run=rmsprop&run=adam&present=1&controls=0", FULL_HD),
    "mlp-presenter-1024": ("?tab=mlp&present=1", PROJECTOR),
    "mlp-presenter-1920": ("?tab=mlp&present=1&controls=0", FULL_HD),
}
# Scenes that need a click before the picture: the MLP lecture preset trains five networks.
ACTIONS = {"mlp-comparison": "[data-mlp-preset]", "mlp-batchnorm": "[data-mlp-preset]"}
# The exported animation: a GIF frame and the standalone HTML playing.
EXPORT_SCENE = "?surface=canyon&steps=60&run=sgd&run=momentum&run=adam"
READY = "() => window.optviz && window.optviz.grid && !window.optviz.busy"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def export(page, kind):
    with page.expect_download(timeout=300000) as info:
        page.click(f"[data-export={kind}]")
    return Path(info.value.path()).read_bytes()


def gif_frame(browser, port, data, index, path):
    """Decode one frame of a GIF with the browser's ImageDecoder and save it as a PNG."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"http://127.0.0.1:{port}/docs")  # any page of a secure (localhost) origin
    page.evaluate("() => { document.body.innerHTML = '<canvas id=c></canvas>'; }")
    page.evaluate("""async ([data, index]) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const decoder = new ImageDecoder({data: bytes, type: 'image/gif'});
      const {image} = await decoder.decode({frameIndex: index});
      const canvas = document.getElementById('c');
      canvas.width = image.displayWidth; canvas.height = image.displayHeight;
      canvas.getContext('2d').drawImage(image, 0, 0); }""", [base64.b64encode(data).decode(), index])
    page.locator("#c").screenshot(path=str(path))
    page.close()


def exports(browser, port, out):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{port}/{EXPORT_SCENE}")
    page.wait_for_function(READY, timeout=120000)
    gif = export(page, "gif")
    gif_frame(browser, port, gif, 30, out / "gif-frame.png")
    print(out / "gif-frame.png")
    html = export(page, "html")
    context.close()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scene.html"
        path.write_bytes(html)
        offline = browser.new_context(viewport={"width": 1280, "height": 760})
        offline.route("http://**/*", lambda route: route.abort())
        page = offline.new_page()
        page.goto(path.as_uri())
        page.wait_for_selector("#plot .main-svg")
        page.click("text=▶ Play")
        page.wait_for_function("() => document.getElementById('plot').data.filter(t => t.mode === 'lines')"
                               ".some(t => t.x.length > 30)", timeout=60000)
        page.click("text=❚❚ Pause")
        page.screenshot(path=str(out / "html-export.png"))
        print(out / "html-export.png")
        offline.close()


@contextlib.contextmanager
def serving():
    """The app on a free loopback port, in a thread, for as long as the block runs: yields the port."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True


def main():
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with serving() as port, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        wanted = sys.argv[1:] or [*SCENES, "exports"]
        for name, (query, (width, height)) in SCENES.items():
            if name not in wanted:
                continue
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"http://127.0.0.1:{port}/{query}")
            page.wait_for_function(READY, timeout=120000)
            page.evaluate("() => window.optviz.rendered")
            if name in ACTIONS:
                page.click(ACTIONS[name])
                page.wait_for_function("() => document.body.dataset.mlpTraining === '0'", timeout=300000)
                if name == "mlp-batchnorm":
                    page.select_option("#mlp-selected", "4")
                page.wait_for_timeout(600)
            page.wait_for_timeout(800)
            page.screenshot(path=str(out / f"{name}.png"))
            print(out / f"{name}.png")
            page.close()
        if "exports" in wanted:
            exports(browser, port, out)
        browser.close()


if __name__ == "__main__":
    main()
