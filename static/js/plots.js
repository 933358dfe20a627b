// Plotly rendering of the paths panel only: figures from data, no DOM outside the plot
// elements, no fetches. Conventions (config, styles, palette, curve figure) come from figures.js.
// The contour is filled with figures.js CONTOUR_FILLS, the colours the palette is chosen against.
import { CONFIG, CONTOUR_FILLS, lossFigure, pathDash, plain, render, styleFor } from "./figures.js";
import { COVER_WIDENING, runCoverDepths } from "./overlap.js";

// Colour (and 3D height) transform: log of the gap to the minimum for narrow valleys, and for
// any surface that spans decades (half the plot within 5 % of the range above the minimum:
// linear levels would leave it one blank band).
function spansDecades(grid) {
  const gaps = grid.z.flat().map((z) => z - grid.z_min).sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] < 0.05 * (grid.z_max - grid.z_min);
}

export function surfaceTransform(surface, grid) {
  if (!surface.log_colour && !spansDecades(grid)) return { apply: (z) => z, label: "f(x, y)" };
  const floor = grid.z_min - 1e-6 * (grid.z_max - grid.z_min) - 1e-12;
  return { apply: (z) => Math.log10(z - floor), label: "log₁₀(f − f_min)" };
}

export function transformGrid(grid, transform) {
  return grid.z.map((row) => row.map(transform.apply));
}

// A run's name in legends: its label and what the server says it reached, while the figure has
// at most this many runs; more are named only (17 optimizers' messages ran off a slide's edge
// and its bottom). The page's own legend (trajectories.js) decides by the lines it takes.
export const LEGEND_MESSAGES_UP_TO = 6;

function pathName(run, withMessage) {
  const message = withMessage && run.result?.message;
  return message ? `${plain(run.label)} — ${plain(message)}` : plain(run.label);
}

// Every stationary point in the plot, marked by its kind (the symbols the page's legend explains).
const KINDS = [
  { kind: "minimum", global: true, name: "global minimum", symbol: "star", colour: "#f2c200" },
  { kind: "minimum", global: false, name: "local minimum", symbol: "star-open", colour: "#333333" },
  { kind: "saddle", name: "saddle point", symbol: "x-thin", colour: "#333333" },
  { kind: "maximum", name: "local maximum", symbol: "triangle-up-open", colour: "#333333" },
];

// The width (px) of the white outline round a stationary point's mark on the contour.
const MARK_HALO = 4;

function landmarks(points, style, transform, is3d) {
  const traces = [];
  // Rastrigin has hundreds: many points are drawn smaller so they do not hide the paths.
  const size = (points.length > 30 ? style.marker - 2 : style.marker + 6);
  for (const group of KINDS) {
    const items = points.filter((p) => p.kind === group.kind && (group.global === undefined || p.global === group.global));
    if (!items.length) continue;
    const filled = group.symbol === "star";
    const marker = { symbol: is3d ? (group.kind === "minimum" ? "diamond" : "cross") : group.symbol, size, color: group.colour,
                     line: { color: filled ? "#222" : group.colour, width: filled ? 1.2 : 2.5 } };
    const base = { name: group.name, mode: "markers", marker, showlegend: true, legendgroup: "stationary",
                   hovertemplate: `${group.name}<br>(%{x:.3f}, %{y:.3f})<extra></extra>` };
    const x = items.map((p) => p.point[0]);
    const y = items.map((p) => p.point[1]);
    if (is3d) {
      traces.push({ ...base, type: "scatter3d", x, y, z: items.map((p) => transform.apply(p.value)), marker: { ...marker, size: 5 } });
    } else {
      // The same mark in white, its outline wider, beneath it: a white ring that keeps the mark
      // apart from a dark path or end dot under it.
      const halo = { ...marker, color: "#ffffff", line: { color: "#ffffff", width: marker.line.width + MARK_HALO } };
      traces.push({ type: "scatter", mode: "markers", x, y, marker: halo, showlegend: false, legendgroup: "stationary",
                    hoverinfo: "skip", name: `${group.name} outline` });
      traces.push({ ...base, type: "scatter", x, y });
    }
  }
  return traces;
}

function clampToDomain(x, y, [[x0, x1], [y0, y1]]) {
  return [Math.max(x0, Math.min(x1, x)), Math.max(y0, Math.min(y1, y))];
}

// Where a path leaves the area `view` for good: where its last segment going out (from its last
// point inside) crosses the area's edge; its last point if that is inside. A diverged run's ✕
// sits there, on the path's last visible segment (each coordinate clamped to the domain on its
// own put it off the line, and inside the plot where the view is wider than the domain).
export function exitPoint(x, y, upto, view) {
  const [[x0, x1], [y0, y1]] = view;
  const inside = (i) => x[i] >= x0 && x[i] <= x1 && y[i] >= y0 && y[i] <= y1;
  if (inside(upto)) return [x[upto], y[upto]];
  let first = upto;  // the first point of the path's last stretch outside
  while (first > 0 && !inside(first - 1)) first -= 1;
  if (first === 0) return clampToDomain(x[upto], y[upto], view);
  const [ax, ay, bx, by] = [x[first - 1], y[first - 1], x[first], y[first]];
  let t = 1;
  for (const [a, b, low, high] of [[ax, bx, x0, x1], [ay, by, y0, y1]]) {
    if (b > high) t = Math.min(t, (high - a) / (b - a));
    if (b < low) t = Math.min(t, (low - a) / (b - a));
  }
  return [ax + t * (bx - ax), ay + t * (by - ay)];
}

function textPosition(x, y, [[x0, x1], [y0, y1]]) {
  const vertical = y > (y0 + y1) / 2 ? "bottom" : "top";
  const horizontal = x > (x0 + x1) / 2 ? "left" : "right";
  return `${vertical} ${horizontal}`;
}

// Where a diverged run's ✕ goes: where its path ended, unless that is on the start marker (a run
// that diverged at its first step ends where it began), which the ✕ and its label would hide.
// Then it moves toward the plot's centre, diagonally, by START_CLEARANCE of the domain's larger
// span (the start diamond is ~2 % of it across at presenter size), so the ✕ and its label,
// placed on the side of the centre, both clear the start.
const START_CLEARANCE = 0.07;

function besideStart([x, y], start, [[x0, x1], [y0, y1]]) {
  if (!start) return [x, y];
  const span = Math.max(x1 - x0, y1 - y0);
  const clearance = START_CLEARANCE * span;
  if (Math.hypot(x - start[0], y - start[1]) >= clearance) return [x, y];
  const towardX = start[0] > (x0 + x1) / 2 ? -1 : 1;
  const towardY = start[1] > (y0 + y1) / 2 ? -1 : 1;
  return [start[0] + towardX * clearance, start[1] + towardY * clearance];
}

// The path of each run up to `frame`, its current point and, if finished, its end marker.
// `marks`: a dot every `marks` steps on each path (0 = none), sized per point on the path's own trace.
// `start`: the start marker's point, which a diverged run's ✕ and label keep clear of.
// A path that later paths cover is drawn COVER_WIDENING wider per path over it (overlap.js).
// `view`: the area the axes show (the domain widened to the plot's aspect), which a diverged path leaves.
// `area`: the plot area's size in pixels ({width, height}), to keep a sweep's labels apart.
function runTraces(runs, frame, style, transform, is3d, domain, marks = 0, start = null, view = domain, area = null) {
  const traces = [];
  const labels = [];
  const named = runs.length <= LEGEND_MESSAGES_UP_TO;
  const sweep = isSweep(runs);
  const [[x0, x1], [y0, y1]] = domain;
  const depths = is3d ? [] : runCoverDepths(runs, Math.max(x1 - x0, y1 - y0));
  for (const [index, run] of runs.entries()) {
    const r = run.result;
    if (!r || !r.points) continue;
    const upto = Math.min(frame, r.steps_taken);
    const pts = r.points.slice(0, upto + 1);
    const x = pts.map((p) => p[0]);
    const y = pts.map((p) => p[1]);
    const hover = `${plain(run.label)}<br>step %{customdata}<br>(%{x:.4g}, %{y:.4g})<extra></extra>`;
    const customdata = pts.map((_, i) => i);
    if (is3d) {
      // Lifted a little above the surface so the surface never paints over the path.
      const lift = THREE_D_LIFT * (transform.range || 1);
      const z = r.loss.slice(0, upto + 1).map((v) => transform.apply(v) + lift);
      traces.push({ type: "scatter3d", mode: "lines", name: pathName(run, named), x, y, z, customdata, opacity: 1,
                    line: { color: run.colour, width: style.line * 2.2, dash: pathDash(run) }, hovertemplate: hover,
                    legendgroup: run.key });
      traces.push({ type: "scatter3d", mode: "markers", x: [x[upto]], y: [y[upto]], z: [z[upto]], showlegend: false,
                    marker: { size: 5, color: run.colour, line: { color: "#fff", width: 1 } },
                    hoverinfo: "skip", legendgroup: run.key });
      continue;
    }
    const dots = marks > 0 ? { mode: "lines+markers", marker: { color: run.colour, size: pts.map((_, i) => (i % marks === 0 ? style.marker * 0.7 : 0)),
                                                                line: { width: 0 } } } : {};
    // A path that later ones cover is drawn wider beneath them, so it shows as their border (overlap.js).
    const depth = depths[index] || 0;
    traces.push({ type: "scatter", mode: "lines", name: pathName(run, named), x, y, customdata, ...dots,
                  line: { color: run.colour, width: style.line * (1 + COVER_WIDENING * depth), dash: pathDash(run) },
                  hovertemplate: hover, legendgroup: run.key });
    const finished = frame >= r.steps_taken && r.status !== "max_steps";
    const diverged = finished && r.status === "diverged";
    // A diverged path usually leaves the plot: its end marker is where it does; one that
    // diverged at once ends on the start: its mark is set beside the start, not over it.
    const [ex, ey] = diverged ? besideStart(exitPoint(x, y, upto, view), start, domain) : [x[upto], y[upto]];
    // The label's side is set only where there is a label: the marker of a converged run then
    // differs between two slider values in its data alone, and is redrawn alone (figures.js).
    // A sweep's runs carry their rate at the path's end (on the side its last point leaves
    // free, the same in every frame, so the animation redraws the marker's data alone).
    const rate = sweep ? `η=${formatRate(run.params.lr)}` : "";
    const text = diverged ? (rate ? `${rate}: ${r.message}` : r.message) : rate;
    const settledAt = diverged ? [ex, ey] : r.points[r.steps_taken];
    // A label is a trace of its own, moved clear of the others' (placeLabels) and drawn above
    // every path (mainFigure), on a white plate, so no path is drawn across its text.
    if (text) {
      const label = { text: [plain(text)], textposition: textPosition(...(sweep ? settledAt : [ex, ey]), domain),
                      textfont: { color: run.colour, size: style.font } };
      labels.push({ x: ex, y: ey, text, label, run, marker: diverged ? style.marker + 8 : style.marker });
    }
    traces.push({
      type: "scatter", mode: "markers", x: [ex], y: [ey], showlegend: false,
      legendgroup: run.key, cliponaxis: false,
      marker: diverged
        ? { symbol: "x", size: style.marker + 8, color: run.colour, line: { color: "#fff", width: 1.5 } }
        : { symbol: "circle", size: style.marker, color: run.colour, line: { color: "#fff", width: 1.5 } },
      hovertemplate: diverged ? `${plain(run.label)}: ${plain(r.message)}<extra></extra>` : hover,
      customdata: [upto],
    });
  }
  const shifts = placeLabels(labels, view, area, style);
  const at = (i) => ({ x: [labels[i].x + shifts[i][0]], y: [labels[i].y + shifts[i][1]] });
  const texts = labels.map(({ label, run }, i) => ({
    type: "scatter", mode: "text", ...at(i), showlegend: false, legendgroup: run.key, cliponaxis: false,
    ...label, hovertemplate: `${plain(run.label)}<extra></extra>`, name: sweep ? "rate" : "message",
  }));
  const plates = labels.map(({ text, label, run }, i) => ({
    type: "scatter", mode: "text", ...at(i), showlegend: false, legendgroup: run.key, cliponaxis: false,
    text: [plateText(plain(text), style.font)], textposition: label.textposition, hoverinfo: "skip", name: "label plate",
    textfont: { color: LABEL_PLATE, size: style.font },
  }));
  return { traces, plates, labels: texts };
}

// A label's plate: a white band behind its text, so a path under the label stops at its edge.
// It is text too, full blocks (█) at the label's size and position, as many as cover the label's
// width: plotly has no background for a trace's text, and a shape of its own would have to be
// sized in data units, from the plot area's size in pixels, which an exported image's differs from.
const LABEL_PLATE = "rgba(255,255,255,0.92)";
const BLOCK = "\u2588";

function plateText(text, size) {
  return BLOCK.repeat(Math.max(1, Math.ceil(textWidth(text, size) / textWidth(BLOCK, size))));
}

const FONT_FAMILY = "system-ui, sans-serif";

// A text's width in pixels at the figures' font: measured where the browser can, else estimated.
let measurer = null;

function textWidth(text, size) {
  measurer ??= typeof OffscreenCanvas === "function" ? new OffscreenCanvas(1, 1).getContext("2d") : false;
  if (!measurer) return CHAR_WIDTH * size * String(text).length;
  measurer.font = `${size}px ${FONT_FAMILY}`;
  return measurer.measureText(String(text)).width;
}

// A sweep's rates are written at its paths' ends, where close ends put the labels over each
// other ("η=0.02" on "η=0.2"); diverged runs' messages too. Each label is a text of its own
// written beside its marker, on the side textPosition says, clear of the marker; its box is
// measured in pixels (textWidth), and a label over
// one placed before it moves down (or up, if below would leave the plot) until it clears it. The
// shifts from the marker's point come back in data units, [dx, dy].
const CHAR_WIDTH = 0.62;    // of the font size: a generous average for system-ui's digits and letters, where not measured
const LINE_HEIGHT = 1.25;   // of the font size
const LABEL_GAP = 2;        // pixels between two labels

export function placeLabels(labels, view, area, style) {
  const [[x0, x1], [y0, y1]] = view;
  const width = area?.width > 0 ? area.width : 600;
  const height = area?.height > 0 ? area.height : 450;
  const [sx, sy] = [width / (x1 - x0), height / (y1 - y0)];
  const boxes = labels.map(({ x, y, text, label, marker }) => {
    const [vertical, horizontal] = label.textposition.split(" ");
    const [w, h, r] = [textWidth(text, style.font), LINE_HEIGHT * style.font, marker / 2];
    const [px, py] = [(x - x0) * sx, (y1 - y) * sy];
    const left = horizontal === "right" ? px + r : px - r - w;
    const top = vertical === "bottom" ? py + r : py - r - h;
    return { left, right: left + w, top, bottom: top + h };
  });
  const order = boxes.map((_, i) => i).sort((a, b) => boxes[a].top - boxes[b].top || a - b);
  const placed = [];
  const shifts = labels.map(() => [0, 0]);
  const across = (a, b) => a.left < b.right && b.left < a.right;
  const clashes = (box) => placed.find((other) => across(box, other) && box.top < other.bottom + LABEL_GAP
                                                  && other.top < box.bottom + LABEL_GAP);
  for (const i of order) {
    const box = boxes[i];
    const h = box.bottom - box.top;
    let moved = { ...box };
    for (let other = clashes(moved); other; other = clashes(moved)) {
      moved = { ...moved, top: other.bottom + LABEL_GAP, bottom: other.bottom + LABEL_GAP + h };
    }
    if (moved.bottom > height) {  // off the plot's bottom: above the labels in its way instead
      moved = { ...box };
      for (let other = clashes(moved); other; other = clashes(moved)) {
        moved = { ...moved, top: other.top - LABEL_GAP - h, bottom: other.top - LABEL_GAP };
      }
    }
    placed.push(moved);
    // from the marker's centre to the text's anchor (the text's side toward the marker), plus the move
    const [vertical, horizontal] = labels[i].label.textposition.split(" ");
    const r = labels[i].marker / 2;
    shifts[i] = [(horizontal === "right" ? r : -r) / sx, ((vertical === "bottom" ? -r : r) - (moved.top - box.top)) / sy];
  }
  return shifts;
}

// One optimizer at several learning rates (the sweep): its runs are told apart by their rate.
function isSweep(runs) {
  return runs.length > 1 && runs.every((run) => run.optimizer === runs[0].optimizer && run.params?.lr !== undefined);
}

const formatRate = (lr) => String(Number(Number(lr).toPrecision(3)));

// Arrows at the current frame: the negative gradient's direction (thin) and the step taken
// (thick), each a line trace drawn shaft then open head (the axes are at equal aspect, so a head
// built in data units keeps its shape). Two traces per run at every frame, empty where a run has
// no arrow there: the figure keeps its skeleton while the animation plays, so each frame is
// drawn in place (figures.js) rather than re-laid out as annotations would be.
const ARROW_LENGTH = 0.09;  // of the plot's span: the −∇f direction arrow
// |∇f| under this fraction of its value at the run's start: no direction arrow (the inspector's hint says so).
export const VANISHED_GRADIENT = 1e-3;

function arrowTraces(runs, frame, style, span) {
  const traces = [];
  for (const run of runs) {
    const r = run.result;
    if (!r || !r.points) continue;
    let direction = null;
    let step = null;
    if (frame < r.steps_taken) {
      const [x, y] = r.points[frame];
      const [gx, gy] = r.grad[frame];
      // The direction alone, at one length; not drawn once the gradient has all but vanished
      // (a run circling a minimum showed a full-length arrow on it).
      const norm = Math.hypot(gx, gy);
      const length = ARROW_LENGTH * span;
      if (norm >= VANISHED_GRADIENT * Math.hypot(...r.grad[0]) && norm > 0) {
        direction = arrowShape(x, y, x - (gx / norm) * length, y - (gy / norm) * length, span);
      }
      const [nx, ny] = r.points[frame + 1];
      if (Math.hypot(nx - x, ny - y) > 1e-9 * span) step = arrowShape(x, y, nx, ny, span);
    }
    const arrow = (shape, width, opacity, name) => ({
      type: "scatter", mode: "lines", x: shape ? shape.x : [], y: shape ? shape.y : [], name, showlegend: false,
      hoverinfo: "skip", opacity, legendgroup: run.key, line: { color: run.colour, width } });
    traces.push(arrow(direction, style.arrow * 0.6, 0.55, "−∇f direction"), arrow(step, style.arrow, 1, "step"));
  }
  return traces;
}

// Shaft from (x0, y0) to the tip (x1, y1), then the head's two barbs, as one polyline.
function arrowShape(x0, y0, x1, y1, span) {
  const length = Math.hypot(x1 - x0, y1 - y0);
  const [ux, uy] = [(x1 - x0) / length, (y1 - y0) / length];
  const head = Math.min(0.03 * span, 0.45 * length);
  const [bx, by] = [x1 - head * ux, y1 - head * uy];
  const [wx, wy] = [-uy * head * 0.55, ux * head * 0.55];
  return { x: [x0, x1, bx + wx, x1, bx - wx], y: [y0, y1, by + wy, y1, by - wy] };
}

// Fixed margins: the contour layer and the paths layer get the same plot area from the same
// layout, with nothing to measure (the axes' tick labels fit in them at either font size).
export function marginsFor(present) {
  return present ? { l: 78, r: 12, t: 12, b: 66 } : { l: 56, r: 10, t: 10, b: 46 };
}

// The area a grid's view may cover: `spans` domain spans about the domain's centre (the grid
// endpoints' bound, served by GET /api/limits as grid.max_view_spans), computed as the server
// computes it, so a view clamped to it is one the server accepts.
export function viewLimit([[x0, x1], [y0, y1]], spans) {
  const half = spans / 2;
  return [[(x0 + x1) / 2 - half * (x1 - x0), (x0 + x1) / 2 + half * (x1 - x0)],
          [(y0 + y1) / 2 - half * (y1 - y0), (y0 + y1) / 2 + half * (y1 - y0)]];
}

// What an equal-aspect plot of `domain` shows in a plot area of width x height pixels: the
// domain, widened about its centre along one axis so one unit is as many pixels in x as in y,
// within viewLimit(domain, spans).
export function equalAspectView(domain, width, height, spans) {
  const [[x0, x1], [y0, y1]] = domain;
  if (!(width > 0 && height > 0)) return domain;
  const perUnit = Math.min(width / (x1 - x0), height / (y1 - y0));
  const [halfX, halfY] = [width / perUnit / 2, height / perUnit / 2];
  const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
  const [[lx0, lx1], [ly0, ly1]] = viewLimit(domain, spans);
  return [[Math.min(x0, Math.max(lx0, cx - halfX)), Math.max(x1, Math.min(lx1, cx + halfX))],
          [Math.min(y0, Math.max(ly0, cy - halfY)), Math.max(y1, Math.min(ly1, cy + halfY))]];
}

// Whether a grid over `covered` holds all of `view` (to a hair of its span).
export function coversView(covered, view) {
  return Boolean(covered) && [0, 1].every((axis) => {
    const hair = 1e-6 * (view[axis][1] - view[axis][0]);
    return covered[axis][0] <= view[axis][0] + hair && covered[axis][1] >= view[axis][1] - hair;
  });
}

// How far a 3D path is drawn above the surface, as a fraction of the surface's z range: enough
// that the (opaque) surface never paints over a path lying along it, little enough that the path
// still reads as on it.
const THREE_D_LIFT = 0.02;

// The 3D box and the eye: the box's longer side THREE_D_BOX long (plotly's units; its default
// framing drew the surface a third of a 1024 px plot's width in a white frame), seen from in
// front of x's low end and well above, so the floor of a valley (where the paths run) is seen
// over its near wall, and the box's projection fills the plot's width at projector sizes.
const THREE_D_BOX = 1.8;
const THREE_D_CAMERA = { eye: { x: -0.6, y: -1.1, z: 1.6 }, center: { x: 0, y: 0, z: -0.15 } };

function threeDAspect(spanX, spanY) {
  const longer = Math.max(spanX, spanY);
  return { x: THREE_D_BOX * spanX / longer, y: THREE_D_BOX * spanY / longer, z: 0.7 };
}

// The most tick labels a 3D axis shows; z is the shortest axis on screen (aspect 0.75 of x).
const THREE_D_TICKS = { x: 4, y: 4, z: 4 };

// Ticks at a nice step (1, 2 or 5 × 10^k), at most `count`, none within CORNER_CLEAR of the
// range's span from either end: the box's corners, where another axis' end labels sit, stay free.
// With `clearMiddle`, none within that fraction of the span from the range's middle either: plotly
// draws a 3D axis' title there, beside the ticks, and a tick at the middle (0 on a domain centred
// on 0) read with the title as one word ("0x") once the camera turned.
const CORNER_CLEAR = 0.08;
export const MIDDLE_CLEAR = 0.08;

export function insideTicks(low, high, count, clearMiddle = 0) {
  const span = high - low;
  if (!(span > 0) || !Number.isFinite(span)) return [];
  const [from, to] = [low + CORNER_CLEAR * span, high - CORNER_CLEAR * span];
  const middle = (low + high) / 2;
  let power = 10 ** Math.floor(Math.log10(span / count));
  for (;;) {
    for (const m of [1, 2, 5]) {
      const step = m * power;
      const first = Math.ceil(from / step);
      const last = Math.floor(to / step);
      if (last - first + 1 > count * 2 + 1) continue;
      // Rounded to the step's digits, so labels read 0.3, not 0.30000000000000004.
      const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
      const ticks = Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => Number(((first + i) * step).toFixed(digits)))
        .filter((t) => !(Math.abs(t - middle) < clearMiddle * span));
      if (ticks.length <= count) return ticks;
    }
    power *= 10;
  }
}

// `legend`: draw plotly's legend outside the plot, on the right (exports); the page has its own.
// `range`: the area the axes show (equalAspectView of the plot area; the grid must cover it).
export function mainFigure({ surface, grid, zView, transform, runs, frame, start, view, arrows, present,
                             stationary, legend = false, marks = 0, range = null, area = null }) {
  const style = styleFor(present);
  const [[x0, x1], [y0, y1]] = surface.domain;
  const span = Math.max(x1 - x0, y1 - y0);
  const font = { size: style.font, family: FONT_FAMILY };
  // Many runs: no gap between their legend groups (plotly's 10 px each took a slide's bottom).
  const legendLayout = { orientation: "v", x: 1.02, xanchor: "left", y: 1, yanchor: "top", font: { size: style.font - 1 },
                         bgcolor: "rgba(255,255,255,0)", tracegroupgap: runs.length > LEGEND_MESSAGES_UP_TO ? 0 : 10 };
  const points = stationary || [];
  if (view === "3d") {
    const zRange = transform.apply(grid.z_max) - transform.apply(grid.z_min);
    const lifted = { ...transform, range: Number.isFinite(zRange) ? zRange : 1 };
    // The surface is opaque and lit almost flat: a translucent one (0.85) blended its grey into
    // every path behind or along it, and plotly's default specular light washed the paths' colours
    // out where the surface faces the eye. The paths are drawn lifted above it (THREE_D_LIFT).
    const data = [{ type: "surface", x: grid.x, y: grid.y, z: zView, colorscale: CONTOUR_FILLS, showscale: false,
                    opacity: 1, hoverinfo: "skip", lighting: { ambient: 0.85, diffuse: 0.35, specular: 0, roughness: 1, fresnel: 0 },
                    contours: { z: { show: true, usecolormap: false, color: "#9aa0a8", width: 1, project: { z: false } } } },
                  ...landmarks(points, style, transform, true), ...runTraces(runs, frame, style, lifted, true, surface.domain).traces];
    // Plotly draws a 3D axis' ticks and title in WebGL, with a fixed gap between them: a long title
    // ("log₁₀(f − f_min)", drawn along its axis) ran into the z ticks, and plotly's default of a
    // tick every ~40 px packed 7-9 labels on each axis, which touched once the camera turned, and
    // put labels on the box's corners, where the three axes' labels meet. So each axis has a few
    // ticks inside its range (insideTicks), a little smaller than the 2D ticks, and a one-letter
    // title; what z is is said in the plot's corner.
    const zLow = transform.apply(grid.z_min);
    const zHigh = Number.isFinite(zRange) ? transform.apply(grid.z_max) + lifted.range * 0.01 : zLow + 1;
    const axis = (title, [low, high], count) => ({ title: { text: title, font }, tickmode: "array",
                                                   tickvals: insideTicks(low, high, count, MIDDLE_CLEAR),
                                                   tickfont: { size: style.font - 4 } });
    const zNote = { text: `z = ${plain(transform.label)}`, xref: "paper", yref: "paper", x: 0, y: 1, xanchor: "left",
                    yanchor: "top", showarrow: false, font: { size: style.font - 2 }, bgcolor: "rgba(255,255,255,0.8)" };
    const layout = { uirevision: `3d-${surface.name}`, margin: { l: 0, r: 0, t: 0, b: 0 }, font, showlegend: legend,
                     legend: legendLayout, annotations: [zNote],
                     scene: { xaxis: axis("x", [grid.x[0], grid.x[grid.x.length - 1]], THREE_D_TICKS.x),
                              yaxis: axis("y", [grid.y[0], grid.y[grid.y.length - 1]], THREE_D_TICKS.y),
                              zaxis: axis("z", [zLow, zHigh], THREE_D_TICKS.z), domain: { x: [0, 1], y: [0, 1] },
                              camera: THREE_D_CAMERA, aspectmode: "manual", aspectratio: threeDAspect(x1 - x0, y1 - y0) } };
    return { data, layout, config: CONFIG };
  }
  const regression = Boolean(surface.data);
  const paths = runTraces(runs, frame, style, transform, false, surface.domain, marks, start, range || surface.domain, area);
  // Drawn in this order, each above the ones before: the stationary points' marks come after the
  // paths, their start and their end dots (a run that converges ends on the ★ it found, and hid
  // it), and the labels last, on their plates, so no path runs across their text.
  const data = [
    { type: "contour", x: grid.x, y: grid.y, z: zView, colorscale: CONTOUR_FILLS, showscale: false,
      ncontours: 28, contours: { coloring: "heatmap", showlines: true }, line: { color: "rgba(60,60,60,0.35)", width: 0.6 },
      hoverinfo: "skip", name: "surface", showlegend: false },
    { type: "scatter", mode: "markers", name: "start", x: [start[0]], y: [start[1]], showlegend: legend,
      marker: { symbol: "diamond", size: style.marker + 6, color: "#ffffff", line: { color: "#000", width: 2.5 } },
      hovertemplate: "start (%{x:.3f}, %{y:.3f}) — drag me<extra></extra>" },
    ...paths.traces,
    ...(arrows ? arrowTraces(runs, frame, style, span) : []),
    ...paths.plates,
    ...landmarks(points, style, transform, false),
    ...paths.labels,
  ];
  // Equal aspect: one unit of x is one unit of y on screen, so −∇f meets the level sets at a
  // right angle. The axes show `range`, the domain widened to the plot area's aspect, so the
  // contour fills the area. Without one, plotly keeps the aspect (scaleanchor) by shrinking the
  // area inside the box to fit the domain; with one it is not asked to (its constraint would
  // also put back the first range it was given when a later one is narrower).
  const [[vx0, vx1], [vy0, vy1]] = range || surface.domain;
  const anchor = range ? {} : { scaleanchor: "x", scaleratio: 1 };
  const axis = (title, range) => ({ title: { text: title, font, standoff: 4 }, range, tickfont: { size: style.font - 2 },
                                    zeroline: false, showgrid: false, automargin: false, constrain: "domain",
                                    fixedrange: true });
  const layout = {
    uirevision: `2d-${surface.name}`, margin: marginsFor(present), font, showlegend: legend, legend: legendLayout,
    xaxis: axis(regression ? "θ₀ (intercept)" : "x", [vx0, vx1]),
    yaxis: { ...axis(regression ? "θ₁ (slope)" : "y", [vy0, vy1]), ...anchor },
    plot_bgcolor: "#ffffff", paper_bgcolor: "#ffffff", hovermode: "closest", dragmode: false,
  };
  return { data, layout, config: CONFIG };
}

// The loss curves of the runs, up to the frame.
export function lossFigureOf({ runs, frame, log, fStar, present }) {
  const series = [];
  let maxStep = 1;
  for (const run of runs) {
    const r = run.result;
    if (!r || !r.loss) continue;
    const upto = Math.min(frame, r.steps_taken);
    maxStep = Math.max(maxStep, r.steps_taken);
    const y = r.loss.slice(0, upto + 1).map((v) => (log ? Math.max(v - fStar, 1e-16) : v));
    series.push({ name: run.label, colour: run.colour, dash: pathDash(run), x: y.map((_, i) => i), y });
  }
  // A diverging run's loss explodes; keep the others readable by capping the linear axis.
  const finished = runs.filter((run) => run.result && run.result.loss);
  let yRange = null;
  if (!log && finished.some((run) => run.result.status === "diverged")) {
    const top = 1.3 * Math.max(...finished.map((run) => run.result.loss[0]));
    const bottom = Math.min(...finished.map((run) => Math.min(...run.result.loss)));
    yRange = [Math.min(0, bottom), top];
  }
  return lossFigure({ series, present, log, xTitle: "step", yTitle: log ? "f(θ) − f*" : "f(θ)", xRange: [0, maxStep],
                      yRange, marker: frame });
}

export function lrFigure({ runs, frame, present }) {
  const series = runs.filter((run) => run.result && run.result.lr).map((run) => ({
    name: run.label, colour: run.colour, dash: pathDash(run), x: run.result.lr.map((_, i) => i), y: run.result.lr }));
  return lossFigure({ series, present, xTitle: "step", yTitle: "η_t", marker: frame, uirevision: "lr" });
}

// The contour view is two stacked plots: the contour below, repainted only when the surface
// or the margins change (~60 ms), and the paths above on a transparent background, cheap to
// redraw on every slider move and animation frame. Both get the same layout (fixed ranges,
// fixed margins, equal aspect), so plotly gives them the same plot area.
const drawnBack = new WeakMap();

export async function renderLayers(front, back, figure) {
  const [contour, ...rest] = figure.data;
  const key = JSON.stringify([figure.layout.margin, figure.layout.xaxis.range, figure.layout.yaxis.range]) + figure.layout.uirevision;
  const drawn = drawnBack.get(back);
  if (!drawn || drawn.z !== contour.z || drawn.key !== key) {
    const hidden = (axis) => ({ ...axis, visible: false });  // the front layer draws the axes
    const layout = { ...figure.layout, showlegend: false, annotations: [], xaxis: hidden(figure.layout.xaxis),
                     yaxis: hidden(figure.layout.yaxis) };
    await render(back, { data: [contour], layout, config: { staticPlot: true, responsive: true } });
    drawnBack.set(back, { z: contour.z, key });
  }
  const transparent = { ...figure.layout, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)" };
  return render(front, { data: rest, layout: transparent, config: figure.config });
}
