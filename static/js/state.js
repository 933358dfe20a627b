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

const LIMITS = { steps: [1, 5000], noise: [0, 100], seed: [0, 4294967295], batch: [1, 1000], clip: [1e-6, 1e6] };
const SPEEDS = [0.25, 0.5, 1, 2, 4, 8];

function finite(text) {
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

function encodeValue(value) {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "1" : "0";
  if (Array.isArray(value)) return value.map(formatNumber).join("|");
  return formatNumber(value);
}

function encodeParams(params) {
  return Object.entries(params).map(([key, value]) => `${key}:${encodeValue(value)}`).join(",");
}

// Parse "k:v,k:v" against a hyperparameter schema; entries that do not fit are dropped.
export function parseParams(text, schema) {
  const out = {};
  if (!text) return out;
  const byName = Object.fromEntries(schema.map((h) => [h.name, h]));
  for (const item of text.split(",")) {
    const [key, raw] = item.split(":");
    const spec = byName[key];
    if (!spec || raw === undefined) continue;
    const value = parseValue(raw, spec);
    if (value !== null) out[key] = value;
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
  if (state.speed !== 1) q.set("speed", state.speed);
  if (state.frame !== null) q.set("frame", state.frame);
  if (state.tab === "mlp") q.set("tab", "mlp");
  if (state.mlp && mlpOptions) writeMlpQuery(q, state.mlp, mlpOptions);
  if (state.lesson) q.set("lesson", state.lesson);
  return readable(q.toString());
}

// meta: {surfaces: {name: surface}, optimizers: {name: optimizer}, schedules: {name: schedule}}
export function fromQuery(search, meta) {
  const q = new URLSearchParams(search);
  const state = defaultState();
  const surface = meta.surfaces[q.get("surface")];
  if (surface) state.surface = surface.name;
  const surfaceMeta = meta.surfaces[state.surface];
  state.surfaceParams = parseParams(q.get("sp"), surfaceMeta.parameters);
  const start = (q.get("start") || "").split(",").map(finite);
  if (start.length === 2 && start.every((v) => v !== null && Math.abs(v) <= 1e6)) state.start = start;
  state.steps = inRange(finite(q.get("steps")), LIMITS.steps) ?? state.steps;
  state.noise = inRange(finite(q.get("noise")), LIMITS.noise) ?? state.noise;
  const seed = inRange(finite(q.get("seed")), LIMITS.seed);
  if (seed !== null && Number.isInteger(seed)) state.seed = seed;
  const batch = inRange(finite(q.get("batch")), LIMITS.batch);
  if (batch !== null && Number.isInteger(batch)) state.batch = batch;
  state.clip = inRange(finite(q.get("clip")), LIMITS.clip);
  const sched = (q.get("sched") || "").split(";");
  if (meta.schedules[sched[0]]) {
    state.schedule = { name: sched[0], params: parseParams(sched[1], meta.schedules[sched[0]].hyperparameters) };
  }
  const runs = q.getAll("run");
  if (runs.length) {
    state.enabled = [];
    for (const item of runs) {
      const [name, params] = item.split(";");
      const spec = meta.optimizers[name];
      if (!spec || state.enabled.includes(name)) continue;
      state.enabled.push(name);
      state.params[name] = parseParams(params, spec.hyperparameters);
    }
  }
  const sweep = (q.get("sweep") || "").split(";");
  if (meta.optimizers[sweep[0]] && sweep[1]) {
    const lrSpec = meta.optimizers[sweep[0]].hyperparameters.find((h) => h.name === "lr");
    const lrs = sweep[1].split("|").map((v) => parseValue(v, lrSpec)).filter((v) => v !== null).slice(0, 6);
    if (lrs.length) state.sweep = { optimizer: sweep[0], lrs };
  }
  if (q.get("view") === "3d") state.view = "3d";
  state.logLoss = q.get("logy") === "1";
  state.arrows = q.get("arrows") !== "0";
  state.present = q.get("present") === "1";
  state.controls = q.get("controls") !== "0";
  const speed = finite(q.get("speed"));
  if (SPEEDS.includes(speed)) state.speed = speed;
  const frame = inRange(finite(q.get("frame")), [0, 5000]);
  if (frame !== null && Number.isInteger(frame)) state.frame = frame;
  if (q.get("tab") === "mlp") state.tab = "mlp";
  if (/^[a-z0-9-]{1,64}$/.test(q.get("lesson") || "")) state.lesson = q.get("lesson");
  if (meta.mlp) {
    mlpOptions = meta.mlp;
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
