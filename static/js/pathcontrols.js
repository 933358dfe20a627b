// The optimizer-paths panel's controls: surface, optimizers, sweep, schedule, run options and
// the start point (click or drag on the plot). Mixed into PathsPanel; every handler updates
// the state and calls this.refresh(), which writes the URL, requests and redraws.
import { controlFor, el, fillSelect, fmt, mathBlock } from "./controls.js";
import { colourOf } from "./palette.js";

const $ = (id) => document.getElementById(id);

export const controlMethods = {
  buildControls() {
    const surfaceSelect = $("surface");
    fillSelect(surfaceSelect, Object.values(this.meta.surfaces).map((s) => [s.name, s.title]));
    surfaceSelect.addEventListener("change", () => this.setSurface(surfaceSelect.value));
    this.buildOptimizerList();
    this.buildSweep();
    this.buildSchedule();
    this.buildRunOptions();
    this.buildStart();
    this.syncSurfaceControls();
  },

  setSurface(name) {
    this.state.surface = name;
    this.state.surfaceParams = {};
    this.state.start = null;
    // Learning rates are surface-specific (suggested per surface); other settings carry over.
    for (const params of Object.values(this.state.params)) delete params.lr;
    if (this.state.sweep) this.state.sweep.lrs = this.sweepPreset(this.state.sweep.optimizer);
    if (name !== "linear_regression") this.state.batch = null;
    this.results = {};
    this.grid = null;
    this.state.frame = null;
    this.buildOptimizerList();
    this.syncSurfaceControls();
    this.loadGrid();
    this.refresh();
  },

  syncSurfaceControls() {
    const surface = this.surface;
    $("surface").value = surface.name;
    $("surface-lesson").textContent = surface.lesson;
    $("surface-formula").replaceChildren(mathBlock(surface.formula_mathml));
    const holder = $("surface-params");
    holder.replaceChildren(...surface.parameters.map((spec) => controlFor(
      spec, this.state.surfaceParams[spec.name] ?? spec.default,
      (value) => { this.state.surfaceParams[spec.name] = value; this.state.start = null; this.loadGrid(); this.refresh(); },
      { label: spec.name })));
    $("batch-row").hidden = surface.name !== "linear_regression";
    this.syncStartInputs();
  },

  buildOptimizerList() {
    const list = $("optimizer-list");
    const items = Object.values(this.meta.optimizers).map((spec) => {
      const name = spec.name;
      const on = this.state.enabled.includes(name);
      const params = this.paramsOf(name);
      const checkbox = el("input", { type: "checkbox", id: `opt-${name}`, "data-optimizer": name });
      checkbox.checked = on;
      checkbox.addEventListener("change", () => this.toggleOptimizer(name, checkbox.checked));
      const main = [];
      const extra = [];
      for (const h of spec.hyperparameters) {
        const control = controlFor(h, params[h.name], (value) => this.setParam(name, h.name, value),
                                   { label: h.name === "lr" ? "η (lr)" : h.name, id: `${name}-${h.name}` });
        // Up front: the rate and the momentum / β1 a lecture talks about (plain SGD keeps its
        // torch-style momentum under the fold-out: the Momentum row is where momentum is shown).
        const upFront = h.name === "lr" || h.name === "betas" || (h.name === "momentum" && name !== "sgd");
        (upFront ? main : extra).push(control);
      }
      const body = el("div", { class: "opt-body" }, ...main,
                      extra.length ? el("details", {}, el("summary", { text: "more hyperparameters" }), ...extra) : null,
                      el("div", { class: "opt-status", "data-status": name }));
      return el("div", { class: `opt${on ? "" : " off"}`, style: `--c:${colourOf(name)}`, "data-row": name },
                el("div", { class: "opt-head" },
                   el("label", { for: `opt-${name}` }, checkbox, el("span", { class: "swatch" }), spec.title),
                   el("span", { class: "hint idea", title: spec.idea, text: "?" })),
                body);
    });
    list.replaceChildren(...items);
    this.buildRules();
  },

  toggleOptimizer(name, on) {
    const enabled = new Set(this.state.enabled);
    if (on) enabled.add(name); else enabled.delete(name);
    this.state.enabled = Object.keys(this.meta.optimizers).filter((n) => enabled.has(n));
    document.querySelector(`[data-row="${name}"]`).classList.toggle("off", !on);
    this.buildRules();
    if (on) this.refresh([name]);
    else { this.syncUrl(); this.draw(); }
  },

  setParam(name, param, value) {
    this.state.params[name] = { ...(this.state.params[name] || {}), [param]: value };
    if (this.state.sweep?.optimizer === name && param !== "lr") this.refresh();
    else this.refresh([name]);
  },

  buildRules() {
    const names = this.state.sweep ? [this.state.sweep.optimizer] : this.state.enabled;
    $("rules").replaceChildren(...names.map((name) => {
      const spec = this.meta.optimizers[name];
      return el("div", { class: "rule", style: `--c:${colourOf(name)}` },
                el("b", { text: spec.title }), el("span", { class: "hint", text: spec.idea }),
                ...spec.update_rule_mathml.map(mathBlock), el("span", { class: "hint", text: spec.reference }));
    }));
  },

  sweepPreset(name) {
    const good = this.paramsOf(name).lr;
    return [good / 10, good, good * 4].map((v) => Number(v.toPrecision(3)));
  },

  buildSweep() {
    const select = $("sweep-optimizer");
    fillSelect(select, Object.values(this.meta.optimizers).map((o) => [o.name, o.title]));
    const sweep = this.state.sweep;
    $("sweep-on").checked = Boolean(sweep);
    if (sweep) $("sweep-group").open = true;
    select.value = sweep ? sweep.optimizer : "sgd";
    $("sweep-lrs").value = (sweep ? sweep.lrs : this.sweepPreset(select.value)).join(", ");
    const apply = () => {
      if (!$("sweep-on").checked) {
        this.state.sweep = null;
      } else {
        const lrSpec = this.meta.optimizers[select.value].hyperparameters.find((h) => h.name === "lr");
        const lrs = $("sweep-lrs").value.split(",").map(Number)
          .filter((v) => Number.isFinite(v) && v >= lrSpec.minimum && v <= lrSpec.maximum).slice(0, 6);
        if (!lrs.length) { this.banner.show(`Learning rates must be numbers in [${lrSpec.minimum}, ${lrSpec.maximum}]`); return; }
        this.state.sweep = { optimizer: select.value, lrs };
        $("sweep-lrs").value = lrs.join(", ");
      }
      this.results = {};
      this.buildRules();
      this.refresh();
    };
    $("sweep-on").addEventListener("change", apply);
    $("sweep-lrs").addEventListener("change", apply);
    select.addEventListener("change", () => { $("sweep-lrs").value = this.sweepPreset(select.value).join(", "); apply(); });
    $("sweep-preset").addEventListener("click", () => {
      $("sweep-lrs").value = this.sweepPreset(select.value).join(", ");
      $("sweep-on").checked = true;
      apply();
    });
  },

  buildSchedule() {
    const select = $("schedule");
    fillSelect(select, [["", "None (constant η)"],
                        ...Object.values(this.meta.schedules).filter((s) => s.name !== "constant").map((s) => [s.name, s.title])]);
    select.value = this.state.schedule?.name || "";
    if (this.state.schedule) $("schedule-group").open = true;
    select.addEventListener("change", () => {
      this.state.schedule = select.value ? { name: select.value, params: {} } : null;
      this.syncScheduleControls();
      this.refresh();
    });
    this.syncScheduleControls();
  },

  syncScheduleControls() {
    const sched = this.state.schedule;
    const spec = sched && this.meta.schedules[sched.name];
    $("schedule-formula").replaceChildren(...(spec ? [mathBlock(spec.formula_mathml)] : []));
    const controls = spec
      ? spec.hyperparameters.filter((h) => h.default !== null).map((h) => controlFor(
        h, sched.params[h.name] ?? h.default, (value) => { sched.params[h.name] = value; this.refresh(); },
        { label: h.name }))
      : [];
    $("schedule-params").replaceChildren(...controls);
  },

  buildRunOptions() {
    const { state } = this;
    const bind = (id, format, apply) => {
      const input = $(id);
      const out = $(`${id}-out`);
      const show = () => { if (out) out.textContent = format(input.value); };
      input.addEventListener("input", () => { show(); apply(input.value); });
      show();
    };
    $("steps").value = state.steps;
    bind("steps", (v) => v, (v) => { state.steps = Number(v); state.frame = null; this.refresh(); });
    $("noise").value = state.noise;
    bind("noise", (v) => (Number(v) ? v : "off"), (v) => { state.noise = Number(v); this.refresh(); });
    $("seed").value = state.seed;
    $("seed").addEventListener("change", () => {
      const seed = Number($("seed").value);
      if (Number.isInteger(seed) && seed >= 0 && seed <= 4294967295) { state.seed = seed; this.refresh(); }
      else $("seed").value = state.seed;
    });
    const samples = () => this.state.surfaceParams.samples
      ?? this.meta.surfaces.linear_regression?.parameters.find((p) => p.name === "samples")?.default ?? 50;
    $("batch").max = samples();
    $("batch").value = state.batch ?? samples();
    bind("batch", (v) => (Number(v) >= samples() ? "full batch (GD)" : Number(v) === 1 ? "1 (pure SGD)" : v), (v) => {
      state.batch = Number(v) >= samples() ? null : Number(v);
      this.refresh();
    });
    $("clip-on").checked = state.clip !== null;
    $("clip").value = state.clip ?? 1;
    const applyClip = () => {
      const norm = Number($("clip").value);
      state.clip = $("clip-on").checked && Number.isFinite(norm) && norm > 0 ? norm : null;
      this.refresh();
    };
    $("clip-on").addEventListener("change", applyClip);
    $("clip").addEventListener("change", applyClip);
  },

  buildStart() {
    const apply = () => {
      const x = Number($("start-x").value);
      const y = Number($("start-y").value);
      if (Number.isFinite(x) && Number.isFinite(y)) this.moveStart([x, y]);
    };
    $("start-x").addEventListener("change", apply);
    $("start-y").addEventListener("change", apply);
    $("start-reset").addEventListener("click", () => { this.state.start = null; this.syncStartInputs(); this.refresh(); });
    this.bindPlotPointer();
  },

  syncStartInputs() {
    const [x, y] = this.start();
    $("start-x").value = fmt(x, 5);
    $("start-y").value = fmt(y, 5);
  },

  moveStart(point) {
    const [[x0, x1], [y0, y1]] = this.surface.domain;
    const clamp = (v, a, b) => Math.max(a, Math.min(b, v));
    this.state.start = [Number(clamp(point[0], x0, x1).toPrecision(5)), Number(clamp(point[1], y0, y1).toPrecision(5))];
    this.state.frame = null;
    this.syncStartInputs();
    this.refresh();
  },

  // Click on the contour plot to move the start; press on the ◆ and drag to move it continuously.
  bindPlotPointer() {
    const plot = $("plot");
    const toData = (event) => {
      const layout = plot._fullLayout;
      if (!layout || !layout.xaxis || this.state.view !== "contour") return null;
      const box = plot.getBoundingClientRect();
      const px = event.clientX - box.left - layout._size.l;
      const py = event.clientY - box.top - layout._size.t;
      if (px < 0 || py < 0 || px > layout._size.w || py > layout._size.h) return null;
      return { point: [layout.xaxis.p2d(px), layout.yaxis.p2d(py)], px, py };
    };
    const nearStart = (hit) => {
      const layout = plot._fullLayout;
      const [sx, sy] = this.start();
      return Math.hypot(layout.xaxis.d2p(sx) - hit.px, layout.yaxis.d2p(sy) - hit.py) < 14;
    };
    let down = null;
    let dragging = false;
    plot.addEventListener("mousedown", (event) => {
      const hit = toData(event);
      down = hit ? { x: event.clientX, y: event.clientY } : null;
      if (hit && nearStart(hit)) {
        dragging = true;
        event.stopPropagation();  // keep plotly from starting a zoom box
        event.preventDefault();
      }
    }, true);
    window.addEventListener("mousemove", (event) => {
      if (!dragging) return;
      const hit = toData(event);
      if (hit) this.moveStart(hit.point);
    });
    window.addEventListener("mouseup", () => { dragging = false; });
    plot.addEventListener("click", (event) => {
      const hit = toData(event);
      const moved = down ? Math.hypot(event.clientX - down.x, event.clientY - down.y) : 0;
      if (hit && moved < 5) this.moveStart(hit.point);
    });
  },
};
