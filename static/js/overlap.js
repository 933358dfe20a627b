// Paths that lie on top of each other. Two optimizers often take the same road (Adam, AMSGrad and
// NAdam along Rosenbrock's valley; RMSProp and Adam straight across the plateau; Newton's jump
// along the ridge SGD walks down), and a path drawn later hides the one below it: a class saw one
// path where a lesson spoke of two. So a path that a later one covers is drawn wider beneath it,
// one step wider for each path over it, and shows as a border on both sides of the one on top.
//
// "Covers": at least COVERED_SHARE of the lower path's length lies within about a line's width
// (COVER_CELL of the plot's span) of the upper path's polyline. Measured along the length, not
// per step: converging runs take hundreds of tiny steps at the minimum, where they all meet, and
// counted per step every run that reaches it would count as covered. Computed on whole paths, not on
// the frame shown, so a path keeps its width while the animation plays.

// A cell is 0.4 % of the span (about 2.5 px of a projector's plot), and a point is near a path
// within a cell either side: under a presenter line's width. With 1.2 % cells and 30 % of the
// length, SGD in the canyon counted as under Momentum (their first strokes across the ravine lie
// side by side, 0.85 of SGD's length within 1.8 %) and its zig-zags, drawn wider, merged into a
// wedge; true covers (Adam under NAdam, RMSProp under Adam, Newton's jump on SGD's ridge) measure
// 0.65 to 1 at this cell, the canyon's 0.32 to 0.4.
const COVER_CELL = 0.004;     // of the plot's span
const COVERED_SHARE = 0.5;    // of a path's length under one later path
const SAMPLED_POINTS = 240;   // along the lower path, evenly spaced: enough to measure a share
export const MAX_DEPTH = 3;   // wider than this reads as a band, not a line
export const COVER_WIDENING = 0.7;  // per path over a path, its line is this much wider (of the base width)

// How many later paths cover each path (0 for the top one or a path alone), capped at MAX_DEPTH.
// paths: per run in drawing order, its points [[x, y], ...] (or null); span: the plot's span.
export function coverDepths(paths, span) {
  return depthsOf(paths.map((points) => (points ? cellsOf(points, span) : null)), paths, span);
}

// The grid cells (COVER_CELL of the span across) a polyline passes through.
function cellsOf(points, span) {
  const cell = COVER_CELL * span;
  const cells = new Set();
  const mark = (x, y) => cells.add(cellKey(Math.floor(x / cell), Math.floor(y / cell)));
  for (let i = 0; i + 1 < points.length; i++) {
    const [x0, y0] = points[i];
    const [x1, y1] = points[i + 1];
    if (!inside(x0, y0, span) || !inside(x1, y1, span)) continue;
    // Segments longer than a plot (a diverging run's last steps) are not walked cell by cell.
    const length = Math.hypot(x1 - x0, y1 - y0);
    const pieces = length > 2 * span ? 1 : Math.ceil(length / (cell / 2));
    for (let s = 0; s <= pieces; s++) mark(x0 + ((x1 - x0) * s) / pieces, y0 + ((y1 - y0) * s) / pieces);
  }
  if (points.length === 1 && inside(...points[0], span)) mark(...points[0]);
  return cells;
}

// For each path, how many later paths' cells hold COVERED_SHARE of its length.
function depthsOf(cellSets, paths, span) {
  const cell = COVER_CELL * span;
  return paths.map((points, i) => {
    if (!points) return 0;
    const samples = alongPath(points.filter(([x, y]) => inside(x, y, span)), span);
    if (!samples.length) return 0;
    const near = samples.map(([x, y]) => {
      const [cx, cy] = [Math.floor(x / cell), Math.floor(y / cell)];
      const keys = [];
      for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) keys.push(cellKey(cx + dx, cy + dy));
      return keys;
    });
    let depth = 0;
    for (let j = i + 1; j < paths.length && depth < MAX_DEPTH; j++) {
      const cells = cellSets[j];
      if (!cells) continue;
      const covered = near.filter((keys) => keys.some((k) => cells.has(k))).length;
      if (covered >= COVERED_SHARE * samples.length) depth++;
    }
    return depth;
  });
}

// Unique for |cy| < 2^19 cells, which points within 5000 spans keep.
const cellKey = (cx, cy) => cx * 1048576 + cy;
const inside = (x, y, span) => Number.isFinite(x) && Number.isFinite(y) && Math.abs(x) < 5000 * span && Math.abs(y) < 5000 * span;

// Points evenly spaced along a polyline (segments longer than two spans, a diverging run's last
// steps, left out); its first point if it does not move.
function alongPath(points, span) {
  const segments = [];
  let total = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const length = Math.hypot(points[i + 1][0] - points[i][0], points[i + 1][1] - points[i][1]);
    if (length > 0 && length <= 2 * span) {
      segments.push([points[i], points[i + 1], total, length]);
      total += length;
    }
  }
  if (!segments.length) return points.slice(0, 1);
  const samples = [];
  let k = 0;
  for (let n = 0; n < SAMPLED_POINTS; n++) {
    const at = ((n + 0.5) / SAMPLED_POINTS) * total;
    while (k + 1 < segments.length && segments[k][2] + segments[k][3] < at) k++;
    const [[x0, y0], [x1, y1], start, length] = segments[k];
    const t = Math.min(1, Math.max(0, (at - start) / length));
    samples.push([x0 + (x1 - x0) * t, y0 + (y1 - y0) * t]);
  }
  return samples;
}

// The depths of the runs' paths. A path's cells are kept with its result, so a slider change
// walks the one new path, and the animation, asking at every frame, reuses the depths.
const cellsByResult = new WeakMap();  // result -> {span, cells}
let cached = { results: [], span: 0, depths: [] };

export function runCoverDepths(runs, span) {
  const results = runs.map((run) => run.result);
  if (span === cached.span && results.length === cached.results.length && results.every((r, i) => r === cached.results[i])) {
    return cached.depths;
  }
  const paths = results.map((r) => (r && r.points ? r.points.slice(0, r.steps_taken + 1) : null));
  const cellSets = results.map((r, i) => {
    if (!paths[i]) return null;
    let entry = cellsByResult.get(r);
    if (!entry || entry.span !== span) cellsByResult.set(r, (entry = { span, cells: cellsOf(paths[i], span) }));
    return entry.cells;
  });
  cached = { results, span, depths: depthsOf(cellSets, paths, span) };
  return cached.depths;
}
