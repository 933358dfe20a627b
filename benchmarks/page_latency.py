"""Time from a learning-rate slider change to the redrawn path, in headless Chromium.

    python benchmarks/page_latency.py [--changes 50]

Starts the app on a free loopback port, opens the default scene (SGD, momentum, Adam on
the canyon), moves Adam's lr slider 50 times and, for each move, measures in the page the
time until the new path is on screen (request answered, plotly redraw finished).
Target: 95th percentile under 100 ms.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-default-apps"]


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

READY = "() => window.optviz && window.optviz.grid && !window.optviz.busy"

MEASURE = """async (changes) => {
  const panel = window.optviz;
  const slider = document.getElementById('adam-lr');
  const idle = () => new Promise((resolve) => {
    const check = () => (!panel.inflight && panel.dirty.size === 0) ? resolve() : setTimeout(check, 1);
    check();
  });
  const times = [];
  for (let i = 0; i < changes; i++) {
    await idle();
    await panel.rendered;
    const before = panel.drawCount;
    const t0 = performance.now();
    slider.value = 500 + (i % 2 ? 40 : -40) + i;
    slider.dispatchEvent(new Event('input', {bubbles: true}));
    await new Promise((resolve) => {
      const check = () => (panel.drawCount > before && !panel.inflight) ? resolve() : setTimeout(check, 1);
      check();
    });
    await panel.rendered;
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));  // painted
    times.push(performance.now() - t0);
  }
  return times;
}"""


def percentile(values, q):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=50)
    args = parser.parse_args()
    import threading
    import time

    import uvicorn

    from app.main import create_app
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 950})
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_function(READY)
        for scene, query in (("canyon, 3 runs x 300 steps", ""),
                             ("rosenbrock, 6 runs x 1000 steps",
                              "?surface=rosenbrock&steps=1000&run=sgd&run=momentum&run=rmsprop&run=adam&run=adamax&run=nadam")):
            page.goto(f"http://127.0.0.1:{port}/{query}")
            page.wait_for_function(READY)
            times = page.evaluate(MEASURE, args.changes)
            print(f"{scene}: slider change -> redrawn path over {len(times)} changes")
            print(f"  median {statistics.median(times):6.1f} ms   p95 {percentile(times, 95):6.1f} ms   "
                  f"max {max(times):6.1f} ms   (target p95 < 100 ms)")
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
