"""Screenshots of lessons in presenter mode at projector size (1024×768), for the README and the
closing note: python docs/lesson_screenshots.py (needs Debian's chromium). Paths lessons are
caught mid-animation; MLP lessons after their comparison has trained."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from docs.screenshots import CHROMIUM, CHROMIUM_ARGS, serving  # noqa: E402

# lesson id -> frame to stop the animation at (paths) or None (MLP: wait for the training).
LESSONS = {"canyon-momentum": 45, "batch-gd": 12, "saddle": 60, "init-too-large": None, "dead-relu": None}
VIEWPORT = {"width": 1024, "height": 768}


def shoot(browser, url, lesson, frame, path):
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"{url}/?lesson={lesson}&present=1")
    page.wait_for_function("(id) => document.body.dataset.lesson === id", arg=lesson, timeout=60000)
    if frame is None:
        page.wait_for_function("() => document.body.dataset.mlpTraining === '0' && window.optvizMlp.results.length"
                               " && window.optvizMlp.results.every(r => r && r.summary)", timeout=300000)
    else:
        page.wait_for_function("(f) => window.optviz.player.playing && window.optviz.frame >= f || "
                               "!window.optviz.player.playing && window.optviz.frame > f", arg=frame, timeout=60000)
        page.evaluate("(f) => window.optviz.seek(f)", frame)
        page.wait_for_function("() => !window.optviz.inflight && window.optviz.dirty.size === 0", timeout=20000)
        page.evaluate("() => window.optviz.rendered")
    page.wait_for_timeout(500)
    page.screenshot(path=str(path))
    page.close()


def main():
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with serving() as port, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for lesson, frame in LESSONS.items():
            path = out / f"lesson-{lesson}.png"
            shoot(browser, f"http://127.0.0.1:{port}", lesson, frame, path)
            print(path.relative_to(ROOT))
        browser.close()


if __name__ == "__main__":
    main()
