"""The page's speed in headless Chromium, this tree against a previous version in the same run.

    python benchmarks/page_latency.py [--changes 50] [--repeats 3] [--previous 5d9582f]

Serves this tree and the previous version (its files from `git archive <rev>`, in a temporary
folder) side by side, each by its own uvicorn on a free loopback port, and measures both in
the same Chromium, alternating versions in every repeat:

- Slider change -> redrawn path: Adam's learning-rate slider is moved `--changes` times (each
  to a value not used before in the run: identical requests are answered from the server's
  cache), on the default scene (SGD, momentum, Adam on the canyon, 300 steps) and on
  Rosenbrock with six optimizers x 1000 steps. A change counts as drawn at the first frame
  painted after the page took the answer and plotly changed the paths layer's traces: the
  end is a message posted from each animation frame, which runs once that frame is painted.
  Targets (issue #11): p95 <= 33 ms on the default scene, <= 50 ms on Rosenbrock.
- First load: a fresh browser context (empty cache) opens the default scene; the bytes on the
  wire (Chromium's encoded lengths, headers included) until the paths are drawn, and the time
  to that point. Three links: loopback, as the lecturer's own browser meets it (the server sends
  answers uncompressed there: app/responses.py, compression_pays); this machine's network
  address, as a student's browser on another machine meets it (gzip for answers over 1 KB);
  and that address on a 20 Mbit/s, 20 ms link (Chromium's network emulation). Target: <= 900 KB.

Each figure is the median over the repeats with the spread (min-max) across them. The load on
the machine (`uptime`) is printed beside the table: the machine is shared.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-default-apps",
                 "--disable-background-networking", "--disable-component-update"]
SCENES = (("canyon, 3 runs x 300 steps", "", 33),
          ("rosenbrock, 6 runs x 1000 steps",
           "?surface=rosenbrock&steps=1000&run=sgd&run=momentum&run=rmsprop&run=adam&run=adamax&run=nadam", 50))
FIRST_LOAD_TARGET_KB = 900

# Both versions expose these on window.optviz: the paths panel, its request and draw counters.
READY = "() => window.optviz && window.optviz.grid && !window.optviz.busy && window.optviz.drawCount > 0"

MEASURE = """async ({changes, offset}) => {
  const panel = window.optviz;
  const slider = document.getElementById('adam-lr');
  const plot = document.getElementById('plot');
  // A change of the paths layer's traces (react replaces or rewrites them; a partial update
  // rewrites the changed path's outline).
  let mutated = false;
  const observer = new MutationObserver((records) => {
    if (records.some((r) => r.target.closest && r.target.closest('.scatterlayer'))) mutated = true;
  });
  observer.observe(plot, {subtree: true, childList: true, attributes: true, attributeFilter: ['d', 'transform']});
  // Posted from every animation frame, delivered once that frame is painted.
  const channel = new MessageChannel();
  let onPainted = null;
  channel.port1.onmessage = () => { if (onPainted) onPainted(); };
  let looping = true;
  const loop = () => { channel.port2.postMessage(0); if (looping) requestAnimationFrame(loop); };
  requestAnimationFrame(loop);
  const idle = () => new Promise((resolve) => {
    const check = () => (!panel.inflight && panel.dirty.size === 0) ? resolve() : setTimeout(check, 2);
    check();
  });
  const times = [];
  for (let i = 0; i < changes; i++) {
    await idle();
    await panel.rendered;
    await new Promise((resolve) => setTimeout(resolve, 30));  // leftover frames pass
    const before = panel.drawCount;
    mutated = false;
    const t0 = performance.now();
    slider.value = 500 + (i % 2 ? 40 : -40) + i + 97 * offset;
    slider.dispatchEvent(new Event('input', {bubbles: true}));
    const t1 = await new Promise((resolve) => {
      onPainted = () => {
        if (panel.drawCount > before && mutated) { onPainted = null; resolve(performance.now()); }
      };
    });
    times.push(t1 - t0);
  }
  looping = false;
  observer.disconnect();
  return times;
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values, q):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def export_revision(revision: str, into: Path) -> Path:
    """The files of a git revision of this repository, unpacked into a folder."""
    archive = into / "previous.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", "-o", str(archive), revision], check=True)
    tree = into / revision
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return tree


def network_address() -> str:
    """This machine's address on its network (no packet is sent: a UDP socket is only pointed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.connect(("192.0.2.254", 9))
        return sock.getsockname()[0]


def serve(tree: Path):
    """uvicorn serving the app of `tree` on a free port of every interface: (process, port)."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(tree)}
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "app.main:app", "--host", "0.0.0.0", "--port",
                                str(port), "--log-level", "warning"], cwd=tree, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=5):
                return process, port
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"the server of {tree} did not start")
            time.sleep(0.2)


def slider_times(browser, url, query, changes, offset):
    context = browser.new_context(viewport={"width": 1500, "height": 950})
    try:
        page = context.new_page()
        page.goto(f"{url}/{query}")
        page.wait_for_function(READY, timeout=120000)
        page.evaluate("() => window.optviz.rendered")
        return page.evaluate(MEASURE, {"changes": changes, "offset": offset})
    finally:
        context.close()


LINKS = (("loopback", "127.0.0.1", False), ("network address", None, False),
         ("network, 20 Mbit/s, 20 ms", None, True))


def first_load(browser, url, throttled):
    """(bytes on the wire until the default scene's paths are drawn, milliseconds to that point)."""
    context = browser.new_context(viewport={"width": 1500, "height": 950})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        if throttled:
            cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 20,
                                                          "downloadThroughput": 20e6 / 8, "uploadThroughput": 5e6 / 8})
        received = []
        cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
        start = time.perf_counter()
        try:
            page.goto(f"{url}/")
            page.wait_for_function(READY, timeout=60000, polling=5)
        except PlaywrightTimeout:  # versions before 46a5373 never drew from a non-secure origin; an unreachable address
            return None
        elapsed = (time.perf_counter() - start) * 1000
        return sum(received), elapsed
    finally:
        context.close()


def spread(values):
    return f"{statistics.median(values):7.1f} ({min(values):.0f}-{max(values):.0f})"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--previous", default="5d9582f", help="git revision to time beside this tree")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        versions = {f"previous ({args.previous})": export_revision(args.previous, Path(scratch)), "this tree": ROOT}
        servers = {name: serve(tree) for name, tree in versions.items()}
        slider = {(name, scene): {"median": [], "p95": []} for name in versions for scene, _, _ in SCENES}
        loads = {(name, link): {"bytes": [], "ms": []} for name in versions for link, _, _ in LINKS}
        remote = network_address()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for repeat in range(args.repeats):
                    order = list(servers) if repeat % 2 == 0 else list(reversed(servers))
                    for name in order:
                        port = servers[name][1]
                        url = f"http://127.0.0.1:{port}"
                        for link, host, throttled in LINKS:
                            loaded = first_load(browser, f"http://{host or remote}:{port}", throttled)
                            if loaded is not None:
                                loads[name, link]["bytes"].append(loaded[0] / 1000)
                                loads[name, link]["ms"].append(loaded[1])
                        for scene, query, _ in SCENES:
                            times = slider_times(browser, url, query, args.changes, repeat)
                            slider[name, scene]["median"].append(statistics.median(times))
                            slider[name, scene]["p95"].append(percentile(times, 95))
                browser.close()
        finally:
            for process, _ in servers.values():
                process.terminate()
                process.wait(timeout=30)
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"Slider change -> redrawn path, Chromium, {args.changes} changes x {args.repeats} repeats; "
          "ms, median over repeats (min-max)")
    print(f"uptime: {load}")
    print(f"{'scene':34s} {'version':22s} {'median':>18s} {'p95':>18s}   target p95")
    for scene, _, target in SCENES:
        for name in versions:
            figures = slider[name, scene]
            print(f"{scene:34s} {name:22s} {spread(figures['median']):>18s} {spread(figures['p95']):>18s}   <= {target} ms")
    print()
    print(f"First load of the default scene until its paths are drawn (empty cache), {args.repeats} repeats")
    print(f"{'link':27s} {'version':22s} {'KB on the wire':>20s} {'ms to paths':>20s}")
    for link, _, _ in LINKS:
        for name in versions:
            figures = loads[name, link]
            if not figures["ms"]:
                print(f"{link:27s} {name:22s} {'paths never drawn (60 s)':>41s}")
                continue
            print(f"{link:27s} {name:22s} {spread(figures['bytes']):>20s} {spread(figures['ms']):>20s}")
    print(f"target: <= {FIRST_LOAD_TARGET_KB} KB")


if __name__ == "__main__":
    main()
