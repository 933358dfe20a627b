// The MLP configuration form, generated from the configuration schema of GET /api/mlp/options:
// one control per field, by its kind, in the group the schema names, with the field's title,
// meaning and bounds. A field added to the schema appears here with no JavaScript change.
import { controlFor, el, fillSelect, mathBlock } from "./controls.js";
import { defaultsOf, hyperparameterControls } from "./widgets/optimizer.js";
import { scheduleWidget } from "./widgets/schedule.js";

// The entries describing a choice's values: the MLP's own registries are in the options answer,
// others (optimizers) in the page's metadata.
function registryOf(field, meta) {
  if (!field.registry) return null;
  const own = meta.mlp[field.registry];
  return { own: Boolean(own), entries: own || Object.values(meta[field.registry] || {}) };
}

export function choiceTitle(field, value, meta) {
  const registry = registryOf(field, meta);
  const entry = registry?.entries.find((item) => item.name === value);
  return entry?.title || field.titles?.[value] || String(value);
}

const numberSpec = (field, overrides = {}) => ({
  name: field.name, title: field.title, meaning: field.meaning, kind: field.kind, minimum: field.minimum,
  maximum: field.maximum, log: false, maximum_exclusive: false, ...overrides,
});

// What a registry entry teaches beside its dropdown: a dataset's lesson, a formula, a help text.
function entryNotes(entry) {
  return [entry?.lesson ? el("p", { class: "lesson", text: entry.lesson }) : null,
          entry?.formula_mathml ? el("div", { class: "formula" }, mathBlock(entry.formula_mathml)) : null,
          entry?.help ? el("p", { class: "hint", text: entry.help }) : null];
}

// Controls by kind. Each returns DOM nodes; set(value) writes the field and re-renders.
const KINDS = {
  choice(field, value, set, context) {
    const select = el("select", { id: `mlp-field-${field.name}`, title: field.meaning || null });
    fillSelect(select, field.allowed.map((name) => [name, choiceTitle(field, name, context.meta)]));
    select.value = value;
    select.addEventListener("change", () => set(select.value));
    const registry = registryOf(field, context.meta);
    const notes = registry?.own ? entryNotes(registry.entries.find((item) => item.name === value))
      : [field.meaning && !registry ? el("p", { class: "hint", text: field.meaning }) : null];
    return [el("label", { for: select.id, text: capitalize(field.title) }), select, ...notes];
  },
  bool(field, value, set) {
    const box = el("input", { type: "checkbox", id: `mlp-field-${field.name}` });
    box.checked = value;
    box.addEventListener("change", () => set(box.checked));
    return [el("label", { class: "inline", title: field.meaning || null }, box,
               field.meaning ? `${capitalize(field.title)} (${field.meaning})` : capitalize(field.title))];
  },
  int(field, value, set) {
    if (field.nullable) return optionalNumber(field, value, set);
    return [controlFor(numberSpec(field), value, set, { label: field.title })];
  },
  float(field, value, set) {
    return [controlFor(numberSpec(field), value, set, { label: field.title })];
  },
  // Hidden layers: how many, and how many units each (any whole number in the schema's range).
  units(field, value, set) {
    const width = value[0] ?? field.default[0] ?? field.minimum;
    const depth = controlFor(numberSpec(field, { name: `${field.name}-depth`, kind: "int", minimum: 0,
                                                 maximum: field.max_length, meaning: "number of hidden layers" }),
                             value.length, (count) => set(Array(count).fill(width)), { label: field.title });
    const units = controlFor(numberSpec(field, { name: `${field.name}-units`, kind: "int",
                                                 meaning: `units in each hidden layer (${field.minimum} to ${field.maximum})` }),
                             width, (count) => set(value.map(() => count)),
                             { label: "units per layer" });
    return [depth, units];
  },
  text(field, value, set) {
    const box = el("input", { type: "text", id: `mlp-field-${field.name}`, maxlength: field.max_length, value: value ?? "",
                              placeholder: field.meaning, spellcheck: "false" });
    box.addEventListener("change", () => set(box.value.trim() || null));
    return [el("label", { for: box.id, text: capitalize(field.title) }), box];
  },
  // The chosen optimizer's hyperparameters (the shared optimizer widget). A hyperparameter that is
  // also a field of the configuration (the one weight decay) is set there, not here.
  hyperparameters(field, value, set, context) {
    const of = context.schema.find((item) => item.name === field.of);
    const spec = of && context.meta[of.registry]?.[context.config[of.name]];
    if (!spec) return [];
    const params = { ...defaultsOf(spec), ...value };
    const skip = spec.hyperparameters.map((h) => h.name).filter((name) => context.fieldNames.has(name));
    return hyperparameterControls(spec, params, (name, next) => set({ ...value, [name]: next }, { quiet: true }),
                                  { idPrefix: "mlp-param", skip });
  },
  schedule(field, value, set, context) {
    return [el("label", { for: "mlp-field-schedule", text: capitalize(field.title) }),
            scheduleWidget(context.meta.schedules, value, (schedule) => set(schedule, { quiet: true }),
                           { id: "mlp-field-schedule", label: field.title })];
  },
};

function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// An optional whole number (early stopping's patience): a switch and its value.
function optionalNumber(field, value, set) {
  const on = value !== null;
  const box = el("input", { type: "checkbox", id: `mlp-field-${field.name}-on` });
  box.checked = on;
  const number = el("input", { type: "number", min: field.minimum, max: field.maximum, step: 1,
                               value: value ?? field.suggested ?? field.minimum, "aria-label": field.title,
                               "data-param": field.name, id: `mlp-field-${field.name}` });
  number.disabled = !on;
  const read = () => {
    const next = Number(number.value);
    return Number.isInteger(next) && next >= field.minimum && next <= field.maximum ? next : null;
  };
  box.addEventListener("change", () => set(box.checked ? read() ?? field.suggested ?? field.minimum : null));
  number.addEventListener("change", () => { if (box.checked && read() !== null) set(read()); });
  return [el("div", { class: "optional-number", title: field.meaning || null },
             el("label", { class: "inline" }, box, capitalize(field.title)), number)];
}

// The optimizer's defaults when the optimizer changes (torch's, from /api/optimizers), keeping
// only the learning rate in the configuration: the rest follow the optimizer's defaults.
export function paramsFor(spec) {
  const defaults = defaultsOf(spec);
  return { lr: defaults.lr };
}

// Render every field of `config` into its group's container: containers[group] = element.
// onField(name, value, {quiet}) is called on a change; quiet changes need no re-render.
export function renderForm(containers, schema, config, meta, onField) {
  const fieldNames = new Set(schema.map((field) => field.name));
  const context = { meta, config, schema, fieldNames };
  const nodes = Object.fromEntries(Object.keys(containers).map((group) => [group, []]));
  for (const field of schema) {
    const render = KINDS[field.kind];
    if (!render || !nodes[field.group]) continue;
    const set = (value, options = {}) => onField(field.name, value, options);
    nodes[field.group].push(el("div", { class: "field", "data-field": field.name },
                               ...render(field, config[field.name], set, context)));
  }
  for (const [group, container] of Object.entries(containers)) container.replaceChildren(...nodes[group]);
}
