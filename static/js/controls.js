// Small DOM builders for hyperparameter controls, generated from the API's schemas.
// Text goes in through textContent only; nothing here parses HTML.
import { inSchemaRange } from "./linkvalues.js";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "style") node.setAttribute("style", value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child) node.append(child);
  return node;
}

// Replace a <select>'s options with [value, text] pairs.
export function fillSelect(select, pairs) {
  select.replaceChildren(...pairs.map(([value, text]) => el("option", { value, text: String(text) })));
}

export function fmt(value, digits = 4) {
  if (typeof value !== "number" || !Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const abs = Math.abs(value);
  return abs >= 1e4 || abs < 1e-3 ? value.toExponential(2) : String(Number(value.toPrecision(digits)));
}

const SLIDER_STEPS = 1000;

// One drag is one change of the scene (one undo step) however long it lasts and however often
// it pauses: `gesture.id` is set while a pointer holds a slider (or drags the start marker) and
// cleared when it is released. Changes outside a gesture are each their own step.
export const gesture = { id: 0, next: 1 };

export function beginGesture() {
  if (gesture.id) return;
  gesture.id = gesture.next++;
  window.addEventListener("pointerup", endGesture, { once: true });
  window.addEventListener("pointercancel", endGesture, { once: true });
}

export function endGesture() { gesture.id = 0; }

// Where a float's slider runs: its schema range, with log sliders kept off zero. A learning rate
// with a `centre` (the rate suggested for the surface on screen) runs RATE_SPAN times either side
// of it, the centre in the middle: the sweep's "too small" and "too large" rates (×0.03 to ×26)
// and divergence are on the slider, and a quarter of it is under a decade (the schema's 1e-5 to 10
// made a quarter of a projector's slider two decades, 0.018 to 1.5). Without one it stops at 10
// (beyond, every path diverges). The box still takes the whole schema range. Other log parameters
// run to their maximum (the canyon's κ to 1000, its default being 100).
const RATE_SPAN = 50;

function sliderRange(spec) {
  const isRate = spec.name === "lr";
  if (isRate && spec.centre > 0) {
    return [Math.max(spec.minimum, spec.centre / RATE_SPAN), Math.min(spec.maximum, spec.centre * RATE_SPAN)];
  }
  if (spec.log) return [Math.max(spec.minimum, isRate ? 1e-5 : 1e-12), isRate ? Math.min(spec.maximum, 10) : spec.maximum];
  return [spec.minimum, spec.maximum];
}

function toSlider(value, [low, high], log) {
  const t = log ? Math.log(value / low) / Math.log(high / low) : (value - low) / (high - low);
  return Math.round(Math.max(0, Math.min(1, t)) * SLIDER_STEPS);
}

function fromSlider(position, [low, high], log) {
  const t = position / SLIDER_STEPS;
  const value = log ? low * Math.pow(high / low, t) : low + t * (high - low);
  return Number(value.toPrecision(3));
}

// A labelled slider with a numeric box. onChange(value) fires on every move. The row's
// update(spec, value) shows a new value and limits in place (the same elements, so a drag in
// progress goes on); the slider held by the pointer keeps its own position meanwhile.
export function numberControl(spec, value, onChange, { label, id } = {}) {
  let range = sliderRange(spec);
  const name = label || spec.name;
  const slider = el("input", { type: "range", min: 0, max: SLIDER_STEPS, step: 1, value: toSlider(value, range, spec.log),
                               "aria-label": name, id, "data-param": spec.name });
  const box = el("input", { type: "number", step: "any", value: fmt(value), "aria-label": `${name} value`,
                            title: spec.meaning });
  let held = false;
  slider.addEventListener("pointerdown", () => {
    held = true;
    window.addEventListener("pointerup", () => { held = false; }, { once: true });
    window.addEventListener("pointercancel", () => { held = false; }, { once: true });
    beginGesture();
  });
  slider.addEventListener("input", () => {
    const next = fromSlider(Number(slider.value), range, spec.log);
    box.value = fmt(next);
    box.setCustomValidity("");
    onChange(next);
  });
  box.addEventListener("change", () => {
    const next = Number(box.value);
    if (!inSchemaRange(spec, next)) {
      box.setCustomValidity(`allowed: ${spec.minimum} to ${spec.maximum}`);
      box.reportValidity();
      return;
    }
    box.setCustomValidity("");
    slider.value = toSlider(next, range, spec.log);
    onChange(next);
  });
  const row = el("div", { class: "slider-row", title: spec.meaning }, el("span", { text: name }), slider, box);
  row.update = (nextSpec, next) => {
    spec = nextSpec;
    range = sliderRange(spec);
    row.title = spec.meaning || "";
    if (!held) slider.value = toSlider(next, range, spec.log);
    if (document.activeElement !== box) box.value = fmt(next);
  };
  return row;
}

export function boolControl(spec, value, onChange) {
  const box = el("input", { type: "checkbox", "data-param": spec.name });
  box.checked = Boolean(value);
  box.addEventListener("change", () => onChange(box.checked));
  const row = el("label", { class: "inline", title: spec.meaning }, box, spec.title || spec.name);
  row.update = (_, next) => { box.checked = Boolean(next); };
  return row;
}

export function intControl(spec, value, onChange, { label } = {}) {
  const box = el("input", { type: "number", min: spec.minimum, max: spec.maximum, step: 1, value,
                            "aria-label": label || spec.name, "data-param": spec.name });
  box.addEventListener("change", () => {
    const next = Number(box.value);
    if (inSchemaRange(spec, next)) { value = next; onChange(next); }
    else box.value = value;
  });
  const row = el("div", { class: "slider-row", title: spec.meaning }, el("span", { text: label || spec.name }), el("span"), box);
  row.update = (nextSpec, next) => {
    spec = nextSpec;
    Object.assign(box, { min: spec.minimum, max: spec.maximum });
    value = next;
    if (document.activeElement !== box) box.value = next;
  };
  return row;
}

// A pair (betas): a slider for β1, a numeric box for β2 (its interesting values crowd near 1).
export function pairControl(spec, value, onChange) {
  const current = [...value];
  const first = numberControl({ ...spec, name: "β1", log: false }, current[0], (v) => { current[0] = v; onChange([...current]); },
                              { label: "β1" });
  const second = intlessBox(spec, current[1], (v) => { current[1] = v; onChange([...current]); });
  return el("div", {}, first, el("div", { class: "slider-row", title: spec.meaning }, el("span", { text: "β2" }), el("span"), second));
}

function intlessBox(spec, value, onChange) {
  const box = el("input", { type: "number", step: "any", value, "aria-label": "β2 value" });
  box.addEventListener("change", () => {
    const next = Number(box.value);
    if (inSchemaRange(spec, next)) onChange(next);
    else box.value = value;
  });
  return box;
}

export function controlFor(spec, value, onChange, options) {
  if (spec.kind === "bool") return boolControl(spec, value, onChange);
  if (spec.kind === "int") return intControl(spec, value, onChange, options);
  if (spec.kind === "pair") return pairControl(spec, value, onChange);
  return numberControl(spec, value, onChange, options);
}

// Insert MathML produced by our own server from the registries' LaTeX (never user input).
export function mathBlock(mathml) {
  const holder = el("div", { class: "math" });
  holder.innerHTML = mathml;
  return holder;
}

// A formula as pieces that wrap like words, for the narrow formula areas (a surface's formula in
// a 270 px column): MathML does not break lines in Chromium, so the top-level row is cut before
// each + and − and after each , that stand outside brackets (and before a second =), and each
// piece becomes its own inline <math>. The text and its order are unchanged.
const BREAK_BEFORE = new Set(["+", "−", "-", "="]);
const BREAK_AFTER = new Set([","]);

export function breakableMath(mathml) {
  const holder = mathBlock(mathml);
  const math = holder.querySelector("math");
  const row = math && math.children.length === 1 && math.firstElementChild.localName === "mrow" ? math.firstElementChild : math;
  if (!row) return holder;
  const pieces = [[]];
  let depth = 0;
  let equals = 0;
  for (const child of [...row.children]) {
    // A closing bracket may sit inside a power, (…)², as the base of an <msup>.
    const scripted = ["msup", "msub", "msubsup"].includes(child.localName) && child.firstElementChild?.localName === "mo";
    const symbol = (child.localName === "mo" ? child : scripted ? child.firstElementChild : null)?.textContent.trim();
    const isOperator = child.localName === "mo";
    if (isOperator && depth === 0 && BREAK_BEFORE.has(symbol) && pieces.at(-1).length
        && !(symbol === "=" && equals++ === 0)) pieces.push([]);
    pieces.at(-1).push(child);
    if (symbol === "(" || symbol === "[" || symbol === "{") depth += 1;
    if (symbol === ")" || symbol === "]" || symbol === "}") depth = Math.max(0, depth - 1);
    if (isOperator && depth === 0 && BREAK_AFTER.has(symbol)) pieces.push([]);
  }
  const nonEmpty = pieces.filter((piece) => piece.length);
  if (nonEmpty.length < 2) return holder;
  const ns = "http://www.w3.org/1998/Math/MathML";
  holder.replaceChildren(...nonEmpty.map((piece) => {
    const part = document.createElementNS(ns, "math");
    part.setAttribute("class", "math-piece");
    const mrow = document.createElementNS(ns, "mrow");
    mrow.append(...piece);
    part.append(mrow);
    return part;
  }));
  return holder;
}
