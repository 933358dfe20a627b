// The scene as one table of properties, serialized to and from the URL (seed included),
// so a shared link reproduces the exact scene. Parsing is defensive: unknown keys are
// ignored, bad values fall back to defaults, nothing is evaluated or injected as HTML.

import { readMlpQuery, writeMlpQuery } from "./mlp-state.js";

export const DEFAULT_RUNS = ["sgd", "momentum", "adam"];

export function defaultState() {
  return {
    surface: "canyon",
    surfaceParams: {},      // name -> number, only values that differ from the surface's defaults
    start: null,            // [x, y] or null for the surface's default start
    steps: 300,
    noise: 0,
    seed: 0,
    batch: null,            // mini-batch size on linear_regression, null = full batch
    clip: null,             // gradient-norm clip, null = off
    schedule: null,         // {name, params}
    enabled: [...DEFAULT_RUNS],
    params: {},             // optimizer -> {hyperparameter: value}, overrides of the defaults
    sweep: null,            // {optimizer, lrs: [..]}
    view: "contour",        // "contour" | "3d"
    logLoss: false,
    arrows: true,
    present: false,
    controls: true,
    speed: 1,
    frame: null,            // null = follow the end of the paths
    tab: "paths",           // "paths" | "mlp"
    mlp: null,              // {config, runs, selected, logLoss, epoch}, once the MLP options are known
    lesson: null,           // the id of the lesson this scene belongs to (lessons.js), or null
  };
}

// The MLP options (their configuration schema) once known: the MLP part of a link is written
// as differences from the schema's defaults (mlp-state.js).
let mlpOptions = null;

// Playback speeds as multiples of 60 steps/s; the slowest is one step per second, to narrate.
export const SPEEDS = [1 / 60, 0.05, 0.25, 0.5, 1, 2, 4, 8];

// A link is data from anywhere: names are looked up in own properties only (never "constructor"
// or "__proto__" from a prototype), and every piece that cannot be read is reported.
export function own(table, key) {
  return table && typeof key === "string" && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

// [low, high] of a trajectory request field, from the server's limits (meta.limits).
function bounds(meta, field) {
  const limit = own(meta.limits || {}, field);
  return limit ? [limit.minimum, limit.maximum] : [-Infinity, Infinity];
}

export function finite(text) {
  if (typeof text !== "string" || !/^[-+0-9.eE]+$/.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

function inRange(value, [low, high]) {
  return value !== null && value >= low && value <= high ? value : null;
}

function formatNumber(value) {
  return String(Number(value.toPrecision(6)));
}

export function encodeValue(value) {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "1" : "0";
  if (Array.isArray(value)) return value.map(formatNumber).join("|");
  return formatNumber(value);
}

function encodeParams(params) {
  return Object.entries(params).map(([key, value]) => `${key}:${encodeValue(value)}`).join(",");
}

// Parse "k:v,k:v" against a hyperparameter schema; entries that do not fit are dropped.
export function parseParams(text, schema, notices = [], where = "") {
  const out = {};
  if (!text) return out;
  const byName = new Map(schema.map((h) => [h.name, h]));
  for (const item of text.split(",")) {
    if (!item) continue;
    const [key, raw] = item.split(":");
    const spec = byName.get(key);
    const value = spec && raw !== undefined ? parseValue(raw, spec) : null;
    if (value === null) notices.push(`${where}${item}`);
    else out[key] = value;
  }
  return out;
}

// Whether a number is allowed by a hyperparameter schema from the API.
export function inSchemaRange(spec, value) {
  if (!Number.isFinite(value) || value < spec.minimum) return false;
  if (spec.maximum_exclusive ? value >= spec.maximum : value > spec.maximum) return false;
  return spec.kind !== "int" || Number.isInteger(value);
}

export function parseValue(raw, spec) {
  if (spec.kind === "bool") return raw === "1" ? true : raw === "0" ? false : null;
  const check = (text) => {
    const value = finite(text);
    return value !== null && inSchemaRange(spec, value) ? value : null;
  };
  if (spec.kind === "pair") {
    const parts = String(raw).split("|").map(check);
    return parts.length === 2 && parts.every((v) => v !== null) ? parts : null;
  }
  return check(String(raw));
}

export function toQuery(state) {
  const q = new URLSearchParams();
  q.set("surface", state.surface);
  if (Object.keys(state.surfaceParams).length) q.set("sp", encodeParams(state.surfaceParams));
  if (state.start) q.set("start", state.start.map(formatNumber).join(","));
  q.set("steps", state.steps);
  if (state.noise) q.set("noise", formatNumber(state.noise));
  q.set("seed", state.seed);
  if (state.batch) q.set("batch", state.batch);
  if (state.clip) q.set("clip", formatNumber(state.clip));
  if (state.schedule) q.set("sched", `${state.schedule.name};${encodeParams(state.schedule.params)}`);
  for (const name of state.enabled) q.append("run", `${name};${encodeParams(state.params[name] || {})}`);
  if (!state.enabled.length) q.set("run", "none");
  if (state.sweep) q.set("sweep", `${state.sweep.optimizer};${state.sweep.lrs.map(formatNumber).join("|")}`);
  if (state.view !== "contour") q.set("view", state.view);
  if (state.logLoss) q.set("logy", "1");
  if (!state.arrows) q.set("arrows", "0");
  if (state.present) q.set("present", "1");
  if (!state.controls) q.set("controls", "0");
  if (state.speed !== 1) q.set("speed", formatNumber(state.speed));
  if (state.frame !== null) q.set("frame", state.frame);
  if (state.tab === "mlp") q.set("tab", "mlp");
  if (state.mlp && mlpOptions) writeMlpQuery(q, state.mlp, mlpOptions);
  if (state.lesson) q.set("lesson", state.lesson);
  return readable(q.toString());
}

// meta: {surfaces, optimizers, schedules} keyed by name, limits, mlp. What cannot be read is
// left at its default and described in `notices` (the page shows them).
export function fromQuery(search, meta, notices = []) {
  const q = new URLSearchParams(search);
  const state = defaultState();
  const given = (key) => q.has(key) && q.get(key) !== "";
  const number = (key, field, integer = false) => {
    if (!given(key)) return null;
    const value = inRange(finite(q.get(key)), bounds(meta, field));
    if (value === null || (integer && !Number.isInteger(value))) { notices.push(`${key}=${q.get(key)}`); return null; }
    return value;
  };
  const surface = own(meta.surfaces, q.get("surface"));
  if (surface) state.surface = surface.name;
  else if (given("surface")) notices.push(`surface=${q.get("surface")}`);
  const surfaceMeta = own(meta.surfaces, state.surface);
  state.surfaceParams = parseParams(q.get("sp"), surfaceMeta.parameters, notices, "sp ");
  if (given("start")) {
    const start = q.get("start").split(",").map(finite);
    if (start.length === 2 && start.every((v) => v !== null && Math.abs(v) <= 1e6)) state.start = start;
    else notices.push(`start=${q.get("start")}`);
  }
  state.steps = number("steps", "steps", true) ?? state.steps;
  state.noise = number("noise", "noise") ?? state.noise;
  state.seed = number("seed", "seed", true) ?? state.seed;
  state.batch = number("batch", "batch_size", true);
  state.clip = number("clip", "clip_norm");
  if (given("sched")) {
    const [name, params] = q.get("sched").split(";");
    const spec = own(meta.schedules, name);
    if (spec) state.schedule = { name, params: parseParams(params, spec.hyperparameters, notices, `${name} `) };
    else notices.push(`sched=${q.get("sched")}`);
  }
  const runs = q.getAll("run");
  if (runs.length) {
    state.enabled = [];
    for (const item of runs) {
      const [name, params] = item.split(";");
      const spec = own(meta.optimizers, name);
      if (!spec || state.enabled.includes(name)) {
        if (name !== "none") notices.push(`run=${item}`);
        continue;
      }
      state.enabled.push(name);
      state.params[name] = parseParams(params, spec.hyperparameters, notices, `${name} `);
    }
    // Runs that all failed to read leave the default runs; "run=none" means none on purpose.
    if (!state.enabled.length && !runs.includes("none")) state.enabled = [...DEFAULT_RUNS];
  }
  if (given("sweep")) {
    const [name, rates] = q.get("sweep").split(";");
    const spec = own(meta.optimizers, name);
    const lrSpec = spec?.hyperparameters.find((h) => h.name === "lr");
    const lrs = lrSpec && rates ? rates.split("|").map((v) => parseValue(v, lrSpec)).filter((v) => v !== null).slice(0, 6) : [];
    if (lrs.length) state.sweep = { optimizer: name, lrs };
    else notices.push(`sweep=${q.get("sweep")}`);
  }
  if (q.get("view") === "3d") state.view = "3d";
  state.logLoss = q.get("logy") === "1";
  state.arrows = q.get("arrows") !== "0";
  state.present = q.get("present") === "1";
  state.controls = q.get("controls") !== "0";
  const speed = finite(q.get("speed"));
  const known = SPEEDS.find((s) => speed !== null && Math.abs(s - speed) <= 1e-4 * s);
  if (known) state.speed = known;
  const frame = inRange(finite(q.get("frame")), [0, bounds(meta, "steps")[1]]);
  if (frame !== null && Number.isInteger(frame)) state.frame = frame;
  if (q.get("tab") === "mlp") state.tab = "mlp";
  if (/^[a-z0-9-]{1,64}$/.test(q.get("lesson") || "")) state.lesson = q.get("lesson");
  if (meta.mlp) {
    mlpOptions = meta.mlp;
    for (const text of [q.get("m") || "", ...q.getAll("mrun")]) {
      for (const item of text.split(",")) {
        if (item.startsWith("label:")) {
          try { decodeURIComponent(item.slice(6)); } catch (_) { notices.push(`label ${item.slice(6)}`); }
        }
      }
    }
    state.mlp = readMlpQuery(q, meta.mlp, meta.optimizers, meta.schedules);
  }
  return state;
}

// URLSearchParams escapes the separators we use; links stay readable with them left as is.
function readable(query) {
  return query.replace(/%3A/gi, ":").replace(/%3B/gi, ";").replace(/%2C/gi, ",").replace(/%7C/gi, "|");
}

export function writeUrl(state) {
  history.replaceState(null, "", `${location.pathname}?${toQuery(state)}`);
  // Every change of the scene passes here: the lesson panel listens to notice "modified".
  document.dispatchEvent(new CustomEvent("optviz:state"));
}
