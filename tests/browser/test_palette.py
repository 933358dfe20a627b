"""The run colours on the paths tab are told apart from each other and from the contour beneath.

- Every optimizer colour keeps a contrast of at least 3:1 (WCAG 2.1's bar for graphics, SC
  1.4.11) on every colour the contour is filled with: the walkthrough found Okabe–Ito's orange
  (1.3:1) and a sweep's pale "too small" path (1.2:1) nearly invisible.
- Every two of the 18 optimizer colours (any of them can be on together) differ by CIEDE2000 >= 15
  and CIE76 >= 20 (Momentum and Nesterov, orange and vermilion, were 22 apart in CIEDE2000 and 12
  under simulated deuteranopia; 14 colours for 18 optimizers: the last four repeated the first four).
- SGD, Momentum, Nesterov and Adam, the ones a lecture shows together, stay CIEDE2000 >= 15 apart
  under simulated deuteranopia and protanopia (Machado, Oliveira & Fernandes 2009, severity 1).
- A learning-rate sweep's colours all keep the 3:1 bar, darken in the order of the rates, and any
  two of up to six differ by CIEDE2000 >= 20 (SGD's sweep was three greys of its black, 14 apart,
  six of them 4 apart); each sweep run has its own dash and its rate at its path's end.

CIEDE2000 is written out here from Sharma, Wu & Dalal (2005) and checked against their test data."""
import itertools
import json
import math
import urllib.request

import pytest

pytestmark = pytest.mark.browser


def srgb_linear(hex_colour):
    out = []
    for i in (1, 3, 5):
        c = int(hex_colour[i:i + 2], 16) / 255
        out.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return out


def luminance(hex_colour):
    r, g, b = srgb_linear(hex_colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    low, high = sorted([luminance(a), luminance(b)])
    return (high + 0.05) / (low + 0.05)


def lab_of_linear(rgb):
    m = [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
    x, y, z = (sum(m[i][j] * rgb[j] for j in range(3)) for i in range(3))
    f = lambda t: t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29  # noqa: E731
    fx, fy, fz = f(x / 0.95047), f(y), f(z / 1.08883)  # D65 white
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def lab(hex_colour):
    return lab_of_linear(srgb_linear(hex_colour))


MACHADO = {  # linear-RGB simulation matrices, severity 1.0
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
}


def lab_seen_with(hex_colour, kind):
    rgb = srgb_linear(hex_colour)
    seen = [min(1.0, max(0.0, sum(MACHADO[kind][i][j] * rgb[j] for j in range(3)))) for i in range(3)]
    return lab_of_linear(seen)


def cie76(a, b):
    return math.dist(a, b)


def ciede2000(lab1, lab2):
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    d_l, d_c = l2 - l1, c2p - c1p
    d_h = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_bar - 30)) + 0.24 * math.cos(math.radians(2 * h_bar))
         + 0.32 * math.cos(math.radians(3 * h_bar + 6)) - 0.20 * math.cos(math.radians(4 * h_bar - 63)))
    rc = 2 * math.sqrt(cp_bar ** 7 / (cp_bar ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_bar, 1 + 0.015 * cp_bar * t
    r_t = -math.sin(math.radians(60 * math.exp(-(((h_bar - 275) / 25) ** 2)))) * rc
    return math.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h))


# Sharma, Wu & Dalal (2005), Table 1: pairs 1, 7, 17, 18, 19, 20, 25 and 34.
SHARMA = [((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425), ((50, 0, 0), (50, -1, 2), 2.3669),
          ((50, 2.5, 0), (73, 25, -18), 27.1492), ((50, 2.5, 0), (61, -5, 29), 22.8977),
          ((50, 2.5, 0), (56, -27, -3), 31.9030), ((50, 2.5, 0), (58, 24, 15), 19.4535),
          ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
          ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082)]


def test_ciede2000_matches_the_published_test_data():
    for first, second, expected in SHARMA:
        assert ciede2000(first, second) == pytest.approx(expected, abs=1e-4)
        assert ciede2000(second, first) == pytest.approx(expected, abs=1e-4)


def fills_beneath(scale, samples=40):
    """The stops of a plotly colorscale and colours between them, mixed in sRGB as plotly does."""
    out = []
    for (_, low), (_, high) in zip(scale, scale[1:]):
        a = [int(low[i:i + 2], 16) for i in (1, 3, 5)]
        b = [int(high[i:i + 2], 16) for i in (1, 3, 5)]
        for k in range(samples + 1):
            out.append("#" + "".join(f"{round(x + (y - x) * k / samples):02x}" for x, y in zip(a, b)))
    return out


FIGURE_COLOURS = """async () => {
  const figures = await import('/static/js/figures.js');
  const shades = {};
  for (const colour of figures.PALETTE) {
    shades[colour] = [2, 3, 4, 5, 6].map((n) => [...Array(n).keys()].map((i) => figures.sweepShade(i, n)));
  }
  return {palette: figures.PALETTE, fills: figures.CONTOUR_FILLS, shades};
}"""


def registry(server_url):
    with urllib.request.urlopen(f"{server_url}/api/optimizers", timeout=10) as response:
        return [o["name"] for o in json.loads(response.read())]


def test_every_optimizer_colour_is_distinct_and_stands_out_on_the_contour(open_page, server_url):
    names = registry(server_url)
    watch = open_page("?surface=canyon&run=sgd&run=momentum&run=nesterov&run=adam", viewport=(1024, 768))
    figure = watch.page.evaluate(FIGURE_COLOURS)
    palette = figure["palette"]
    # the page's runs take their registry place's colour, and the contour is filled with the fills
    shown = watch.page.evaluate("() => window.optviz.runs().map(r => [r.key, r.colour])")
    assert shown == [[name, palette[names.index(name)]] for name in ["sgd", "momentum", "nesterov", "adam"]]
    assert watch.page.evaluate("() => document.getElementById('plot-back').data[0].colorscale") == figure["fills"]

    colours = palette[:len(names)]
    assert len(colours) == len(names) == len(set(c.lower() for c in colours))  # no optimizer repeats a colour
    fills = fills_beneath(figure["fills"])
    low = [(c, f, round(contrast(c, f), 2)) for c in colours for f in fills if contrast(c, f) < 3]
    assert low == []
    close = [(a, b, round(ciede2000(lab(a), lab(b)), 1), round(cie76(lab(a), lab(b)), 1))
             for a, b in itertools.combinations(colours, 2)
             if ciede2000(lab(a), lab(b)) < 15 or cie76(lab(a), lab(b)) < 20]
    assert close == []
    together = [palette[names.index(n)] for n in ("sgd", "momentum", "nesterov", "adam")]
    for kind in MACHADO:
        for a, b in itertools.combinations(together, 2):
            assert ciede2000(lab_seen_with(a, kind), lab_seen_with(b, kind)) >= 15, (kind, a, b)
    assert watch.errors == []


def lightness(hex_colour):
    return lab(hex_colour)[0]


def test_a_sweeps_runs_are_told_apart_at_a_glance_and_read_in_order(open_page):
    # SGD's sweep was three greys of its black, CIEDE2000 14 apart (six: 4), told apart by dashes.
    watch = open_page("?surface=canyon&sweep=sgd;0.0018|0.018|0.036", viewport=(1024, 768))
    figure = watch.page.evaluate(FIGURE_COLOURS)
    fills = fills_beneath(figure["fills"])
    runs = watch.page.evaluate("() => window.optviz.runs().map(r => [r.colour, r.dash, r.label])")
    assert [colour for colour, _, _ in runs] == figure["shades"][figure["palette"][0]][1]  # the page draws these
    assert len({dash for _, dash, _ in runs}) == 3
    for colour, by_count in figure["shades"].items():
        for shades in by_count:
            # every member stands out on the contour ...
            assert min(contrast(s, f) for s in shades for f in fills) >= 3, (colour, shades)
            # ... reads in order, lightest (smallest rate) to darkest (largest) ...
            assert all(lightness(a) > lightness(b) + 3 for a, b in zip(shades, shades[1:])), (colour, shades)
            # ... and any two differ at a glance, up to six rates
            assert min(ciede2000(lab(a), lab(b)) for a, b in itertools.combinations(shades, 2)) >= 20, (colour, shades)
    # each path is labelled with its rate at its end, in its colour; the legend names the rates too
    ends = watch.page.evaluate("""() => document.getElementById('plot').data
        .filter(t => t.mode && t.mode.includes('text') && t.showlegend === false && t.name !== 'label plate')
        .map(t => [t.text[0], t.textfont.color])""")
    assert sorted(ends) == sorted([["η=0.0018", runs[0][0]], ["η=0.018", runs[1][0]],
                                   [next(t for t, _ in ends if t.startswith("η=0.036")), runs[2][0]]])
    assert any(t.startswith("η=0.036: diverged") for t, _ in ends)
    assert [label.split(":")[0] for _, _, label in runs] == ["SGD η=0.0018", "SGD η=0.018", "SGD η=0.036"]
    labels = watch.page.locator("#plot .textpoint text").all_text_contents()
    assert "η=0.0018" in labels and "η=0.018" in labels
    assert watch.errors == []
