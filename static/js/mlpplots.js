// Plotly figures of the MLP panel: curves, activation histograms, gradient norms, decision
// surface. The conventions (config, style, palette, curve figure) are the shared ones of figures.js.
import { CONFIG, lossFigure, paletteColour, plain, shade, styleFor } from "./figures.js";
import { COVER_WIDENING, coverDepths } from "./overlap.js";

export const runColour = (index) => paletteColour(index);

// Classes get colours from Paul Tol's muted and light sets and a marker shape each, never a run's
// colour: a blue class must not read as "the blue run".
export const CLASS_COLOURS = ["#CC6677", "#6699CC", "#DDCC77", "#225522", "#88CCEE", "#99DDFF", "#661100", "#EE99AA"];
const CLASS_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "triangle-down", "pentagon", "star"];

function base(present, extra = {}) {
  const style = styleFor(present);
  return { margin: { l: 58, r: 12, t: 8, b: 40 }, font: { size: style.font - 1 }, showlegend: false, ...extra };
}

// Train (solid) and validation (dashed) curves of one measure for every run that has data.
function curves(runs, trainKey, valKey) {
  return runs.filter((run) => run.history.length).flatMap((run) => {
    const x = run.history.map((e) => e.epoch);
    return [{ name: `${run.label} (train)`, group: run.label, colour: run.colour, x, y: run.history.map((e) => e[trainKey]) },
            { name: `${run.label} (validation)`, group: run.label, colour: run.colour, dash: "dash", x,
              y: run.history.map((e) => e[valKey]) }];
  });
}

// A curve that a later run's curve lies on (tanh·N(0, 0.01) under tanh·zeros, both at ln 3) is
// drawn wider beneath it, as the paths tab's paths are (overlap.js): it shows as a border instead
// of vanishing. Measured on the chart's own scales (each axis's span as one unit, the loss's
// decades on a log axis); solid curves against solid ones and dashed against dashed, since a
// dashed curve over a solid one leaves it visible in its gaps.
function widenCovered(series, log = false) {
  const onScale = (v) => (log ? (v > 0 ? Math.log10(v) : NaN) : v);
  const points = series.map((s) => s.x.map((x, i) => [x, onScale(s.y[i])]).filter(([, y]) => Number.isFinite(y)));
  const all = points.flat();
  if (!all.length) return series;
  const unit = (k) => {
    const values = all.map((p) => p[k]);
    const low = Math.min(...values);
    return [low, Math.max(...values) - low || 1];
  };
  const [[x0, xSpan], [y0, ySpan]] = [unit(0), unit(1)];
  const scaled = points.map((pts) => pts.map(([x, y]) => [(x - x0) / xSpan, (y - y0) / ySpan]));
  const widen = series.map(() => 1);
  for (const dashed of [false, true]) {
    const kind = series.map((s, i) => i).filter((i) => Boolean(series[i].dash) === dashed);
    coverDepths(kind.map((i) => scaled[i]), 1).forEach((depth, k) => { widen[kind[k]] = 1 + COVER_WIDENING * depth; });
  }
  return series.map((s, i) => ({ ...s, widen: widen[i] }));
}

// An empty chart (nothing trained yet) shows the ranges it will measure, epochs from 0 and a
// loss or an accuracy from 0 (log axes in decades), instead of plotly's -1 to 6 for no data.
const EMPTY_EPOCHS = [0, 10];

function emptyRanges(figure, yRange) {
  if (figure.data.some((trace) => trace.x && trace.x.length)) return figure;
  const { xaxis, yaxis } = figure.layout;
  return { ...figure, layout: { ...figure.layout, xaxis: { ...xaxis, autorange: false, range: EMPTY_EPOCHS },
                                yaxis: { ...yaxis, autorange: false, range: yRange } } };
}

// What a loss chart's star marks, said beside the chart, in its hover and in the exported key: the
// server's best_epoch, the trained epoch (epoch 0 is the network before any update) whose
// validation loss is the lowest, the one early stopping's patience counts from.
export const STAR_MEANING = "★ lowest validation loss (epochs\u00a0≥\u00a01)";  // "(epochs ≥ 1)" breaks as one
// The same, as the loss chart's title row says it (one line at 1024 px; its tooltip is the above).
export const STAR_MARK = "★ lowest val. loss";

// Loss curves, with a star at each run's best epoch (STAR_MEANING). No legend: the chips above
// the charts (and the exported dashboard's key) carry the colours and names.
export function lossStars(runs, present) {
  const style = styleFor(present);
  const stars = [];
  for (const run of runs) {
    const best = run.summary && run.history.find((e) => e.epoch === run.summary.best_epoch && e.epoch >= 1);
    if (!best) continue;
    stars.push({ type: "scatter", mode: "markers", x: [best.epoch], y: [best.val_loss], showlegend: false,
                 name: `${plain(run.label)} (lowest validation loss)`,
                 marker: { symbol: "star", size: style.marker + 6, color: run.colour, line: { color: "#222", width: 1 } },
                 hovertemplate: `${plain(run.label)}: lowest validation loss of epochs ≥ 1, %{y:.4g} at epoch %{x}<extra></extra>` });
  }
  return stars;
}

// The loss axis's scale while the lecturer has not chosen one (mlp.logLoss null): logarithmic
// once the losses drawn (train and validation, every run, every epoch) span more than LOG_SPAN
// times, lowest to highest. Two decades on a linear axis squeeze every curve but the highest into
// a flat line at the bottom: the lecture's N(0, 1) network starts near 10 while Xavier's ends
// near 0.01. A single ordinary run (1.1 down to 0.1, say) stays linear.
export const LOG_SPAN = 100;

export function lossSpan(runs) {
  const losses = runs.flatMap((run) => run.history.flatMap((e) => [e.train_loss, e.val_loss]))
    .filter((v) => Number.isFinite(v) && v > 0);
  if (!losses.length) return null;
  const low = Math.min(...losses);
  const high = Math.max(...losses);
  return { low, high, ratio: high / low };
}

// {log, auto, span, held}: the lecturer's choice (true / false) or, without one, the rule above,
// applied to the losses received so far (the axis turns while the curves stream in). `held`: the
// rule already chose log for this comparison (an earlier epoch, an earlier training of the same
// runs); it stays log, so a retraining does not start linear and jump again.
export function lossScale(runs, choice, held = false) {
  const span = lossSpan(runs);
  if (choice === true || choice === false) return { log: choice, auto: false, span, held: false };
  const over = Boolean(span && span.ratio > LOG_SPAN);
  return { log: over || held, auto: true, span, held: held && !over };
}

// What the automatic scale did and why, as the log switch's tooltip says it.
export function scaleNote(scale) {
  if (!scale.auto) return "The scale you chose. “Clear”, a preset or a lesson go back to the automatic scale.";
  const { span } = scale;
  const range = span ? ` (${span.low.toPrecision(2)} to ${span.high.toPrecision(2)}, ${Math.round(span.ratio)}×)` : "";
  if (scale.held) {
    return `Automatic: log scale, kept since this comparison's losses spanned more than ${LOG_SPAN}×${range}; `
      + "“Clear”, a preset or a change of the comparison start it afresh.";
  }
  return scale.log
    ? `Automatic: log scale, because the losses shown span more than ${LOG_SPAN}×${range}; `
      + "on a linear axis every curve but the highest would be a flat line at the bottom."
    : `Automatic: linear, because the losses shown span less than ${LOG_SPAN}×${range}; `
      + `it turns logarithmic beyond ${LOG_SPAN}×.`;
}

export function mlpLossFigure(runs, log, present) {
  const stars = lossStars(runs, present);
  const series = widenCovered(curves(runs, "train_loss", "val_loss"), log);
  const figure = lossFigure({ series, present, log, xTitle: "epoch", yTitle: log ? "loss (log scale)" : "loss",
                              extra: stars, uirevision: "mlp-loss" });
  // Log ticks at the decades (plotly's own labelled 2 and 5 of every decade, crowding a 230 px chart).
  if (log && series.length) figure.layout.yaxis = { ...figure.layout.yaxis, ...logTicks(series.flatMap((s) => s.y)) };
  return emptyRanges(figure, log ? [-2, 1] : [0, 1.05]);
}

export function accuracyFigure(runs, present) {
  return emptyRanges(lossFigure({ series: widenCovered(curves(runs, "train_acc", "val_acc")), present, xTitle: "epoch",
                                  yTitle: "accuracy", yRange: [0, 1.02], uirevision: "mlp-acc" }), [0, 1.02]);
}

// The loss along a random direction through each trained network, J(θ + a·θ1) against a (the
// server's summary.slice; Li et al. 2018's filter-normalized direction).
export function sliceFigure(runs, log, present) {
  const series = runs.filter((run) => run.summary?.slice).flatMap((run) => {
    const { alpha, train_loss: train, val_loss: val } = run.summary.slice;
    return [{ name: `${run.label} (train)`, group: run.label, colour: run.colour, x: alpha, y: train },
            { name: `${run.label} (validation)`, group: run.label, colour: run.colour, dash: "dash", x: alpha, y: val }];
  });
  return lossFigure({ series, present, log, xTitle: "a (θ + a·θ₁)", yTitle: "loss", uirevision: "mlp-slice" });
}

// Layers per row of the histogram grid: one row up to five layers, two rows beyond.
export function histogramColumns(count) {
  return count <= 5 ? Math.max(1, count) : Math.ceil(count / 2);
}

// One histogram per hidden layer. Each layer's x range follows its own data (the server's
// per-layer edges, ticks labelled), so a layer collapsing to 0 shows its scale in the ticks; all
// layers share one y scale (share of the activations), so their shapes compare at a glance.
// `canDie`: whether the activation's units can die (the options' can_die); "% dead" only then.
// `size`: the plot's {width, height} in pixels, to keep room for the notes above each layer and
// to label each layer's x axis with as many ticks as fit side by side inside its own width.
export function histogramFigure(run, entry, present, canDie, size = {}) {
  const { width: widthPx = 900, height: heightPx = 260 } = size;
  const style = styleFor(present);
  if (!run || !entry || !entry.layers.length) {
    return { data: [], layout: base(present, { annotations: [{ text: run ? "no hidden layers" : "no run yet",
                                                               showarrow: false, xref: "paper", yref: "paper", x: 0.5, y: 0.5 }],
                                               xaxis: { visible: false }, yaxis: { visible: false } }),
             config: { ...CONFIG, displayModeBar: false } };
  }
  const small = Math.max(10, style.font - 4);
  const margin = { l: 46, r: 8, t: 4, b: 26 };
  const notes = entry.layers.map((layer, i) => {
    const lines = [`<b>layer ${i + 1}</b>`, `σ ${layer.std.toPrecision(2)}`];
    if (layer.saturated > 0.005) lines.push(`${(100 * layer.saturated).toFixed(0)}% saturated`);
    if (canDie && layer.dead !== null && layer.dead !== undefined && layer.dead > 0.005) {
      lines.push(`${(100 * layer.dead).toFixed(0)}% dead`);
    }
    return lines;
  });
  const count = entry.layers.length;
  const columns = histogramColumns(count);
  const rows = Math.ceil(count / columns);
  const plotHeight = Math.max(120, heightPx - margin.t - margin.b);
  const noteLines = Math.max(...notes.map((lines) => lines.length));
  const noteSpace = Math.min(0.45 / rows, (noteLines * small * 1.3 + 4) / plotHeight);  // above each row
  const gapY = rows > 1 ? (small * 1.6 + 6) / plotHeight : 0;                          // the x ticks of the row above
  const gapX = 0.035;
  const width = (1 - gapX * (columns - 1)) / columns;
  const rowHeight = (1 - gapY * (rows - 1)) / rows;
  const shares = entry.layers.map((layer) => {
    const total = layer.histogram.counts.reduce((a, b) => a + b, 0) || 1;
    return layer.histogram.counts.map((c) => c / total);
  });
  const top = Math.max(0.01, ...shares.flat()) * 1.05;
  const data = [];
  const layout = base(present, { bargap: 0, margin, annotations: [] });
  entry.layers.forEach((layer, i) => {
    const suffix = i === 0 ? "" : String(i + 1);
    const { edges } = layer.histogram;
    const row = Math.floor(i / columns);
    const column = i % columns;
    const x0 = column * (width + gapX);
    const rowTop = 1 - row * (rowHeight + gapY);
    data.push({ type: "bar", x: shares[i].map((_, k) => (edges[k] + edges[k + 1]) / 2), y: shares[i],
                width: shares[i].map((_, k) => edges[k + 1] - edges[k]), marker: { color: run.colour },
                xaxis: `x${suffix}`, yaxis: `y${suffix}`,
                // a bar's bin, not its middle: ReLU's zeros are the first bar, "0 to 0.24", not "0.12"
                customdata: shares[i].map((_, k) => [edges[k], edges[k + 1]]),
                hovertemplate: `layer ${i + 1}<br>%{customdata[0]:.3g} to %{customdata[1]:.3g}: %{y:.1%}<extra></extra>` });
    const low = edges[0];
    const high = edges[edges.length - 1];
    const area = widthPx - margin.l - margin.r;
    const ticks = axisTicks(low, high, width * area, small, Math.max(0, (gapX * area) / 2 - 3));
    layout[`xaxis${suffix}`] = { domain: [x0, x0 + width], anchor: `y${suffix}`, tickfont: { size: small },
                                 range: [low, high], tickmode: "array", tickvals: ticks.values, ticktext: ticks.texts,
                                 showgrid: false };
    layout[`yaxis${suffix}`] = { domain: [Math.max(0, rowTop - rowHeight), rowTop - noteSpace], anchor: `x${suffix}`,
                                 range: [0, top], showticklabels: column === 0, tickformat: ".0%",
                                 tickfont: { size: small }, nticks: 4 };
    layout.annotations.push({ text: notes[i].join("<br>"), showarrow: false, xref: "paper", yref: "paper",
                              x: x0 + width / 2, y: rowTop - noteSpace, yanchor: "bottom", font: { size: small } });
  });
  return { data, layout, config: { ...CONFIG, displayModeBar: false } };
}

// A tick label's width in pixels at a font size, estimated from its characters (digits, signs
// and "e" are about 0.6 em in the sans-serif fonts plotly falls back to; 0.64 errs wide).
const labelWidth = (text, fontPx) => text.length * 0.64 * fontPx;

// A tick value as a short label: the shorter of its decimals (as many as the step needs) and
// its "5e-5" form; a real minus.
function tickText(value, step) {
  if (Math.abs(value) < step * 1e-6) return "0";
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const fixed = value.toFixed(decimals).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
  const digits = Math.min(20, Math.max(0, Math.floor(Math.log10(Math.abs(value))) - Math.floor(Math.log10(step) + 1e-9)));
  const exponential = value.toExponential(digits).replace(/\.?0+e/, "e").replace("e+", "e");
  return (exponential.length < fixed.length ? exponential : fixed).replace(/^-/, "−");
}

// Ticks of a linear axis from `low` to `high` drawn `pixels` wide: the finest 1-2-4-5 step whose
// labels stand apart by at least half an em, each reaching at most `overhang` pixels past the
// axis's ends (a histogram's neighbour starts a gap away); at most five.
export function axisTicks(low, high, pixels, fontPx, overhang = 0) {
  const span = high - low;
  if (!(span > 0) || !(pixels > 0)) return { values: [low], texts: [tickText(low, Math.abs(low) || 1)] };
  const perUnit = pixels / span;
  const gap = 0.5 * fontPx;
  let fallback = null;
  for (let exponent = Math.floor(Math.log10(span / 5)); exponent <= Math.ceil(Math.log10(span)) + 1; exponent++) {
    for (const mantissa of [1, 2, 4, 5]) {
      const step = mantissa * 10 ** exponent;
      if (span / step > 5) continue;
      const ticks = [];
      for (let k = Math.ceil(low / step - 1e-9); k * step <= high + step * 1e-9; k++) {
        const value = k * step;
        const text = tickText(value, step);
        const half = labelWidth(text, fontPx) / 2;
        const room = half - overhang;
        if ((value - low) * perUnit >= room && (high - value) * perUnit >= room) ticks.push({ value, text, half });
      }
      const apart = ticks.every((t, i) => i === 0 || (t.value - ticks[i - 1].value) * perUnit >= t.half + ticks[i - 1].half + gap);
      if (apart && ticks.length >= 2) return { values: ticks.map((t) => t.value), texts: ticks.map((t) => t.text) };
      if (apart && ticks.length === 1 && !fallback) fallback = ticks;
    }
  }
  const ticks = fallback || [];
  return { values: ticks.map((t) => t.value), texts: ticks.map((t) => t.text) };
}

// Gradient norm per layer of one run: the run's colour, pale (first layer) to full (last layer),
// with a dash each. The key is a row above the plot ("layer 1 2 3 …", short line samples; two
// rows in a narrow chart), so the plot keeps the chart's width (a key beside it took half of it
// at 1024 px).
export function gradientFigure(run, present) {
  const style = styleFor(present);
  const data = [];
  if (run && run.history.length) {
    const layers = run.history[0].layers.length;
    for (let i = 0; i < layers; i++) {
      data.push({ type: "scatter", mode: "lines", name: `${i + 1}`, x: run.history.map((e) => e.epoch),
                  y: run.history.map((e) => Math.max(e.layers[i].grad_norm, 1e-12)),
                  line: { color: shade(run.colour, i, layers, 0.6), width: style.line * 0.8,
                          dash: ["solid", "dash", "dot", "dashdot", "longdash"][i % 5] },
                  hovertemplate: `layer ${i + 1}<br>epoch %{x}: %{y:.3g}<extra></extra>` });
    }
  }
  return emptyRanges({ data, layout: base(present, { uirevision: "mlp-grad", showlegend: data.length > 0,
                                         legend: { orientation: "h", x: 0, y: 1, xref: "container", yref: "container",
                                                   xanchor: "left", yanchor: "top", itemwidth: 30,
                                                   title: { text: "layer", side: "left" },
                                                   font: { size: style.font - 3 }, tracegroupgap: 0 },
                                         margin: { l: 12, r: 12, t: 8, b: 40 },
                                         xaxis: { title: { text: "epoch" }, automargin: true },
                                         // no y title: the chart's heading right above says ‖∂L/∂W‖
                                         yaxis: { type: "log", automargin: true,
                                                  ...logTicks(data.length ? data.flatMap((trace) => trace.y) : [1e-3, 10]) } }),
                       config: { ...CONFIG, displayModeBar: false } }, [-3, 1]);
}

// Ticks of a log axis: every decade, 2× and 5× when the data span less than two decades, finer
// steps within a fraction of a decade (plotly's own choice there labels every minor tick with a
// bare digit, unreadable in a small chart).
export function logTicks(values) {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (!positive.length) return { exponentformat: "power" };
  const low = Math.floor(Math.log10(Math.min(...positive)));
  const high = Math.ceil(Math.log10(Math.max(...positive)));
  const span = Math.log10(Math.max(...positive) / Math.min(...positive));
  const steps = span < 0.6 ? [1, 1.5, 2, 3, 4, 5, 6, 7, 8] : high - low <= 2 ? [1, 2, 5] : [1];
  const every = Math.max(1, Math.ceil((high - low) / 6));  // at most ~6 decades labelled
  const tickvals = [];
  const ticktext = [];
  for (let e = low; e <= high; e += every) {
    for (const m of steps) {
      tickvals.push(m * 10 ** e);
      ticktext.push(e === 0 ? String(m) : `${m === 1 ? "" : `${m}×`}10<sup>${e}</sup>`);
    }
  }
  return { tickvals, ticktext };
}

// What the decision figure shows: the regions' cells edge to edge and every training point (5 %
// of a margin about the points). Always explicit ranges: once a plot with equal aspect has been
// drawn autoranged (no data yet), plotly 3 keeps its x range ([-1, 6]) through later reacts with
// explicit ones, and the regions sat in a corner of empty paper at 1920 px.
function decisionExtent(surface, dataset) {
  const xs = [];
  const ys = [];
  if (surface && surface.x.length > 1 && surface.y.length > 1) {
    const half = (values) => (values[1] - values[0]) / 2;
    xs.push(surface.x[0] - half(surface.x), surface.x.at(-1) + half(surface.x));
    ys.push(surface.y[0] - half(surface.y), surface.y.at(-1) + half(surface.y));
  }
  if (dataset && dataset.train.x.length) {
    const px = dataset.train.x.map((p) => p[0]);
    const py = dataset.train.x.map((p) => p[1]);
    const pad = (values) => 0.05 * (Math.max(...values) - Math.min(...values) || 1);
    xs.push(Math.min(...px) - pad(px), Math.max(...px) + pad(px));
    ys.push(Math.min(...py) - pad(py), Math.max(...py) + pad(py));
  }
  if (!xs.length) return [[-1, 1], [-1, 1]];  // no data yet (never autorange: see above)
  return [[Math.min(...xs), Math.max(...xs)], [Math.min(...ys), Math.max(...ys)]];
}

// Beyond this ratio of the two axes' spans, equal aspect would draw a strip: the raw inputs of
// the standardization lesson (height in metres, weight in kilograms, about 140 to 1) came out
// 3 px wide with their ticks printed over each other. Such data fill the box instead.
export const EQUAL_ASPECT_UP_TO = 4;

// The decision regions of one run (pale class colours) under its training points, at equal
// aspect (one unit of x₁ is one unit of x₂ on screen, as the paths tab's contour): a stretched
// spiral would misstate the geometry the network has to learn. Plotly keeps the aspect by
// narrowing the longer axis's share of the box (constrain: "domain"). Inputs on very different
// scales (EQUAL_ASPECT_UP_TO) are drawn filling the box, each axis at its own scale.
export function decisionFigure(surface, dataset, features, present) {
  const data = [];
  const classes = dataset ? dataset.classes : 2;
  if (surface) {
    const scale = [];
    for (let k = 0; k < classes; k++) {
      const pale = shade(CLASS_COLOURS[k], 0, 2, 0.72);
      scale.push([k / classes, pale], [(k + 1) / classes, pale]);
    }
    data.push({ type: "heatmap", x: surface.x, y: surface.y, z: surface.label, zmin: -0.5, zmax: classes - 0.5,
                colorscale: scale, showscale: false, hoverinfo: "skip", zsmooth: false });
  }
  if (dataset) {
    for (let k = 0; k < classes; k++) {
      const points = dataset.train.x.filter((_, i) => dataset.train.y[i] === k);
      data.push({ type: "scatter", mode: "markers", name: `class ${k}`, x: points.map((p) => p[0]), y: points.map((p) => p[1]),
                  marker: { color: CLASS_COLOURS[k], symbol: CLASS_SYMBOLS[k], size: present ? 7 : 5,
                            line: { color: "#fff", width: 0.5 } },
                  hovertemplate: `class ${k}<extra></extra>` });
    }
  }
  const [fx, fy] = features || ["x₁", "x₂"];
  const [xRange, yRange] = decisionExtent(surface, dataset);
  const spans = [xRange[1] - xRange[0], yRange[1] - yRange[0]];
  const equal = Math.max(...spans) <= EQUAL_ASPECT_UP_TO * Math.min(...spans);
  return { data, layout: base(present, { margin: { l: 50, r: 10, t: 8, b: 40 },
                                         xaxis: { title: { text: fx }, automargin: true, constrain: "domain",
                                                  autorange: false, range: xRange },
                                         yaxis: { title: { text: fy }, automargin: true, constrain: "domain",
                                                  autorange: false, range: yRange,
                                                  ...(equal ? { scaleanchor: "x", scaleratio: 1 } : {}) } }),
           config: { ...CONFIG, displayModeBar: false } };
}
