// The optimizer-paths panel: every control handler does the same thing —
// update state -> write URL -> request -> render.
import { ApiError, getGrid, postTrajectories } from "./api.js";
import { el, fmt } from "./controls.js";
import { download, exportImage, standaloneHtml, trajectoriesCsv, trajectoriesJson } from "./exports.js";
import { controlMethods } from "./pathcontrols.js";
import { SWEEP_DASHES, colourOf, shade } from "./palette.js";
import { Player } from "./player.js";
import { lossFigure, lrFigure, mainFigure, render, renderLayers, surfaceTransform, transformGrid } from "./plots.js";
import { toQuery, writeUrl } from "./state.js";

const GRID_RESOLUTION = 160;
const $ = (id) => document.getElementById(id);

export class PathsPanel {
  constructor(meta, state, banner) {
    this.meta = meta;           // {surfaces, optimizers, schedules} keyed by name
    this.state = state;
    this.banner = banner;
    this.results = {};          // run key -> API result
    this.versions = {};         // run key -> version of its inputs; stale answers are dropped
    this.dirty = new Set();
    this.inflight = false;
    this.grid = null;
    this.frame = 0;
    this.rendered = null;       // resolves after each completed redraw (used by tests and benchmarks)
    this.player = new Player((f) => this.showFrame(f), () => this.onPlayEnd());
    this.player.speed = state.speed;
  }

  // ---- derived values -------------------------------------------------------------

  get surface() { return this.meta.surfaces[this.state.surface]; }

  start() { return this.state.start || this.surface.start; }

  paramsOf(name) {
    const spec = this.meta.optimizers[name];
    const defaults = Object.fromEntries(spec.hyperparameters.map((h) => [h.name, h.default]));
    return { ...defaults, lr: this.surface.suggested_lr[name] ?? defaults.lr, ...(this.state.params[name] || {}) };
  }

  // The runs on screen: the enabled optimizers, or one optimizer's learning-rate sweep.
  runs() {
    const { sweep } = this.state;
    if (sweep) {
      const base = this.paramsOf(sweep.optimizer);
      const title = this.meta.optimizers[sweep.optimizer].title;
      return sweep.lrs.map((lr, i) => ({
        key: `sweep-${i}`, optimizer: sweep.optimizer, params: { ...base, lr }, label: `${title} η=${fmt(lr)}`,
        colour: shade(colourOf(sweep.optimizer), i, sweep.lrs.length), dash: SWEEP_DASHES[i % SWEEP_DASHES.length],
        result: this.results[`sweep-${i}`],
      }));
    }
    return Object.keys(this.meta.optimizers).filter((name) => this.state.enabled.includes(name)).map((name) => ({
      key: name, optimizer: name, params: this.paramsOf(name), label: this.meta.optimizers[name].title,
      colour: colourOf(name), result: this.results[name],
    }));
  }

  maxFrame() {
    return Math.max(0, ...this.runs().map((run) => run.result?.steps_taken ?? 0));
  }

  // ---- requests ----------------------------------------------------------------------

  // Mark runs as changed. Only one request is in flight; changes made meanwhile are sent
  // together when it returns, so dragging a slider never queues up stale work.
  refresh(keys = null) {
    const runs = this.runs();
    for (const run of runs) {
      if (keys === null || keys.includes(run.key)) {
        this.versions[run.key] = (this.versions[run.key] || 0) + 1;
        this.dirty.add(run.key);
      }
    }
    this.syncUrl();
    this.pump();
  }

  async pump() {
    if (this.inflight || !this.dirty.size) return;
    const runs = this.runs().filter((run) => this.dirty.has(run.key));
    this.dirty.clear();
    if (!runs.length) { this.draw(); return; }
    const sent = Object.fromEntries(runs.map((run) => [run.key, this.versions[run.key]]));
    this.inflight = true;
    try {
      const answer = await postTrajectories(this.requestBody(runs));
      answer.runs.forEach((result, i) => {
        if (this.versions[runs[i].key] === sent[runs[i].key]) this.results[runs[i].key] = result;
      });
      this.banner.clear();
      this.draw();
    } catch (error) {
      this.banner.show(error instanceof ApiError ? error.message : `Could not reach the server: ${error.message}`);
    } finally {
      this.inflight = false;
      if (this.dirty.size) this.pump();
    }
  }

  requestBody(runs) {
    const { state } = this;
    const schedule = state.schedule ? { name: state.schedule.name, params: state.schedule.params } : null;
    return {
      surface: state.surface, surface_params: state.surfaceParams, start: this.start(), steps: state.steps,
      noise: state.noise, seed: state.seed,
      batch_size: state.surface === "linear_regression" ? state.batch : null,
      runs: runs.map((run) => ({ optimizer: run.optimizer, params: run.params, schedule, clip_norm: state.clip,
                                 label: run.label })),
    };
  }

  async loadGrid() {
    const name = this.state.surface;
    try {
      const grid = await getGrid(name, this.state.surfaceParams, GRID_RESOLUTION);
      if (name !== this.state.surface) return;
      const transform = surfaceTransform(this.surface, grid);
      this.grid = { data: grid, transform, zView: transformGrid(grid, transform) };
      this.draw();
    } catch (error) {
      this.banner.show(error.message);
    }
  }

  syncUrl() {
    writeUrl(this.state);
  }

  // ---- rendering ---------------------------------------------------------------------

  draw() {
    if (!this.grid || !window.Plotly) return;
    // While playing, the player owns the frame; otherwise the state does (null = the end).
    if (!this.player.playing) this.frame = this.state.frame ?? this.maxFrame();
    this.frame = Math.min(this.frame, this.maxFrame());
    const runs = this.runs();
    const figure = mainFigure(this.figureContext(runs));
    const contour = this.state.view === "contour";
    $("plot-back").hidden = !contour;
    const pending = [contour ? renderLayers($("plot"), $("plot-back"), figure) : render($("plot"), figure)];
    const fStar = Math.min(...this.surface.minima.map((m) => m.value));
    pending.push(render($("loss-chart"), lossFigure({ runs, frame: this.frame, log: this.state.logLoss, fStar,
                                                      present: this.state.present })));
    const scheduled = Boolean(this.state.schedule);
    $("lr-box").hidden = !scheduled;
    if (scheduled) pending.push(render($("lr-chart"), lrFigure({ runs, frame: this.frame, present: this.state.present })));
    this.updateTransport();
    this.updateInspector(runs);
    this.updateStatuses(runs);
    this.rendered = Promise.all(pending);
    this.drawCount = (this.drawCount || 0) + 1;
    document.body.dataset.draws = this.drawCount;
  }

  figureContext(runs) {
    return {
      surface: this.surface, grid: this.grid.data, zView: this.grid.zView, transform: this.grid.transform, runs,
      frame: this.frame, start: this.start(), view: this.state.view, arrows: this.state.arrows,
      present: this.state.present,
    };
  }

  showFrame(frame) {
    this.frame = frame;
    this.draw();
  }

  // Both layers in one figure: what the exports draw.
  fullFigure() {
    return mainFigure(this.figureContext(this.runs()));
  }

  updateTransport() {
    const max = this.maxFrame();
    const scrubber = $("scrubber");
    scrubber.max = max;
    scrubber.value = this.frame;
    $("frame-out").textContent = `step ${this.frame} / ${max}`;
    $("play").textContent = this.player.playing ? "❚❚ Pause" : "▶ Play";
  }

  updateInspector(runs) {
    const box = $("inspector");
    const f = this.frame;
    const rows = [el("h2", { text: `Step ${f}` }),
                  el("p", { class: "hint", text: "Thin arrow: direction of −∇f. Thick arrow: the step taken." })];
    for (const run of runs) {
      const r = run.result;
      if (!r || !r.points) continue;
      const i = Math.min(f, r.steps_taken);
      const table = el("table");
      const add = (name, value) => table.append(el("tr", {}, el("td", { text: name }), el("td", { text: value })));
      const pair = (v) => `(${fmt(v[0])}, ${fmt(v[1])})`;
      add("step", f > r.steps_taken ? `${r.steps_taken} (ended)` : String(i));
      add("θ", pair(r.points[i]));
      add("f(θ)", fmt(r.loss[i], 6));
      if (i < r.steps_taken) {
        add("∇f", pair(r.grad[i]));
        add("η", fmt(r.lr[i]));
        add("Δθ", pair([r.points[i + 1][0] - r.points[i][0], r.points[i + 1][1] - r.points[i][1]]));
      }
      if (i >= 1) for (const [name, values] of Object.entries(r.state)) add(name, pair(values[i - 1]));
      rows.push(el("div", { class: "run", style: `--c:${run.colour}` }, el("b", { text: run.label }),
                   el("div", { class: `opt-status ${r.status}`, text: r.message }), table));
    }
    box.replaceChildren(...rows);
  }

  updateStatuses(runs) {
    for (const run of runs) {
      const node = document.querySelector(`[data-status="${run.key}"]`);
      if (!node || !run.result) continue;
      node.textContent = run.result.message;
      node.className = `opt-status ${run.result.status}`;
    }
  }

  // ---- animation ---------------------------------------------------------------------

  togglePlay() {
    if (this.player.playing) {
      this.player.pause();
    } else {
      this.player.play(this.frame, this.maxFrame());
    }
    this.state.frame = this.frame;
    this.syncUrl();
    this.updateTransport();
  }

  onPlayEnd() {
    this.state.frame = null;  // finished: follow the end of the paths again
    this.syncUrl();
    this.draw();
  }

  seek(frame) {
    this.player.pause();
    const target = Math.max(0, Math.min(this.maxFrame(), frame));
    this.state.frame = target >= this.maxFrame() ? null : target;
    this.syncUrl();
    this.draw();
  }

  // ---- view, exports ---------------------------------------------------------------------

  setView(view) {
    this.state.view = view;
    for (const button of document.querySelectorAll("[data-view]")) {
      button.setAttribute("aria-pressed", String(button.dataset.view === view));
    }
    this.syncUrl();
    this.draw();
  }

  async exportAs(format) {
    const name = `optviz-${this.state.surface}`;
    const runs = this.runs();
    if (format === "png" || format === "svg") return exportImage($("plot"), this.fullFigure(), format, name);
    if (format === "csv") return download(trajectoriesCsv(runs), `${name}.csv`, "text/csv");
    if (format === "json") {
      const scene = { ...this.requestBody(runs), link: `${location.origin}/?${toQuery(this.state)}` };
      return download(trajectoriesJson(scene, runs), `${name}.json`, "application/json");
    }
    if (format === "html") {
      const html = await standaloneHtml(this.figureContext(runs));
      return download(html, `${name}.html`, "text/html");
    }
    return undefined;
  }
}

Object.assign(PathsPanel.prototype, controlMethods);
