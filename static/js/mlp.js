// The MLP panel: a configuration form generated from the API's schema, a comparison of up to
// `max_configs` configurations trained side by side over a server-sent-event stream, the
// lecture presets the API lists, and the lecture's plots.
import { ApiError, getJson, streamTraining } from "./api.js";
import { el } from "./controls.js";
import { download } from "./exports.js";
import { render } from "./figures.js";
import { compare, runNames, sameConfiguration } from "./mlp-compare.js";
import { exportDashboard } from "./mlp-dashboard.js";
import { paramsFor, renderForm } from "./mlp-form.js";
import { schemaDefaults } from "./mlp-state.js";
import { accuracyFigure, decisionFigure, gradientFigure, histogramColumns, histogramFigure, lossScale, lossStars,
         mlpLossFigure, runColour, scaleNote, sliceFigure, STAR_MARK, STAR_MEANING } from "./mlpplots.js";

const $ = (id) => document.getElementById(id);
const REDRAW_INTERVAL_MS = 150;

export class MlpPanel {
  constructor(meta, state, banner, onChange) {
    this.meta = meta;          // {optimizers, schedules, mlp: GET /api/mlp/options}
    this.state = state;        // state.mlp = {config, runs, selected, logLoss (null: automatic), epoch (null: the last)}
    this.banner = banner;
    this.onChange = onChange;  // writes the URL
    this.results = [];         // per run: {label, history, summary, dataset}
    this.controller = null;
    this.scheduled = false;
    this.failed = false;       // the stream sent an error event
    this.logHeld = false;      // the automatic loss scale turned log for this comparison (lossScale)
  }

  get mlp() { return this.state.mlp; }

  get config() { return this.mlp.config; }

  get options() { return this.meta.mlp; }

  get schema() { return this.options.schema; }

  // ---- controls ------------------------------------------------------------------------

  build() {
    $("mlp-add").addEventListener("click", () => this.add());
    $("mlp-train").addEventListener("click", () => this.train());
    $("mlp-stop").addEventListener("click", () => this.stop());
    $("mlp-clear").addEventListener("click", () => this.clear());
    $("mlp-presets").replaceChildren(...(this.options.presets || []).map((preset) => el("button", {
      type: "button", "data-mlp-preset": preset.id, title: preset.explanation, text: preset.title,
      onclick: () => this.preset(preset.id) })));
    $("mlp-more").addEventListener("click", (event) => {
      event.preventDefault();  // a button in the summary: it must not fold the explanation
      $("mlp-preset-explanation").classList.toggle("full");
      this.fitExplanation();
    });
    window.addEventListener("resize", () => this.fitExplanation());
    $("mlp-log-loss").addEventListener("change", () => { this.mlp.logLoss = $("mlp-log-loss").checked; this.onChange(); this.draw(); });
    $("mlp-selected").addEventListener("change", () => { this.mlp.selected = Number($("mlp-selected").value); this.onChange(); this.draw(); });
    $("mlp-epoch").addEventListener("input", () => { this.mlp.epoch = Number($("mlp-epoch").value); this.draw(); });
    $("mlp-epoch").addEventListener("change", () => this.onChange());  // the link shows the same epoch
    for (const button of document.querySelectorAll("[data-mlp-export]")) {
      button.addEventListener("click", () => this.exportAs(button.dataset.mlpExport)
        .catch((e) => this.banner.show(`Export failed: ${e.message}`)));
    }
    // A link made before duplicates were refused may list one configuration twice: it is one run.
    this.mlp.runs = this.mlp.runs.filter((run, i) => this.mlp.runs.findIndex((other) => this.isSame(run, other)) === i);
    this.mlp.selected = Math.min(this.mlp.selected, Math.max(0, this.mlp.runs.length - 1));
    this.sync();
    this.loadPreview();
  }

  isSame(a, b) {
    return sameConfiguration(a, b, this.schema, this.meta);
  }

  // The index of the comparison's run that is the form's configuration, or -1.
  inComparison() {
    return this.mlp.runs.findIndex((run) => this.isSame(run, this.config));
  }

  changed() {
    this.sync();
    this.onChange();
  }

  // A field of the form changed. Changing the optimizer starts from its own defaults (torch's);
  // a change of the data redraws the preview.
  setField(name, value, { quiet = false } = {}) {
    const field = this.schema.find((f) => f.name === name);
    this.config[name] = value;
    const dependent = this.schema.find((f) => f.of === name);  // the optimizer's hyperparameters
    if (dependent) this.config[dependent.name] = paramsFor(this.meta[field.registry][value]);
    if (field.group === "data") this.loadPreview();
    if (quiet) {
      this.onChange();
      this.drawAddButton();
    } else this.changed();
  }

  // Put the configuration's values into the form (after a change, a preset or a link).
  sync() {
    const containers = { data: $("mlp-group-data"), network: $("mlp-group-network"), training: $("mlp-group-training") };
    renderForm(containers, this.schema, this.config, this.meta, (name, value, options) => this.setField(name, value, options));
    this.drawRunList();
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
    const limit = this.options.max_configs;
    if (this.mlp.runs.length >= limit) {
      this.banner.show(`A comparison holds at most ${limit} configurations: remove one first.`);
      return;
    }
    if (this.inComparison() >= 0) return;  // the button says so and is disabled (drawRunList)
    this.mlp.runs.push(structuredClone(this.config));
    this.results.push(null);
    this.logHeld = false;
    this.mlp.epoch = null;  // a new comparison: its histograms follow its last epoch
    this.onChange();
    this.drawRunList();
  }

  remove(index) {
    if (this.controller) this.stop();
    this.mlp.runs.splice(index, 1);
    this.results.splice(index, 1);
    this.logHeld = false;
    this.mlp.epoch = null;
    this.mlp.selected = Math.min(this.mlp.selected, Math.max(0, this.mlp.runs.length - 1));
    this.onChange();
    this.draw();
  }

  clear() {
    this.stop();
    this.banner.clear();
    $("mlp-preset-explanation").hidden = true;
    this.mlp.runs = [];
    this.results = [];
    this.mlp.selected = 0;
    this.mlp.epoch = null;
    this.mlp.logLoss = null;  // the loss axis's automatic scale again
    this.logHeld = false;
    this.onChange();
    this.draw();
  }

  // The state's comparison was replaced (a lesson opened in place): show it, untrained.
  restore() {
    this.controller?.abort();
    this.controller = null;
    this.setTraining(false, "");
    $("mlp-preset-explanation").hidden = true;
    this.results = this.mlp.runs.map(() => null);
    this.logHeld = false;
    this.sync();
    this.loadPreview();
    this.draw();
  }

  // A lecture preset from the API: its configurations (on the schema's defaults), its explanation
  // and the epoch its explanation speaks of, where the histograms open (null: the last one).
  preset(id) {
    const preset = this.options.presets.find((p) => p.id === id);
    this.stop();
    this.banner.clear();
    const defaults = schemaDefaults(this.schema);
    this.mlp.runs = preset.configs.slice(0, this.options.max_configs).map((config) => ({ ...structuredClone(defaults),
                                                                                         ...structuredClone(config) }));
    this.results = this.mlp.runs.map(() => null);
    this.mlp.config = structuredClone(this.mlp.runs[0]);
    this.mlp.selected = 0;
    this.mlp.epoch = preset.epoch ?? null;
    this.mlp.logLoss = null;
    this.logHeld = false;
    // Folds away (its summary is the title) so the charts fit a projector's screen.
    const explanation = $("mlp-preset-explanation");
    explanation.querySelector(".mlp-explanation-title").textContent = preset.title;
    explanation.querySelector(".mlp-explanation-text").textContent = preset.explanation;
    explanation.classList.remove("full");
    explanation.open = true;
    explanation.hidden = false;
    this.fitExplanation();
    this.sync();
    this.loadPreview();
    this.onChange();
    this.train();
  }

  // What the configurations share and what sets each apart (from the schema).
  sharedSettings() {
    return compare(this.mlp.runs, this.schema, this.meta);
  }

  // Names in chips, legends and exports: what sets each configuration apart from the others.
  names() {
    return runNames(this.mlp.runs, this.schema, this.meta, this.results.map((r) => r?.label));
  }

  runsForPlots() {
    const names = this.names();
    return this.mlp.runs.map((config, index) => ({
      label: names[index],
      colour: runColour(index),
      history: this.results[index]?.history || [],
      summary: this.results[index]?.summary || null,
      dataset: this.results[index]?.dataset || null,
    }));
  }

  async train() {
    if (!this.mlp.runs.length) this.add();
    if (!this.mlp.runs.length) return;
    this.stop();
    this.banner.clear();
    const controller = new AbortController();
    this.controller = controller;
    this.results = this.mlp.runs.map(() => ({ label: null, history: [], summary: null, dataset: null }));
    // The epoch shown stays (a lesson's or a preset's, or the lecturer's): the histograms show it
    // as soon as it is trained, and the last one until then.
    this.setTraining(true, "training…");
    const body = { configs: this.mlp.runs.map(({ label, ...config }) => ({ ...config, label: label || null })) };
    try {
      this.failed = false;
      // Events already read when Stop is pressed are dropped: a stopped comparison stays as it stopped.
      await streamTraining(body, controller.signal, (event, data) => {
        if (this.controller === controller) this.onEvent(event, data);
      });
      if (this.controller === controller) this.setTraining(false, this.failed ? "failed" : "done");
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
    if (event === "queued") {
      // The server runs a bounded number of trainings; this one waits its turn. Its position is
      // its place in the line (1: the next to start).
      const ahead = data.position - 1;
      $("mlp-status").textContent = `waiting for a training slot: ${ahead ? `${ahead} ahead` : "next in line"}`;
      return;
    }
    const result = this.results[data.index];
    if (event === "start") {
      Object.assign(result, { label: data.label, dataset: data.dataset });
      $("mlp-status").textContent = "training…";
    } else if (event === "epoch") {
      result.history.push(data.entry);
      $("mlp-status").textContent = `training… epoch ${data.entry.epoch}`;
    } else if (event === "done") {
      result.summary = data.summary;
    } else if (event === "summary") {
      data.runs.forEach((summary, i) => { this.results[i].summary = summary; });
    } else if (event === "error") {
      this.failed = true;
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

  // A preset's explanation scrolls in a few lines in presenter mode (the charts stay above the
  // fold): while some of its text is out of the box, "more" says so and grows the box to the
  // whole text; grown, "less" folds it back.
  fitExplanation() {
    const box = $("mlp-preset-explanation");
    const more = $("mlp-more");
    if (box.hidden || !box.open) { more.hidden = true; return; }
    const full = box.classList.contains("full");
    more.hidden = !full && box.scrollHeight <= box.clientHeight + 1;
    more.textContent = full ? "less ▴" : "more ▾";
    more.title = full ? "Fold the explanation back to a few lines" : "Show the whole explanation (the charts move down)";
  }

  // Epoch events can arrive faster than five plots redraw; when the browser shares the CPU with
  // the server (a lecturer's laptop), redrawing on every event would slow the training down.
  scheduleDraw() {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => requestAnimationFrame(() => { this.scheduled = false; this.draw(); }), REDRAW_INTERVAL_MS);
  }

  drawRunList() {
    const names = this.names();
    const { shared } = this.sharedSettings();
    const chips = this.mlp.runs.map((config, index) => {
      const result = this.results[index];
      const summary = result?.summary;
      const state = summary ? summary.message : result?.history.length ? `epoch ${result.history.at(-1).epoch}` : "not trained";
      return el("span", { class: "run-chip", style: `--c:${runColour(index)}`, "data-run": index,
                          title: `${result?.label || names[index]}: ${state}` },
                el("b", { text: names[index] }),
                el("span", { class: `state ${summary?.status || ""}`, text: state }),
                el("button", { title: "remove", "aria-label": "remove", text: "×", onclick: () => this.remove(index) }));
    });
    $("mlp-runs").replaceChildren(...chips);
    $("mlp-runs").dataset.emptyHint = this.emptyHint();
    $("mlp-shared").textContent = shared.join(" · ");
    $("mlp-shared-box").hidden = this.mlp.runs.length < 2 || !shared.length;
    this.drawAddButton(names);
    const select = $("mlp-selected");
    select.replaceChildren(...names.map((name, index) => el("option", { value: index, text: name })));
    select.value = String(this.mlp.selected);
  }

  // What an empty comparison says to do: the form is on the left only while the controls show.
  emptyHint() {
    if (this.state.controls) {
      return "No configuration yet: set one up on the left and press “Add to comparison” (or run one of the lecture presets).";
    }
    return `No configuration yet: press “Add to comparison” for the current settings (“${$("toggle-controls").textContent}”`
      + " shows them) or run one of the lecture presets.";
  }

  // The form's configuration is already a run (trained, or added): adding it again would only
  // train the same network twice under one name, so the button says so instead.
  drawAddButton(names = this.names()) {
    const present = this.inComparison();
    const add = $("mlp-add");
    add.disabled = present >= 0;
    add.textContent = present >= 0 ? "✓ In the comparison" : "Add to comparison";
    add.title = present >= 0 ? `This configuration is already in the comparison (“${names[present]}”): change a setting `
      + "to add another" : "Add this configuration to the comparison";
  }

  // What the plots show now: the selected run, its epoch, the activation's capabilities.
  view() {
    const runs = this.runsForPlots();
    const selected = runs[this.mlp.selected];
    const history = selected?.history || [];
    const last = history.length ? history.at(-1).epoch : 0;
    const epoch = this.mlp.epoch === null || this.mlp.epoch === undefined ? last : Math.min(this.mlp.epoch, last);
    const config = this.mlp.runs[this.mlp.selected];
    const activationField = this.schema.find((f) => f.registry && this.options[f.registry]?.some((a) => "can_die" in a));
    const activation = config && activationField
      ? this.options[activationField.registry].find((a) => a.name === config[activationField.name]) : null;
    return { runs, selected, history, epoch, last, canDie: Boolean(activation?.can_die),
             scale: this.lossScale(runs),
             entry: history.find((e) => e.epoch === epoch),
             snapshot: [...history].reverse().find((e) => e.decision && e.epoch <= epoch) };
  }

  // The loss axis's scale (lossScale), decided on the epochs received so far; once the rule says
  // log for this comparison, it holds.
  lossScale(runs) {
    const scale = lossScale(runs, this.mlp.logLoss, this.logHeld);
    if (scale.auto && scale.log) this.logHeld = true;
    return scale;
  }

  figures(view, present, sizes = {}) {
    const { runs, selected, entry, snapshot, canDie } = view;
    return {
      loss: mlpLossFigure(runs, view.scale.log, present),
      accuracy: accuracyFigure(runs, present),
      histograms: histogramFigure(selected && view.history.length ? selected : null, entry, present, canDie,
                                  sizes.histograms),
      gradients: gradientFigure(selected, present),
      decision: decisionFigure(snapshot?.decision, selected?.dataset || this.preview, this.preview?.features, present),
      // the slice's valley keeps its linear picture unless the lecturer asks for a log axis
      slice: sliceFigure(runs, this.mlp.logLoss === true, present),
    };
  }

  draw() {
    if ($("panel-mlp").hidden || !window.Plotly) return;
    const present = this.state.present;
    this.fitExplanation();
    const view = this.view();
    this.drawRunList();
    $("mlp-epoch").max = view.last;
    $("mlp-epoch").value = view.epoch;
    // Epoch 0 is the network before any update: said so, as the lessons say "at initialization".
    // A lesson or preset opened there (mepoch=0) speaks of training too, and the loss chart beside
    // shows it: the panels that still show epoch 0 say so in a badge, or their untrained regions
    // read as "the network did not learn".
    const untrained = view.epoch === 0 && view.last > 0;
    $("mlp-epoch-out").textContent = view.epoch === 0 && view.history.length ? "0 (initialization)" : `${view.epoch}`;
    $("mlp-epoch-out").classList.toggle("at-init", untrained);
    // The regions are the network's at the epoch the histograms show (the last snapshot up to it).
    const decisionAt = $("mlp-decision-epoch");
    decisionAt.textContent = !view.snapshot ? "" : untrained && view.snapshot.epoch === 0
      ? "at initialization (epoch 0)" : `at epoch ${view.snapshot.epoch}`;
    decisionAt.classList.toggle("at-init", untrained && view.snapshot?.epoch === 0);
    decisionAt.title = untrained ? `Before the first update; drag the epoch slider to ${view.last} for the trained network` : "";
    $("mlp-log-loss").checked = view.scale.log;
    $("mlp-log-auto").hidden = !view.scale.auto || !(view.scale.span || view.scale.held);
    $("mlp-log-label").title = scaleNote(view.scale);
    const layers = view.entry?.layers.length || 0;
    $("mlp-histograms").classList.toggle("two-rows", histogramColumns(layers) < layers);
    // The stars' meaning shows while a star is drawn: a compact mark, said in full in its tooltip.
    $("mlp-loss-star").textContent = STAR_MARK;
    $("mlp-loss-star").title = `${STAR_MEANING}: each run's trained epoch whose validation loss is the lowest `
      + "(epoch 0 is the network before any update).";
    $("mlp-loss-star").hidden = !lossStars(view.runs, present).length;
    const figures = this.figures(view, present, { histograms: { width: $("mlp-histograms").clientWidth, height: $("mlp-histograms").clientHeight } });
    this.rendered = Promise.all([
      // Drawn here, not when the points arrive: a plot drawn in a hidden tab gets a wrong size.
      this.preview ? render($("mlp-preview"), decisionFigure(null, this.preview, this.preview.features, false)) : null,
      render($("mlp-loss"), figures.loss),
      render($("mlp-accuracy"), figures.accuracy),
      render($("mlp-histograms"), figures.histograms),
      render($("mlp-gradients"), figures.gradients),
      render($("mlp-decision"), figures.decision),
      // Shown once a trained network has been sliced (the server sends it with the run's summary).
      ($("mlp-slice-box").hidden = !figures.slice.data.length) ? null : render($("mlp-slice"), figures.slice),
    ]);
  }

  // ---- exports --------------------------------------------------------------------------------

  async exportAs(format) {
    const runs = this.runsForPlots();
    const name = `optviz-mlp-${this.config.dataset}`;
    if (format === "png" || format === "svg") return exportDashboard(this, format, name);
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
            return layer ? [layer.grad_norm, layer.std, layer.saturated, layer.dead ?? ""] : ["", "", "", ""];
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
