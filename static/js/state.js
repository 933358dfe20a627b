// The scene as one table of properties, serialized to and from the URL (seed included),
// so a shared link reproduces the exact scene. Parsing is defensive: unknown keys are
// ignored, bad values fall back to defaults, nothing is evaluated or injected as HTML.

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

let mlpDefaults = null;

export function defaultMlpState(defaults) {
  mlpDefaults = defaults;
  return { config: structuredClone(defaults), runs: [], selected: 0, logLoss: false, epoch: null };
}

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
  if (state.mlp && mlpDefaults) {
    const config = encodeMlpConfig(state.mlp.config, mlpDefaults);
    if (config) q.set("m", config);
    for (const run of state.mlp.runs) q.append("mrun", encodeMlpConfig(run, mlpDefaults) || "default");
    if (state.mlp.selected) q.set("msel", state.mlp.selected);
    if (state.mlp.logLoss) q.set("mlogy", "1");
  }
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
    const { defaults, choices } = meta.mlp;
    const decode = (text) => decodeMlpConfig(text, defaults, choices, meta.optimizers, meta.schedules);
    state.mlp = defaultMlpState(defaults);
    if (q.get("m")) state.mlp.config = decode(q.get("m"));
    state.mlp.runs = q.getAll("mrun").slice(0, 6).map((text) => decode(text === "default" ? "" : text));
    const selected = finite(q.get("msel"));
    if (Number.isInteger(selected) && selected >= 0 && selected < state.mlp.runs.length) state.mlp.selected = selected;
    state.mlp.logLoss = q.get("mlogy") === "1";
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

// ---- The MLP panel's part of the scene -------------------------------------------------
// A configuration is written as its differences from the defaults: "activation:relu,init:he_normal,
// hidden:64|64,p.lr:0.05,sched:step,s.drop:0.5". `choices` lists the valid names per field.

const MLP_NUMBERS = {
  classes: [2, 8, true], samples: [20, 5000, true], noise: [0, 1, false], dropout: [0, 0.9, false],
  weight_decay: [0, 1, false], batch_size: [1, 5000, true], epochs: [1, 2000, true], seed: [0, 4294967295, true],
  patience: [1, 2000, true],
};
const MLP_FLAGS = ["standardize", "batchnorm"];
const MLP_NAMES = ["dataset", "activation", "init", "optimizer", "loss"];

export function encodeMlpConfig(config, defaults) {
  const parts = [];
  for (const key of [...MLP_NAMES, ...MLP_FLAGS, ...Object.keys(MLP_NUMBERS)]) {
    if (config[key] !== defaults[key] && config[key] !== null && config[key] !== undefined) {
      parts.push(`${key}:${encodeValue(config[key])}`);
    }
  }
  if (config.hidden.join("|") !== defaults.hidden.join("|")) parts.push(`hidden:${config.hidden.join("|") || "none"}`);
  for (const [key, value] of Object.entries(config.params)) parts.push(`p.${key}:${encodeValue(value)}`);
  if (config.schedule) {
    parts.push(`sched:${config.schedule.name}`);
    for (const [key, value] of Object.entries(config.schedule.params || {})) parts.push(`s.${key}:${encodeValue(value)}`);
  }
  if (config.label) parts.push(`label:${encodeURIComponent(config.label).replace(/[,:]/g, "")}`);
  return parts.join(",");
}

export function decodeMlpConfig(text, defaults, choices, optimizerSchemas, scheduleSchemas) {
  const config = { ...structuredClone(defaults), params: {} };
  const scheduleParams = {};
  let customParams = false;
  for (const item of (text || "").split(",")) {
    const cut = item.indexOf(":");
    if (cut < 0) continue;
    const key = item.slice(0, cut);
    const raw = item.slice(cut + 1);
    if (MLP_NAMES.includes(key) && choices[key]?.includes(raw)) config[key] = raw;
    else if (MLP_FLAGS.includes(key) && (raw === "1" || raw === "0")) config[key] = raw === "1";
    else if (key in MLP_NUMBERS) {
      const [low, high, integer] = MLP_NUMBERS[key];
      const value = finite(raw);
      if (value !== null && value >= low && value <= high && (!integer || Number.isInteger(value))) config[key] = value;
    } else if (key === "hidden") {
      const units = raw === "none" ? [] : raw.split("|").map(finite);
      if (units.length <= 10 && units.every((u) => Number.isInteger(u) && u >= 1 && u <= 256)) config.hidden = units;
    } else if (key.startsWith("p.")) {
      config.params[key.slice(2)] = raw;
      customParams = true;
    } else if (key === "sched" && scheduleSchemas[raw]) {
      config.schedule = { name: raw, params: {} };
    } else if (key.startsWith("s.")) {
      scheduleParams[key.slice(2)] = raw;
    } else if (key === "label") {
      config.label = decodeURIComponent(raw).slice(0, 80) || null;
    }
  }
  // Hyperparameters are checked against the chosen optimizer's schema; bad ones are dropped.
  const schema = optimizerSchemas[config.optimizer]?.hyperparameters || [];
  const params = {};
  for (const [key, raw] of Object.entries(config.params)) {
    const spec = schema.find((h) => h.name === key);
    const value = spec ? parseValue(raw, spec) : null;
    if (value !== null) params[key] = value;
  }
  config.params = customParams && Object.keys(params).length ? params : { ...defaults.params };
  if (config.schedule) {
    const specs = scheduleSchemas[config.schedule.name].hyperparameters;
    for (const [key, raw] of Object.entries(scheduleParams)) {
      const spec = specs.find((h) => h.name === key);
      const value = spec ? parseValue(raw, spec) : null;
      if (value !== null) config.schedule.params[key] = value;
    }
  }
  return config;
}
