// Plotly rendering only: figures from data, no DOM outside the plot elements, no fetches.

const BACKGROUND_SCALE = [[0, "#ffffff"], [0.35, "#e4e6ea"], [0.7, "#b9bdc4"], [1, "#80858e"]];
const CONFIG = {
  responsive: true, displaylogo: false, doubleClick: false, scrollZoom: false,
  modeBarButtonsToRemove: ["select2d", "lasso2d", "toImage"],
};

export function styleFor(present) {
  return present
    ? { font: 20, line: 5, marker: 16, arrow: 3.5, title: 24 }
    : { font: 13, line: 2.6, marker: 10, arrow: 2, title: 16 };
}

// Colour (and 3D height) transform: log of the gap to the minimum for narrow valleys.
export function surfaceTransform(surface, grid) {
  if (!surface.log_colour) return { apply: (z) => z, label: "f(x, y)" };
  const floor = grid.z_min - 1e-6 * (grid.z_max - grid.z_min) - 1e-12;
  return { apply: (z) => Math.log10(z - floor), label: "log₁₀(f − f_min)" };
}

export function transformGrid(grid, transform) {
  return grid.z.map((row) => row.map(transform.apply));
}

function pathName(run) {
  const r = run.result;
  if (!r) return run.label;
  if (r.status === "diverged") return `${run.label} — diverged at step ${r.event_step}`;
  if (r.status === "converged") return `${run.label} — converged at step ${r.event_step}`;
  return run.label;
}

function landmarks(surface, style, transform, is3d) {
  const traces = [];
  const groups = [
    ["global minimum", surface.minima.filter((m) => m.kind === "global"), "star", "#f2c200"],
    ["local minimum", surface.minima.filter((m) => m.kind === "local"), "star-open", "#333333"],
  ];
  for (const [name, items, symbol, colour] of groups) {
    if (!items.length) continue;
    const marker = { symbol: is3d ? "diamond" : symbol, size: style.marker + 6, color: colour,
                     line: { color: "#222", width: 1.2 } };
    const base = { name, mode: "markers", marker, hovertemplate: `${name}<br>(%{x:.3f}, %{y:.3f})<extra></extra>` };
    if (is3d) {
      traces.push({ ...base, type: "scatter3d", x: items.map((m) => m.point[0]), y: items.map((m) => m.point[1]),
                    z: items.map((m) => transform.apply(m.value)), marker: { ...marker, size: 6 } });
    } else {
      traces.push({ ...base, type: "scatter", x: items.map((m) => m.point[0]), y: items.map((m) => m.point[1]) });
    }
  }
  if (surface.saddles.length && !is3d) {
    traces.push({ type: "scatter", name: "saddle point", mode: "markers", x: surface.saddles.map((s) => s[0]),
                  y: surface.saddles.map((s) => s[1]),
                  marker: { symbol: "x-thin", size: style.marker + 6, line: { width: 3, color: "#333" } },
                  hovertemplate: "saddle point<extra></extra>" });
  }
  return traces;
}

// The path of each run up to `frame`, its current point and, if finished, its end marker.
function clampToDomain(x, y, [[x0, x1], [y0, y1]]) {
  return [Math.max(x0, Math.min(x1, x)), Math.max(y0, Math.min(y1, y))];
}

function textPosition(x, y, [[x0, x1], [y0, y1]]) {
  const vertical = y > (y0 + y1) / 2 ? "bottom" : "top";
  const horizontal = x > (x0 + x1) / 2 ? "left" : "right";
  return `${vertical} ${horizontal}`;
}

function runTraces(runs, frame, style, transform, is3d, domain) {
  const traces = [];
  for (const run of runs) {
    const r = run.result;
    if (!r || !r.points) continue;
    const upto = Math.min(frame, r.steps_taken);
    const pts = r.points.slice(0, upto + 1);
    const x = pts.map((p) => p[0]);
    const y = pts.map((p) => p[1]);
    const line = { color: run.colour, width: style.line, dash: run.dash || "solid" };
    const hover = `${run.label}<br>step %{customdata}<br>(%{x:.4g}, %{y:.4g})<extra></extra>`;
    const customdata = pts.map((_, i) => i);
    if (is3d) {
      const z = r.loss.slice(0, upto + 1).map(transform.apply);
      traces.push({ type: "scatter3d", mode: "lines", name: pathName(run), x, y, z, customdata,
                    line: { color: run.colour, width: style.line * 2.2 }, hovertemplate: hover, legendgroup: run.key });
      traces.push({ type: "scatter3d", mode: "markers", x: [x[upto]], y: [y[upto]], z: [z[upto]], showlegend: false,
                    marker: { size: 5, color: run.colour, line: { color: "#fff", width: 1 } },
                    hoverinfo: "skip", legendgroup: run.key });
      continue;
    }
    traces.push({ type: "scatter", mode: "lines", name: pathName(run), x, y, customdata, line,
                  hovertemplate: hover, legendgroup: run.key });
    const finished = frame >= r.steps_taken && r.status !== "max_steps";
    const diverged = finished && r.status === "diverged";
    // A diverged path usually leaves the plot: pin its end marker to the plot's edge.
    const [ex, ey] = diverged ? clampToDomain(x[upto], y[upto], domain) : [x[upto], y[upto]];
    traces.push({
      type: "scatter", mode: diverged ? "markers+text" : "markers", x: [ex], y: [ey], showlegend: false,
      legendgroup: run.key, text: diverged ? [`diverged at step ${r.event_step}`] : undefined, cliponaxis: false,
      textposition: textPosition(ex, ey, domain), textfont: { color: run.colour, size: style.font },
      marker: diverged
        ? { symbol: "x", size: style.marker + 8, color: run.colour, line: { color: "#fff", width: 1.5 } }
        : { symbol: "circle", size: style.marker, color: run.colour, line: { color: "#fff", width: 1.5 } },
      hovertemplate: diverged ? `${run.label}: diverged at step ${r.event_step}<extra></extra>` : hover,
      customdata: [upto],
    });
  }
  return traces;
}

// Arrows at the current frame: the negative gradient's direction (thin) and the step taken (thick).
function arrowAnnotations(runs, frame, style, span) {
  const notes = [];
  for (const run of runs) {
    const r = run.result;
    if (!r || !r.points || frame >= r.steps_taken) continue;
    const [x, y] = r.points[frame];
    const [gx, gy] = r.grad[frame];
    const norm = Math.hypot(gx, gy);
    if (norm > 0) {
      const length = 0.09 * span;
      notes.push(arrow(x, y, x - (gx / norm) * length, y - (gy / norm) * length, run.colour, style.arrow * 0.6, 0.55));
    }
    const [nx, ny] = r.points[frame + 1];
    if (Math.hypot(nx - x, ny - y) > 1e-9 * span) notes.push(arrow(x, y, nx, ny, run.colour, style.arrow, 1));
  }
  return notes;
}

function arrow(x0, y0, x1, y1, colour, width, opacity) {
  return { x: x1, y: y1, ax: x0, ay: y0, xref: "x", yref: "y", axref: "x", ayref: "y", text: "", showarrow: true,
           arrowhead: 2, arrowsize: 1, arrowwidth: width, arrowcolor: colour, opacity };
}

export function mainFigure({ surface, grid, zView, transform, runs, frame, start, view, arrows, present }) {
  const style = styleFor(present);
  const [[x0, x1], [y0, y1]] = surface.domain;
  const span = Math.max(x1 - x0, y1 - y0);
  const font = { size: style.font, family: "system-ui, sans-serif" };
  const legend = { orientation: "h", x: 0, y: 1.01, yanchor: "bottom", font: { size: style.font - 1 },
                   bgcolor: "rgba(255,255,255,0.85)" };
  if (view === "3d") {
    const data = [{ type: "surface", x: grid.x, y: grid.y, z: zView, colorscale: BACKGROUND_SCALE, showscale: false,
                    opacity: 0.92, hoverinfo: "skip", contours: { z: { show: true, usecolormap: true, project: { z: false } } } },
                  ...landmarks(surface, style, transform, true), ...runTraces(runs, frame, style, transform, true, surface.domain)];
    const axis = (title) => ({ title: { text: title, font }, tickfont: { size: style.font - 2 } });  // 3D axes
    const layout = { uirevision: `3d-${surface.name}`, margin: { l: 0, r: 0, t: 30, b: 0 }, font, legend,
                     scene: { xaxis: axis("x"), yaxis: axis("y"), zaxis: axis(transform.label),
                              camera: { eye: { x: -1.4, y: -1.6, z: 1.1 } }, aspectmode: "manual",
                              aspectratio: { x: 1.3, y: 1.3 * (y1 - y0) / (x1 - x0), z: 0.7 } } };
    return { data, layout, config: CONFIG };
  }
  const regression = surface.name === "linear_regression";
  const data = [
    { type: "contour", x: grid.x, y: grid.y, z: zView, colorscale: BACKGROUND_SCALE, showscale: false,
      ncontours: 28, contours: { coloring: "heatmap", showlines: true }, line: { color: "rgba(60,60,60,0.35)", width: 0.6 },
      hoverinfo: "skip", name: "surface", showlegend: false },
    ...landmarks(surface, style, transform, false),
    { type: "scatter", mode: "markers", name: "start", x: [start[0]], y: [start[1]],
      marker: { symbol: "diamond", size: style.marker + 6, color: "#ffffff", line: { color: "#000", width: 2.5 } },
      hovertemplate: "start (%{x:.3f}, %{y:.3f}) — drag me<extra></extra>" },
    ...runTraces(runs, frame, style, transform, false, surface.domain),
  ];
  const axis = (title, range) => ({ title: { text: title, font }, range, tickfont: { size: style.font - 2 },
                                    zeroline: false, showgrid: false, automargin: true });
  const layout = {
    uirevision: `2d-${surface.name}`, margin: { l: 55, r: 15, t: 10, b: 45 }, font, legend,
    xaxis: axis(regression ? "θ₀ (intercept)" : "x", [x0, x1]),
    yaxis: axis(regression ? "θ₁ (slope)" : "y", [y0, y1]),
    annotations: arrows ? arrowAnnotations(runs, frame, style, span) : [],
    plot_bgcolor: "#ffffff", paper_bgcolor: "#ffffff", hovermode: "closest", dragmode: "zoom",
  };
  return { data, layout, config: CONFIG };
}

export function lossFigure({ runs, frame, log, fStar, present }) {
  const style = styleFor(present);
  const data = [];
  let maxStep = 1;
  for (const run of runs) {
    const r = run.result;
    if (!r || !r.loss) continue;
    const upto = Math.min(frame, r.steps_taken);
    maxStep = Math.max(maxStep, r.steps_taken);
    const y = r.loss.slice(0, upto + 1).map((v) => (log ? Math.max(v - fStar, 1e-16) : v));
    data.push({ type: "scatter", mode: "lines", name: run.label, x: y.map((_, i) => i), y,
                line: { color: run.colour, width: style.line * 0.8, dash: run.dash || "solid" },
                hovertemplate: `${run.label}<br>step %{x}: %{y:.4g}<extra></extra>` });
  }
  // A diverging run's loss explodes; keep the others readable by capping the linear axis.
  const finished = runs.filter((run) => run.result && run.result.loss);
  let cappedRange;
  if (!log && finished.some((run) => run.result.status === "diverged")) {
    const top = 1.3 * Math.max(...finished.map((run) => run.result.loss[0]));
    const bottom = Math.min(...finished.map((run) => Math.min(...run.result.loss)));
    cappedRange = [Math.min(0, bottom), top];
  }
  const font = { size: style.font - 1 };
  return {
    data,
    layout: {
      margin: { l: 60, r: 10, t: 6, b: 38 }, font, showlegend: false, uirevision: "loss",
      xaxis: { title: { text: "step" }, range: [0, maxStep], automargin: true },
      yaxis: { title: { text: log ? "f(θ) − f*" : "f(θ)" }, type: log ? "log" : "linear", exponentformat: "power",
               automargin: true, range: log ? undefined : cappedRange },
      shapes: [{ type: "line", x0: frame, x1: frame, yref: "paper", y0: 0, y1: 1, line: { color: "#999", width: 1, dash: "dot" } }],
    },
    config: { ...CONFIG, displayModeBar: false },
  };
}

export function lrFigure({ runs, frame, present }) {
  const style = styleFor(present);
  const data = runs.filter((run) => run.result && run.result.lr).map((run) => ({
    type: "scatter", mode: "lines", name: run.label, x: run.result.lr.map((_, i) => i), y: run.result.lr,
    line: { color: run.colour, width: style.line * 0.8, dash: run.dash || "solid" },
    hovertemplate: `${run.label}<br>step %{x}: lr %{y:.4g}<extra></extra>`,
  }));
  return {
    data,
    layout: {
      margin: { l: 60, r: 10, t: 6, b: 38 }, font: { size: style.font - 1 }, showlegend: false, uirevision: "lr",
      xaxis: { title: { text: "step" }, automargin: true },
      yaxis: { title: { text: "η_t" }, exponentformat: "power", automargin: true },
      shapes: [{ type: "line", x0: frame, x1: frame, yref: "paper", y0: 0, y1: 1, line: { color: "#999", width: 1, dash: "dot" } }],
    },
    config: { ...CONFIG, displayModeBar: false },
  };
}

export function render(element, figure) {
  return window.Plotly.react(element, figure.data, figure.layout, figure.config);
}

// The contour view is two stacked plots: the contour below, repainted only when the surface
// changes (~60 ms), and the paths above on a transparent background, cheap to redraw on every
// slider move and animation frame. The front plot owns the axes; the back one follows.
export async function renderLayers(front, back, figure) {
  const [contour, ...rest] = figure.data;
  if (back._contourZ !== contour.z) {
    const layout = { ...figure.layout, showlegend: false, annotations: [],
                     xaxis: { ...figure.layout.xaxis, visible: false }, yaxis: { ...figure.layout.yaxis, visible: false } };
    await window.Plotly.react(back, [contour], layout, { staticPlot: true, responsive: true });
    back._contourZ = contour.z;
  }
  const transparent = { ...figure.layout, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)" };
  await window.Plotly.react(front, rest, transparent, figure.config);
  if (!front._layersBound) {
    front._layersBound = true;
    front.on("plotly_relayout", () => followFront(front, back));
  }
  return followFront(front, back);
}

function followFront(front, back) {
  const size = front._fullLayout._size;
  const x = front._fullLayout.xaxis.range;
  const y = front._fullLayout.yaxis.range;
  const current = back._fullLayout;
  const same = (a, b) => Math.abs(a - b) < 1e-9;
  if (current && same(current._size.l, size.l) && same(current._size.t, size.t) && same(current._size.w, size.w)
      && same(current._size.h, size.h) && same(current.xaxis.range[0], x[0]) && same(current.xaxis.range[1], x[1])
      && same(current.yaxis.range[0], y[0]) && same(current.yaxis.range[1], y[1])) return undefined;
  return window.Plotly.relayout(back, {
    "xaxis.range": [...x], "yaxis.range": [...y],
    margin: { l: size.l, t: size.t, r: front._fullLayout.width - size.l - size.w,
              b: front._fullLayout.height - size.t - size.h, autoexpand: false },
  });
}
