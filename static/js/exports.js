// Exports for slides: PNG/SVG of the current view, CSV/JSON of the data, and a standalone
// animated HTML file (plotly.js inlined, so it works opened from disk, offline).
import { mainFigure } from "./plots.js";

export function download(content, filename, type) {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// The figure is drawn afresh off-screen (both layers of the contour view in one image),
// at twice the on-screen size: sharp on a slide and on a 4K projector.
export function exportImage(plotElement, figure, format, filename) {
  const layout = { ...figure.layout, paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff" };
  return window.Plotly.downloadImage({ data: figure.data, layout }, {
    format, filename, scale: 2, width: plotElement.clientWidth, height: plotElement.clientHeight,
  });
}

export function trajectoriesCsv(runs) {
  const stateNames = [...new Set(runs.flatMap((run) => Object.keys(run.result?.state || {})))];
  const header = ["label", "optimizer", "step", "x", "y", "loss", "grad_x", "grad_y", "lr",
                  ...stateNames.flatMap((n) => [`${n}_x`, `${n}_y`]), "status"];
  const lines = [header.join(",")];
  const quote = (text) => `"${String(text).replace(/"/g, '""')}"`;
  for (const run of runs) {
    const r = run.result;
    if (!r || !r.points) continue;
    r.points.forEach((point, i) => {
      const grad = r.grad[i] || ["", ""];
      const state = stateNames.flatMap((n) => (r.state[n] && r.state[n][i - 1]) || ["", ""]);
      lines.push([quote(run.label), run.optimizer, i, point[0], point[1], r.loss[i], grad[0], grad[1],
                  r.lr[i] ?? "", ...state, i === r.points.length - 1 ? r.status : ""].join(","));
    });
  }
  return lines.join("\n") + "\n";
}

export function trajectoriesJson(scene, runs) {
  return JSON.stringify({
    generator: "optviz", scene,
    runs: runs.map((run) => ({ label: run.label, optimizer: run.optimizer, params: run.params, ...run.result })),
  }, null, 1);
}

const MAX_FRAMES = 150;

// A self-contained page: the figure, one plotly frame per (sub-sampled) step, play/pause and a slider.
export async function standaloneHtml(context) {
  const plotlySource = await (await fetch("/vendor/plotly.min.js")).text();
  const last = Math.max(1, ...context.runs.map((run) => run.result?.steps_taken || 0));
  const stride = Math.max(1, Math.ceil(last / MAX_FRAMES));
  const steps = [];
  for (let f = 0; f < last; f += stride) steps.push(f);
  steps.push(last);
  const full = mainFigure({ ...context, frame: last, arrows: false });
  const firstRun = full.data.findIndex((trace) => trace.legendgroup);
  const indices = full.data.map((_, i) => i).filter((i) => i >= firstRun);
  const frames = steps.map((f) => ({
    name: String(f),
    data: mainFigure({ ...context, frame: f, arrows: false }).data.slice(firstRun),
    traces: indices,
  }));
  const layout = {
    ...full.layout,
    title: { text: `${context.surface.title}: ${context.runs.map((r) => r.label).join(" · ")}` },
    margin: { ...full.layout.margin, t: 60, b: 110 },
    updatemenus: [{
      type: "buttons", showactive: false, x: 0, y: -0.12, xanchor: "left", yanchor: "top", direction: "left",
      buttons: [
        { label: "▶ Play", method: "animate",
          args: [null, { fromcurrent: true, frame: { duration: 40, redraw: false }, transition: { duration: 0 } }] },
        { label: "❚❚ Pause", method: "animate", args: [[null], { mode: "immediate", frame: { duration: 0 } }] },
      ],
    }],
    sliders: [{
      x: 0.17, y: -0.1, len: 0.83, currentvalue: { prefix: "step " },
      steps: steps.map((f) => ({ label: String(f), method: "animate",
                                 args: [[String(f)], { mode: "immediate", frame: { duration: 0, redraw: false } }] })),
    }],
  };
  const safe = (value) => JSON.stringify(value).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>optviz — ${escapeHtml(context.surface.title)}</title>
<script>${plotlySource.replace(/<\/script/gi, "<\\/script")}</script>
<style>body{margin:0;font-family:system-ui,sans-serif}#plot{width:100vw;height:96vh}</style></head>
<body><div id="plot"></div>
<script>
var figure = ${safe({ data: full.data, layout })};
var frames = ${safe(frames)};
var initial = frames[0];
initial.traces.forEach(function (t, k) { figure.data[t] = Object.assign({}, figure.data[t], initial.data[k]); });
Plotly.newPlot("plot", figure.data, figure.layout, {displaylogo: false, responsive: true})
  .then(function () { return Plotly.addFrames("plot", frames); });
</script></body></html>
`;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
