"""Exports for slides: the animated GIF, the WebM video, the standalone HTML page played from
disk with the network cut, and the figure put on the clipboard."""
import base64
import struct

import pytest

from tests.browser.export_helpers import export, html_export, open_offline

pytestmark = pytest.mark.browser

SCENE = "?surface=canyon&steps=40"  # 41 steps (0..40): the GIF shows every one


def gif_frames(data):
    """(width, height, frame count) of a GIF, walking its blocks (GIF89a specification)."""
    assert data[:6] == b"GIF89a"
    width, height, flags = struct.unpack("<HHB", data[6:11])
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    frames = 0

    def skip_sub_blocks(pos):
        while data[pos]:
            pos += data[pos] + 1
        return pos + 1

    while data[pos] != 0x3B:
        if data[pos] == 0x21:  # extension: label, then sub-blocks
            pos = skip_sub_blocks(pos + 2)
        elif data[pos] == 0x2C:  # image: descriptor, local colour table, LZW code size, sub-blocks
            local = data[pos + 9]
            pos += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
            pos = skip_sub_blocks(pos + 1)
            frames += 1
        else:
            raise AssertionError(f"unexpected GIF block {data[pos]:#x} at {pos}")
    return width, height, frames


def test_gif_for_slides(open_page):
    watch = open_page(SCENE)
    with watch.page.expect_download(timeout=120000) as info:
        watch.page.click("[data-export=gif]")
        watch.page.wait_for_selector("#export-progress:not([hidden])")  # a progress bar while encoding
    data = open(info.value.path(), "rb").read()
    width, height, frames = gif_frames(data)
    assert info.value.suggested_filename.endswith(".gif")
    assert width >= 1280 and height >= 400
    assert frames == 41  # one frame per step
    watch.page.wait_for_selector("#export-progress", state="hidden")
    assert watch.errors == []


MASTERS = {0x18538067, 0x1F43B675, 0xA0, 0x1549A966}  # Segment, Cluster, BlockGroup, Info


def webm_frames(data):
    """The presentation times (ms) of a WebM's video blocks, walking its EBML elements (Matroska
    specification: element IDs keep their length marker, sizes drop it; all-ones is "unknown",
    as MediaRecorder writes for the Segment and its Clusters)."""
    def vint(pos, keep_marker):
        first = data[pos]
        length = 8 - first.bit_length() + 1
        value = first if keep_marker else first & (0xFF >> length)
        for byte in data[pos + 1:pos + length]:
            value = (value << 8) | byte
        unknown = not keep_marker and value == (1 << (7 * length)) - 1
        return value, pos + length, unknown

    times, cluster, scale, pos = [], 0, 1_000_000, 0
    while pos < len(data):
        element, pos, _ = vint(pos, True)
        size, pos, unknown = vint(pos, False)
        if element in MASTERS or unknown:
            continue  # descend into its children
        body = data[pos:pos + size]
        if element == 0x2AD7B1:  # TimecodeScale (ns per tick)
            scale = int.from_bytes(body, "big")
        elif element == 0xE7:  # the Cluster's Timecode
            cluster = int.from_bytes(body, "big")
        elif element in (0xA3, 0xA1):  # SimpleBlock / Block: track vint, int16 relative time, flags
            _, start, _ = vint(pos, False)
            relative = int.from_bytes(data[start:start + 2], "big", signed=True)
            times.append((cluster + relative) * scale / 1e6)
        pos += size
    return times


def test_video_length_follows_its_frame_count_and_frame_rate(open_page):
    watch = open_page("?surface=canyon&steps=12")  # 13 steps (0..12), one frame each
    if not watch.page.evaluate("() => !document.querySelector('[data-export=webm]').hidden"):
        pytest.skip("this Chromium build cannot record WebM")  # the button is hidden then, as tested here
    fps, hold = watch.page.evaluate("async () => { const m = await import('/static/js/exports.js');"
                                    " return [m.VIDEO_FPS, m.VIDEO_HOLD_FRAMES]; }")
    name, data = export(watch, "webm")
    assert name.endswith(".webm") and data[:4] == b"\x1a\x45\xdf\xa3" and len(data) > 10000  # EBML header
    times = webm_frames(data)
    frames = 13 + hold
    # Every frame is in the file, frame k at k / fps: drawing time (machine speed) does not stretch it.
    assert len(times) == frames
    assert times == pytest.approx([k * 1000 / fps for k in range(frames)], abs=1)
    # and the browser plays it, for (frames / fps) seconds (in a blank page: the app's CSP has no media-src blob:)
    player = watch.page.context.new_page()
    player.goto("about:blank")
    played = player.evaluate("""async (b64) => {
        const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
        const video = document.createElement('video');
        video.muted = true;
        video.src = URL.createObjectURL(new Blob([bytes], { type: 'video/webm' }));
        await new Promise((resolve, reject) => { video.onloadeddata = resolve; video.onerror = () => reject(new Error('cannot play')); });
        await video.play();
        await new Promise((resolve) => { video.onended = resolve; setTimeout(resolve, 8000); });
        return { duration: video.duration, width: video.videoWidth, height: video.videoHeight, ended: video.ended }; }""",
        base64.b64encode(data).decode())
    player.close()
    assert played["width"] >= 1280 and played["ended"] and played["duration"] == pytest.approx(frames / fps, abs=0.05)


def test_png_and_svg_exports_carry_the_scene_title(open_page):
    watch = open_page("?surface=canyon&run=sgd&run=momentum&run=adam")
    _, svg = export(watch, "svg")
    text = svg.decode("utf-8")
    assert 'class="gtitle"' in text
    title = text[text.index('class="gtitle"'):].split("</text>")[0]
    for part in ("Canyon", "SGD", "Momentum", "Adam"):
        assert part in title, (part, title[:300])
    _, png = export(watch, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    height = int.from_bytes(png[20:24], "big")
    # twice the on-screen plot (scale 2) plus the title's room above it
    assert height > 2 * watch.page.evaluate("() => document.getElementById('plot').clientHeight") + 40


def modebar_titles(page):
    return page.evaluate("() => [...document.querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title') || '')")


def test_no_chart_studio_button_anywhere(open_page, browser, tmp_path):
    watch = open_page("?surface=quadratic&steps=30&view=3d")
    watch.page.wait_for_selector("#plot .modebar-btn")
    assert modebar_titles(watch.page) and not [t for t in modebar_titles(watch.page) if "share" in t.lower() or "studio" in t.lower()]
    watch.page.click("#view-contour")
    watch.settle()
    path = html_export(watch, tmp_path, "scene.html")
    context, page, _, _ = open_offline(browser, path)
    assert not [t for t in modebar_titles(page) if "share" in t.lower() or "studio" in t.lower()]
    context.close()
    watch.page.click("#tab-mlp")
    watch.page.wait_for_timeout(300)
    assert not [t for t in modebar_titles(watch.page) if "share" in t.lower() or "studio" in t.lower()]


def test_html_export_plays_offline_and_keeps_its_contour(open_page, browser, tmp_path):
    watch = open_page("?surface=canyon&steps=120")
    path = html_export(watch, tmp_path, "scene.html")
    context, page, refused, errors = open_offline(browser, path)
    contours = "() => document.querySelectorAll('.contourlayer path').length"
    assert page.evaluate(contours) > 10
    # It opens at the end, as the app showed it; Play replays from step 0 (frames seen in order).
    page.evaluate("() => { window.seen = []; document.getElementById('plot')"
                  ".on('plotly_animatingframe', (e) => window.seen.push(Number(e.name))); }")
    page.click("text=▶ Play")
    page.wait_for_function("() => window.seen.length > 30", timeout=20000)
    seen = page.evaluate("() => window.seen")
    assert seen[0] == 0 and seen == sorted(seen)
    # Mid-animation: the contour, the minimum's star and the start are still drawn, and the paths grow.
    assert page.evaluate(contours) > 10
    names = page.evaluate("() => document.getElementById('plot').data.map(t => t.name)")
    assert "global minimum" in names and "start" in names
    lengths = page.evaluate("() => document.getElementById('plot').data.filter(t => t.mode === 'lines')"
                            ".map(t => t.x.length)")
    assert lengths and all(n > 5 for n in lengths)
    # The title sits above the plot area and the legend beside it: they do not overlap.
    title = page.locator(".gtitle").bounding_box()
    legend = page.locator(".legend").bounding_box()
    assert title["y"] + title["height"] <= legend["y"] or title["x"] + title["width"] <= legend["x"]
    assert refused == [] and errors == []
    context.close()


def test_3d_html_export_draws_its_paths(open_page, browser, tmp_path):
    watch = open_page("?surface=quadratic&steps=60&view=3d")
    path = html_export(watch, tmp_path, "scene3d.html")
    context, page, refused, errors = open_offline(browser, path)
    page.click("text=▶ Play")
    page.wait_for_function("() => document.getElementById('plot').data.some(t => t.type === 'scatter3d'"
                           " && t.mode === 'lines' && t.x.length > 10)", timeout=20000)
    assert refused == [] and errors == []
    context.close()


def test_copy_image_puts_a_png_on_the_clipboard(open_page):
    watch = open_page()
    watch.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    watch.page.click("[data-export=copy]")
    watch.page.wait_for_selector("#banner:not([hidden])")
    assert "clipboard" in watch.page.inner_text("#banner")
    types = watch.page.evaluate("async () => (await navigator.clipboard.read()).flatMap(item => item.types)")
    assert "image/png" in types


def test_a_presenter_mode_image_is_slide_sized_with_its_title_inside(open_page):
    """At 1024x768 in presenter mode the plot is ~680 px wide: exported at that size, the big fonts
    and the legend crowded the plot and a wrapped title was cut off at the top."""
    watch = open_page("?present=1", viewport=(1024, 768))
    _, png = export(watch, "png")
    assert int.from_bytes(png[16:20], "big") >= 2 * 1600  # scale 2 of a 1600 px wide slide
    _, svg = export(watch, "svg")
    text = svg.decode("utf-8")
    title = text[text.index('class="gtitle"'):].split("</text>")[0]
    assert "Canyon" in title and 'class="line"' not in title  # one line: a wrapped one was cut at the top
    top = float(title.split(' y="')[1].split('"')[0])
    assert top >= 0 and 'dy="0.7em"' in title  # the line hangs below y: its glyphs lie inside the image


LINES = "() => document.getElementById('plot').data.filter(t => t.mode === 'lines').map(t => t.x.length)"
# The player's current-step label ("step 37"), beside its slider.
STEP_LABEL = "#current"


def test_html_export_opens_at_the_frame_the_app_showed(open_page, browser, tmp_path):
    """It opened at step 0 with only the start drawn, though the app showed the whole paths."""
    watch = open_page("?surface=canyon&steps=120")
    full = watch.page.evaluate("() => window.optviz.runs().map(r => r.result.points.length)")
    context, page, refused, errors = open_offline(browser, html_export(watch, tmp_path, "end.html"))
    assert page.evaluate(LINES) == full
    assert page.locator(STEP_LABEL).text_content().strip() == "step 120"
    context.close()
    # A frame in the middle, scrubbed to in the app, is the frame the page opens at.
    watch.page.evaluate("() => window.optviz.seek(37)")
    watch.settle()
    context, page, refused, errors = open_offline(browser, html_export(watch, tmp_path, "mid.html"))
    assert page.evaluate(LINES) == [38] * len(full)
    assert page.locator(STEP_LABEL).text_content().strip() == "step 37"
    assert refused == [] and errors == []
    context.close()


def overlaps(a, b):
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
        a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


@pytest.mark.parametrize("viewport", [(1024, 768), (1920, 1080)], ids=["1024", "1920"])
def test_html_export_controls_do_not_overlap(open_page, browser, tmp_path, viewport):
    """At 1024 px the slider's "step 0" label sat on the Pause button."""
    watch = open_page("?surface=canyon&steps=300&run=sgd&run=momentum&run=adam")
    context, page, _, errors = open_offline(browser, html_export(watch, tmp_path, "scene.html"), viewport=viewport)
    page.wait_for_selector("#ticks span")
    buttons = [page.locator(f"#{name}").bounding_box() for name in ("play", "pause")]
    label = page.locator(STEP_LABEL).bounding_box()
    rail = page.locator("#slider").bounding_box()
    ticks = page.locator("#ticks").bounding_box()
    assert not overlaps(*buttons)
    for button in buttons:
        for part in (label, rail, ticks):
            assert not overlaps(button, part), (button, part)
    # and all of it inside the window
    for part in (*buttons, label, rail):
        assert part["x"] >= 0 and part["y"] + part["height"] <= viewport[1]
    assert errors == []
    context.close()


STAGE_TOPS = "() => [...document.querySelectorAll('#plot, .view-bar, .transport')].map(n => n.getBoundingClientRect().top)"


def settled_tops(page):
    """The tops of the plot, the view bar and the transport once they stop moving (the inspector
    finds its height after the first draw)."""
    before = None
    while before != page.evaluate(STAGE_TOPS):
        before = page.evaluate(STAGE_TOPS)
        page.wait_for_timeout(400)
    return before


def test_the_export_progress_does_not_move_the_page(open_page):
    """The GIF's progress bar pushed the plot down by 26 px while it encoded."""
    watch = open_page("?present=1&steps=60", viewport=(1024, 768))
    page = watch.page
    before = settled_tops(page)
    page.click("[data-export=gif]")
    page.wait_for_selector("#export-progress:not([hidden])")
    assert page.evaluate(STAGE_TOPS) == before
    bar = page.locator("#export-progress").bounding_box()
    assert bar["y"] >= 0 and bar["x"] >= 0 and bar["x"] + bar["width"] <= 1024
    page.keyboard.press("Escape")
    page.wait_for_selector("#export-progress", state="hidden")


@pytest.mark.parametrize("query,viewport", [("?present=1", (1024, 768)), ("", (1920, 1080))], ids=["1024-present", "1920"])
def test_the_copy_image_notice_does_not_move_the_page(open_page, query, viewport):
    """The notice pushed the whole page down by ~55 px under the lecturer's pointer."""
    watch = open_page(query, viewport=viewport)
    page = watch.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    before = settled_tops(page)
    page.click("[data-export=copy]")
    page.wait_for_selector("#banner:not([hidden])")
    assert page.evaluate(STAGE_TOPS) == before
    notice = page.locator("#banner").bounding_box()
    bar = page.locator("#panel-paths .view-bar").bounding_box()
    assert notice["y"] >= 0 and notice["y"] + notice["height"] <= viewport[1]
    assert notice["x"] >= 0 and notice["x"] + notice["width"] <= viewport[0]
    assert notice["y"] >= bar["y"] + bar["height"]  # never over the view and export buttons
    # A click on the notice puts it away at once.
    page.click("#banner")
    page.wait_for_selector("#banner", state="hidden")
