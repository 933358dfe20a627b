// The MLP panel: a configuration form, a comparison of up to six configurations trained side
// by side over a server-sent-event stream, and the lecture's plots.
import { ApiError, getJson, streamTraining } from "./api.js";
import { controlFor, el, fillSelect, fmt, mathBlock } from "./controls.js";
import { download, exportImage } from "./exports.js";
import { RUN_COLOURS, accuracyFigure, decisionFigure, gradientFigure, histogramFigure, lossFigure } from "./mlpplots.js";
import { render } from "./plots.js";

const $ = (id) => document.getElementById(id);
const MAX_RUNS = 6;
const REDRAW_INTERVAL_MS = 150;
const WIDTHS = [2, 4, 8, 16, 32, 64, 128, 256];
// Starting rates for the MLP per optimizer (the 2D surfaces suggest their own).
const MLP_LR = { sgd: 0.1, momentum: 0.05, nesterov: 0.05, adagrad: 0.1, adadelta: 1.0, rmsprop: 0.005, adam: 0.01,
                 amsgrad: 0.01, adamax: 0.02, nadam: 0.01 };

// The lecture's comparison: why N(0, 0.01) and N(0, 1) fail a tanh network, why Xavier and He
// work, and what BatchNorm rescues.
const PRESET = [
  { activation: "tanh", init: "normal_0.01", batchnorm: false },
  { activation: "tanh", init: "normal_1", batchnorm: false },
  { activation: "tanh", init: "xavier_normal", batchnorm: false },
  { activation: "relu", init: "he_normal", batchnorm: false },
  { activation: "tanh", init: "normal_0.01", batchnorm: true },
];
const PRESET_BASE = { hidden: [64, 64, 64, 64], epochs: 40, optimizer: "sgd", params: { lr: 0.02, momentum: 0.9 } };

const spec = (name, minimum, maximum, meaning, kind = "float", log = false) =>
  ({ name, minimum, maximum, meaning, kind, log, maximum_exclusive: false });

export class MlpPanel {
  constructor(meta, state, banner, onChange) {
    this.meta = meta;          // {optimizers, schedules, mlp: {datasets, activations, initializers, defaults}}
    this.state = state;        // state.mlp = {config, runs, selected, logLoss, epoch}
    this.banner = banner;
    this.onChange = onChange;  // writes the URL
    this.results = [];         // per run: {label, history, summary, dataset}
    this.controller = null;
    this.scheduled = false;
  }

  get mlp() { return this.state.mlp; }

  get config() { return this.mlp.config; }

  // ---- controls ------------------------------------------------------------------------

  build() {
    const { mlp } = this.meta;
    fillSelect($("mlp-dataset"), mlp.datasets.map((d) => [d.name, d.title]));
    fillSelect($("mlp-activation"), mlp.activations.map((a) => [a.name, a.title]));
    fillSelect($("mlp-init"), mlp.initializers.map((i) => [i.name, i.title]));
    fillSelect($("mlp-optimizer"), Object.values(this.meta.optimizers).filter((o) => !o.needs_hessian).map((o) => [o.name, o.title]));
    fillSelect($("mlp-schedule"), [["", "None (constant η)"],
                             ...Object.values(this.meta.schedules).filter((s) => s.name !== "constant").map((s) => [s.name, s.title])]);
    const bindSelect = (id, key, after) => $(id).addEventListener("change", () => {
      this.config[key] = $(id).value;
      if (after) after();
      this.changed();
    });
    bindSelect("mlp-dataset", "dataset", () => this.loadPreview());
    bindSelect("mlp-activation", "activation");
    bindSelect("mlp-init", "init");
    bindSelect("mlp-optimizer", "optimizer", () => { this.config.params = { lr: MLP_LR[this.config.optimizer] ?? 0.01 }; });
    $("mlp-schedule").addEventListener("change", () => {
      this.config.schedule = $("mlp-schedule").value ? { name: $("mlp-schedule").value, params: {} } : null;
      this.changed();
    });
    for (const [id, key] of [["mlp-standardize", "standardize"], ["mlp-batchnorm", "batchnorm"]]) {
      $(id).addEventListener("change", () => { this.config[key] = $(id).checked; this.changed(); });
    }
    $("mlp-early").addEventListener("change", () => {
      this.config.patience = $("mlp-early").checked ? Number($("mlp-patience").value) || 10 : null;
      this.changed();
    });
    $("mlp-patience").addEventListener("change", () => {
      const value = Number($("mlp-patience").value);
      if (Number.isInteger(value) && value >= 1 && value <= 2000 && $("mlp-early").checked) this.config.patience = value;
      this.changed();
    });
    $("mlp-add").addEventListener("click", () => this.add());
    $("mlp-train").addEventListener("click", () => this.train());
    $("mlp-stop").addEventListener("click", () => this.stop());
    $("mlp-clear").addEventListener("click", () => this.clear());
    $("mlp-preset").addEventListener("click", () => this.preset());
    $("mlp-log-loss").addEventListener("change", () => { this.mlp.logLoss = $("mlp-log-loss").checked; this.onChange(); this.draw(); });
    $("mlp-selected").addEventListener("change", () => { this.mlp.selected = Number($("mlp-selected").value); this.onChange(); this.draw(); });
    $("mlp-epoch").addEventListener("input", () => { this.mlp.epoch = Number($("mlp-epoch").value); this.draw(); });
    for (const button of document.querySelectorAll("[data-mlp-export]")) {
      button.addEventListener("click", () => this.exportAs(button.dataset.mlpExport).catch((e) => this.banner.show(e.message)));
    }
    this.sync();
    this.loadPreview();
  }

  changed() {
    this.sync();
    this.onChange();
  }

  // Put the configuration's values into the form (after a change, a preset or a link).
  sync() {
    const config = this.config;
    const { mlp } = this.meta;
    $("mlp-dataset").value = config.dataset;
    const dataset = mlp.datasets.find((d) => d.name === config.dataset);
    $("mlp-dataset-lesson").textContent = dataset.lesson;
    $("mlp-activation").value = config.activation;
    $("mlp-activation-formula").replaceChildren(mathBlock(this.formula(mlp.activations, config.activation)));
    $("mlp-init").value = config.init;
    const init = mlp.initializers.find((i) => i.name === config.init);
    $("mlp-init-formula").replaceChildren(mathBlock(init.formula_mathml));
    $("mlp-init-help").textContent = init.help;
    $("mlp-standardize").checked = config.standardize;
    $("mlp-batchnorm").checked = config.batchnorm;
    $("mlp-optimizer").value = config.optimizer;
    $("mlp-schedule").value = config.schedule?.name || "";
    $("mlp-early").checked = config.patience !== null;
    $("mlp-patience").value = config.patience ?? 10;
    const set = (key) => (value) => { config[key] = value; this.changed(); };
    const dataControls = [controlFor(spec("samples", 20, 5000, "number of points (20% held out for validation)", "int"),
                                     config.samples, (v) => { config.samples = v; this.changed(); this.loadPreview(); }),
                          controlFor(spec("noise", 0, 1, "how much the classes overlap"), config.noise,
                                     (v) => { config.noise = v; this.changed(); this.loadPreview(); })];
    if (!dataset.fixed_classes) {
      dataControls.push(controlFor(spec("classes", 2, 8, "number of classes", "int"), config.classes,
                                   (v) => { config.classes = v; this.changed(); this.loadPreview(); }));
    }
    $("mlp-data-params").replaceChildren(...dataControls);
    const depth = controlFor(spec("depth", 0, 10, "number of hidden layers", "int"), config.hidden.length, (v) => {
      const width = config.hidden[0] || 32;
      config.hidden = Array(v).fill(width);
      this.changed();
    }, { label: "hidden layers" });
    const widthSelect = el("select", { "aria-label": "units per layer", id: "mlp-width" });
    fillSelect(widthSelect, WIDTHS.map((w) => [w, w]));
    widthSelect.value = String(config.hidden[0] || 32);
    widthSelect.addEventListener("change", () => { config.hidden = config.hidden.map(() => Number(widthSelect.value)); this.changed(); });
    $("mlp-shape").replaceChildren(depth, el("div", { class: "slider-row" }, el("span", { text: "units per layer" }), widthSelect));
    $("mlp-regularization").replaceChildren(
      controlFor(spec("dropout", 0, 0.9, "probability of zeroing a hidden unit in training (inverted dropout)"),
                 config.dropout, set("dropout")),
      controlFor(spec("weight_decay", 0, 1, "L2 penalty on the weight matrices"), config.weight_decay, set("weight_decay"),
                 { label: "weight decay" }));
    const optimizer = this.meta.optimizers[config.optimizer];
    const params = { ...Object.fromEntries(optimizer.hyperparameters.map((h) => [h.name, h.default])), ...config.params };
    const main = [];
    const more = [];
    for (const h of optimizer.hyperparameters) {
      if (h.name === "weight_decay") continue;  // the trainer's own weight decay skips biases
      const control = controlFor(h, params[h.name], (v) => { config.params = { ...config.params, [h.name]: v }; this.onChange(); },
                                 { label: h.name === "lr" ? "η (lr)" : h.name, id: `mlp-param-${h.name}` });
      (["lr", "momentum", "betas"].includes(h.name) ? main : more).push(control);
    }
    $("mlp-optimizer-params").replaceChildren(...main, more.length ? el("details", {}, el("summary", { text: "more hyperparameters" }), ...more) : "");
    const schedule = config.schedule && this.meta.schedules[config.schedule.name];
    $("mlp-schedule-params").replaceChildren(...(schedule ? [mathBlock(schedule.formula_mathml),
      ...schedule.hyperparameters.filter((h) => h.default !== null).map((h) => controlFor(
        h, config.schedule.params[h.name] ?? h.default, (v) => { config.schedule.params[h.name] = v; this.onChange(); },
        { label: h.name }))] : []));
    $("mlp-training-params").replaceChildren(
      controlFor(spec("batch_size", 1, 5000, "examples per mini-batch", "int"), config.batch_size, set("batch_size"), { label: "batch size" }),
      controlFor(spec("epochs", 1, 2000, "passes over the training set", "int"), config.epochs, set("epochs")),
      controlFor(spec("seed", 0, 4294967295, "seeds the data, the initial weights, shuffling and dropout", "int"), config.seed, set("seed")));
    $("mlp-log-loss").checked = this.mlp.logLoss;
    this.drawRunList();
  }

  formula(list, name) {
    return list.find((item) => item.name === name).formula_mathml;
  }

  async loadPreview() {
    const { dataset, samples, classes, noise, seed } = this.config;
    try {
      this.preview = await getJson(`/api/mlp/dataset?${new URLSearchParams({ name: dataset, samples, classes, noise, seed })}`);
      this.draw();
    } catch (error) {
      this.banner.show(error.message);
    }
  }

  // ---- the comparison --------------------------------------------------------------------

  add() {
    if (this.mlp.runs.length >= MAX_RUNS) {
      this.banner.show(`A comparison holds at most ${MAX_RUNS} configurations: remove one first.`);
      return;
    }
    this.mlp.runs.push(structuredClone(this.config));
    this.results.push(null);
    this.onChange();
    this.drawRunList();
  }

  remove(index) {
    if (this.controller) this.stop();
    this.mlp.runs.splice(index, 1);
    this.results.splice(index, 1);
    this.mlp.selected = Math.min(this.mlp.selected, Math.max(0, this.mlp.runs.length - 1));
    this.onChange();
    this.draw();
  }

  clear() {
    this.stop();
    this.mlp.runs = [];
    this.results = [];
    this.mlp.selected = 0;
    this.onChange();
    this.draw();
  }

  preset() {
    this.stop();
    const base = { ...structuredClone(this.config), ...structuredClone(PRESET_BASE), dataset: "spiral", label: null,
                   standardize: true, dropout: 0, schedule: null, patience: null };
    this.mlp.runs = PRESET.map((variant) => ({ ...structuredClone(base), ...variant }));
    this.results = this.mlp.runs.map(() => null);
    this.mlp.config = structuredClone(this.mlp.runs[0]);
    this.mlp.selected = 0;
    this.sync();
    this.loadPreview();
    this.onChange();
    this.train();
  }

  colour(index) {
    return RUN_COLOURS[index % RUN_COLOURS.length];
  }

  runsForPlots() {
    return this.mlp.runs.map((config, index) => ({
      label: this.results[index]?.label || config.label || `configuration ${index + 1}`,
      colour: this.colour(index),
      history: this.results[index]?.history || [],
      summary: this.results[index]?.summary || null,
      dataset: this.results[index]?.dataset || null,
    }));
  }

  async train() {
    if (!this.mlp.runs.length) this.add();
    if (!this.mlp.runs.length) return;
    this.stop();
    const controller = new AbortController();
    this.controller = controller;
    this.results = this.mlp.runs.map(() => ({ label: null, history: [], summary: null, dataset: null }));
    this.mlp.epoch = null;
    this.setTraining(true, "training…");
    const body = { configs: this.mlp.runs.map(({ label, ...config }) => ({ ...config, label: label || null })) };
    try {
      await streamTraining(body, controller.signal, (event, data) => this.onEvent(event, data));
      if (this.controller === controller) this.setTraining(false, "done");
    } catch (error) {
      if (controller.signal.aborted) return;
      this.setTraining(false, "");
      this.banner.show(error instanceof ApiError ? error.message : `Training stopped: ${error.message}`);
    } finally {
      if (this.controller === controller) this.controller = null;
      this.draw();
    }
  }

  onEvent(event, data) {
    const result = this.results[data.index];
    if (event === "start") {
      Object.assign(result, { label: data.label, dataset: data.dataset });
    } else if (event === "epoch") {
      result.history.push(data.entry);
      $("mlp-status").textContent = `training… epoch ${data.entry.epoch}`;
    } else if (event === "done") {
      result.summary = data.summary;
    } else if (event === "summary") {
      data.runs.forEach((summary, i) => { this.results[i].summary = summary; });
    } else if (event === "error") {
      this.banner.show(data.message);
    }
    this.scheduleDraw();
  }

  stop() {
    if (!this.controller) return;
    this.controller.abort();
    this.controller = null;
    this.setTraining(false, "stopped");
    this.draw();
  }

  setTraining(on, status) {
    $("mlp-stop").disabled = !on;
    $("mlp-train").disabled = on;
    $("mlp-status").textContent = status;
    document.body.dataset.mlpTraining = on ? "1" : "0";
  }

  // ---- drawing -------------------------------------------------------------------------------

  // Epoch events can arrive faster than five plots redraw; when the browser shares the CPU with
  // the server (a lecturer's laptop), redrawing on every event would slow the training down.
  scheduleDraw() {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => requestAnimationFrame(() => { this.scheduled = false; this.draw(); }), REDRAW_INTERVAL_MS);
  }

  drawRunList() {
    const chips = this.mlp.runs.map((config, index) => {
      const result = this.results[index];
      const summary = result?.summary;
      const state = summary ? summary.message : result?.history.length ? `epoch ${result.history.at(-1).epoch}` : "not trained";
      return el("span", { class: "run-chip", style: `--c:${this.colour(index)}`, "data-run": index },
                el("b", { text: result?.label || config.label || describe(config, this.meta.mlp) }),
                el("span", { class: `state ${summary?.status || ""}`, text: state }),
                el("button", { title: "remove", "aria-label": "remove", text: "×", onclick: () => this.remove(index) }));
    });
    $("mlp-runs").replaceChildren(...chips);
    const select = $("mlp-selected");
    fillSelect(select, this.mlp.runs.map((config, index) => [index, this.results[index]?.label || describe(config, this.meta.mlp)]));
    select.value = String(this.mlp.selected);
  }

  draw() {
    if ($("panel-mlp").hidden || !window.Plotly) return;
    const present = this.state.present;
    const runs = this.runsForPlots();
    this.drawRunList();
    const selected = runs[this.mlp.selected];
    const history = selected?.history || [];
    const last = history.length ? history.at(-1).epoch : 0;
    const epoch = this.mlp.epoch === null || this.mlp.epoch === undefined ? last : Math.min(this.mlp.epoch, last);
    $("mlp-epoch").max = last;
    $("mlp-epoch").value = epoch;
    $("mlp-epoch-out").textContent = `${epoch}`;
    const entry = history.find((e) => e.epoch === epoch);
    const snapshot = [...history].reverse().find((e) => e.decision && e.epoch <= epoch);
    this.rendered = Promise.all([
      // Drawn here, not when the points arrive: a plot drawn in a hidden tab gets a wrong size.
      this.preview ? render($("mlp-preview"), decisionFigure(null, null, this.preview, this.preview.features, false)) : null,
      render($("mlp-loss"), lossFigure(runs, this.mlp.logLoss, present)),
      render($("mlp-accuracy"), accuracyFigure(runs, present)),
      render($("mlp-histograms"), histogramFigure(selected && history.length ? selected : null, entry, present)),
      render($("mlp-gradients"), gradientFigure(selected, present)),
      render($("mlp-decision"), decisionFigure(selected, snapshot?.decision, selected?.dataset || this.preview,
                                               this.preview?.features, present)),
    ]);
  }

  // ---- exports --------------------------------------------------------------------------------

  async exportAs(format) {
    const runs = this.runsForPlots();
    const name = `optviz-mlp-${this.config.dataset}`;
    if (format === "png" || format === "svg") {
      return exportImage($("mlp-loss"), lossFigure(runs, this.mlp.logLoss, this.state.present), format, `${name}-loss`);
    }
    if (format === "json") {
      const body = { generator: "optviz", configs: this.mlp.runs,
                     runs: runs.map((run) => ({ label: run.label, summary: run.summary, history: run.history })) };
      return download(JSON.stringify(body, null, 1), `${name}.json`, "application/json");
    }
    if (format === "csv") {
      const depth = Math.max(0, ...runs.map((run) => run.history[0]?.layers.length || 0));
      const layerColumns = [...Array(depth).keys()].flatMap((i) => [`layer${i + 1}_grad_norm`, `layer${i + 1}_std`,
                                                                    `layer${i + 1}_saturated`, `layer${i + 1}_dead`]);
      const lines = [["label", "epoch", "train_loss", "val_loss", "train_acc", "val_acc", "lr", ...layerColumns].join(",")];
      for (const run of runs) {
        for (const e of run.history) {
          const layers = [...Array(depth).keys()].flatMap((i) => {
            const layer = e.layers[i];
            return layer ? [layer.grad_norm, layer.std, layer.saturated, layer.dead] : ["", "", "", ""];
          });
          lines.push([`"${run.label.replace(/"/g, '""')}"`, e.epoch, e.train_loss, e.val_loss, e.train_acc, e.val_acc, e.lr,
                      ...layers].join(","));
        }
      }
      return download(lines.join("\n") + "\n", `${name}.csv`, "text/csv");
    }
    return undefined;
  }
}

// The same label the server gives ("tanh · N(0, 0.01) · no BN"), before training starts.
function describe(config, meta) {
  const activation = meta.activations.find((a) => a.name === config.activation).title;
  const init = meta.initializers.find((i) => i.name === config.init).title;
  const parts = [activation, init, config.batchnorm ? "BN" : "no BN"];
  if (config.dropout) parts.push(`dropout ${fmt(config.dropout)}`);
  if (!config.standardize) parts.push("raw inputs");
  return parts.join(" · ");
}
