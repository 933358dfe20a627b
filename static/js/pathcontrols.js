// The optimizer-paths panel's controls: surface, optimizers, sweep, schedule, run options and
// the start point (click or drag on the plot). Owned by the panel (composition); every handler
// updates the state and calls panel.refresh(), which writes the URL, requests and redraws.
import { getFormula, getRule } from "./api.js";
import { breakableMath, controlFor, el, fillSelect, fmt, mathBlock } from "./controls.js";
import { hasOwnData, isTyped } from "./ownsurface.js";
import { DataBox } from "./widgets/data-box.js";
import { FormulaBox } from "./widgets/formula-box.js";
import { optimizerRow } from "./widgets/optimizer.js";
import { scheduleWidget } from "./widgets/schedule.js";

const $ = (id) => document.getElementById(id);

export class PathControls {
  constructor(panel) {
    this.panel = panel;
  }

  get state() { return this.panel.state; }

  get meta() { return this.panel.meta; }

  build() {
    const surfaceSelect = $("surface");
    const typed = this.meta.formula;  // GET /api/formula: a surface you type, if the server has it
    fillSelect(surfaceSelect, [...Object.values(this.meta.surfaces).map((s) => [s.name, s.title]),
                               ...(typed ? [[typed.name, "Your own function f(x, y)…"]] : [])]);
    surfaceSelect.addEventListener("change", () => this.panel.setSurface(surfaceSelect.value));
    this.buildOwnSurface();
    this.buildOptimizerList();
    this.buildSweep();
    this.buildSchedule();
    this.buildRunOptions();
    this.buildStart();
    this.syncSurface();
  }

  // Everything that shows the surface or depends on it: lesson, formula, parameters, the
  // mini-batch row (surfaces with data only), the start boxes, the sweep's rates.
  syncSurface() {
    const { panel, state } = this;
    const surface = panel.surface;
    panel.syncAspect();
    $("surface").value = surface.name;
    $("surface-lesson").textContent = surface.lesson;
    $("surface-formula").replaceChildren(breakableMath(surface.formula_mathml));
    this.syncOwnSurface();
    this.syncSurfaceParams();
    $("batch-row").hidden = !panel.hasData;
    this.syncBatch();
    this.syncStartInputs();
    this.syncSweep();
  }

  // The surface's parameter controls. Each scene answer calls this; for the same surface and
  // parameters the controls stay and show their values in place, so a slider being dragged (κ)
  // is not replaced under the pointer (that ended the drag after the first answer).
  syncSurfaceParams() {
    const { panel, state } = this;
    const surface = panel.surface;
    const specs = hasOwnData(this.meta, state) ? [] : surface.parameters;
    const holder = $("surface-params");
    const key = JSON.stringify([surface.name, specs.map((spec) => spec.name)]);
    const controls = [...holder.children];
    const valueOf = (spec) => state.surfaceParams[spec.name] ?? spec.default;
    if (key === this.surfaceParamsKey && controls.length === specs.length && controls.every((c) => c.update)) {
      specs.forEach((spec, i) => controls[i].update(spec, valueOf(spec)));
      return;
    }
    this.surfaceParamsKey = key;
    // A control left focused while the surface changed may still report; it belongs to the old one.
    const apply = (name) => (value) => { if (panel.surface.name === surface.name) panel.setSurfaceParam(name, value); };
    holder.replaceChildren(...specs.map((spec) => controlFor(spec, valueOf(spec), apply(spec.name),
                                                             { label: spec.title || spec.name, id: `sp-${spec.name}` })));
  }

  // The formula box (a typed surface) and the data box (a surface with data), from the
  // capabilities the server states: GET /api/formula and a surface's own_data.
  buildOwnSurface() {
    const { panel, state, meta } = this;
    if (meta.formula) {
      this.formulaBox = new FormulaBox({
        capabilities: meta.formula, formula: state.formula, domain: state.domain,
        check: (query) => getFormula(query), onApply: (formula, domain) => panel.setFormula(formula, domain),
      });
      $("formula-holder").replaceChildren(this.formulaBox.element);
    }
    const withData = Object.values(meta.surfaces).find((s) => s.own_data);
    if (withData) {
      this.dataBox = new DataBox({ caps: withData.own_data, rows: state.data,
                                   onApply: (rows) => panel.setData(rows), onClear: () => panel.setData(null) });
      $("data-holder").replaceChildren(this.dataBox.element);
    }
  }

  syncOwnSurface() {
    const { meta, state } = this;
    const typed = isTyped(meta, state);
    $("formula-holder").hidden = !typed;
    if (typed && this.formulaBox && this.formulaBox.input.value !== state.formula) this.formulaBox.set(state.formula, state.domain);
    $("data-holder").hidden = !this.panel.surface.own_data;
    if (this.dataBox && !state.data) this.dataBox.set(null);
  }

  buildOptimizerList() {
    const { panel } = this;
    // Only optimizers whose spec says they run on a 2D surface (Muon needs weight matrices).
    // Each rate slider centred on the rate suggested for this surface (controls.js sliderRange).
    const centred = (spec) => ({ ...spec, hyperparameters: spec.hyperparameters.map(
      (h) => (h.name === "lr" ? { ...h, centre: panel.suggestedLr(spec.name) } : h)) });
    $("optimizer-list").replaceChildren(...Object.values(this.meta.optimizers).filter((o) => o.surfaces !== false).map(centred).map((spec) => optimizerRow(spec, {
      on: this.state.enabled.includes(spec.name), colour: panel.colourOf(spec.name), params: panel.paramsOf(spec.name),
      onToggle: (on) => panel.toggleOptimizer(spec.name, on),
      onParam: (param, value) => panel.setParam(spec.name, param, value),
    })));
    this.buildRules();
  }

  markEnabled(name, on) {
    document.querySelector(`[data-row="${name}"]`).classList.toggle("off", !on);
    $(`opt-${name}`).checked = on;
  }

  // The update rule of each optimizer on screen, for its current settings (Nesterov, dampening,
  // EMA, centered, weight decay, ...) as the server writes it; the registry's general form
  // shows until that answer arrives, or if the server has no rule endpoint.
  buildRules() {
    const names = this.state.sweep ? [this.state.sweep.optimizer] : this.state.enabled;
    const version = (this.rulesVersion = (this.rulesVersion || 0) + 1);
    $("rules").replaceChildren(...names.map((name) => {
      const spec = this.meta.optimizers[name];
      const formula = el("div", { class: "rule-formula", "data-rule": name }, ...spec.update_rule_mathml.map(mathBlock));
      if (this.meta.hasRule) {
        const { lr, ...options } = this.state.params[name] || {};
        getRule(name, options).then((rule) => {
          if (version === this.rulesVersion) formula.replaceChildren(...rule.mathml.map(mathBlock));
        }).catch(() => {});
      }
      return el("div", { class: "rule", style: `--c:${this.panel.colourOf(name)}` },
                el("b", { text: spec.title }), el("span", { class: "hint", text: spec.idea }),
                formula, el("span", { class: "hint", text: spec.reference }));
    }));
  }

  // ---- sweep ---------------------------------------------------------------------------

  buildSweep() {
    const select = $("sweep-optimizer");
    fillSelect(select, Object.values(this.meta.optimizers).filter((o) => o.surfaces !== false).map((o) => [o.name, o.title]));
    const sweep = this.state.sweep;
    $("sweep-on").checked = Boolean(sweep);
    if (sweep) $("sweep-group").open = true;
    select.value = sweep ? sweep.optimizer : Object.keys(this.meta.optimizers)[0];
    const apply = () => {
      if (!$("sweep-on").checked) { this.panel.setSweep(null); return; }
      const lrSpec = this.meta.optimizers[select.value].hyperparameters.find((h) => h.name === "lr");
      const lrs = $("sweep-lrs").value.split(",").map(Number)
        .filter((v) => Number.isFinite(v) && v >= lrSpec.minimum && v <= lrSpec.maximum).slice(0, 6);
      if (!lrs.length) { this.panel.banner.show(`Learning rates must be numbers in [${lrSpec.minimum}, ${lrSpec.maximum}]`); return; }
      this.panel.setSweep({ optimizer: select.value, lrs });
    };
    $("sweep-on").addEventListener("change", apply);
    $("sweep-lrs").addEventListener("change", apply);
    select.addEventListener("change", () => { $("sweep-lrs").value = this.panel.sweepPreset(select.value).join(", "); this.syncSweep(); apply(); });
    $("sweep-preset").addEventListener("click", () => {
      $("sweep-lrs").value = this.panel.sweepPreset(select.value).join(", ");
      $("sweep-on").checked = true;
      apply();
    });
    this.syncSweep();
  }

  // The sweep box shows the rates in use (or the preset for this surface) and the factors.
  syncSweep() {
    const sweep = this.state.sweep;
    const name = sweep ? sweep.optimizer : $("sweep-optimizer").value;
    $("sweep-on").checked = Boolean(sweep);
    $("sweep-optimizer").value = name;
    $("sweep-lrs").value = (sweep ? sweep.lrs : this.panel.sweepPreset(name)).join(", ");
    const { factors, labels } = this.panel.sweepFactors(name);
    $("sweep-factors").textContent = `Preset: ${labels.map((label, i) => `${label} (×${fmt(factors[i])})`).join(" · ")} `
      + "of the suggested rate for this surface.";
  }

  // ---- schedule, run options -------------------------------------------------------------

  buildSchedule() {
    if (this.state.schedule) $("schedule-group").open = true;
    $("schedule-holder").replaceChildren(scheduleWidget(this.meta.schedules, this.state.schedule,
                                                        (schedule) => this.panel.setSchedule(schedule), { id: "schedule" }));
  }

  // After an undo or a reset: every control shows the state again.
  syncAll() {
    const { state } = this;
    this.buildOptimizerList();
    this.syncSurface();
    this.buildSchedule();
    $("steps").value = state.steps;
    $("steps-out").textContent = String(state.steps);
    $("noise").value = state.noise;
    $("noise-out").textContent = state.noise ? String(state.noise) : "off";
    $("seed").value = state.seed;
    $("clip-on").checked = state.clip !== null;
    $("clip").value = state.clip ?? 1;
  }

  buildRunOptions() {
    const { state, panel } = this;
    const bind = (id, format, apply) => {
      const input = $(id);
      const out = $(`${id}-out`);
      const show = () => { if (out) out.textContent = format(input.value); };
      input.addEventListener("input", () => { show(); apply(input.value); });
      show();
    };
    const limits = this.meta.limits;
    $("steps").max = Math.min(limits.steps.maximum, 2000);
    $("steps").value = state.steps;
    bind("steps", (v) => v, (v) => { state.steps = Number(v); state.frame = null; panel.refresh(); });
    $("noise").value = state.noise;
    bind("noise", (v) => (Number(v) ? v : "off"), (v) => { state.noise = Number(v); panel.refresh(); });
    $("seed").min = limits.seed.minimum;
    $("seed").max = limits.seed.maximum;
    $("seed").value = state.seed;
    $("seed").addEventListener("change", () => {
      const seed = Number($("seed").value);
      if (Number.isInteger(seed) && seed >= limits.seed.minimum && seed <= limits.seed.maximum) { state.seed = seed; panel.refresh(); }
      else $("seed").value = state.seed;
    });
    bind("batch", (v) => (Number(v) >= panel.samples() ? "full batch (GD)" : Number(v) === 1 ? "1 (pure SGD)" : v), (v) => {
      state.batch = Number(v) >= panel.samples() ? null : Number(v);
      panel.refresh();
    });
    $("clip-on").checked = state.clip !== null;
    $("clip").value = state.clip ?? 1;
    const applyClip = () => {
      const norm = Number($("clip").value);
      state.clip = $("clip-on").checked && Number.isFinite(norm) && norm > 0 ? norm : null;
      panel.refresh();
    };
    $("clip-on").addEventListener("change", applyClip);
    $("clip").addEventListener("change", applyClip);
  }

  syncBatch() {
    const samples = this.panel.samples();
    $("batch").max = samples;
    $("batch").value = this.state.batch ?? samples;
    $("batch-out").textContent = this.state.batch ? String(this.state.batch) : "full batch (GD)";
  }

  // ---- start point -----------------------------------------------------------------------

  buildStart() {
    const apply = () => {
      const x = Number($("start-x").value);
      const y = Number($("start-y").value);
      if (Number.isFinite(x) && Number.isFinite(y)) this.panel.moveStart([x, y]);
    };
    $("start-x").addEventListener("change", apply);
    $("start-y").addEventListener("change", apply);
    $("start-reset").addEventListener("click", () => this.panel.moveStart(null));
    this.bindPlotPointer();
  }

  syncStartInputs() {
    const [x, y] = this.panel.start();
    $("start-x").value = fmt(x, 5);
    $("start-y").value = fmt(y, 5);
  }

  // Click on the contour plot to move the start; press on the ◆ and drag to move it
  // continuously. Pixels map to data through the plot area plotly draws (its drag cover) and
  // the axis ranges the figure fixed (the domain), never through plotly's private layout.
  bindPlotPointer() {
    const plot = $("plot");
    const toData = (event) => {
      const area = this.panel.plotArea();
      if (!area) return null;
      const { box, x: [x0, x1], y: [y0, y1] } = area;
      const px = event.clientX - box.left;
      const py = event.clientY - box.top;
      if (px < 0 || py < 0 || px > box.width || py > box.height) return null;
      return { point: [x0 + (px / box.width) * (x1 - x0), y1 - (py / box.height) * (y1 - y0)], px, py, area };
    };
    const nearStart = (hit) => {
      const { box, x: [x0, x1], y: [y0, y1] } = hit.area;
      const [sx, sy] = this.panel.start();
      const spx = ((sx - x0) / (x1 - x0)) * box.width;
      const spy = ((y1 - sy) / (y1 - y0)) * box.height;
      return Math.hypot(spx - hit.px, spy - hit.py) < 14;
    };
    let down = null;
    let dragging = false;
    plot.addEventListener("mousedown", (event) => {
      const hit = toData(event);
      down = hit ? { x: event.clientX, y: event.clientY } : null;
      if (hit && nearStart(hit)) {
        dragging = true;
        event.stopPropagation();
        event.preventDefault();
      }
    }, true);
    window.addEventListener("mousemove", (event) => {
      if (!dragging) return;
      const hit = toData(event);
      if (hit) this.panel.moveStart(hit.point, { continuing: true });
    });
    window.addEventListener("mouseup", () => {
      if (dragging) this.panel.endDrag();
      dragging = false;
    });
    // One click moves the start; a double-click does nothing more than its first click did.
    plot.addEventListener("click", (event) => {
      if (event.detail > 1) return;
      const hit = toData(event);
      const moved = down ? Math.hypot(event.clientX - down.x, event.clientY - down.y) : 0;
      if (hit && moved < 5) this.panel.moveStart(hit.point);
    });
  }
}
