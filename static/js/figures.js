// One figure convention for both tabs: one plotly config, one style per mode, one palette,
// one curve (loss) figure, one render call that keeps each plot sized to its box.
import { writeInPlace } from "./inplace.js";

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

// The contour's fills, lowest to highest: light greys that stay readable on a washed-out
// projector (relative luminance 1.0 down to ~0.57) while the optimizers' colours stand out; the
// level lines carry the shape. Declared beside the palette: every path colour is chosen against them.
export const CONTOUR_FILLS = [[0, "#ffffff"], [0.35, "#eceef1"], [0.7, "#d9dce1"], [1, "#c3c7ce"]];

// One colour per optimizer, the n-th of the registry taking the n-th: the same in paths,
// legends, curves and rules. Every one keeps a contrast of at least 3:1 (WCAG 2.1's bar for
// graphics, SC 1.4.11) on the darkest fill, so no path fades into the contour (Okabe–Ito's
// orange and sky blue, at 1.3:1, did), and every two of the 18 differ by CIEDE2000 >= 15
// (CIE76 >= 20): they were picked by maximising the smallest CIEDE2000 difference among sRGB
// colours with that contrast, lightness L* >= 25 and chroma >= 30 (no near-blacks or greys
// beside SGD's black). The first places are kept for the optimizers a lecture shows together:
// SGD black, Momentum orange, Nesterov bluish green and Adam blue (Okabe–Ito's hues, darkened
// to the contrast bar) stay apart under simulated deuteranopia and protanopia as well
// (CIEDE2000 >= 15); no set of 18 colours can, and the legend names every path.
export const PALETTE = ["#000000", "#a65300", "#00795a", "#d20f69", "#4b3c00", "#5a00a5", "#0062b0", "#871e2d",
                        "#875a87", "#d2000f", "#4b7800", "#b40fd2", "#780f5a", "#004b0f", "#876900", "#484c70",
                        "#692d00", "#4b4bff"];

export function paletteColour(index) {
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

// A second channel beside the colour: each palette place's dash. No 18 colours with that
// contrast get farther apart than CIEDE2000 ~16 (Momentum's orange-brown and Schedule-free
// AdamW's brown, Nesterov's green and Lion's), which reads alike on a projector; so every two
// places closer than DASH_BELOW_DELTA_E take different dashes (assigned by colouring the graph
// of close pairs with four dashes that stay apart at presenter widths). SGD, Momentum, Nesterov
// and Adam (places 0, 1, 2 and 6), the ones a lecture shows together, are solid.
export const DASH_BELOW_DELTA_E = 25;
const DASH_NAMES = ["solid", "dot", "dash", "dashdot"];  // longdashdot read as solid in a 30 px legend sample
export const PALETTE_DASHES = [0, 0, 0, 2, 1, 2, 0, 3, 0, 1, 2, 3, 1, 3, 3, 3, 2, 1].map((k) => DASH_NAMES[k]);

export function paletteDash(index) {
  return PALETTE_DASHES[((index % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

// The dash a run is drawn with: its own (a sweep's), else its palette colour's place's.
export function pathDash(run) {
  if (run.dash) return run.dash;
  const place = PALETTE.indexOf(String(run.colour).toLowerCase());
  return place < 0 ? "solid" : PALETTE_DASHES[place];
}

// The page's legend samples (22 px lines, styles.css .legend-line) in each dash, as CSS: plotly's
// patterns at the legend's 3 px, in multiples of it, generated from the declarations above. The
// legend names a run's dash by its class (trajectories.js updateLegend).
const LEGEND_PATTERNS = { dot: [3, 3], dash: [9, 5], dashdot: [9, 3, 3, 3], longdash: [14, 5], longdashdot: [12, 3, 3, 3] };

function legendPatternCss(dash) {
  const stops = [];
  let at = 0;
  LEGEND_PATTERNS[dash].forEach((length, i) => {
    stops.push(`${i % 2 ? "transparent" : "var(--c)"} ${at}px ${at + length}px`);
    at += length;
  });
  return `border-top: 0; height: 3px; background: repeating-linear-gradient(90deg, ${stops.join(", ")});`;
}

if (typeof document !== "undefined") {
  const sheet = document.createElement("style");
  sheet.dataset.generatedBy = "figures.js";
  sheet.textContent = Object.keys(LEGEND_PATTERNS).map((dash) => `.legend-line.${dash} { ${legendPatternCss(dash)} }`).join("\n");
  document.head.append(sheet);
}

// Shades of one colour: pale (index 0) to full (last index). Mixing toward white keeps the
// shades distinct even for black. `strength` is how far the palest goes toward white.
export function shade(hex, index, count, strength = 0.7) {
  const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const toWhite = count === 1 ? 0 : strength * (1 - index / (count - 1));
  const out = rgb.map((c) => Math.round(c + (255 - c) * toWhite));
  return `#${out.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

const toHex = (rgb) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;

// A learning-rate sweep's colours, smallest rate (index 0) to largest: a sequential ramp that
// darkens steadily (CIE L* 45 -> 18) while its hue turns (teal, green, brown, red, magenta,
// navy: cubehelix's idea, Green 2011), so the members are told apart at a glance by hue and read
// in order by lightness. Shades of the optimizer's own colour could not: every shade must keep
// 3:1 on the darkest fill (L* <= ~46), which leaves a lightness range so short that SGD's black
// swept as three greys 14 apart and six at 4 (CIEDE2000). One optimizer is on screen in a sweep
// and the legend names it, so its colour is not needed to say which. Chroma is as much as sRGB
// holds, up to SWEEP_RAMP.chroma.
export const SWEEP_RAMP = { lightness: [45, 18], hue: [180, -60], chroma: 60 };

export function sweepShade(index, count) {
  const along = count === 1 ? 1 : index / (count - 1);
  const [l0, l1] = SWEEP_RAMP.lightness;
  const [h0, h1] = SWEEP_RAMP.hue;
  return lchToHex(l0 + (l1 - l0) * along, SWEEP_RAMP.chroma, h0 + (h1 - h0) * along);
}

// CIE LCh(ab) (D65) to sRGB hex, the chroma lowered until the colour is inside sRGB.
function lchToHex(lightness, chroma, hue) {
  for (let c = chroma; c > 0; c -= 0.5) {
    const rgb = labToRgb(lightness, c * Math.cos(hue * Math.PI / 180), c * Math.sin(hue * Math.PI / 180));
    if (rgb) return toHex(rgb);
  }
  return toHex(labToRgb(lightness, 0, 0));
}

function labToRgb(l, a, b) {
  const fy = (l + 16) / 116;
  const inverse = (t) => (t > 6 / 29 ? t ** 3 : 3 * (6 / 29) ** 2 * (t - 4 / 29));
  const [x, y, z] = [0.95047 * inverse(fy + a / 500), inverse(fy), 1.08883 * inverse(fy - b / 200)];
  const linear = [3.2404542 * x - 1.5371385 * y - 0.4985314 * z, -0.9692660 * x + 1.8760108 * y + 0.0415560 * z,
                  0.0556434 * x - 0.2040259 * y + 1.0572252 * z];
  if (linear.some((v) => v < -1e-9 || v > 1 + 1e-9)) return null;
  return linear.map((v) => { const c = Math.min(1, Math.max(0, v)); return 255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055); });
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
    line: { color: s.colour, width: style.line * 0.8 * (s.widen || 1), dash: s.dash || "solid" },  // widen: overlap.js
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

// Which plotly draws a figure. The page loads plotly's cartesian bundle (window.Plotly: contour,
// heatmap, scatter, bar, every 2D figure); a figure with 3D traces is drawn by the gl3d bundle,
// fetched the first time one is drawn. Each bundle is a whole plotly with its own registry of
// trace types, so the 3D one is kept apart from window.Plotly and a plot is always updated,
// resized or purged by the bundle that drew it.
const THREE_D = new Set(["surface", "scatter3d"]);

export function needs3d(figure) {
  return figure.data.some((trace) => THREE_D.has(trace.type));
}

// The bundles' addresses (with the server's version tag), from the page's script element.
export function bundleUrl(is3d) {
  const script = document.getElementById("plotly-bundle");
  if (!script) return is3d ? "/vendor/plotly-gl3d.min.js" : "/vendor/plotly-cartesian.min.js";
  return is3d ? script.dataset.gl3d : script.getAttribute("src");
}

let gl3d = null;

function loadGl3d() {
  gl3d ||= new Promise((resolve, reject) => {
    const page = window.Plotly;
    const script = document.createElement("script");
    script.src = bundleUrl(true);
    // The bundle sets window.Plotly as it runs; its load event is fired in the same task, so
    // nothing else runs before the page's bundle is put back.
    script.onload = () => {
      const lib = window.Plotly;
      window.Plotly = page;
      resolve(lib);
    };
    script.onerror = () => {
      script.remove();
      gl3d = null;
      reject(new Error("plotly's 3D bundle could not be loaded"));
    };
    document.head.append(script);
  });
  return gl3d;
}

export function plotlyFor(figure) {
  return needs3d(figure) ? loadGl3d() : Promise.resolve(window.Plotly);
}

// element -> what is on it: {lib, skeleton, data}; and the latest figure asked for, so a 3D
// figure still waiting for its bundle is not drawn over a newer one.
const drawn = new WeakMap();
const latest = new WeakMap();

// Plotly's `responsive` only follows window resizes; a plot whose box changes for another
// reason (presenter mode, hidden controls, a tab shown, a chart added beside it) is resized
// by this observer, through plotly's public API.
const observed = new WeakSet();
const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver((entries) => {
  for (const entry of entries) {
    const node = entry.target;
    if (node.isConnected && node.offsetWidth > 0 && node.classList.contains("js-plotly-plot")) {
      // plotly re-plots from its own data: traces written in place are handed to it first.
      // (a plot hidden meanwhile, by a tab switched in the same frame, is resized when shown)
      catchUp(node).then(() => node.offsetWidth > 0 && (drawn.get(node)?.lib || window.Plotly).Plots.resize(node))
        .catch(() => {});
    }
  }
});

export function render(element, figure) {
  if (observer && !observed.has(element)) {
    observed.add(element);
    observer.observe(element);
  }
  latest.set(element, figure);
  if (!needs3d(figure)) return draw(element, figure, window.Plotly);
  return loadGl3d().then((lib) => (latest.get(element) === figure ? draw(element, figure, lib) : element));
}

// A figure that differs from the one on screen only in the data of some scatter traces is
// updated in place when it can be (inplace.js: the changed paths' SVG rewritten, ~1 ms), with
// plotly given the same data once the plot has been still for SETTLE_MS; otherwise by animating
// the changed traces alone, with no transition: plotly re-plots just them and leaves the axes,
// the other traces and the layout as they are (Plotly.react recomputes and redraws every
// trace). Anything else (the layout, the traces' number, types or styles, the data extent of an
// autoranged axis) goes through Plotly.react. The promise resolves once plotly's own state
// shows the figure (tests read plotly's data).
function draw(element, figure, lib) {
  const before = drawn.get(element);
  if (before && before.lib !== lib) {
    forgetBehind(element);
    before.lib.purge(element);
    drawn.delete(element);
  }
  const dataKeys = figure.layout.showlegend ? ANIMATED : [...ANIMATED, "name"];
  const skeleton = skeletonOf(figure, dataKeys);
  const now = { lib, skeleton, data: figure.data };
  if (before && before.lib === lib && before.skeleton === skeleton && figure.data.every((t) => t.type === "scatter")) {
    const changed = figure.data.map((_, i) => i).filter((i) => !sameData(before.data[i], figure.data[i], dataKeys));
    drawn.set(element, now);
    return updateData(lib, element, figure.data, changed, resizedTraces(before.data, figure.data));
  }
  drawn.set(element, now);
  animations.delete(element);  // a new figure: the traces of an animation still waiting are its own
  const layout = needs3d(figure) ? withEndOnAxesHidden(figure.layout, element._fullLayout?.scene?.camera) : figure.layout;
  const update = lib.react(element, figure.data, layout, figure.config);
  if (needs3d(figure)) watchCamera(element, lib);
  return settle(takeBehind(element), update);
}

// The changed traces' data and the resized traces' widths: written in place when they can be,
// else animated with no transition.
function updateData(lib, element, data, changed, resized) {
  const traces = [...new Set([...changed, ...resized])];
  if (!traces.length) return behind.has(element) ? waitForCatchUp(element) : Promise.resolve(element);
  if (writeInPlace(element, data, traces)) return catchUpLater(element, traces);
  const stale = takeBehind(element);
  return settle(stale, animateTraces(lib, element, [...traces, ...stale.indices]));
}

// A path's width changes when another path comes to cover it or leaves it (plots.js, overlap.js):
// like its data, it is redrawn for that trace alone, not through Plotly.react, so a slider change
// redraws the changed run and the runs it now covers or uncovers, not the whole figure.
const lineWidth = (trace) => trace.line?.width;

function resizedTraces(before, data) {
  return data.map((_, i) => i).filter((i) => lineWidth(before[i]) !== lineWidth(data[i]));
}

// An axis the camera looks along (within END_ON_DEGREES) has all its tick labels and its title
// projected onto one spot, stacked on each other (WebGL text, drawn whatever overlaps): its
// labels are hidden until the camera turns away; the other two axes still say where things are.
const END_ON_DEGREES = 22;
const AXES_3D = ["xaxis", "yaxis", "zaxis"];

export function endOnAxes(camera) {
  if (!camera?.eye) return [];
  const center = camera.center || { x: 0, y: 0, z: 0 };
  // The eye and the centre are in the drawn box's units (its aspect ratio applied), where each
  // axis runs along one edge of the box.
  const view = ["x", "y", "z"].map((k) => camera.eye[k] - center[k]);
  const length = Math.hypot(...view);
  if (!(length > 0)) return [];
  return AXES_3D.filter((_, i) => Math.abs(view[i]) / length > Math.cos(END_ON_DEGREES * Math.PI / 180));
}

function withEndOnAxesHidden(layout, camera) {
  const scene = layout.scene;
  if (!scene) return layout;
  const hidden = endOnAxes(camera || scene.camera);
  if (!hidden.length) return layout;
  const axes = Object.fromEntries(hidden.map((name) => [name, { ...scene[name], showticklabels: false, title: { text: "" } }]));
  return { ...layout, scene: { ...scene, ...axes } };
}

// The camera stays above the surface: turned below MIN_ELEVATION_DEGREES (seen from the centre
// the camera looks at), the eye is put back at that elevation, at its own distance and bearing.
// Turned under the surface, the lecturer saw its underside and lost the paths.
export const MIN_ELEVATION_DEGREES = 12;

export function keptAbove(camera) {
  if (!camera?.eye) return null;
  const center = camera.center || { x: 0, y: 0, z: 0 };
  const [dx, dy, dz] = ["x", "y", "z"].map((k) => camera.eye[k] - center[k]);
  const distance = Math.hypot(dx, dy, dz);
  const lowest = MIN_ELEVATION_DEGREES * Math.PI / 180;
  if (!(distance > 0) || dz >= distance * Math.sin(lowest) - 1e-9) return null;
  const across = Math.hypot(dx, dy);
  // (seen from straight below, the bearing is plotly's rounding: the eye comes back from the low x, y corner)
  const [ux, uy] = across > 1e-6 * distance ? [dx / across, dy / across] : [-Math.SQRT1_2, -Math.SQRT1_2];
  const horizontal = distance * Math.cos(lowest);
  return { x: center.x + ux * horizontal, y: center.y + uy * horizontal, z: center.z + distance * Math.sin(lowest) };
}

// After the lecturer turns the camera, the axes it now looks along lose their labels, and the
// others get theirs back (from the figure drawn: its axes as declared).
const cameraWatched = new WeakSet();

function watchCamera(element, lib) {
  if (cameraWatched.has(element) || typeof element.on !== "function") return;
  cameraWatched.add(element);
  element.on("plotly_relayout", (change) => {
    if (!Object.keys(change || {}).some((key) => key.startsWith("scene.camera"))) return;
    const figure = latest.get(element);
    const scene = element._fullLayout?.scene;
    if (!figure || !needs3d(figure) || !scene) return;
    const above = keptAbove(scene.camera);
    if (above) { lib.relayout(element, { "scene.camera.eye": above }); return; }  // labels follow its relayout
    const wanted = withEndOnAxesHidden(figure.layout, scene.camera).scene;
    const update = {};
    for (const name of AXES_3D) {
      const show = wanted[name].showticklabels !== false;
      if (scene[name].showticklabels !== show) {
        update[`scene.${name}.showticklabels`] = show;
        update[`scene.${name}.title.text`] = show ? figure.layout.scene[name].title.text : "";
      }
    }
    if (Object.keys(update).length) lib.relayout(element, update);
  });
}

const ANIMATE_IN_PLACE = { mode: "immediate", transition: { duration: 0 }, frame: { duration: 0, redraw: false } };

// How long a plot stays still before plotly is given the traces written in place: longer than
// the gap between a dragged slider's answers or two animation frames, so plotly's 20-30 ms
// update never lands in the middle of a drag or a playback.
const SETTLE_MS = 150;

// element -> traces written in place that plotly has not been given yet: {indices, timer, waiters}.
const behind = new WeakMap();

function catchUpLater(element, indices) {
  const entry = behind.get(element) || { indices: new Set(), timer: 0, waiters: [] };
  behind.set(element, entry);
  indices.forEach((i) => entry.indices.add(i));
  clearTimeout(entry.timer);
  entry.timer = setTimeout(() => catchUp(element), SETTLE_MS);
  return waitForCatchUp(element);
}

function waitForCatchUp(element) {
  return new Promise((resolve) => behind.get(element).waiters.push(resolve));
}

// Plotly is given the latest data of the traces written in place (now, not after SETTLE_MS).
function catchUp(element) {
  const stale = takeBehind(element);
  const now = drawn.get(element);
  if (!stale.indices.size || !now) return settle(stale, Promise.resolve(element));
  return settle(stale, animateTraces(now.lib, element, [...stale.indices]));
}

// Plotly rejects an animation, with no reason (an uncaught "undefined" on the page), when a
// newer one on the same plot replaces it before it was drawn: four seeks within one frame of a
// sweep (a scrubber dragged fast, arrow keys held) did. So every animation also carries the
// traces of the one it may replace, at the latest data, and a replaced one resolves with the
// one that replaced it, once plotly has drawn them.
const animations = new WeakMap();  // element -> {traces: Set of indices, done: promise} not yet drawn

function animateTraces(lib, element, indices) {
  const data = drawn.get(element).data;
  const traces = [...new Set([...(animations.get(element)?.traces || []), ...indices])].filter((i) => i < data.length);
  const entry = { traces: new Set(traces) };
  animations.set(element, entry);
  entry.done = lib.animate(element, { data: traces.map((i) => data[i]), traces }, ANIMATE_IN_PLACE).then(
    () => {
      if (animations.get(element) === entry) animations.delete(element);
      keepTraceOrder(element);
      return element;
    },
    (reason) => {
      if (reason !== undefined) throw reason;
      const newer = animations.get(element);
      return newer && newer !== entry ? newer.done : element;
    });
  return entry.done;
}

// Plotly.animate of some traces can leave their SVG groups after the others in the layer (seen:
// SGD's path, animated, moved above Newton's, which it then hid), so a path meant to be drawn
// over another ends up under it. The layer's traces are put back in the data's order.
function keepTraceOrder(element) {
  for (const layer of element.querySelectorAll(".scatterlayer")) {
    const groups = [...layer.children].filter((g) => g.classList.contains("trace"));
    const index = (g) => g.__data__?.[0]?.trace?.index ?? -1;
    if (groups.some((g, k) => k > 0 && index(groups[k - 1]) > index(g))) {
      groups.sort((x, y) => index(x) - index(y)).forEach((g) => layer.appendChild(g));
    }
  }
}

function takeBehind(element) {
  const entry = behind.get(element);
  behind.delete(element);
  if (!entry) return { indices: new Set(), waiters: [] };
  clearTimeout(entry.timer);
  return entry;
}

function forgetBehind(element) {
  takeBehind(element).waiters.forEach((resolve) => resolve());
}

// Once plotly's update is done, whoever waited for the traces written in place is told too.
function settle(stale, update) {
  return Promise.resolve(update).finally(() => stale.waiters.forEach((resolve) => resolve()));
}

const ANIMATED = ["x", "y", "customdata"];

function skeletonOf(figure, dataKeys) {
  const traces = figure.data.map((trace) => {
    const rest = { ...trace };
    for (const key of dataKeys) delete rest[key];
    // a path's width is redrawn alone (resizedTraces), as its data are
    if (typeof lineWidth(rest) === "number") rest.line = { ...rest.line, width: undefined };
    return rest;
  });
  return JSON.stringify({ traces, layout: figure.layout, config: figure.config, extents: autorangedExtents(figure) });
}

// Plotly fits an autoranged axis to the data's extent: while it stays the same, so does the axis.
function autorangedExtents(figure) {
  const extents = {};
  for (const axis of ["x", "y"]) {
    const layout = figure.layout[`${axis}axis`] || {};
    if (layout.autorange === false || (layout.autorange === undefined && layout.range)) continue;
    let low = Infinity;
    let high = -Infinity;
    for (const trace of figure.data) {
      for (const value of trace[axis] || []) {
        if (value < low) low = value;
        if (value > high) high = value;
      }
    }
    extents[axis] = [low, high];
  }
  return extents;
}

function sameData(a, b, keys) {
  return keys.every((key) => sameValue(a[key], b[key]));
}

function sameValue(a, b) {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
