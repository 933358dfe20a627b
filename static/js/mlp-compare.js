// What tells the configurations of a comparison apart, computed from the configuration schema:
// every field (and every optimizer or schedule hyperparameter) whose value differs among the
// runs, written with the schema's titles. No list of field names: a field added to the schema
// shows here as soon as two runs differ in it.
import { fmt } from "./controls.js";
import { choiceTitle } from "./mlp-form.js";
import { same } from "./mlp-state.js";

function units(hidden) {
  if (!hidden.length) return "no hidden layer";
  return hidden.every((u) => u === hidden[0]) ? `${hidden.length}×${hidden[0]} units` : `${hidden.join("-")} units`;
}

// One configuration as flat [key, title, value, text] entries. Hyperparameters the configuration
// leaves out take their optimizer's (or schedule's) defaults, so {lr: 0.1} and {lr: 0.1,
// momentum: 0} are the same SGD when momentum defaults to 0.
function flatten(config, schema, meta) {
  const entries = [];
  const specsOf = (registry, name) => meta[registry]?.[name]?.hyperparameters || [];
  for (const field of schema) {
    const value = config[field.name];
    if (field.kind === "text") continue;  // a label names a run; it does not describe it
    if (field.kind === "hyperparameters") {
      const of = schema.find((item) => item.name === field.of);
      // A hyperparameter that is also a field of the configuration (the one weight decay) is that field.
      for (const h of specsOf(of.registry, config[of.name]).filter((p) => !schema.some((f) => f.name === p.name))) {
        const v = value?.[h.name] ?? h.default;
        entries.push([`${field.name}.${h.name}`, h.title || h.name, v, `${h.title || h.name} ${formatValue(v)}`]);
      }
    } else if (field.kind === "schedule") {
      const spec = value && meta.schedules[value.name];
      entries.push([field.name, field.title, value?.name ?? null, spec ? spec.title : `no ${field.title}`]);
      for (const h of spec ? spec.hyperparameters.filter((p) => p.default !== null) : []) {
        const v = value.params?.[h.name] ?? h.default;
        entries.push([`${field.name}.${h.name}`, h.title || h.name, v, `${h.title || h.name} ${formatValue(v)}`]);
      }
    } else if (field.kind === "choice") {
      // A registry's names speak for themselves ("tanh", "Adam"); other values need their field's title.
      const text = choiceTitle(field, value, meta);
      entries.push([field.name, field.title, value, field.registry ? text : `${field.title}: ${text}`]);
    } else if (field.kind === "bool") {
      entries.push([field.name, field.title, value, `${field.title} ${value ? "on" : "off"}`]);
    } else if (field.kind === "units") {
      entries.push([field.name, field.title, value, units(value)]);
    } else {
      entries.push([field.name, field.title, value, value === null ? `no ${field.title}` : `${field.title} ${formatValue(value)}`]);
    }
  }
  return entries;
}

function formatValue(value) {
  if (typeof value === "boolean") return value ? "on" : "off";
  if (Array.isArray(value)) return `(${value.map((v) => fmt(v)).join(", ")})`;
  return typeof value === "number" ? fmt(value) : String(value);
}

// For each configuration, the texts of the entries that differ among all of them, in schema
// order; and the texts they all share. A hyperparameter that only some runs' optimizers have is
// told apart by the optimizer itself, so it is named only where it exists.
export function compare(configs, schema, meta) {
  const flat = configs.map((config) => flatten(config, schema, meta));
  const keys = [...new Set(flat.flatMap((entries) => entries.map(([key]) => key)))];
  const lookup = flat.map((entries) => Object.fromEntries(entries.map((entry) => [entry[0], entry])));
  const differing = keys.filter((key) => {
    const values = lookup.filter((byKey) => key in byKey).map((byKey) => byKey[key][2]);
    return values.some((value) => !same(value, values[0]));
  });
  const shared = keys.filter((key) => !differing.includes(key) && lookup.every((byKey) => key in byKey))
    .map((key) => lookup[0][key][3]);
  return {
    differing,
    shared,
    perRun: lookup.map((byKey) => differing.filter((key) => key in byKey).map((key) => byKey[key][3])),
  };
}

// Whether two configurations train the same network the same way: no field (nor hyperparameter,
// an omitted one taking its default) differs. A label names a run; it does not make it another.
export function sameConfiguration(a, b, schema, meta) {
  return compare([a, b], schema, meta).differing.length === 0;
}

// Each run's name in chips, legends and exports: the user's label, else what sets it apart. Two
// runs never share a name (two user labels may coincide): a repeated name gets its run's number.
export function runNames(configs, schema, meta, serverLabels = []) {
  const { perRun } = compare(configs, schema, meta);
  const names = configs.map((config, i) => config.label || (configs.length > 1 && perRun[i].length ? perRun[i].join(" · ")
    : serverLabels[i] || `configuration ${i + 1}`));
  return names.map((name, i) => (names.indexOf(name) === i ? name : `${name} (run ${i + 1})`));
}
