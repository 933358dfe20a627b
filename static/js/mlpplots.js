// Plotly figures of the MLP panel: curves, activation histograms, gradient norms, decision surface.
import { styleFor } from "./plots.js";

export const RUN_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"];
const CLASS_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#444444"];
const CONFIG = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d", "toImage"] };

function base(present, extra = {}) {
  const style = styleFor(present);
  return { margin: { l: 58, r: 12, t: 8, b: 40 }, font: { size: style.font - 1 }, showlegend: true,
           legend: { orientation: "h", y: -0.25, font: { size: style.font - 2 } }, ...extra };
}

// Labels come from users (and links): plotly renders a subset of HTML in names and hover text.
const plain = (text) => String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

// A run's train (solid) and validation (dashed) curves of one measure.
function trainAndValidation(run, trainKey, valKey, style) {
  const epochs = run.history.map((e) => e.epoch);
  const label = plain(run.label);
  const line = { color: run.colour, width: style.line * 0.8 };
  return [
    { type: "scatter", mode: "lines", name: `${label} (train)`, x: epochs, y: run.history.map((e) => e[trainKey]),
      line, legendgroup: label, hovertemplate: `${label} (train)<br>epoch %{x}: %{y:.4g}<extra></extra>` },
    { type: "scatter", mode: "lines", name: `${label} (validation)`, x: epochs, y: run.history.map((e) => e[valKey]),
      line: { ...line, dash: "dash" }, legendgroup: label,
      hovertemplate: `${label} (validation)<br>epoch %{x}: %{y:.4g}<extra></extra>` },
  ];
}

function curvesLayout(present, uirevision, yaxis) {
  // No legend: the comparison's chips above the charts carry the colours and labels.
  return base(present, { uirevision, showlegend: false, xaxis: { title: { text: "epoch" }, automargin: true },
                         yaxis: { automargin: true, ...yaxis } });
}

// Loss curves, with a star at each run's best (early-stopping) epoch.
export function lossFigure(runs, log, present) {
  const style = styleFor(present);
  const data = [];
  for (const run of runs.filter((r) => r.history.length)) {
    data.push(...trainAndValidation(run, "train_loss", "val_loss", style));
    const best = run.summary && run.history.find((e) => e.epoch === run.summary.best_epoch);
    if (best) {
      data.push({ type: "scatter", mode: "markers", x: [best.epoch], y: [best.val_loss], showlegend: false,
                  marker: { symbol: "star", size: style.marker + 6, color: run.colour, line: { color: "#222", width: 1 } },
                  hovertemplate: `${plain(run.label)}: best validation loss at epoch %{x}<extra></extra>` });
    }
  }
  return { data, config: CONFIG, layout: curvesLayout(present, "mlp-loss", {
    title: { text: "loss" }, type: log ? "log" : "linear", exponentformat: "power" }) };
}

export function accuracyFigure(runs, present) {
  const style = styleFor(present);
  const data = runs.filter((r) => r.history.length).flatMap((run) => trainAndValidation(run, "train_acc", "val_acc", style));
  return { data, config: CONFIG, layout: curvesLayout(present, "mlp-acc", { title: { text: "accuracy" }, range: [0, 1.02] }) };
}

// One histogram per hidden layer, side by side: activations collapsing to 0 or piling up at ±1.
export function histogramFigure(run, entry, present) {
  const style = styleFor(present);
  if (!run || !entry || !entry.layers.length) {
    return { data: [], layout: base(present, { annotations: [{ text: run ? "no hidden layers" : "no run yet",
                                                               showarrow: false, xref: "paper", yref: "paper", x: 0.5, y: 0.5 }] }),
             config: CONFIG };
  }
  const count = entry.layers.length;
  const gap = 0.04;
  const width = (1 - gap * (count - 1)) / count;
  const data = [];
  const layout = base(present, { showlegend: false, bargap: 0, margin: { l: 40, r: 10, t: 48, b: 36 }, annotations: [] });
  entry.layers.forEach((layer, i) => {
    const suffix = i === 0 ? "" : String(i + 1);
    const { edges, counts } = layer.histogram;
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    data.push({ type: "bar", x: counts.map((_, k) => (edges[k] + edges[k + 1]) / 2), y: counts.map((c) => c / total),
                width: counts.map((_, k) => edges[k + 1] - edges[k]), marker: { color: run.colour },
                xaxis: `x${suffix}`, yaxis: `y${suffix}`,
                hovertemplate: `layer ${i + 1}<br>%{x:.3g}: %{y:.1%}<extra></extra>` });
    const start = i * (width + gap);
    layout[`xaxis${suffix}`] = { domain: [start, start + width], anchor: `y${suffix}`, tickfont: { size: style.font - 4 },
                                 range: [edges[0], edges[edges.length - 1]] };
    layout[`yaxis${suffix}`] = { anchor: `x${suffix}`, showticklabels: i === 0, tickformat: ".0%",
                                 tickfont: { size: style.font - 4 }, rangemode: "tozero" };
    const notes = [`layer ${i + 1}`, `mean ${layer.mean.toFixed(2)}, std ${layer.std.toPrecision(2)}`];
    if (layer.saturated > 0) notes.push(`${(100 * layer.saturated).toFixed(0)}% saturated`);
    if (layer.dead > 0) notes.push(`${(100 * layer.dead).toFixed(0)}% dead`);
    layout.annotations.push({ text: notes.join("<br>"), showarrow: false, xref: "paper", yref: "paper",
                              x: start + width / 2, y: 1.02, yanchor: "bottom", font: { size: style.font - 3 } });
  });
  return { data, layout, config: CONFIG };
}

export function gradientFigure(run, present) {
  const style = styleFor(present);
  const data = [];
  if (run && run.history.length) {
    const layers = run.history[0].layers.length;
    for (let i = 0; i < layers; i++) {
      const t = layers === 1 ? 0 : i / (layers - 1);
      data.push({ type: "scatter", mode: "lines", name: `layer ${i + 1}`, x: run.history.map((e) => e.epoch),
                  y: run.history.map((e) => Math.max(e.layers[i].grad_norm, 1e-12)),
                  line: { color: run.colour, width: style.line * 0.8, dash: ["solid", "dash", "dot", "dashdot", "longdash"][i % 5] },
                  opacity: 1 - 0.5 * t });
    }
  }
  return { data, layout: base(present, { uirevision: "mlp-grad", xaxis: { title: { text: "epoch" }, automargin: true },
                                         yaxis: { title: { text: "‖∂L/∂W‖" }, type: "log", automargin: true,
                                                  exponentformat: "power" } }), config: CONFIG };
}

function pastel(hex) {
  const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${rgb.map((c) => Math.round(c + (255 - c) * 0.72)).join(",")})`;
}

export function decisionFigure(run, surface, dataset, features, present) {
  const style = styleFor(present);
  const data = [];
  const classes = dataset ? dataset.classes : 2;
  if (surface) {
    const scale = [];
    for (let k = 0; k < classes; k++) {
      scale.push([k / classes, pastel(CLASS_COLOURS[k])], [(k + 1) / classes, pastel(CLASS_COLOURS[k])]);
    }
    data.push({ type: "heatmap", x: surface.x, y: surface.y, z: surface.label, zmin: -0.5, zmax: classes - 0.5,
                colorscale: scale, showscale: false, hoverinfo: "skip", zsmooth: false });
  }
  if (dataset) {
    for (let k = 0; k < classes; k++) {
      const points = dataset.train.x.filter((_, i) => dataset.train.y[i] === k);
      data.push({ type: "scatter", mode: "markers", name: `class ${k}`, x: points.map((p) => p[0]), y: points.map((p) => p[1]),
                  marker: { color: CLASS_COLOURS[k], size: present ? 7 : 5, line: { color: "#fff", width: 0.5 } } });
    }
  }
  const [fx, fy] = features || ["x₁", "x₂"];
  return { data, layout: base(present, { showlegend: false, margin: { l: 50, r: 10, t: 8, b: 40 },
                                         xaxis: { title: { text: fx }, automargin: true },
                                         yaxis: { title: { text: fy }, automargin: true } }),
           config: { ...CONFIG, displayModeBar: false } };
}
