"""A GIF takes ~30 s and a video ~50 s to encode on a lecturer's laptop: the progress indicator
offers Cancel (and Escape), which stops the encoding at once, downloads nothing, and gives the
export buttons back. Before, there was no way to stop it."""
import pytest

from tests.browser.test_exports import gif_frames

pytestmark = pytest.mark.browser

SCENE = "?surface=canyon&steps=30"  # 31 frames: long enough to cancel in the middle

# Counts the frames the exporter asks plotly to draw, and the downloads the page starts.
WATCH = """() => {
    window.drawn = 0;
    const original = window.Plotly.toImage;
    window.Plotly.toImage = function () { window.drawn += 1; return original.apply(this, arguments); };
}"""


def start(watch, kind):
    page = watch.page
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    page.evaluate(WATCH)
    page.click(f"[data-export={kind}]")
    page.wait_for_selector("#export-progress:not([hidden])")
    page.wait_for_function("() => window.drawn >= 3", timeout=60000)  # well under way
    # meanwhile the export buttons wait, and Cancel has the focus (a keyboard reaches it at once)
    assert page.evaluate("() => [...document.querySelectorAll('[data-export]')].every(b => b.disabled)")
    assert page.evaluate("() => document.activeElement.matches('#export-progress [data-export-cancel]')")
    return downloads


def assert_stopped(watch, downloads):
    page = watch.page
    page.wait_for_selector("#export-progress", state="hidden", timeout=3000)
    drawn = page.evaluate("() => window.drawn")
    page.wait_for_timeout(2500)  # several frames' time: nothing more is drawn, nothing downloaded
    assert page.evaluate("() => window.drawn") == drawn
    assert downloads == []
    assert page.evaluate("() => [...document.querySelectorAll('[data-export]')].every(b => !b.disabled)")
    banner = page.locator("#banner")
    assert banner.is_hidden() or "failed" not in banner.inner_text().lower()  # a cancel is not a failure
    assert watch.errors == []


def test_cancel_stops_the_gif_and_a_second_export_works(open_page):
    watch = open_page(SCENE)
    downloads = start(watch, "gif")
    watch.page.click("#export-progress [data-export-cancel]")
    assert_stopped(watch, downloads)
    # the focus is back on the button that started it
    assert watch.page.evaluate("() => document.activeElement.dataset.export") == "gif"
    # and the next export runs to its end
    with watch.page.expect_download(timeout=120000) as info:
        watch.page.click("[data-export=gif]")
    width, _, frames = gif_frames(open(info.value.path(), "rb").read())
    assert width >= 1280 and frames == 31
    watch.page.wait_for_selector("#export-progress", state="hidden")
    assert watch.errors == []


@pytest.mark.parametrize("kind", ["gif", "webm"])
def test_escape_cancels_an_animation_export(open_page, kind):
    watch = open_page(SCENE)
    if watch.page.locator(f"[data-export={kind}]").is_hidden():
        pytest.skip("this Chromium build cannot encode WebM")  # the button is hidden then
    downloads = start(watch, kind)
    watch.page.keyboard.press("Escape")
    assert_stopped(watch, downloads)
