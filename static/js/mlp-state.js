// The MLP panel's part of the scene in the URL, generated from the configuration schema that
// GET /api/mlp/options serves (every field's kind, default, bounds and allowed values): no field
// name or bound is written here. A configuration is written as its differences from the defaults:
// "activation:relu,init:he_normal,hidden:64|64,p.lr:0.05,sched:step,s.drop:0.5" — the format
// of optviz 0.1.0, so old links keep opening the same comparison.
import { encodeValue, finite, inSchemaRange, own, parseValue } from "./linkvalues.js";

// The configuration every field's default describes.
export function schemaDefaults(schema) {
  return Object.fromEntries(schema.map((field) => [field.name, structuredClone(field.default)]));
}

// Whether a value is allowed by a field of the schema (hyperparameters and schedules are checked
// against their own schemas when decoded).
export function fieldAccepts(field, value) {
  if (value === null) return field.nullable;
  if (field.kind === "choice") return field.allowed.includes(value);
  if (field.kind === "bool") return typeof value === "boolean";
  if (field.kind === "int" || field.kind === "float") return typeof value === "number" && inSchemaRange(field, value);
  if (field.kind === "units") {
    return Array.isArray(value) && value.length <= field.max_length
      && value.every((units) => Number.isInteger(units) && units >= field.minimum && units <= field.maximum);
  }
  if (field.kind === "text") return typeof value === "string" && value.length <= field.max_length;
  return true;
}

const ENCODERS = {
  choice: (field, value) => [[field.name, value]],
  bool: (field, value) => [[field.name, encodeValue(value)]],
  int: (field, value) => [[field.name, encodeValue(value)]],
  float: (field, value) => [[field.name, encodeValue(value)]],
  units: (field, value) => [[field.name, value.join("|") || "none"]],
  text: (field, value) => [[field.name, encodeURIComponent(value).replace(/[,:]/g, "")]],
  hyperparameters: (field, value) => Object.entries(value).map(([key, v]) => [`p.${key}`, encodeValue(v)]),
  schedule: (field, value) => [["sched", value.name],
                               ...Object.entries(value.params || {}).map(([key, v]) => [`s.${key}`, encodeValue(v)])],
};

export const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

export function encodeMlpConfig(config, schema) {
  const parts = [];
  for (const field of schema) {
    const value = config[field.name];
    if (value === null || value === undefined) continue;
    // An optimizer's hyperparameters are written with it (they belong to the optimizer written
    // beside them); the default optimizer's default values are left out, as every default is.
    const owner = field.of && schema.find((f) => f.name === field.of);
    if (same(value, field.default) && (!owner || same(config[owner.name], owner.default))) continue;
    for (const [key, text] of ENCODERS[field.kind](field, value)) parts.push(`${key}:${text}`);
  }
  return parts.join(",");
}

// A field's value from its link text, or undefined when the text does not fit the schema.
function decodeField(field, raw) {
  let value;
  if (field.kind === "choice") value = raw;
  else if (field.kind === "bool") value = raw === "1" ? true : raw === "0" ? false : undefined;
  else if (field.kind === "int" || field.kind === "float") value = finite(raw);
  else if (field.kind === "units") value = raw === "none" ? [] : raw.split("|").map(finite);
  else if (field.kind === "text") {
    try { value = decodeURIComponent(raw).slice(0, field.max_length) || null; } catch (_) { value = undefined; }
  }
  return value !== undefined && fieldAccepts(field, value) ? value : undefined;
}

function checkedParams(raw, specs) {
  const out = {};
  for (const [key, text] of Object.entries(raw)) {
    const spec = specs.find((h) => h.name === key);
    const value = spec ? parseValue(text, spec) : null;
    if (value !== null) out[key] = value;
  }
  return out;
}

// Parse a configuration; entries that do not fit the schema are dropped (their defaults stay).
export function decodeMlpConfig(text, schema, optimizers, schedules) {
  const config = schemaDefaults(schema);
  const byName = Object.fromEntries(schema.map((field) => [field.name, field]));
  const paramsField = schema.find((field) => field.kind === "hyperparameters");
  const scheduleField = schema.find((field) => field.kind === "schedule");
  const rawParams = {};
  const rawSchedule = {};
  let scheduleName = null;
  for (const item of (text || "").split(",")) {
    const cut = item.indexOf(":");
    if (cut < 0) continue;
    const key = item.slice(0, cut);
    const raw = item.slice(cut + 1);
    if (key.startsWith("p.")) rawParams[key.slice(2)] = raw;
    else if (key.startsWith("s.")) rawSchedule[key.slice(2)] = raw;
    else if (key === "sched") scheduleName = raw;
    else if (own(byName, key) && own(ENCODERS, byName[key].kind)) {
      const value = decodeField(byName[key], raw);
      if (value !== undefined) config[key] = value;
    }
  }
  if (paramsField) {
    // Hyperparameters are checked against the chosen optimizer's schema; without any that fit,
    // the configuration keeps the default ones.
    // A hyperparameter that is also a field of the configuration (the one weight decay) is set
    // there; the default hyperparameters keep only those the chosen optimizer has.
    const of = paramsField.of && byName[paramsField.of];
    const specs = ((of ? optimizers[config[of.name]]?.hyperparameters : null) || []).filter((h) => !byName[h.name]);
    const params = checkedParams(rawParams, specs);
    const fallback = Object.fromEntries(Object.entries(paramsField.default).filter(([key]) => specs.some((h) => h.name === key)));
    config[paramsField.name] = Object.keys(params).length ? params : fallback;
  }
  if (scheduleField && own(schedules, scheduleName)) {
    config[scheduleField.name] = { name: scheduleName,
                                   params: checkedParams(rawSchedule, schedules[scheduleName].hyperparameters) };
  }
  return config;
}

// The panel's state in the query: the form's configuration (m), the comparison (mrun, one per
// configuration), the run whose histograms show (msel), the epoch they show (mepoch; absent: the
// last) and the loss axis's scale (mlogy: 1 log, 0 linear, absent: automatic).
export const MLP_KEYS = ["m", "mrun", "msel", "mepoch", "mlogy"];
export const MLP_SELECTION_KEY = "msel";  // which run is shown: presentation, not the comparison
// How the comparison is shown, not which comparison it is (a lesson stays unmodified by them).
export const MLP_PRESENTATION_KEYS = [MLP_SELECTION_KEY, "mepoch"];

export function writeMlpQuery(query, mlp, options) {
  const config = encodeMlpConfig(mlp.config, options.schema);
  if (config) query.set("m", config);
  for (const run of mlp.runs) query.append("mrun", encodeMlpConfig(run, options.schema) || "default");
  if (mlp.selected) query.set("msel", mlp.selected);
  if (Number.isInteger(mlp.epoch)) query.set("mepoch", mlp.epoch);
  if (mlp.logLoss === true || mlp.logLoss === false) query.set("mlogy", mlp.logLoss ? "1" : "0");
}

export function defaultMlpState(options) {
  return { config: schemaDefaults(options.schema), runs: [], selected: 0, logLoss: null, epoch: null };
}

export function readMlpQuery(query, options, optimizers, schedules) {
  const decode = (text) => decodeMlpConfig(text, options.schema, optimizers, schedules);
  const mlp = defaultMlpState(options);
  if (query.get("m")) mlp.config = decode(query.get("m"));
  mlp.runs = query.getAll("mrun").slice(0, options.max_configs).map((text) => decode(text === "default" ? "" : text));
  const selected = finite(query.get("msel"));
  if (Number.isInteger(selected) && selected >= 0 && selected < mlp.runs.length) mlp.selected = selected;
  mlp.logLoss = { 1: true, 0: false }[query.get("mlogy")] ?? null;
  const epoch = finite(query.get("mepoch"));
  if (Number.isInteger(epoch) && epoch >= 0) mlp.epoch = epoch;
  return mlp;
}
