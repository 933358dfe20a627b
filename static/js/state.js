// The scene as one table of properties (PROPS), serialized to and from the URL (seed included),
// so a shared link reproduces the exact scene. Each property says once which link key holds it,
// what it means when the link is silent (the server's default scene, GET /api/limits), how its
// text is read and written, and which group it belongs to. Parsing is defensive: unknown keys
// are ignored, a value that cannot be read keeps its default and is reported as a notice,
// nothing is evaluated or injected as HTML.

import { encodeParams, encodeValue, finite, formatNumber, own, parseParams, parseValue } from "./linkvalues.js";
import { MLP_KEYS, defaultMlpState, readMlpQuery, writeMlpQuery } from "./mlp-state.js";
import { readOwnSurface, typedSurfaceName, writeOwnSurface } from "./ownsurface.js";

// Playback speeds as multiples of 60 steps/s; the slowest is one step per second, to narrate.
export const SPEEDS = [1 / 60, 0.05, 0.25, 0.5, 1, 2, 4, 8];
// Step marks on the paths: every k steps (0 = none), to count steps on a slide.
export const MARK_EVERY = [0, 1, 5, 10, 25, 50];

const MAX_START = 1e6;  // |x|, |y| of a start read from a link; the API bounds it by the plot
const MAX_SWEEP = 6;    // learning rates in one sweep, as the sweep control offers

// [low, high] of a trajectory request field, from the server's limits (meta.limits).
function bounds(meta, field) {
  const limit = own(meta.limits || {}, field);
  return limit ? [limit.minimum, limit.maximum] : [-Infinity, Infinity];
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// ---- codecs: read(text, ctx) -> value, or undefined when the text cannot be read;
//      write(value, ctx) -> text, or null to leave the key out. ctx = {meta, state, notices}.

// A request field's number, within the server's bounds for it.
const number = (field, integer = false) => ({
  read(text, { meta }) {
    const value = finite(text);
    const [low, high] = bounds(meta, field);
    return value !== null && value >= low && value <= high && (!integer || Number.isInteger(value)) ? value : undefined;
  },
  write: (value) => (value === null ? null : integer ? String(value) : formatNumber(value)),
});

const flag = {
  read: (text) => (text === "1" ? true : text === "0" ? false : undefined),
  write: (value) => encodeValue(value),
};

const oneOf = (values) => ({ read: (text) => values.find((v) => String(v) === text), write: String });

const start = {
  read(text) {
    const point = text.split(",").map(finite);
    return point.length === 2 && point.every((v) => v !== null && Math.abs(v) <= MAX_START) ? point : undefined;
  },
  write: (value) => value && value.map(formatNumber).join(","),
};

const surfaceParams = {
  read: (text, { meta, state, notices }) => parseParams(text, own(meta.surfaces, state.surface)?.parameters || [],
                                                       notices, "sp "),
  write: (value) => (Object.keys(value).length ? encodeParams(value) : null),
};

const schedule = {
  read(text, { meta, notices }) {
    const [name, params] = text.split(";");
    const spec = own(meta.schedules, name);
    return spec ? { name, params: parseParams(params, spec.hyperparameters, notices, `${name} `) } : undefined;
  },
  write: (value) => value && `${value.name};${encodeParams(value.params)}`,
};

const sweep = {
  read(text, { meta }) {
    const [name, rates] = text.split(";");
    const lrSpec = own(meta.optimizers, name)?.hyperparameters.find((h) => h.name === "lr");
    const lrs = lrSpec && rates ? rates.split("|").map((v) => parseValue(v, lrSpec)).filter((v) => v !== null).slice(0, MAX_SWEEP) : [];
    return lrs.length ? { optimizer: name, lrs } : undefined;
  },
  write: (value) => value && `${value.optimizer};${value.lrs.map(formatNumber).join("|")}`,
};

// A step index: 0 (the start) up to the longest run the server allows.
const frameIndex = {
  read(text, { meta }) {
    const value = finite(text);
    return value !== null && Number.isInteger(value) && value >= 0 && value <= bounds(meta, "steps")[1] ? value : undefined;
  },
  write: String,
};

const lessonId = { read: (text) => (/^[a-z0-9-]{1,64}$/.test(text) ? text : undefined), write: String };

// ---- properties

// One link key holding one state field. `initial(meta)` is the field's value where the link is
// silent; a value equal to it is not written unless `always` (a link then names its surface,
// steps and seed even when they are the defaults, so it reads on its own).
function scalar(key, field, group, codec, initial, always = false) {
  return {
    key, group, fields: [field], keys: [key],
    initial: (meta) => ({ [field]: initial(meta) }),
    read(q, ctx) {
      const text = q.get(key);
      if (text === null || text === "") return;
      const value = codec.read(text, ctx);
      if (value === undefined) ctx.notices.push(`${key}=${text}`);
      else ctx.state[field] = value;
    },
    write(q, ctx) {
      const value = ctx.state[field];
      if (!always && same(value, initial(ctx.meta))) return;
      const text = codec.write(value, ctx);
      if (text !== null && text !== undefined) q.set(key, text);
    },
  };
}

// The compared runs, one `run` key each: "name;k:v,k:v" (the optimizer and its hyperparameters
// that differ from the defaults). No run key means the default runs; "run=none" means none.
const runs = {
  key: "run", group: "scene", fields: ["enabled", "params"], keys: ["run"],
  initial: (meta) => ({ enabled: [...meta.defaults.runs], params: {} }),
  read(q, { meta, state, notices }) {
    const items = q.getAll("run");
    if (!items.length) return;
    state.enabled = [];
    for (const item of items) {
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
    if (!state.enabled.length && !items.includes("none")) state.enabled = [...meta.defaults.runs];
  },
  write(q, { state }) {
    for (const name of state.enabled) q.append("run", `${name};${encodeParams(state.params[name] || {})}`);
    if (!state.enabled.length) q.set("run", "none");
  },
};

// A typed formula and its plot, and your own rows on a surface with data (ownsurface.js).
const ownSurface = {
  key: "formula", group: "scene", fields: ["formula", "domain", "data"], keys: ["formula", "domain", "data"],
  initial: () => ({ formula: null, domain: null, data: null }),
  read: (q, { meta, state, notices }) => readOwnSurface(q, meta, state, notices),
  write: (q, { state }) => writeOwnSurface(q, state),
};

// The MLP tab's part (mlp-state.js, generated from the served configuration schema).
const mlp = {
  key: "m", group: "mlp", fields: ["mlp"], keys: MLP_KEYS,
  initial: (meta) => ({ mlp: meta.mlp ? defaultMlpState(meta.mlp) : null }),
  read(q, { meta, state, notices }) {
    if (!meta.mlp) return;
    for (const text of [q.get("m") || "", ...q.getAll("mrun")]) {
      for (const item of text.split(",")) {
        if (!item.startsWith("label:")) continue;
        try { decodeURIComponent(item.slice(6)); } catch (_) { notices.push(`label ${item.slice(6)}`); }
      }
    }
    state.mlp = readMlpQuery(q, meta.mlp, meta.optimizers, meta.schedules);
  },
  write(q, { meta, state }) {
    if (state.mlp && meta.mlp) writeMlpQuery(q, state.mlp, meta.mlp);
  },
};

// Read in this order (sp is read against the surface read before it) and written in it.
// Groups: "scene" is what is computed; "display" how it is drawn; "presentation" how the page
// is shown (never part of a lesson's scene or of undo); "mlp" the MLP tab.
const PROPS = [
  scalar("surface", "surface", "scene",
         { read: (text, { meta }) => own(meta.surfaces, text)?.name ?? typedSurfaceName(meta, text), write: String },
         (meta) => meta.defaults.surface, true),
  scalar("sp", "surfaceParams", "scene", surfaceParams, () => ({})),       // only values that differ from the surface's
  ownSurface,
  scalar("start", "start", "scene", start, () => null),                   // null: the surface's own start
  scalar("steps", "steps", "scene", number("steps", true), (meta) => meta.defaults.steps, true),
  scalar("noise", "noise", "scene", number("noise"), (meta) => meta.defaults.noise),
  scalar("seed", "seed", "scene", number("seed", true), (meta) => meta.defaults.seed, true),
  scalar("batch", "batch", "scene", number("batch_size", true), () => null),  // null: the full batch
  scalar("clip", "clip", "scene", number("clip_norm"), () => null),          // null: no clipping
  scalar("sched", "schedule", "scene", schedule, () => null),
  runs,
  scalar("sweep", "sweep", "scene", sweep, () => null),
  scalar("view", "view", "display", oneOf(["contour", "3d"]), () => "contour"),
  scalar("logy", "logLoss", "display", flag, () => false),
  scalar("arrows", "arrows", "display", flag, () => true),
  scalar("marks", "marks", "display", oneOf(MARK_EVERY), () => 0),         // a dot every k steps on each path
  scalar("present", "present", "presentation", flag, () => false),
  scalar("controls", "controls", "presentation", flag, () => true),
  scalar("speed", "speed", "presentation",
         { read: (text) => SPEEDS.find((s) => Math.abs(s - finite(text)) <= 1e-4 * s), write: formatNumber }, () => 1),
  scalar("frame", "frame", "presentation", frameIndex, () => null),  // null: follow the paths' end
  scalar("tab", "tab", "presentation", oneOf(["paths", "mlp"]), () => "paths"),
  mlp,
  scalar("lesson", "lesson", "presentation", lessonId, () => null),         // the lesson this scene belongs to
];

// The link keys and state fields of some groups.
export const keysIn = (...groups) => PROPS.filter((p) => groups.includes(p.group)).flatMap((p) => p.keys);
export const fieldsIn = (...groups) => PROPS.filter((p) => groups.includes(p.group)).flatMap((p) => p.fields);

// meta: {surfaces, optimizers, schedules} keyed by name, limits, mlp, and defaults (the server's
// default scene).
export function defaultState(meta) {
  return Object.assign({}, ...PROPS.map((prop) => prop.initial(meta)));
}

export function toQuery(state, meta) {
  const q = new URLSearchParams();
  for (const prop of PROPS) prop.write(q, { meta, state });
  return readable(q.toString());
}

// What cannot be read is left at its default and described in `notices` (the page shows them).
export function fromQuery(search, meta, notices = []) {
  const q = new URLSearchParams(search);
  const state = defaultState(meta);
  for (const prop of PROPS) prop.read(q, { meta, state, notices });
  return state;
}

// URLSearchParams escapes the separators we use; links stay readable with them left as is.
function readable(query) {
  return query.replace(/%3A/gi, ":").replace(/%3B/gi, ";").replace(/%2C/gi, ",").replace(/%7C/gi, "|");
}

export function writeUrl(state, meta) {
  history.replaceState(null, "", `${location.pathname}?${toQuery(state, meta)}`);
  // Every change of the scene passes here: the lesson panel listens to notice "modified".
  document.dispatchEvent(new CustomEvent("optviz:state"));
}
