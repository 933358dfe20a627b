// The MLP dashboard as ONE slide-sized image (1920×1080): a title, a key of the runs' colours
// and names, and the five figures (loss, accuracy, decision surface, activation histograms,
// gradient norms; and the loss slice J(θ + a·θ₁) once a network has been sliced), each drawn afresh at its slot's size in presenter style and composed into one
// SVG (figures kept as vector graphics); the PNG is that SVG painted onto a canvas.
import { download } from "./exports.js";
import { styleFor } from "./figures.js";
import { lossStars, STAR_MEANING } from "./mlpplots.js";

export const SLIDE = { width: 1920, height: 1080 };
const PAD = 24;
const HEADER = 64;
const KEY = 54;
const PANEL_TITLE = 34;
const FONT = "'Open Sans', verdana, arial, sans-serif";

const xml = (text) => String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                                                                 "'": "&apos;" })[c]);

// Where each figure goes: two rows; the wide histograms take two thirds of the lower row. Once
// a trained network has been sliced, the slice J(θ + a·θ₁) joins the upper row (as on the tab).
function slots(withSlice, header = HEADER) {
  const top = header + KEY + PAD;
  const rowHeight = (SLIDE.height - top - PAD * 2) / 2;
  const upper = withSlice ? ["loss", "accuracy", "slice", "decision"] : ["loss", "accuracy", "decision"];
  const width = (count) => (SLIDE.width - PAD * (count + 1)) / count;
  const x = (column, count) => PAD + column * (width(count) + PAD);
  const y = (row) => top + row * (rowHeight + PAD);
  const places = Object.fromEntries(upper.map((name, i) => [name, { x: x(i, upper.length), y: y(0), width: width(upper.length),
                                                                    height: rowHeight }]));
  return {
    ...places,
    histograms: { x: x(0, 3), y: y(1), width: width(3) * 2 + PAD, height: rowHeight },
    gradients: { x: x(2, 3), y: y(1), width: width(3), height: rowHeight },
  };
}

// One figure as the markup of a standalone SVG of the given size.
async function figureSvg(figure, width, height) {
  const layout = { ...figure.layout, width, height, paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff" };
  const url = await window.Plotly.toImage({ data: figure.data, layout, config: { staticPlot: true } },
                                          { format: "svg", width, height });
  const comma = url.indexOf(",");
  const body = url.slice(comma + 1);
  return url.slice(0, comma).endsWith(";base64") ? atob(body) : decodeURIComponent(body);
}

// Text measured in the slide's font, as the browser that paints the PNG draws it.
const measure = document.createElement("canvas").getContext("2d");

function textWidth(text, size, weight = "400") {
  measure.font = `${weight} ${size}px ${FONT}`;
  return measure.measureText(text).width;
}

// A figure's title at PANEL_TITLE_SIZE, or smaller (down to PANEL_TITLE_MIN) where its slot is
// narrower than the title (with the slice on, four slots share a row: the loss chart's title ran
// past its slot and the next chart's white box covered its end); a title still too wide is cut
// with "…". [text, size].
const PANEL_TITLE_SIZE = 22;
const PANEL_TITLE_MIN = 16;

export function fitTitle(text, width) {
  for (let size = PANEL_TITLE_SIZE; size >= PANEL_TITLE_MIN; size -= 1) {
    if (textWidth(text, size, "700") <= width) return [text, size];
  }
  let cut = text;
  while (cut.length > 1 && textWidth(`${cut}…`, PANEL_TITLE_MIN, "700") > width) cut = cut.slice(0, -1);
  return [`${cut.trimEnd()}…`, PANEL_TITLE_MIN];
}

// Parts joined by `glue` into as many lines as it takes to fit `width` pixels at `size`: the
// settings every run shares are all said, however many (a part longer than a line is cut).
function wrapParts(parts, glue, size, width) {
  const lines = [];
  for (const part of parts) {
    const joined = lines.length ? `${lines.at(-1)}${glue}${part}` : part;
    if (lines.length && textWidth(joined, size) <= width) lines[lines.length - 1] = joined;
    else lines.push(part);
  }
  return lines.map((line) => {
    if (textWidth(line, size) <= width) return line;
    let cut = line;
    while (cut.length > 1 && textWidth(`${cut}…`, size) > width) cut = cut.slice(0, -1);
    return `${cut}…`;
  });
}

const LINE = 21;  // the header's line pitch at 16 px

function keyMarkup(runs, y) {
  const style = styleFor(true);
  const size = style.font - 2;
  const parts = [];
  let x = PAD;
  let line = y;
  // Solid and dashed: which curve is which, once for all runs.
  const legend = [["train", ""], ["validation", "10 7"]];
  for (const [name, dash] of legend) {
    parts.push(`<line x1="${x}" y1="${line - 6}" x2="${x + 36}" y2="${line - 6}" stroke="#444" stroke-width="3"${
      dash ? ` stroke-dasharray="${dash}"` : ""}/>`,
    `<text x="${x + 44}" y="${line}" font-size="${size}">${name}</text>`);
    x += 44 + name.length * size * 0.6 + 28;
  }
  // and the loss chart's star, while one is drawn
  if (lossStars(runs, true).length) {
    parts.push(`<text x="${x}" y="${line}" font-size="${size}">${xml(STAR_MEANING)}</text>`);
    x += textWidth(STAR_MEANING, size) + 28;
  }
  x += 20;
  for (const run of runs) {
    const width = 44 + run.label.length * size * 0.58 + 32;
    if (x + width > SLIDE.width - PAD) { x = PAD; line += size + 10; }
    parts.push(`<rect x="${x}" y="${line - size + 2}" width="34" height="${size - 2}" rx="3" fill="${run.colour}"/>`,
               `<text x="${x + 44}" y="${line}" font-size="${size}">${xml(run.label)}</text>`);
    x += width;
  }
  return parts.join("");
}

// The composed SVG markup of the panel's current state.
export async function dashboardSvg(panel) {
  const present = true;
  const view = panel.view();
  const withSlice = panel.figures(view, present).slice.data.length > 0;
  // The header's lines: the settings all runs share (wrapped, never cut), then the selected run;
  // the figures move down by the lines the settings take beyond one.
  const { shared } = panel.sharedSettings();
  const room = SLIDE.width - PAD * 2 - 270;
  const common = shared.length ? wrapParts([`All runs: ${shared[0]}`, ...shared.slice(1)], " · ", 16, room) : [];
  const selected = view.selected ? wrapParts([`◆ the selected run: ${view.selected.label}`], "", 16, room) : [];
  const header = HEADER + Math.max(0, common.length - 1) * LINE;
  const places = slots(withSlice, header);
  const sizes = Object.fromEntries(Object.entries(places).map(([name, s]) => [name, { width: Math.round(s.width),
                                                                                      height: Math.round(s.height - PANEL_TITLE) }]));
  const figures = panel.figures(view, present, { histograms: sizes.histograms });
  const titles = {
    // the key above says which curve is train (solid) and which validation (dashed)
    loss: `Loss${view.scale.log ? " (log scale)" : ""}`,
    accuracy: "Accuracy",
    decision: "Decision surface ◆",
    slice: "Loss along a random direction, J(θ + a·θ₁)",
    histograms: `Activations per hidden layer at epoch ${view.epoch} ◆`,
    gradients: "Gradient norm per layer ‖∂L/∂W‖ ◆",
  };
  const pieces = await Promise.all(Object.entries(places).map(async ([name, place]) => {
    const { width, height } = sizes[name];
    const svg = await figureSvg(figures[name], width, height);
    const nested = svg.replace(/^<\?xml[^>]*>\s*/, "").replace("<svg", `<svg x="${place.x}" y="${place.y + PANEL_TITLE}"`);
    const [title, size] = fitTitle(titles[name], place.width - 12);
    return `<rect x="${place.x - 8}" y="${place.y - 4}" width="${place.width + 16}" height="${place.height + 8}" rx="10" `
      + `fill="#ffffff" stroke="#dcdcdc"/>`
      + `<text x="${place.x + 6}" y="${place.y + 24}" font-size="${size}" font-weight="700" class="panel-title" `
      + `data-slot="${name}" data-room="${Math.round(place.width - 12)}">${xml(title)}</text>${nested}`;
  }));
  const headerLines = [...common, ...selected].map((line, i) => `<text x="${PAD + 270}" y="${PAD + 24 + i * LINE}" `
    + `font-size="16" fill="#5f6368" class="header-line">${xml(line)}</text>`).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${SLIDE.width}" `
    + `height="${SLIDE.height}" viewBox="0 0 ${SLIDE.width} ${SLIDE.height}" font-family="${FONT}" fill="#1d1d1f">`
    + `<rect width="100%" height="100%" fill="#fbfbfa"/>`
    + `<text x="${PAD}" y="${PAD + 26}" font-size="30" font-weight="700">MLP comparison</text>`
    + headerLines + keyMarkup(view.runs, header + 30) + pieces.join("") + "</svg>";
}

function svgToPng(svg) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
    image.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = SLIDE.width;
      canvas.height = SLIDE.height;
      canvas.getContext("2d").drawImage(image, 0, 0);
      URL.revokeObjectURL(url);
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("the browser could not encode the PNG"))), "image/png");
    };
    image.onerror = () => { URL.revokeObjectURL(url); reject(new Error("the dashboard image could not be drawn")); };
    image.src = url;
  });
}

export async function exportDashboard(panel, format, name) {
  const svg = await dashboardSvg(panel);
  if (format === "svg") return download(svg, `${name}.svg`, "image/svg+xml");
  return download(await svgToPng(svg), `${name}.png`, "image/png");
}
