// Exports for slides, one helper for both tabs: PNG/SVG of a figure, the figure on the
// clipboard, CSV/JSON of the data, and the trajectory animation as an animated GIF, a WebM
// video (WebCodecs, timed by frame count) and a standalone HTML page (plotly.js inlined, so it plays opened from disk, offline).
// Everything is made in the browser; nothing leaves the machine.
import { CONFIG, bundleUrl, plain, plotlyFor } from "./figures.js";
import { coversView, LEGEND_MESSAGES_UP_TO, mainFigure, marginsFor, viewLimit } from "./plots.js";
import { gifFrames } from "./gifframes.js";
import { webmFile } from "./webm.js";

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

// What a figure shows, as its title on a slide: the surface and what is compared on it (the
// runs by name while the legend says what each reached; past that, how many: the legend names them).
export function sceneTitle(context) {
  const runs = context.runs.filter((run) => run.result);
  if (!runs.length) return context.surface.title;
  const compared = runs.length <= LEGEND_MESSAGES_UP_TO ? runs.map((run) => run.label).join(", ") : `${runs.length} runs`;
  return `${context.surface.title}: ${compared}`;
}

// A title cut into lines at its commas to fit `width` pixels (an average glyph is ~0.55 em).
function titleLines(title, width, size) {
  const room = Math.max(20, Math.floor(width / (size * 0.55)));
  const lines = [""];
  for (const part of title.split(/(?<=[:,]) /)) {
    if (lines.at(-1) && lines.at(-1).length + part.length + 1 > room) lines.push("");
    lines[lines.length - 1] += (lines.at(-1) ? " " : "") + part;
  }
  return lines;
}

// The figure with its title above the plot; the image grows by the title's room, so the plot
// area keeps the size it has on screen.
function titled(figure, title, width, height) {
  const size = (figure.layout.font?.size || 14) + 4;
  const lines = titleLines(title, width - 24, size);
  const room = Math.round(lines.length * size * 1.3 + 14);
  const margin = { ...figure.layout.margin, t: (figure.layout.margin?.t || 0) + room };
  const layout = { ...figure.layout, margin,
                   title: { text: lines.map(plain).join("<br>"), font: { size }, x: 0.01, xanchor: "left", xref: "container",
                            y: 1, yanchor: "top", yref: "container", pad: { t: 10 } } };
  return [{ ...figure, layout }, { width, height: height + room }];
}

// What an export shows: the view the lecturer framed on screen (the contour's x and y ranges
// there), at equal aspect in the export's own plot area, widened about its centre along the one
// axis that area's proportions leave room on, and no more (an export framed afresh from the
// surface's domain showed the canyon's y -5..5 on screen as y -8..8, its paths shrunk).
// Within the grid's bound (viewLimit), as every view the server is asked for.
export function framedView(screen, width, height, limit) {
  const [[x0, x1], [y0, y1]] = screen;
  if (!(width > 0 && height > 0)) return screen;
  const perUnit = Math.min(width / (x1 - x0), height / (y1 - y0));
  const half = [width / perUnit / 2, height / perUnit / 2];
  return screen.map(([a, b], axis) => [Math.max(limit[axis][0], Math.min(a, (a + b) / 2 - half[axis])),
                                       Math.min(limit[axis][1], Math.max(b, (a + b) / 2 + half[axis]))]);
}

// The view on screen: the range the contour is drawn over (the surface's domain in 3D).
function screenView(context) {
  return context.range || context.surface.domain;
}

// The height of a plot area `width` pixels wide with the screen view's proportions.
function screenAreaHeight(context, width) {
  const [[x0, x1], [y0, y1]] = screenView(context);
  return width * (y1 - y0) / (x1 - x0);
}

// The size of an image of an on-screen plot: at least IMAGE_MIN_WIDTH wide with the plot's own
// aspect, so presenter-mode fonts and the legend keep the proportions they have on a projector
// instead of crowding a small plot (and a long title fits on one or two lines).
const IMAGE_MIN_WIDTH = 1600;

function imageSize(plotElement) {
  const width = Math.max(IMAGE_MIN_WIDTH, plotElement.clientWidth);
  return [width, Math.round(plotElement.clientHeight * width / Math.max(1, plotElement.clientWidth))];
}

// The contour drawn to fill a plot area (the image less `margin`): the screen's view framed in
// it (framedView), and the grid over it (the page's, if it covers the view; else asked for).
async function filledContext(context, width, height, margin) {
  if (context.view === "3d") return context;
  const range = framedView(screenView(context), width - margin.l - margin.r, height - margin.t - margin.b,
                           viewLimit(context.surface.domain, context.maxViewSpans));
  if (coversView(context.range, range)) return { ...context, range };
  const grid = await context.gridFor(range);
  return { ...context, range, grid: grid.data, zView: grid.zView, transform: grid.transform };
}

// The figure an image of the plot on screen shows: IMAGE_MIN_WIDTH (or the plot's width) wide,
// the legend outside on the right in room measured for it (fixed margins: plotly would otherwise
// take the room from the plot area after its aspect was chosen), and a plot area with the
// screen's proportions beside it, so the image shows the screen's view with no padding (the
// legend makes the image wider; it used to make the plot area narrower, so the view taller).
// Its size is the layout's width and height.
const IMAGE_MAX_ASPECT = 1.5;  // height / width: a plot box taller than that is padded in x

export async function sceneFigure(context, plotElement) {
  if (context.view === "3d") return mainFigure({ ...context, legend: true });
  const width = Math.max(IMAGE_MIN_WIDTH, plotElement.clientWidth);
  const base = marginsFor(context.present);
  const margin = { ...base, r: base.r + legendWidth(context, context.present), autoexpand: false };
  const areaWidth = width - margin.l - margin.r;
  const areaHeight = Math.round(Math.min(screenAreaHeight(context, areaWidth), IMAGE_MAX_ASPECT * width));
  const height = areaHeight + margin.t + margin.b;
  const drawn = mainFigure({ ...(await filledContext(context, width, height, margin)), legend: true });
  const figure = legendNamesWrapped(drawn, IMAGE_LEGEND_TEXT);
  return { ...figure, layout: { ...figure.layout, margin, width, height } };
}

// The size an image of `figure` is made at: its own (sceneFigure's), else the plot's (imageSize).
function figureSize(figure, plotElement) {
  const { width, height } = figure.layout;
  return width && height ? [width, height] : imageSize(plotElement);
}

export async function exportImage(plotElement, figure, format, filename, title = "") {
  const [withTitle, size] = titled(figure, title, ...figureSize(figure, plotElement));
  return (await plotlyFor(figure)).downloadImage(onWhite(withTitle), { format, filename, scale: 2, ...size });
}

export function canCopyImages() {
  return typeof ClipboardItem === "function" && typeof navigator.clipboard?.write === "function";
}

// "Copy image": the figure (with its title) as a PNG on the clipboard, to paste into a slide.
export async function copyImage(plotElement, figure, title = "") {
  const [withTitle, size] = titled(figure, title, ...figureSize(figure, plotElement));
  const url = await (await plotlyFor(figure)).toImage(onWhite(withTitle), { format: "png", scale: 2, ...size });
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
const [SLIDE_MIN_HEIGHT, SLIDE_MAX_HEIGHT] = [480, 1080];

// The steps an animation shows: every step, or every k-th one (and the last) for long paths.
export function sampledSteps(context, maxFrames) {
  const last = Math.max(1, ...context.runs.map((run) => run.result?.steps_taken || 0));
  const stride = Math.max(1, Math.ceil(last / (maxFrames - 1)));
  const steps = [];
  for (let f = 0; f < last; f += stride) steps.push(f);
  steps.push(last);
  return steps;
}

// A slide-sized, presenter-styled layout: the plot area the whole SLIDE_WIDTH wide less the axes'
// margins, with the screen view's proportions (so the slide shows the screen's view; padded, by
// framedView, only where the slide's height is bounded), the title above and the legend below in
// rows (on the right it took ~30 % of the slide's width from the plot: 17 names, or a few
// names with what each reached). Margins are fixed (no autoexpand), so a layer without a legend
// gets the same plot area as the one with it; the legend's rows are measured.
function legendNames(context, present = true) {
  const figure = mainFigure({ ...context, present, legend: true, arrows: false });
  return { names: figure.data.filter((t) => t.showlegend !== false && t.name).map((t) => t.name),
           size: figure.layout.legend.font.size };
}

function textWidth(text, size) {
  const measure = document.createElement("canvas").getContext("2d");
  measure.font = `${size}px system-ui, sans-serif`;
  return measure.measureText(text.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">")).width;
}

// How wide a legend entry's text may be before it wraps: on the right of an image (PNG, SVG),
// of the standalone page (narrower: at 1024 px its legend left the plot ~40 % of the window),
// and below a slide's plot (one column is the slide's width).
const IMAGE_LEGEND_TEXT = 450;
const HTML_LEGEND_TEXT = 300;
const SLIDE_LEGEND_TEXT = 1000;

// A legend name cut into lines of at most `room` pixels at `size`: at its phrases first (after
// "—" and commas: "Momentum — ran all 300 steps, / ending near the minimum"), a phrase longer
// than a line at its words. A long message was drawn on one line, past the image's right edge.
export function wrapName(name, room, size) {
  const fits = (text) => textWidth(text, size) * 1.04 + 4 <= room;
  if (fits(name)) return [name];
  const phrases = name.split(/(?<=— |, )/);
  const lines = [];
  const add = (piece) => {
    const joined = lines.length ? lines.at(-1) + piece : piece;
    if (lines.length && fits(joined.trimEnd())) lines[lines.length - 1] = joined;
    else lines.push(piece);
  };
  for (const phrase of phrases) {
    if (fits(phrase.trimEnd())) add(phrase);
    else for (const word of phrase.split(/(?<= )/)) add(word);
  }
  return lines.map((line) => line.trimEnd());
}

// The figure with its legend names wrapped to `room` (plotly draws "<br>" as a new line).
function legendNamesWrapped(figure, room) {
  const size = figure.layout.legend?.font?.size || 14;
  const data = figure.data.map((trace) => (trace.name && trace.showlegend !== false
    ? { ...trace, name: wrapName(trace.name, room, size).join("<br>") } : trace));
  return { ...figure, data };
}

// The legend's room on the right of an image or page: its longest line, after wrapping.
function legendWidth(context, present = true, room = IMAGE_LEGEND_TEXT) {
  const { names, size } = legendNames(context, present);
  const lines = names.flatMap((n) => wrapName(n, room, size));
  return Math.round(70 + Math.max(120, ...lines.map((line) => textWidth(line, size) * 1.04 + 4)));
}

// Plotly's horizontal legend: each item its line sample and gaps (40 px) and its text; all in one
// row if they fit in the plot area's width, else in a grid of columns as wide as the widest item
// (legend/draw.js). Counted here the same way, with some slack (plotly measures the text as
// drawn), so the room below the plot holds every row.
const LEGEND_ITEM = 40;
const LEGEND_GAP = 5;
const LEGEND_SLACK = 8;
const LEGEND_PAD = 10;

function legendRows(context) {
  const { names, size } = legendNames(context);
  const margin = marginsFor(true);
  const room = SLIDE_WIDTH - margin.l - margin.r;
  const wrapped = names.map((name) => wrapName(name, SLIDE_LEGEND_TEXT, size));
  const widths = wrapped.map((lines) => LEGEND_ITEM + Math.max(...lines.map((line) => textWidth(line, size))) + LEGEND_SLACK);
  const oneRow = widths.reduce((sum, w) => sum + w + LEGEND_GAP, 0) < room;
  const columns = Math.max(1, Math.floor((room + LEGEND_GAP) / (Math.max(0, ...widths) + LEGEND_GAP)));
  const rows = oneRow ? 1 : Math.ceil(names.length / columns);
  const lines = Math.max(1, ...wrapped.map((item) => item.length));  // a wrapped name makes its row taller
  return { rows, height: Math.ceil(rows * (lines * size * 1.3 + 4) + 2 * LEGEND_PAD), size };
}

function slideSize(context) {
  const margin = slideMargins(context);
  const height = Math.round(screenAreaHeight(context, SLIDE_WIDTH - margin.l - margin.r) + margin.t + margin.b);
  return { width: SLIDE_WIDTH, height: Math.max(SLIDE_MIN_HEIGHT, Math.min(height, SLIDE_MAX_HEIGHT)) };
}

const SLIDE_TITLE_SIZE = 24;

// Each frame of a slide (GIF, video) says which step it shows, at the right of the title row,
// outside the plot area: "step 40 / 300". The title wraps short of it.
const STEP_LABEL_ROOM = 240;

export function stepLabel(step, last) {
  return `step ${step} / ${last}`;
}

function lastStep(context) {
  return Math.max(1, ...context.runs.map((run) => run.result?.steps_taken || 0));
}

function slideTitleLines(context) {
  return titleLines(sceneTitle(context), SLIDE_WIDTH - 40 - STEP_LABEL_ROOM, SLIDE_TITLE_SIZE);
}

// `legendBelow`: the slide's (GIF, video); the standalone page, which fills a window of any
// shape and has its player under the plot, keeps the legend on the right.
function slideMargins(context, legendBelow = true) {
  const base = marginsFor(true);
  const top = Math.round(24 + slideTitleLines(context).length * SLIDE_TITLE_SIZE * 1.3);
  if (!legendBelow) return { ...base, r: base.r + legendWidth(context, true, HTML_LEGEND_TEXT), t: top, autoexpand: false };
  return { ...base, b: base.b + legendRows(context).height, t: top, autoexpand: false };
}

function slideFigure(context, frame, legendBelow = true) {
  const figure = legendNamesWrapped(mainFigure({ ...context, frame, present: true, legend: true, arrows: false }),
                                    legendBelow ? SLIDE_LEGEND_TEXT : HTML_LEGEND_TEXT);
  const text = slideTitleLines(context).map(plain).join("<br>");
  const legend = legendBelow
    ? { ...figure.layout.legend, orientation: "h", traceorder: "normal", x: 0, xref: "paper", xanchor: "left",
        y: 0, yref: "container", yanchor: "bottom", tracegroupgap: 0, borderwidth: 0,
        font: { size: legendRows(context).size } }
    : { ...figure.layout.legend, x: 1.02, y: 1 };
  const layout = { ...figure.layout, margin: slideMargins(context, legendBelow),
                   title: { text, font: { size: SLIDE_TITLE_SIZE }, x: 0.015, xanchor: "left", xref: "container", y: 1,
                            yanchor: "top", yref: "container", pad: { t: 12 } },
                   legend };
  if (legendBelow) {
    // In the title row, right-aligned (paper x = 1 is the plot area's right edge), its baseline on
    // the title's first line: in the top margin, clear of the paths.
    const label = { text: stepLabel(Math.min(frame, lastStep(context)), lastStep(context)), showarrow: false,
                    xref: "paper", x: 1, xanchor: "right", yref: "paper", y: 1, yanchor: "bottom",
                    yshift: layout.margin.t - 12 - SLIDE_TITLE_SIZE * 1.3, font: { size: SLIDE_TITLE_SIZE, color: "#333333" },
                    name: "step-label" };
    layout.annotations = [...(figure.layout.annotations || []), label];
  }
  return { data: figure.data, layout };
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
// Calls onFrame(canvas, paint, index, count) after each; `onPreview(paint, ...)`, if given, first
// sees the last step and the middle one (the GIF's palette is made from them). An aborted `signal` stops it at once (each
// wait races it: a frame's drawing is not waited for), and the canvas is let go either way.
async function drawFrames(scene, maxFrames, onFrame, { signal, onPreview } = {}) {
  const { width, height } = slideSize(scene);
  const context = await abortable(filledContext(scene, width, height, slideMargins(scene)), signal);
  const steps = sampledSteps(context, maxFrames);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const paint = canvas.getContext("2d", { willReadFrequently: true });
  const layer = (frame) => {
    const figure = slideFigure(context, frame);
    return context.view === "3d" ? [onWhite(figure), null] : splitLayers(figure);
  };
  const draw = async (figure) => abortable(loadImage(await abortable(Plotly.toImage(figure, { format: "png", width, height }),
                                                                     signal)), signal);
  const [firstFront, backFigure] = layer(steps[0]);
  const Plotly = await abortable(plotlyFor(firstFront), signal);
  try {
    const back = backFigure && await draw(backFigure);
    const paintStep = async (step) => {
      const image = await draw(layer(step)[0]);
      paint.fillStyle = "#ffffff";
      paint.fillRect(0, 0, width, height);
      if (back) paint.drawImage(back, 0, 0, width, height);
      paint.drawImage(image, 0, 0, width, height);
    };
    if (onPreview) {
      for (const step of [steps[steps.length - 1], steps[Math.floor(steps.length / 2)]]) {
        await paintStep(step);
        await onPreview(paint);
      }
    }
    for (let i = 0; i < steps.length; i++) {
      await paintStep(steps[i]);
      await onFrame(canvas, paint, i, steps.length, steps[i]);
      signal?.throwIfAborted();
    }
  } finally {
    canvas.width = canvas.height = 0;  // its pixels (~3.5 MB) go now, not when the GC finds them
  }
  return { width, height, frames: steps.length };
}

// `promise`, or a rejection as soon as `signal` aborts (the work behind it is left to finish
// and be collected: plotly's off-screen image purges its own plot).
function abortable(promise, signal) {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const stop = () => reject(signal.reason);
    signal.addEventListener("abort", stop, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", stop));
  });
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

// An animated GIF, one frame per sampled step, looping, with a pause on the last frame; one
// palette made from the last and the middle frames, and each frame storing what changed
// (gifframes.js).
export async function animatedGif(context, onProgress = () => {}, signal = undefined) {
  const gifenc = await import("../vendor/gifenc/gifenc.esm.js");
  const delay = 80;
  const previews = [];
  let frames = null;
  const pixels = (paint) => paint.getImageData(0, 0, paint.canvas.width, paint.canvas.height).data;
  await drawFrames(context, MAX_GIF_FRAMES, (canvas, paint, i, count) => {
    frames ||= gifFrames(gifenc, previews.splice(0), canvas.width, canvas.height);
    frames.add(pixels(paint), i === count - 1 ? 2000 : delay);
    onProgress((i + 1) / count, `GIF: frame ${i + 1} of ${count}`);
  }, { signal, onPreview: (paint) => previews.push(pixels(paint)) });
  return new Blob([frames.bytes()], { type: "image/gif" });
}

// ---- long exports: progress and cancel ----------------------------------------------------

// An animation takes seconds to encode (a GIF of 90 steps ~30 s on a lecturer's laptop): `box`
// shows how far it is, with a Cancel button (Escape does the same; focus goes to it, so a
// keyboard reaches it at once). The export `buttons` wait meanwhile: a second encoding would
// halve the speed of both. `encode(onProgress, signal)` makes the file; cancelling aborts
// `signal`, which stops the encoder at its next step and drops what it holds. Only a finished,
// uncancelled file is downloaded. Resolves to true if it was, false if cancelled.
export async function exportWithProgress({ box, buttons, filename, encode }) {
  const [bar, text, cancel] = [box.querySelector("progress"), box.querySelector("[role=status]"),
                               box.querySelector("[data-export-cancel]")];
  const controller = new AbortController();
  const stop = () => controller.abort(new DOMException("the export was cancelled", "AbortError"));
  const onKey = (event) => {
    if (event.key === "Escape") { event.preventDefault(); stop(); }
  };
  const started = document.activeElement;
  for (const button of buttons) button.disabled = true;
  bar.value = 0;
  text.textContent = "preparing…";
  box.hidden = false;
  cancel.addEventListener("click", stop);
  document.addEventListener("keydown", onKey);
  cancel.focus();
  try {
    const blob = await encode((fraction, message) => { bar.value = fraction; text.textContent = message; }, controller.signal);
    if (controller.signal.aborted) return false;
    download(blob, filename, blob.type);
    return true;
  } catch (error) {
    if (controller.signal.aborted) return false;
    throw error;
  } finally {
    cancel.removeEventListener("click", stop);
    document.removeEventListener("keydown", onKey);
    box.hidden = true;
    for (const button of buttons) button.disabled = false;
    if (box.contains(document.activeElement) || document.activeElement === document.body) started?.focus?.();
  }
}

// A WebM video, encoded by the browser's WebCodecs (null where this browser has no encoder).
export function videoType() {
  return typeof VideoEncoder === "function" && typeof VideoFrame === "function" ? "video/webm" : null;
}

// The video's clock: a fixed frame rate, and the last frame held for a moment. Its length is
// (frames + VIDEO_HOLD_FRAMES) / VIDEO_FPS exactly, whatever the machine's speed.
export const VIDEO_FPS = 12;
export const VIDEO_HOLD_FRAMES = 18;
const KEY_EVERY = 2 * VIDEO_FPS;  // a key frame every two seconds: slides can seek

// Each drawn frame is handed to a VideoEncoder with the timestamp k / VIDEO_FPS (a recording
// of the screen would take the wall clock's: the slower the machine, the longer the video), then
// the encoded frames are written as a WebM file (webm.js).
export async function webmVideo(context, onProgress = () => {}, signal = undefined) {
  if (!videoType()) throw new Error("this browser cannot encode video; export a GIF instead");
  const chunks = [];
  let failure = null;
  let encoder = null;
  let size = null;
  let count = 0;
  const frameUs = 1e6 / VIDEO_FPS;
  const encode = async (canvas, timestampIndex) => {
    while (encoder.encodeQueueSize > 4) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      signal?.throwIfAborted();
    }
    const frame = new VideoFrame(canvas, { timestamp: Math.round(timestampIndex * frameUs), duration: Math.round(frameUs) });
    encoder.encode(frame, { keyFrame: timestampIndex % KEY_EVERY === 0 });
    frame.close();
  };
  try {
    await drawFrames(context, MAX_FRAMES, async (canvas, paint, i, total) => {
      if (!encoder) {
        size = { width: canvas.width, height: canvas.height };
        encoder = new VideoEncoder({
          output: (chunk) => {
            const data = new Uint8Array(chunk.byteLength);
            chunk.copyTo(data);
            chunks.push({ timestamp: chunk.timestamp, key: chunk.type === "key", data });
          },
          error: (error) => { failure = error; },
        });
        encoder.configure({ codec: "vp8", width: size.width, height: size.height, bitrate: 6e6, framerate: VIDEO_FPS });
      }
      await encode(canvas, count++);
      if (i === total - 1) for (let k = 0; k < VIDEO_HOLD_FRAMES; k++) await encode(canvas, count++);
      onProgress((i + 1) / total, `video: frame ${i + 1} of ${total}`);
    }, { signal });
    await abortable(encoder.flush(), signal);
  } finally {
    // Cancelled or not, the encoder's frames and codec are given back (close drops its queue).
    if (encoder && encoder.state !== "closed") encoder.close();
    if (signal?.aborted) chunks.length = 0;
  }
  if (failure) throw new Error(`the video could not be encoded: ${failure.message}`);
  chunks.sort((a, b) => a.timestamp - b.timestamp);
  return webmFile({ codec: "vp8", ...size, chunks, durationMs: count * 1000 / VIDEO_FPS });
}

// A self-contained page: the figure, one plotly frame per (sub-sampled) step, and a player under
// it (Play, Pause, a slider of the steps). Plotly.animate without a redraw drops what it does not
// animate (the contour vanished as soon as it played), so the contour view is the page's two
// stacked layers again: the contour drawn once below, and above it, on a transparent background,
// the paths (animated, each frame naming its traces), stationary points, start, legend and
// title. 3D frames are redrawn in full. It opens at the frame the app shows (the end, after a
// run): Play goes on from there, or replays from step 0 when it is the last.
// The page shows the screen's view in a window of any shape: its axes are given that view and
// keep equal aspect by narrowing the plot area along one axis (plotly's constrain "domain"), so
// the page's own grid, which covers that view and nothing more, is the one it needs (it used to
// ask for a grid twice the view along each axis, four times the area, for a window-filling page
// that widened its range; nothing pans there: the axes are fixed).
function anchored(layout) {
  return { ...layout, xaxis: { ...layout.xaxis, constrain: "domain" },
           yaxis: { ...layout.yaxis, constrain: "domain", scaleanchor: "x", scaleratio: 1 } };
}

// The player is the page's own HTML, not plotly's slider and buttons: plotly labels every n-th
// slider step from the first, so the last step (300 of 0, 3, ..., 297, 300) went unlabelled at
// 1024 px; its Pause button left the interrupted Play's promise rejected, unhandled (a page
// error); and its controls took 150 px of the figure's bottom margin. The legend sits on the
// right or below the plot, whichever leaves the plot more pixels per unit in the window (at
// 1024x768 on the right it left the plot 599x348 px of the window).
const PLAYER_SCRIPT = String.raw`
var plot = document.getElementById("plot"), stack = document.getElementById("stack");
var slider = document.getElementById("slider"), current = document.getElementById("current");
var names = frames.map(function (f) { return f.name; });
var last = Number(names[names.length - 1]);
var shown = opening;
var initial = frames.filter(function (f) { return f.name === opening; })[0];
// Copies: plotly writes each frame shown into the plot's own traces, so a trace shared with
// the opening frame took every later frame's points (back at the opening step, it showed the
// step seen before it).
initial.traces.forEach(function (t, k) { figure.data[t] = JSON.parse(JSON.stringify(initial.data[k])); });
function showStep(name) {
  shown = name;
  slider.value = name;
  current.textContent = "step " + name;
}
// Plotly rejects the promise of an animation that another one (Pause, the slider) interrupts,
// with no reason: that is the player's doing, not a failure, so it is dropped here (left
// unhandled it was a page error). A real error (one with a reason) still surfaces.
function interrupted(reason) { if (reason !== undefined) throw reason; }
function animate(list, duration) {
  return Plotly.animate("plot", list, { mode: "immediate", frame: { duration: duration, redraw: is3d },
                                        transition: { duration: 0 } }).catch(interrupted);
}
function play() {
  var from = names.indexOf(shown);
  var rest = from < 0 || from >= names.length - 1 ? names : names.slice(from + 1);
  animate(rest, 60);
}
function pause() {
  animate([null], 0);
}
function seek(name) {
  showStep(name);
  animate([name], 0);
}
// The slider moves through steps, linear in the step (0 .. last); it snaps to the nearest frame.
function nearest(value) {
  var best = names[0];
  names.forEach(function (n) { if (Math.abs(n - value) < Math.abs(best - value)) best = n; });
  return best;
}
slider.addEventListener("input", function () {
  seek(nearest(Number(slider.value)));
});
// Its keys move a frame at a time (a step of 1 snapped back to the frame it left, every third
// step being a frame on a 300-step run), Home and End to the first and last.
slider.addEventListener("keydown", function (event) {
  var at = names.indexOf(shown), moves = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1,
                                            Home: -names.length, End: names.length };
  if (!(event.key in moves)) return;
  event.preventDefault();
  seek(names[Math.max(0, Math.min(names.length - 1, at + moves[event.key]))]);
});
document.getElementById("play").addEventListener("click", play);
document.getElementById("pause").addEventListener("click", pause);
// The slider's labels: round steps (1, 2 or 5 times a power of ten) as many as its width holds,
// and the last step always (a round one too close to it gives way).
var THUMB = 18;
function label() {
  var ticks = document.getElementById("ticks");
  var width = slider.clientWidth, room = Math.max(1, Math.floor(width / 56));
  var stride = 1;
  for (var p = 1; stride * room < last; p *= 10) {
    stride = [1, 2, 5, 10].map(function (k) { return k * p; }).filter(function (s) { return s * room >= last; })[0] || 10 * p;
  }
  var values = [];
  for (var v = 0; v < last; v += stride) if (last - v >= 0.6 * stride) values.push(v);
  values.push(last);
  ticks.textContent = "";
  values.forEach(function (v) {
    var tick = document.createElement("span");
    tick.textContent = String(v);
    tick.style.left = (THUMB / 2 + (width - THUMB) * v / last) + "px";
    ticks.append(tick);
  });
}
// The plot's size is the window's less the player; the legend goes where the plot gets more room.
function fit() {
  var width = stack.clientWidth, height = stack.clientHeight;
  var size = { width: width, height: height };
  if (!layouts) return Plotly.relayout("plot", size);
  var span = [figure.layout.xaxis.range, figure.layout.yaxis.range].map(function (r) { return r[1] - r[0]; });
  var scale = function (m) { return Math.min((width - m.l - m.r) / span[0], (height - m.t - m.b) / span[1]); };
  var below = Object.assign({}, layouts.below, size);
  return Plotly.relayout("plot", below).then(function () {
    var room = plot._fullLayout.legend._height || 0;
    below.margin = Object.assign({}, layouts.below.margin, { b: layouts.below.margin.b + Math.ceil(room) });
    var chosen = scale(below.margin) >= scale(layouts.right.margin) ? below : Object.assign({}, layouts.right, size);
    return Plotly.relayout("plot", chosen).then(function () {
      return Plotly.relayout("back", Object.assign({ margin: chosen.margin }, size));
    });
  });
}
var fitting = null;
function refit() {
  fitting = (fitting || Promise.resolve()).then(function () { return fit(); }).then(label);
  return fitting;
}
if (back) Plotly.newPlot("back", back.data, back.layout, { staticPlot: true });
// Showing the opening frame through animate makes it the frame the page counts from.
Plotly.newPlot("plot", figure.data, figure.layout, config)
  .then(function () { plot.on("plotly_animatingframe", function (e) { showStep(e.name); }); })
  .then(function () { return Plotly.addFrames("plot", frames); })
  .then(function () { showStep(opening); return animate([opening], 0); })
  .then(refit);
window.addEventListener("resize", refit);
`;

export async function standaloneHtml(context) {
  const is3d = context.view === "3d";
  // The bundle that draws this view: cartesian for the contour, gl3d for 3D.
  const plotlySource = await (await fetch(bundleUrl(is3d))).text();
  const shown = Math.max(0, Math.round(context.frame ?? Infinity));
  const sampled = sampledSteps(context, MAX_FRAMES);
  const opening = Math.min(shown, sampled[sampled.length - 1]);
  const steps = [...new Set([...sampled, opening])].sort((a, b) => a - b);
  const title = sceneTitle(context);
  const layersAt = (frame) => {
    const figure = slideFigure(context, frame, false);
    return is3d ? [figure, null] : splitLayers({ ...figure, layout: anchored(figure.layout) });
  };
  const [front, back] = layersAt(steps[steps.length - 1]);
  const pathStart = front.data.findIndex((trace) => trace.legendgroup && trace.legendgroup !== "stationary");
  const indices = pathStart < 0 ? [] : front.data.map((_, i) => i).filter((i) => i >= pathStart);
  const frames = steps.map((f) => {
    const { data } = layersAt(f)[0];
    return { name: String(f), data: indices.map((i) => data[i]), traces: indices };
  });
  // The contour view's two places for the legend: on the right (the margin measured for it) and
  // below the plot in rows (the page adds the rows' height it measures to the bottom margin).
  const base = marginsFor(true);
  const layouts = is3d ? null : {
    right: { margin: front.layout.margin, legend: front.layout.legend },
    below: { margin: { ...front.layout.margin, r: base.r },
             legend: { ...front.layout.legend, orientation: "h", x: 0, xref: "paper", xanchor: "left", y: 0,
                       yref: "container", yanchor: "bottom", tracegroupgap: 0 } },
  };
  const safe = (value) => JSON.stringify(value).replace(/</g, "\\u003c");
  const last = steps[steps.length - 1];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>optviz — ${escapeHtml(title)}</title>
<script>${plotlySource.replace(/<\/script/gi, "<\\/script")}</script>
<style>body{margin:0;font-family:system-ui,sans-serif;height:100vh;display:flex;flex-direction:column;overflow:hidden}
#stack{position:relative;flex:1;min-height:0}#back,#plot{position:absolute;inset:0}#back{pointer-events:none}
#player{display:flex;align-items:center;gap:12px;padding:6px 16px 8px 16px;font-size:18px;color:#333}
#player button{font:inherit;padding:4px 12px;background:#fff;border:1px solid #bbb;border-radius:4px;cursor:pointer}
#current{min-width:6.5em}#scrub{flex:1;position:relative;padding-bottom:24px}
#slider{width:100%;margin:0;display:block;height:24px;-webkit-appearance:none;appearance:none;background:transparent}
#slider::-webkit-slider-runnable-track{height:6px;background:#dde3ea;border-radius:3px}
#slider::-webkit-slider-thumb{-webkit-appearance:none;width:18px;height:18px;margin-top:-6px;border-radius:50%;background:#fff;border:1px solid #889}
#ticks{position:absolute;left:0;right:0;top:24px;font-size:15px}
#ticks span{position:absolute;transform:translateX(-50%);white-space:nowrap}
#ticks span::before{content:"";position:absolute;left:50%;top:-4px;height:4px;border-left:1px solid #889}</style></head>
<body><div id="stack"><div id="back"></div><div id="plot"></div></div>
<div id="player"><button id="play" type="button">▶ Play</button><button id="pause" type="button">❚❚ Pause</button>
<span id="current" aria-live="off">step ${opening}</span>
<div id="scrub"><input id="slider" type="range" min="0" max="${last}" step="1" value="${opening}" aria-label="step"><div id="ticks"></div></div></div>
<script>
var is3d = ${safe(is3d)};
var back = ${safe(back ? { data: back.data, layout: back.layout } : null)};
var figure = ${safe({ data: front.data, layout: front.layout })};
var layouts = ${safe(layouts)};
var frames = ${safe(frames)};
var opening = ${safe(String(opening))};
var config = ${safe({ ...CONFIG, responsive: false })};
${PLAYER_SCRIPT}</script></body></html>
`;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
