"""Regenerate the README's screenshots: python docs/screenshots.py (needs Debian's chromium)."""
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import uvicorn  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from app.main import create_app  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.conftest import free_port  # noqa: E402

SCENES = {
    "default": "",
    "3d": "?surface=rosenbrock&run=sgd&run=momentum&run=adam&run=nadam&view=3d",
    "presenter": "?surface=canyon&run=sgd&run=momentum&run=adam&present=1&controls=0&frame=40",
    "diverged": "?surface=quadratic&sweep=sgd;0.05|0.4|0.6&run=sgd",
    "cliff-clipping": "?surface=cliff&run=sgd;lr:2&run=adam&clip=0.5",
    "mlp-comparison": "?tab=mlp",
    "mlp-batchnorm": "?tab=mlp&msel=4",
}
# Scenes that need a click before the picture: the MLP lecture preset trains five networks.
ACTIONS = {"mlp-comparison": "[data-mlp-preset]", "mlp-batchnorm": "[data-mlp-preset]"}


def main():
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, query in SCENES.items():
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/{query}")
            page.wait_for_function("() => window.optviz && window.optviz.grid && !window.optviz.busy")
            page.evaluate("() => window.optviz.rendered")
            if name in ACTIONS:
                page.click(ACTIONS[name])
                page.wait_for_function("() => document.body.dataset.mlpTraining === '0'", timeout=120000)
                if name == "mlp-batchnorm":
                    page.select_option("#mlp-selected", "4")
                page.wait_for_timeout(600)
            page.wait_for_timeout(500)
            page.screenshot(path=str(out / f"{name}.png"))
            print(out / f"{name}.png")
            page.close()
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
