"""What must stay readable on the contour is drawn above the paths: a stationary point's mark
when a run ends on it (Adam's end dot hid the canyon's ★), and a label that paths run across
("diverged at step 1" beside the start, where the other runs leave it). Measured on the plot's
pixels, in presenter mode at the lecture hall's 1024×768, after End."""
import pytest

from .pixels import PAINTED

pytestmark = pytest.mark.browser

# The share of the pixels in a box (the plot's own coordinates: End scrolls the page) of each colour given, to
# within a small distance (antialiased edges are mixtures, counted as neither).
SHARES = """async ({box, colours}) => {
""" + PAINTED + """
  const gd = document.getElementById('plot');
  const { paint } = await painted(gd);
  const [left, top] = [Math.round(box[0]), Math.round(box[1])];
  const [width, height] = [Math.round(box[2] - box[0]), Math.round(box[3] - box[1])];
  const pixels = paint.getImageData(left, top, width, height).data;
  const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const counts = colours.map(() => 0);
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i + 3] < 200) continue;
    colours.forEach((colour, k) => {
      const [r, g, b] = rgb(colour);
      if (Math.abs(pixels[i] - r) + Math.abs(pixels[i + 1] - g) + Math.abs(pixels[i + 2] - b) < 60) counts[k] += 1;
    });
  }
  return counts.map((n) => n / (width * height));
}"""


def end(watch):
    watch.page.keyboard.press("End")
    watch.settle()
    assert watch.page.evaluate("() => window.optviz.frame") == watch.page.evaluate(
        "() => Math.max(...Object.values(window.optviz.results).map((r) => r.steps_taken))")


def test_a_run_ending_on_the_minimum_leaves_its_star_visible(open_page):
    watch = open_page("?present=1&controls=0", viewport=(1024, 768))  # the default canyon scene
    end(watch)
    star = watch.page.evaluate("""() => {
      const gd = document.getElementById('plot');
      const trace = gd.data.find((t) => t.name === 'global minimum');
      const ends = gd.data.filter((t) => t.mode === 'markers' && t.marker?.symbol === 'circle').map((t) => [t.x[0], t.y[0]]);
      const [x, y] = [gd._fullLayout.xaxis.l2p(trace.x[0]) + gd._fullLayout.margin.l,
                      gd._fullLayout.yaxis.l2p(trace.y[0]) + gd._fullLayout.margin.t];
      return {point: [trace.x[0], trace.y[0]], ends, colour: trace.marker.color, size: trace.marker.size, centre: [x, y]};
    }""")
    # the scene still shows what was reported: a run's end dot on the ★
    assert any(abs(x - star["point"][0]) + abs(y - star["point"][1]) < 0.05 for x, y in star["ends"]), star
    (cx, cy), half = star["centre"], star["size"] / 4  # the star's middle, inside its arms
    [gold] = watch.page.evaluate(SHARES, {"box": [cx - half, cy - half, cx + half, cy + half], "colours": [star["colour"]]})
    assert gold > 0.8, gold
    assert watch.errors == []


def test_a_label_is_not_crossed_by_the_paths_drawn_after_its_run(open_page):
    watch = open_page("?run=sgd;lr:100&run=momentum&run=adam&present=1&controls=0", viewport=(1024, 768))
    end(watch)
    found = watch.page.evaluate("""() => {
      const gd = document.getElementById('plot');
      const colours = gd.data.filter((t) => t.mode === 'lines' && /^(Momentum|Adam)/.test(t.name || ''))
        .map((t) => t.line.color);
      const text = [...gd.querySelectorAll('.textpoint text')].find((t) => t.textContent === 'diverged at step 1');
      const [r, at] = [text.getBoundingClientRect(), gd.getBoundingClientRect()];
      return {colours, box: [r.left - at.left, r.top - at.top, r.right - at.left, r.bottom - at.top]};
    }""")
    assert len(found["colours"]) == 2, found  # Momentum's and Adam's paths
    # the two paths do run through where the label is (what the lecturer saw)
    paths = watch.page.evaluate("""(box) => {
      const gd = document.getElementById('plot');
      const [xa, ya, m] = [gd._fullLayout.xaxis, gd._fullLayout.yaxis, gd._fullLayout.margin];
      return gd.data.filter((t) => t.mode === 'lines' && /^(Momentum|Adam)/.test(t.name || '')).map((t) =>
        Array.from(t.x).some((x, i) => { const px = m.l + xa.l2p(x), py = m.t + ya.l2p(t.y[i]);
                                         return px > box[0] && px < box[2] && py > box[1] && py < box[3]; }));
    }""", found["box"])
    assert paths == [True, True], paths
    shares = watch.page.evaluate(SHARES, {"box": found["box"], "colours": found["colours"]})
    assert max(shares) < 0.02, shares
    assert watch.errors == []
