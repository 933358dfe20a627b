// Exports for slides, one helper for both tabs: PNG/SVG of a figure, the figure on the
// clipboard, CSV/JSON of the data, and the trajectory animation as an animated GIF, a WebM
// video and a standalone HTML page (plotly.js inlined, so it plays opened from disk, offline).
// Everything is made in the browser; nothing leaves the machine.
import { bundleUrl, plotlyFor } from "./figures.js";
import { mainFigure, marginsFor } from "./plots.js";

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

// The figure drawn afresh off-screen at twice the on-screen size: sharp on a slide and on a 4K
// projector. White background (the page's paths layer is transparent).
function onWhite(figure) {
  return { data: figure.data, layout: { ...figure.layout, paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff" } };
}

export async function exportImage(plotElement, figure, format, filename) {
  return (await plotlyFor(figure)).downloadImage(onWhite(figure), {
    format, filename, scale: 2, width: plotElement.clientWidth, height: plotElement.clientHeight,
  });
}

// "Copy image": the figure as a PNG on the clipboard, to paste into a slide.
export async function copyImage(plotElement, figure) {
  const url = await (await plotlyFor(figure)).toImage(onWhite(figure), {
    format: "png", scale: 2, width: plotElement.clientWidth, height: plotElement.clientHeight });
  // Decoded here: fetching the data: URL would be refused by the page's CSP (connect-src 'self').
  const bytes = Uint8Array.from(atob(url.slice(url.indexOf(",") + 1)), (c) => c.charCodeAt(0));
  const blob = new Blob([bytes], { type: "image/png" });
  await navigator.clipboard.write([new ClipboardItem({ "image/png": blob })]);
  return blob;
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

// ---- animations ----------------------------------------------------------------------------

const MAX_FRAMES = 150;
export const MAX_GIF_FRAMES = 90;
export const SLIDE_WIDTH = 1280;

// The steps an animation shows: every step, or every k-th one (and the last) for long paths.
export function sampledSteps(context, maxFrames) {
  const last = Math.max(1, ...context.runs.map((run) => run.result?.steps_taken || 0));
  const stride = Math.max(1, Math.ceil(last / (maxFrames - 1)));
  const steps = [];
  for (let f = 0; f < last; f += stride) steps.push(f);
  steps.push(last);
  return steps;
}

// A slide-sized, presenter-styled layout: legend outside on the right, the plot area at the
// domain's aspect, the whole SLIDE_WIDTH wide. Margins are fixed (no autoexpand), so a layer
// without a legend gets the same plot area as the one with it; the legend's room is measured.
function legendWidth(context) {
  const figure = mainFigure({ ...context, present: true, legend: true, arrows: false });
  const names = figure.data.filter((t) => t.showlegend !== false && t.name).map((t) => t.name);
  const measure = document.createElement("canvas").getContext("2d");
  measure.font = `${figure.layout.legend.font.size}px system-ui, sans-serif`;
  return Math.min(520, 70 + Math.max(120, ...names.map((n) => measure.measureText(n).width)));
}

function slideSize(context) {
  const [[x0, x1], [y0, y1]] = context.surface.domain;
  const margin = slideMargins(context);
  const areaWidth = SLIDE_WIDTH - margin.l - margin.r;
  const height = Math.round(areaWidth * ((y1 - y0) / (x1 - x0)) + margin.t + margin.b);
  return { width: SLIDE_WIDTH, height: Math.max(480, Math.min(height, 1080)) };
}

function slideMargins(context) {
  const base = marginsFor(true);
  return { ...base, r: base.r + legendWidth(context), t: 56, autoexpand: false };
}

function slideFigure(context, frame, title) {
  const figure = mainFigure({ ...context, frame, present: true, legend: true, arrows: false });
  const layout = { ...figure.layout, margin: slideMargins(context),
                   title: { text: title, x: 0.02, xanchor: "left", y: 0.98, yanchor: "top" },
                   legend: { ...figure.layout.legend, x: 1.02, y: 1 } };
  return { data: figure.data, layout };
}

function titleOf(context) {
  return context.surface.title;
}

function loadImage(url) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error("could not draw a frame"));
    image.src = url;
  });
}

// Draw each sampled step on a canvas: the contour, the paths, the legend and the title, all
// in every frame. The contour is rasterized once (it is most of the drawing work) and each
// step's paths, drawn on a transparent layer with the same layout, go on top of it.
// Calls onFrame(canvas, paint, index, count) after each.
async function drawFrames(context, maxFrames, onFrame) {
  const { width, height } = slideSize(context);
  const steps = sampledSteps(context, maxFrames);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const paint = canvas.getContext("2d", { willReadFrequently: true });
  const title = titleOf(context);
  const layer = (frame) => {
    const figure = slideFigure(context, frame, title);
    return context.view === "3d" ? [onWhite(figure), null] : splitLayers(figure);
  };
  const [firstFront, backFigure] = layer(steps[0]);
  const Plotly = await plotlyFor(firstFront);
  const back = backFigure && await loadImage(await Plotly.toImage(backFigure, { format: "png", width, height }));
  for (let i = 0; i < steps.length; i++) {
    const [front] = layer(steps[i]);
    const image = await loadImage(await Plotly.toImage(front, { format: "png", width, height }));
    paint.fillStyle = "#ffffff";
    paint.fillRect(0, 0, width, height);
    if (back) paint.drawImage(back, 0, 0, width, height);
    paint.drawImage(image, 0, 0, width, height);
    await onFrame(canvas, paint, i, steps.length, steps[i]);
  }
  return { width, height, frames: steps.length };
}

// The contour view as two figures with one layout: [paths on transparent, contour on white].
function splitLayers(figure) {
  const [contour, ...rest] = figure.data;
  const hidden = (axis) => ({ ...axis, visible: false });
  const back = { data: [contour], layout: { ...figure.layout, showlegend: false, title: undefined, annotations: [],
                                             xaxis: hidden(figure.layout.xaxis), yaxis: hidden(figure.layout.yaxis),
                                             paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff" } };
  const front = { data: rest, layout: { ...figure.layout, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)" } };
  return [front, back];
}

// An animated GIF, one frame per sampled step, looping, with a pause on the last frame.
export async function animatedGif(context, onProgress = () => {}) {
  const { GIFEncoder, quantize, applyPalette } = await import("../vendor/gifenc/gifenc.esm.js");
  const gif = GIFEncoder();
  const delay = 80;
  await drawFrames(context, MAX_GIF_FRAMES, (canvas, paint, i, count) => {
    const { data, width, height } = paint.getImageData(0, 0, canvas.width, canvas.height);
    const palette = quantize(data, 256);
    gif.writeFrame(applyPalette(data, palette), width, height, { palette, delay: i === count - 1 ? 2000 : delay });
    onProgress((i + 1) / count, `GIF: frame ${i + 1} of ${count}`);
  });
  gif.finish();
  return new Blob([gif.bytes()], { type: "image/gif" });
}

// A WebM video through the browser's MediaRecorder (null where the browser cannot encode one).
export function videoType() {
  if (typeof MediaRecorder === "undefined") return null;
  return ["video/webm;codecs=vp9", "video/webm;codecs=vp8", "video/webm"].find((t) => MediaRecorder.isTypeSupported(t)) || null;
}

export async function webmVideo(context, onProgress = () => {}) {
  const type = videoType();
  if (!type) throw new Error("this browser cannot record video; export a GIF instead");
  const { width, height } = slideSize(context);
  const screen = document.createElement("canvas");
  screen.width = width;
  screen.height = height;
  const out = screen.getContext("2d");
  out.fillStyle = "#ffffff";
  out.fillRect(0, 0, width, height);
  const stream = screen.captureStream(0);
  const [track] = stream.getVideoTracks();
  const recorder = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 6e6 });
  const chunks = [];
  recorder.ondataavailable = (event) => { if (event.data.size) chunks.push(event.data); };
  const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
  recorder.start();
  const frameMs = 1000 / 12;
  await drawFrames(context, MAX_FRAMES, async (canvas, paint, i, count) => {
    out.drawImage(canvas, 0, 0);
    track.requestFrame();
    // Hold each frame on screen for its duration, so the recording's timing is the animation's.
    await new Promise((resolve) => setTimeout(resolve, i === count - 1 ? 1500 : frameMs));
    onProgress((i + 1) / count, `video: frame ${i + 1} of ${count}`);
  });
  recorder.stop();
  await stopped;
  return new Blob(chunks, { type: "video/webm" });
}

// A self-contained page: the figure, one plotly frame per (sub-sampled) step, play/pause and a
// slider. Plotly.animate without a redraw drops what it does not animate (the contour vanished
// as soon as it played), so the contour view is the page's two stacked layers again: the
// contour drawn once below, and above it, on a transparent background, the paths (animated,
// each frame naming its traces), stationary points, start, legend, title and controls. 3D
// frames are redrawn in full.
export async function standaloneHtml(context) {
  const is3d = context.view === "3d";
  // The bundle that draws this view: cartesian for the contour, gl3d for 3D.
  const plotlySource = await (await fetch(bundleUrl(is3d))).text();
  const steps = sampledSteps(context, MAX_FRAMES);
  const title = titleOf(context);
  const layersAt = (frame) => {
    const figure = slideFigure(context, frame, title);
    return is3d ? [figure, null] : splitLayers(figure);
  };
  const [front, back] = layersAt(steps[steps.length - 1]);
  const pathStart = front.data.findIndex((trace) => trace.legendgroup && trace.legendgroup !== "stationary");
  const indices = pathStart < 0 ? [] : front.data.map((_, i) => i).filter((i) => i >= pathStart);
  const frames = steps.map((f) => {
    const { data } = layersAt(f)[0];
    return { name: String(f), data: indices.map((i) => data[i]), traces: indices };
  });
  const controlsRoom = 90;
  const withRoom = (layout) => ({ ...layout, margin: { ...layout.margin, b: layout.margin.b + controlsRoom } });
  const frontLayout = {
    ...withRoom(front.layout),
    updatemenus: [{
      type: "buttons", showactive: false, x: 0, y: 0, xanchor: "left", yanchor: "top", direction: "left",
      pad: { t: front.layout.margin.b }, buttons: [
        { label: "▶ Play", method: "animate",
          args: [null, { fromcurrent: true, frame: { duration: 60, redraw: is3d }, transition: { duration: 0 } }] },
        { label: "❚❚ Pause", method: "animate", args: [[null], { mode: "immediate", frame: { duration: 0, redraw: is3d } }] },
      ],
    }],
    sliders: [{
      x: 0.3, y: 0, len: 0.7, yanchor: "top", pad: { t: front.layout.margin.b - 10 }, currentvalue: { prefix: "step " },
      steps: steps.map((f) => ({ label: String(f), method: "animate",
                                 args: [[String(f)], { mode: "immediate", frame: { duration: 0, redraw: is3d },
                                                       transition: { duration: 0 } }] })),
    }],
  };
  const safe = (value) => JSON.stringify(value).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>optviz — ${escapeHtml(title)}</title>
<script>${plotlySource.replace(/<\/script/gi, "<\\/script")}</script>
<style>body{margin:0;font-family:system-ui,sans-serif}#stack{position:relative;width:100vw;height:100vh}
#back,#plot{position:absolute;inset:0}#back{pointer-events:none}</style></head>
<body><div id="stack"><div id="back"></div><div id="plot"></div></div>
<script>
var back = ${safe(back ? { data: back.data, layout: withRoom(back.layout) } : null)};
var figure = ${safe({ data: front.data, layout: frontLayout })};
var frames = ${safe(frames)};
var initial = frames[0];
initial.traces.forEach(function (t, k) { figure.data[t] = initial.data[k]; });
if (back) Plotly.newPlot("back", back.data, back.layout, {staticPlot: true, responsive: true});
Plotly.newPlot("plot", figure.data, figure.layout, {displaylogo: false, responsive: true})
  .then(function () { return Plotly.addFrames("plot", frames); });
</script></body></html>
`;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
