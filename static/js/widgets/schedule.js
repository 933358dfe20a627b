// The learning-rate schedule widget, one for both tabs: a picker over /api/schedules, the
// chosen schedule's formula and its parameter controls, generated from its schema.
import { controlFor, el, fillSelect, mathBlock } from "../controls.js";

// schedules: {name: metadata}; current: {name, params} or null. onChange(schedule or null)
// fires when the schedule or one of its parameters changes.
export function scheduleWidget(schedules, current, onChange, { id, label = "Learning-rate schedule" } = {}) {
  const select = el("select", { id, "aria-label": label });
  fillSelect(select, [["", "None (constant η)"], ...Object.values(schedules).map((s) => [s.name, s.title])]);
  const formula = el("div", { class: "formula" });
  const params = el("div", { class: "schedule-params" });
  let schedule = current ? { name: current.name, params: { ...current.params } } : null;
  const show = () => {
    select.value = schedule?.name || "";
    const spec = schedule && schedules[schedule.name];
    formula.replaceChildren(...(spec ? [mathBlock(spec.formula_mathml)] : []));
    // A parameter without a default is an alternative spelling of another (γ for k): left to links.
    params.replaceChildren(...(spec ? spec.hyperparameters.filter((h) => h.default !== null).map((h) => controlFor(
      h, schedule.params[h.name] ?? h.default,
      (value) => { schedule = { ...schedule, params: { ...schedule.params, [h.name]: value } }; onChange(schedule); },
      { label: h.title || h.name, id: `${id}-${h.name}` })) : []));
  };
  select.addEventListener("change", () => {
    schedule = select.value ? { name: select.value, params: {} } : null;
    show();
    onChange(schedule);
  });
  show();
  return el("div", { class: "schedule-widget" }, select, formula, params);
}
