// One figure convention for both tabs: one plotly config, one style per mode, one palette,
// one curve (loss) figure, one render call that keeps each plot sized to its box.

// Drag-to-zoom is off everywhere: an accidental drag in front of a class must not zoom, and
// plotly's "double-click to zoom back out" toast must never cover the page.
// plotly 4 shows a "Share chart" (Chart Studio, an online service) button by default: never here.
export const CONFIG = {
  responsive: true, displaylogo: false, doubleClick: false, scrollZoom: false, showTips: false,
  showSendToCloud: false, showEditInChartStudio: false,
  modeBarButtonsToRemove: ["select2d", "lasso2d", "toImage", "zoom2d", "pan2d", "zoomIn2d", "zoomOut2d",
                           "autoScale2d", "resetScale2d"],
};

export function styleFor(present) {
  return present
    ? { font: 20, line: 5, marker: 16, arrow: 3.5, title: 24 }
    : { font: 13, line: 2.6, marker: 10, arrow: 2, title: 16 };
}

// Okabe–Ito's colourblind-safe set, extended with Paul Tol's wine, olive and indigo; the n-th
// optimizer of the registry takes the n-th colour, the same in paths, legends, curves and rules.
export const PALETTE = ["#000000", "#E69F00", "#D55E00", "#009E73", "#56B4E9", "#CC79A7", "#0072B2", "#882255",
                        "#999933", "#332288", "#7F7F7F", "#44AA99", "#AA4499", "#117733"];

export function paletteColour(index) {
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

// Shades of one colour: pale (index 0) to full (last index). Mixing toward white keeps the
// shades distinct even for black. `strength` is how far the palest goes toward white.
export function shade(hex, index, count, strength = 0.7) {
  const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const toWhite = count === 1 ? 0 : strength * (1 - index / (count - 1));
  const out = rgb.map((c) => Math.round(c + (255 - c) * toWhite));
  return `#${out.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

export const DASHES = ["dot", "solid", "dash", "dashdot", "longdash", "longdashdot"];

// Plotly renders a subset of HTML in names and hover text; labels may come from links.
export const plain = (text) => String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

// Curves against steps or epochs. series: [{name, colour, dash, x, y}]; `extra` traces are
// drawn on top (markers); `marker` draws a dotted vertical line (the current frame); a given
// `yRange` caps the axis, otherwise both axes follow the data (autorange is set explicitly:
// plotly keeps an old explicit range across react() calls otherwise).
export function lossFigure({ series, present, log = false, xTitle = "step", yTitle = "f(θ)", xRange = null,
                             yRange = null, marker = null, extra = [], uirevision = "loss", showlegend = false }) {
  const style = styleFor(present);
  const data = series.map((s) => ({
    type: "scatter", mode: "lines", name: plain(s.name), x: s.x, y: s.y, legendgroup: s.group,
    line: { color: s.colour, width: style.line * 0.8, dash: s.dash || "solid" },
    hovertemplate: `${plain(s.name)}<br>${xTitle} %{x}: %{y:.4g}<extra></extra>`,
  }));
  const shapes = marker === null ? [] : [{ type: "line", x0: marker, x1: marker, yref: "paper", y0: 0, y1: 1,
                                           line: { color: "#999", width: 1, dash: "dot" } }];
  return {
    data: [...data, ...extra],
    layout: {
      margin: { l: 60, r: 12, t: 8, b: 40 }, font: { size: style.font - 1 }, showlegend, uirevision,
      legend: { orientation: "h", y: -0.3, font: { size: style.font - 2 } },
      xaxis: { title: { text: xTitle }, automargin: true, autorange: xRange === null, range: xRange ?? undefined },
      yaxis: { title: { text: yTitle }, type: log ? "log" : "linear", exponentformat: "power", automargin: true,
               autorange: yRange === null, range: yRange ?? undefined },
      shapes,
    },
    config: { ...CONFIG, displayModeBar: false },
  };
}

// Plotly's `responsive` only follows window resizes; a plot whose box changes for another
// reason (presenter mode, hidden controls, a tab shown, a chart added beside it) is resized
// by this observer, through plotly's public API.
const observed = new WeakSet();
const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver((entries) => {
  for (const entry of entries) {
    const node = entry.target;
    if (node.isConnected && node.offsetWidth > 0 && node.classList.contains("js-plotly-plot")) {
      window.Plotly.Plots.resize(node);
    }
  }
});

export function render(element, figure) {
  if (observer && !observed.has(element)) {
    observed.add(element);
    observer.observe(element);
  }
  return window.Plotly.react(element, figure.data, figure.layout, figure.config);
}
