// The fast lane of a redraw: a scatter trace whose data changed (a path after a slider move, a
// marker moving to the next step) has its SVG rewritten where plotly drew it, in about a
// millisecond, instead of going through plotly (20-30 ms per plot even for one trace of an
// animated partial update, most of it plotly's defaults and bookkeeping). figures.js then hands
// the same data to plotly once the plot has been still for a moment, so hover labels, legends
// and later updates work from plotly's own state again.
//
// Only what maps one to one is written here: a line drawn as one SVG path, and markers whose
// number did not change. Anything else (text labels, fills, a line plotly split in pieces, a
// trace gaining or losing points) returns false and goes through plotly at once.

// Pixel coordinates are kept within this many plot sizes of the plot: a diverged path's points
// (1e30 and more) would overflow the SVG's floats and lose the whole line.
const CLIP_MARGIN = 4;

// Rewrites the traces `indices` of the figure's data on `element`; false if any of them cannot
// be written in place, in which case nothing was changed.
export function writeInPlace(element, data, indices) {
  const layout = element._fullLayout;
  const fullData = element._fullData;
  if (!layout || !fullData || fullData.length !== data.length) return false;
  const writes = [];
  for (const index of indices) {
    const write = planTrace(element, layout, fullData[index], data[index]);
    if (!write) return false;
    writes.push(write);
  }
  for (const write of writes) write();
  return true;
}

function planTrace(element, layout, full, trace) {
  if (full.type !== "scatter" || trace.type !== "scatter" || full.visible !== true) return null;
  if (full.fill && full.fill !== "none") return null;
  const mode = trace.mode || "lines";
  if (mode.includes("text") || !/^(lines|markers|lines\+markers)$/.test(mode)) return null;
  if (full.line?.shape && full.line.shape !== "linear") return null;
  const xa = layout[axisKey("x", full.xaxis)];
  const ya = layout[axisKey("y", full.yaxis)];
  if (!xa || !ya || typeof xa.c2p !== "function" || typeof ya.c2p !== "function") return null;
  const group = element.querySelector(`.scatterlayer .trace${full.uid}`);
  if (!group) return null;
  const xs = trace.x || [];
  const ys = trace.y || [];
  if (xs.length !== ys.length) return null;
  const px = new Float64Array(xs.length);
  const py = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    px[i] = xa.c2p(xs[i]);
    py[i] = ya.c2p(ys[i]);
    if (!Number.isFinite(px[i]) || !Number.isFinite(py[i])) return null;  // log of a non-positive value, ...
  }
  const steps = [];
  if (mode.includes("lines")) {
    const lines = group.querySelectorAll("path.js-line");
    if (lines.length !== 1 || xs.length < 2) return null;
    const d = polyline(px, py, xa._length, ya._length);
    const width = trace.line?.width;
    steps.push(() => {
      lines[0].setAttribute("d", d);
      // A path another comes to cover, or leaves, changes width (plots.js, overlap.js).
      if (typeof width === "number") lines[0].style.strokeWidth = `${width}px`;
    });
  }
  if (mode.includes("markers")) {
    const points = group.querySelectorAll("g.points path.point");
    if (points.length !== xs.length) return null;
    steps.push(() => points.forEach((node, i) => node.setAttribute("transform", `translate(${round(px[i])},${round(py[i])})`)));
  }
  return () => steps.forEach((step) => step());
}

// "x" + "x2" -> "xaxis2"; "y" + "y" -> "yaxis".
function axisKey(letter, id) {
  return `${letter}axis${(id || letter).slice(1)}`;
}

const round = (v) => Math.round(v * 100) / 100;

// An SVG path through the points, each segment clipped to the plot grown by CLIP_MARGIN plot
// sizes on every side (Liang-Barsky), so far-away points keep their direction on screen.
function polyline(px, py, width, height) {
  const margin = CLIP_MARGIN * Math.max(width, height);
  const box = [-margin, width + margin, -margin, height + margin];
  let d = "";
  let at = null;  // where the pen is, or null when lifted
  for (let i = 1; i < px.length; i++) {
    const segment = clip(px[i - 1], py[i - 1], px[i], py[i], box);
    if (!segment) { at = null; continue; }
    const [x0, y0, x1, y1] = segment.map(round);
    if (!at || at[0] !== x0 || at[1] !== y0) d += `M${x0},${y0}`;
    d += `L${x1},${y1}`;
    at = [x1, y1];
  }
  return d || "M0,0";
}

function clip(x0, y0, x1, y1, [left, right, top, bottom]) {
  const dx = x1 - x0;
  const dy = y1 - y0;
  let t0 = 0;
  let t1 = 1;
  for (const [p, q] of [[-dx, x0 - left], [dx, right - x0], [-dy, y0 - top], [dy, bottom - y0]]) {
    if (p === 0) {
      if (q < 0) return null;
    } else {
      const t = q / p;
      if (p < 0) { if (t > t1) return null; if (t > t0) t0 = t; } else { if (t < t0) return null; if (t < t1) t1 = t; }
    }
  }
  return [x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy];
}
