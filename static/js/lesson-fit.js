// The notes' picture of linear regression: the data with the line h_θ(x) = θ0 + θ1·x of the
// current step, beside the contour of J(θ0, θ1). Each path's point at the frame shown is a
// line here, so the two views move together as the animation plays (event "optviz:frame").
import { fmt } from "./controls.js";
import { CONFIG, plain, render, styleFor } from "./figures.js";

const $ = (id) => document.getElementById(id);
const PAD = 0.08;

// The data behind the surface on screen: the surface list holds it for the default data; a
// scene answer for other parameters may carry its own, otherwise it is not known here.
export function dataOf(panel) {
  if (panel.scene?.data) return panel.scene.data;
  return Object.keys(panel.state.surfaceParams).length ? null : panel.surface.data || null;
}

function span(values) {
  const low = Math.min(...values);
  const high = Math.max(...values);
  const pad = (high - low || 1) * PAD;
  return [low - pad, high + pad];
}

// θ of a run at a frame: the point of that step, or its last point once it has stopped.
export function thetaAt(result, frame) {
  return result.points[Math.min(frame, result.steps_taken)];
}

// The legend's font: the presenter size, smaller where the longest entry ("Momentum: 0.879 +
// 2.09x") would not fit the chart's width beside its line sample (plotly cuts an entry wider
// than its legend).
const LEGEND_SAMPLE = 48;  // the line sample and the gaps of a legend entry
const measure = document.createElement("canvas").getContext("2d");

function legendFont(names, size, width) {
  if (!width) return size;
  measure.font = `${size}px "Open Sans", verdana, arial, sans-serif`;
  const widest = Math.max(...names.map((name) => measure.measureText(name.replace(/&amp;/g, "&").replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")).width));
  return widest + LEGEND_SAMPLE <= width ? size : Math.max(9, Math.floor((size * (width - LEGEND_SAMPLE)) / widest));
}

export function fitFigure({ data, runs, frame, present, width = 0 }) {
  const style = styleFor(present);
  const xRange = span(data.x);
  const yRange = span(data.y);
  const lines = runs.filter((run) => run.result?.points).map((run) => {
    const [theta0, theta1] = thetaAt(run.result, frame);
    return {
      type: "scatter", mode: "lines", name: `${plain(run.label)}: ${fmt(theta0, 3)} + ${fmt(theta1, 3)}x`,
      x: xRange, y: xRange.map((x) => theta0 + theta1 * x), meta: [theta0, theta1],
      line: { color: run.colour, width: style.line, dash: run.dash || "solid" }, hoverinfo: "name",
    };
  });
  const legendSize = legendFont(["data (xᵢ, yᵢ)", ...lines.map((line) => line.name)], style.font - 3, width);
  return {
    data: [{ type: "scatter", mode: "markers", name: "data (xᵢ, yᵢ)", x: data.x, y: data.y, hoverinfo: "x+y",
             marker: { color: "#7F7F7F", size: style.marker * 0.6, opacity: 0.8 } }, ...lines],
    layout: {
      margin: { l: 50, r: 10, t: 8, b: 40 }, font: { size: style.font - 1 }, showlegend: true, uirevision: "fit",
      legend: { orientation: "h", x: 0, y: 1, yanchor: "bottom", font: { size: legendSize } },
      // Fixed axes: the line moves, the data stay put.
      xaxis: { title: { text: "x" }, range: xRange, autorange: false, zeroline: false },
      yaxis: { title: { text: "y" }, range: yRange, autorange: false, zeroline: false },
      hovermode: "closest",
    },
    config: { ...CONFIG, displayModeBar: false },
  };
}

export function bindFitView() {
  document.addEventListener("optviz:frame", ({ detail: { panel, runs, frame } }) => {
    const box = $("fit-box");
    const data = panel.hasData === false ? null : dataOf(panel);
    const shown = Boolean(data) && panel.state.view === "contour";
    box.hidden = !shown;
    box.parentElement.classList.toggle("with-fit", shown);
    if (shown) render($("fit-chart"), fitFigure({ data, runs, frame, present: panel.state.present, width: $("fit-chart").clientWidth }));
  });
}
