// The optimizer widget, one for both tabs: its hyperparameter controls generated from the
// optimizer's schema in /api/optimizers (labels from the schema's titles), the ones a lecture
// talks about up front and the rest under "more hyperparameters".
import { controlFor, el } from "../controls.js";

// Up front: the rate and the momentum / β pair; everything else folds away.
const UP_FRONT = new Set(["lr", "momentum", "betas"]);

export function defaultsOf(spec) {
  return Object.fromEntries(spec.hyperparameters.map((h) => [h.name, h.default]));
}

// Controls for one optimizer's hyperparameters. onParam(name, value) fires on every change;
// `skip` leaves out hyperparameters the caller handles itself.
export function hyperparameterControls(spec, params, onParam, { idPrefix, skip = [] } = {}) {
  const main = [];
  const extra = [];
  for (const h of spec.hyperparameters) {
    if (skip.includes(h.name)) continue;
    const control = controlFor(h, params[h.name], (value) => onParam(h.name, value),
                               { label: h.title || h.name, id: `${idPrefix}-${h.name}` });
    (UP_FRONT.has(h.name) ? main : extra).push(control);
  }
  return [...main, extra.length ? el("details", { class: "more" }, el("summary", { text: "more hyperparameters" }), ...extra)
    : null].filter(Boolean);
}

// A row of the optimizer list: a checkbox with the optimizer's colour and title, its
// hyperparameter controls (shown while it is on) and a status line the caller fills.
export function optimizerRow(spec, { on, colour, params, onToggle, onParam }) {
  const name = spec.name;
  const checkbox = el("input", { type: "checkbox", id: `opt-${name}`, "data-optimizer": name });
  checkbox.checked = on;
  checkbox.addEventListener("change", () => onToggle(checkbox.checked));
  const body = el("div", { class: "opt-body" }, ...hyperparameterControls(spec, params, onParam, { idPrefix: name }),
                  el("div", { class: "opt-status", "data-status": name }));
  return el("div", { class: `opt${on ? "" : " off"}`, style: `--c:${colour}`, "data-row": name },
            el("div", { class: "opt-head" },
               el("label", { for: `opt-${name}` }, checkbox, el("span", { class: "swatch" }), spec.title),
               el("span", { class: "hint idea", title: spec.idea, text: "?" })),
            body);
}
