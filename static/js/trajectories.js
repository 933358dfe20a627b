// The optimizer-paths panel: every control handler does the same thing —
// update state -> write URL -> request -> render.
import { ApiError, getFormula, getGrid, getScene, postSurface, postTrajectories } from "./api.js";
import { beginGesture, el, endGesture, fmt, gesture } from "./controls.js";
import { animatedGif, canCopyImages, copyImage, download, exportImage, exportWithProgress, sceneFigure, sceneTitle, standaloneHtml,
         trajectoriesCsv, trajectoriesJson, videoType, webmVideo } from "./exports.js";
import { DASHES, paletteColour, paletteDash, render, sweepShade } from "./figures.js";
import { isTyped, surfaceKey, surfaceOnScreen, surfaceRequest, writeOwnSurface } from "./ownsurface.js";
import { PathControls } from "./pathcontrols.js";
import { Player } from "./player.js";
import { coversView, equalAspectView, lossFigureOf, lrFigure, mainFigure, marginsFor, renderLayers, surfaceTransform,
         transformGrid, VANISHED_GRADIENT } from "./plots.js";
import { fieldsIn, fromQuery, keysIn, toQuery, writeUrl } from "./state.js";

const GRID_RESOLUTION = 160;
// After the plot box changes size, wait this long for it to settle (and for plotly to have
// resized both layers: a contour given new data while its resize is pending fails) before
// redrawing at the new view.
const REGRID_DELAY_MS = 300;
// See updateLegend.
const LEGEND_LINES = 3;
// Scenes Ctrl+Z can go back through.
const UNDO_DEPTH = 50;
// A change's link is written once the scene has rested this long (syncUrlAtRest).
const URL_REST_MS = 200;
// Requests on their way at once (see pump).
const MAX_IN_FLIGHT = 2;
// Until the server suggests a sweep for the surface at hand (GET /api/surfaces/{name}/scene).
const FALLBACK_SWEEP = { factors: [0.1, 1, 4], labels: ["too small", "good", "too large"] };
const $ = (id) => document.getElementById(id);

export class PathsPanel {
  constructor(meta, state, banner) {
    this.meta = meta;           // {surfaces, optimizers, schedules, limits} keyed by name
    this.state = state;
    this.banner = banner;
    this.results = {};          // run key -> API result
    this.versions = {};         // run key -> version of its inputs; stale answers are dropped
    this.dirty = new Set();
    this.requests = new Set();  // on their way: {sent: {run key: version}, controller}
    this.pumpQueued = false;
    this.grid = null;
    this.scene = null;          // the server's scene for the surface and its parameters
    this.frame = 0;
    this.rendered = null;       // resolves after each completed redraw (used by tests and benchmarks)
    this.player = new Player((f) => this.showFrame(f), () => this.onPlayEnd());
    this.player.speed = state.speed;
    this.controls = new PathControls(this);
    this.undoStack = [];        // earlier scenes (their links without presentation keys)
    this.shownScene = sceneOf(state, meta);
    this.lastGesture = 0;
    // Video and copying an image only where this browser can (both need a secure context:
    // https or localhost, not a student's http://<address>).
    document.querySelector("[data-export=webm]").hidden = !videoType();
    document.querySelector("[data-export=copy]").hidden = !canCopyImages();
    this.followPlotBox();
  }

  // ---- derived values -------------------------------------------------------------

  // A registry entry, or a typed formula / your own data completed by the scene (ownsurface.js).
  get surface() { return surfaceOnScreen(this.meta, this.state, this.outline, this.scene); }

  // Surfaces with data (a training set) take mini-batches.
  get hasData() { return Boolean(this.surface.data); }

  samples() {
    return this.state.surfaceParams.samples ?? this.surface.data?.x.length ?? 1;
  }

  start() { return this.state.start || this.scene?.start || this.surface.start; }

  colourOf(name) { return paletteColour(Object.keys(this.meta.optimizers).indexOf(name)); }

  dashOf(name) { return paletteDash(Object.keys(this.meta.optimizers).indexOf(name)); }

  suggestedLr(name) { return (this.scene?.suggested_lr || this.surface.suggested_lr)[name]; }

  paramsOf(name) {
    const spec = this.meta.optimizers[name];
    const defaults = Object.fromEntries(spec.hyperparameters.map((h) => [h.name, h.default]));
    return { ...defaults, lr: this.suggestedLr(name) ?? defaults.lr, ...(this.state.params[name] || {}) };
  }

  sweepFactors(name) { return this.scene?.sweep?.[name] || FALLBACK_SWEEP; }

  sweepPreset(name) {
    const good = this.suggestedLr(name) ?? this.paramsOf(name).lr;
    return this.sweepFactors(name).factors.map((f) => Number((good * f).toPrecision(3)));
  }

  // The runs on screen: the enabled optimizers, or one optimizer's learning-rate sweep.
  runs() {
    const { sweep } = this.state;
    if (sweep) {
      const base = this.paramsOf(sweep.optimizer);
      const title = this.meta.optimizers[sweep.optimizer].title;
      // The preset's rates are named by what they are and the factor used: "too large (×8)".
      const preset = this.sweepPreset(sweep.optimizer);
      const { factors, labels } = this.sweepFactors(sweep.optimizer);
      const named = preset.length === sweep.lrs.length && preset.every((lr, i) => Math.abs(lr - sweep.lrs[i]) <= 1e-9 * lr);
      const nameOf = (lr, i) => (named ? `${title} η=${fmt(lr)}: ${labels[i]} (×${fmt(factors[i])})` : `${title} η=${fmt(lr)}`);
      return sweep.lrs.map((lr, i) => ({
        key: `sweep-${i}`, optimizer: sweep.optimizer, params: { ...base, lr }, label: nameOf(lr, i),
        colour: sweepShade(i, sweep.lrs.length), dash: DASHES[i % DASHES.length],
        result: this.results[`sweep-${i}`],
      }));
    }
    return Object.keys(this.meta.optimizers).filter((name) => this.state.enabled.includes(name)).map((name) => ({
      key: name, optimizer: name, params: this.paramsOf(name), label: this.meta.optimizers[name].title,
      colour: this.colourOf(name), dash: this.dashOf(name), result: this.results[name],
    }));
  }

  // Whether a request is on its way, and whether an answer is still awaited (tests and
  // benchmarks wait for these to turn false).
  get inflight() { return this.requests.size > 0; }

  // Something is on its way: paths, a scene, the grid of a view the plot box changed to, or the
  // link of the latest change.
  get busy() {
    return this.inflight || this.dirty.size > 0 || Boolean(this.sceneLoading || this.resizing || this.gridLoading
                                                           || this.urlTimer);
  }

  maxFrame() {
    return Math.max(0, ...this.runs().map((run) => run.result?.steps_taken ?? 0));
  }

  // ---- scene changes (each handler: update state, then refresh) ----------------------------

  setSurface(name) {
    this.showLoading(true);
    this.state.surface = name;
    this.state.surfaceParams = {};
    this.state.data = null;
    const typed = isTyped(this.meta, this.state);
    this.state.formula = typed ? this.state.formula || this.meta.formula.examples[0].formula : null;
    if (!typed) this.state.domain = null;
    this.state.start = null;
    // Learning rates are surface-specific (suggested per surface); other settings carry over.
    for (const params of Object.values(this.state.params)) delete params.lr;
    if (!this.hasData) this.state.batch = null;
    this.surfaceChanged();
  }

  // A formula from the formula box (checked there), with its plot or null for the default.
  setFormula(formula, domain) {
    Object.assign(this.state, { surface: this.meta.formula.name, formula, domain, surfaceParams: {}, data: null,
                                start: null, batch: null });
    for (const params of Object.values(this.state.params)) delete params.lr;
    this.surfaceChanged();
  }

  // Your own rows from the data box ([[x, y], ...]), or null for the generated data.
  setData(rows) {
    Object.assign(this.state, { data: rows, surfaceParams: {}, start: null, batch: null });
    for (const params of Object.values(this.state.params)) delete params.lr;
    this.surfaceChanged();
  }

  setSurfaceParam(name, value) {
    this.state.surfaceParams = { ...this.state.surfaceParams, [name]: value };
    this.state.data = null;  // generated data again: their parameters do not apply to your own
    this.state.start = null;
    for (const params of Object.values(this.state.params)) delete params.lr;
    this.surfaceChanged();
  }

  // The surface or its parameters changed: new grid, new scene (start, rates, sweep), new paths.
  // The plot box takes the domain's aspect (CSS reads it), so an equal-aspect plot fills it.
  syncAspect() {
    const [[x0, x1], [y0, y1]] = this.surface.domain;
    $("panel-paths").style.setProperty("--aspect", String((y1 - y0) / (x1 - x0)));
  }

  surfaceChanged() {
    this.loading = true;  // draw the new surface once its grid, scene and paths are all here
    this.syncAspect();
    this.results = {};
    this.grid = null;
    this.scene = null;
    this.outline = null;
    this.state.frame = null;
    this.syncUrl();
    this.loadGrid();
    this.awaitScene(() => {
      if (this.state.sweep) this.state.sweep = { ...this.state.sweep, lrs: this.sweepPreset(this.state.sweep.optimizer) };
      this.controls.buildOptimizerList();
      this.controls.syncSurface();
      this.refresh();
    });
  }

  // Load the scene of the surface now set, then `then()`. While κ is dragged the surface changes
  // on every move and a scene takes the server a second or more: one request is on its way at a
  // time, and when it is answered for values since moved on, the latest values go next (so the
  // server never works through a queue of scenes no one will see, and an earlier answer never
  // ends the loading state, rebuilds the controls or sends paths for a scene not in use).
  awaitScene(then) {
    this.sceneLoading = true;
    this.afterScene = then;
    if (this.sceneRequest) { this.sceneAgain = true; return; }
    const ask = () => {
      this.sceneAgain = false;
      this.sceneRequest = this.loadScene().then(() => {
        this.sceneRequest = null;
        if (this.sceneAgain) { ask(); return; }
        this.sceneLoading = false;
        this.afterScene();
      });
    };
    ask();
  }

  toggleOptimizer(name, on) {
    const enabled = new Set(this.state.enabled);
    if (on) enabled.add(name); else enabled.delete(name);
    this.state.enabled = Object.keys(this.meta.optimizers).filter((n) => enabled.has(n));
    this.controls.markEnabled(name, on);
    this.controls.buildRules();
    if (on) this.refresh([name]);
    else { this.syncUrl(); this.rememberScene(); this.draw(); }
  }

  setParam(name, param, value) {
    this.state.params[name] = { ...(this.state.params[name] || {}), [param]: value };
    if (param !== "lr") this.controls.buildRules();  // the rule shown is the rule run
    if (this.state.sweep?.optimizer === name && param !== "lr") this.refresh();
    else this.refresh([name]);
  }

  setSweep(sweep) {
    this.state.sweep = sweep;
    this.results = {};
    this.controls.syncSweep();
    this.controls.buildRules();
    this.refresh();
  }

  setSchedule(schedule) {
    this.state.schedule = schedule;
    this.refresh();
  }

  moveStart(point, { continuing = false } = {}) {
    if (continuing) beginGesture();  // a drag of the start marker is one undo step
    if (point === null) {
      this.state.start = null;
    } else {
      const [[x0, x1], [y0, y1]] = this.surface.domain;
      const clamp = (v, a, b) => Math.max(a, Math.min(b, v));
      this.state.start = [Number(clamp(point[0], x0, x1).toPrecision(5)), Number(clamp(point[1], y0, y1).toPrecision(5))];
    }
    this.state.frame = null;
    this.controls.syncStartInputs();
    this.refresh();
  }

  endDrag() { endGesture(); }

  // ---- requests ----------------------------------------------------------------------

  // Mark runs as changed and send them (see pump).
  refresh(keys = null) {
    const runs = this.runs();
    for (const run of runs) {
      if (keys === null || keys.includes(run.key)) {
        this.versions[run.key] = (this.versions[run.key] || 0) + 1;
        this.dirty.add(run.key);
      }
    }
    this.rememberScene();
    // Changes made in one go (a reset, a preset) leave as one request.
    if (!this.pumpQueued) {
      this.pumpQueued = true;
      queueMicrotask(() => { this.pumpQueued = false; this.pump(); });
    }
    this.syncUrlAtRest();
  }

  // ---- undo and reset ------------------------------------------------------------------

  // Called after every change: the scene before it goes on the undo stack, once per gesture
  // (a slider drag's many moves are one step; two quick clicks are two).
  rememberScene() {
    const scene = sceneOf(this.state, this.meta);
    if (scene === this.shownScene) return;
    if (!gesture.id || gesture.id !== this.lastGesture) this.undoStack = [...this.undoStack, this.shownScene].slice(-UNDO_DEPTH);
    this.lastGesture = gesture.id;
    this.shownScene = scene;
  }

  undo() {
    const previous = this.undoStack.pop();
    if (previous === undefined) { this.banner.show("Nothing to undo.", "info"); return; }
    this.restoreScene(previous);
  }

  // Back to the surface's own defaults (start, rates, runs), keeping the surface and the view.
  resetScene() {
    this.undoStack = [...this.undoStack, sceneOf(this.state, this.meta)].slice(-UNDO_DEPTH);
    const query = new URLSearchParams({ surface: this.state.surface });
    writeOwnSurface(query, this.state);  // your formula or data stay: they are the surface
    this.restoreScene(query.toString());
  }

  // Put a scene (a link's query) on screen, keeping the fields `kept` as they are: by default
  // the presentation, the MLP tab and the view (undo and reset are about the paths' scene).
  restoreScene(query, kept = [...fieldsIn("presentation", "mlp"), "view"]) {
    const next = fromQuery(query, this.meta);
    for (const key of Object.keys(next)) {
      if (!kept.includes(key)) this.state[key] = next[key];
    }
    this.showLoading(true);
    this.player.pause();
    this.state.frame = null;
    this.shownScene = sceneOf(this.state, this.meta);
    this.lastGesture = 0;
    this.results = {};
    this.grid = null;
    this.scene = null;
    this.controls.syncAll();
    this.syncUrl();
    this.loadGrid();
    this.awaitScene(() => {
      this.controls.syncAll();
      this.refresh();
    });
  }

  // Send the changed runs at once. A request whose runs have all changed again since is
  // cancelled: its answer would be dropped, and the newer values go out without waiting for it.
  // At most MAX_IN_FLIGHT requests are on their way (the server computes a cancelled one all the
  // same); changes made meanwhile wait and go together, so a dragged slider never queues up work.
  pump() {
    if (!this.dirty.size) return;
    for (const request of this.requests) {
      if (Object.entries(request.sent).every(([key, version]) => this.versions[key] !== version)) {
        request.controller.abort();
        this.requests.delete(request);
      }
    }
    if (this.requests.size >= MAX_IN_FLIGHT) return;
    const runs = this.runs().filter((run) => this.dirty.has(run.key));
    this.dirty.clear();
    if (!runs.length) { this.draw(); return; }
    // One request holds at most the server's number of runs: more are sent side by side.
    const perRequest = this.meta.limits.runs?.maximum || runs.length;
    for (let i = 0; i < runs.length; i += perRequest) this.send(runs.slice(i, i + perRequest));
  }

  async send(runs) {
    const request = { sent: Object.fromEntries(runs.map((run) => [run.key, this.versions[run.key]])),
                      controller: new AbortController() };
    this.requests.add(request);
    try {
      const answer = await postTrajectories(this.requestBody(runs), request.controller.signal);
      // Only answers to the inputs still set are kept; a redraw only when one of them is.
      let fresh = false;
      answer.runs.forEach((result, i) => {
        if (this.versions[runs[i].key] !== request.sent[runs[i].key]) return;
        this.results[runs[i].key] = result;
        fresh = true;
      });
      if (fresh) {
        this.banner.clear();
        this.draw();
      }
    } catch (error) {
      if (!request.controller.signal.aborted) {
        this.showLoading(false);
        this.banner.show(error instanceof ApiError ? error.message : `Could not reach the server: ${error.message}`);
      }
    } finally {
      this.requests.delete(request);
      if (this.dirty.size) this.pump();
    }
  }

  requestBody(runs) {
    const { state } = this;
    const schedule = state.schedule ? { name: state.schedule.name, params: state.schedule.params } : null;
    return {
      ...surfaceRequest(this.meta, state).fields, start: this.start(), steps: state.steps,
      noise: state.noise, seed: state.seed,
      batch_size: this.hasData ? state.batch : null,
      runs: runs.map((run) => ({ optimizer: run.optimizer, params: run.params, schedule, clip_norm: state.clip,
                                 label: run.label })),
    };
  }

  // The contour grid over what the plot shows (viewRange): the domain, widened along one axis
  // to the plot box's aspect, so the contour fills the box at equal aspect.
  async loadGrid() {
    const key = surfaceKey(this.meta, this.state);
    const ticket = (this.gridTicket = (this.gridTicket || 0) + 1);
    this.gridAsked = this.viewRange();
    this.gridLoading = true;
    try {
      const grid = await this.gridFor(this.gridAsked);
      if (!this.isCurrentSurface(key) || ticket !== this.gridTicket) return;
      this.grid = grid;
      this.draw();
    } catch (error) {
      this.banner.show(error.message);
    } finally {
      if (ticket === this.gridTicket) this.gridLoading = false;
    }
  }

  // A grid over exactly `view` ({data, transform, zView, view}; exports ask for their own), so
  // the contour's drawing ends where the axes do.
  async gridFor(view) {
    const { name, query, body } = surfaceRequest(this.meta, this.state);
    const covered = view.map(([a, b]) => [Number(a.toPrecision(12)), Number(b.toPrecision(12))]);
    const params = { resolution: GRID_RESOLUTION, view: covered.flat().join(",") };
    const grid = await (body ? postSurface("grid", name, body, params) : getGrid(name, { ...query, view: params.view },
                                                                                   GRID_RESOLUTION));
    const transform = surfaceTransform(this.surface, grid);
    return { data: grid, transform, zView: transformGrid(grid, transform), view: covered };
  }

  // What the contour shows: the domain at equal aspect in the plot area the box leaves inside
  // its margins (the domain alone while the box is not laid out, e.g. on the other tab, and in
  // the 3D view, whose box has the domain's proportions).
  viewRange() {
    if (this.state.view === "3d") return this.surface.domain;
    const plot = $("plot");
    const margin = marginsFor(this.state.present);
    return equalAspectView(this.surface.domain, plot.clientWidth - margin.l - margin.r,
                           plot.clientHeight - margin.t - margin.b, this.meta.maxViewSpans);
  }

  // The plot box changes size (window, presenter mode, controls, tab, legend lines): once it
  // settles, redraw, which asks for the grid of the new view (draw); the old contour stays
  // until the new one is here (no loading state, no flash).
  followPlotBox() {
    if (typeof ResizeObserver === "undefined") return;
    let timer = null;
    let size = "";
    new ResizeObserver(() => {
      const plot = $("plot");
      const now = `${plot.clientWidth}x${plot.clientHeight}`;
      if (now === size || !plot.clientWidth) return;
      size = now;
      clearTimeout(timer);
      this.resizing = true;
      timer = setTimeout(() => { this.resizing = false; this.draw(); }, REGRID_DELAY_MS);
    }).observe($("plot"));
  }

  // The server's scene for these surface parameters (suggested rates, sweep, start, stationary
  // points); a server without the endpoint leaves the surface list's values in place.
  async loadScene() {
    if (!this.meta.hasScene) return;
    const { name, query, body } = surfaceRequest(this.meta, this.state);
    const key = surfaceKey(this.meta, this.state);
    try {
      // A typed formula's outline (its MathML, plot and start) comes with its scene.
      const [scene, outline] = await Promise.all([body ? postSurface("scene", name, body) : getScene(name, query),
                                                  isTyped(this.meta, this.state) ? getFormula(query) : null]);
      if (this.isCurrentSurface(key)) Object.assign(this, { scene, outline });
    } catch (error) {
      this.banner.show(error.message);
    }
  }

  // Whether an answer for this surface and these parameters is still the one on screen.
  isCurrentSurface(key) {
    return key === surfaceKey(this.meta, this.state);
  }

  syncUrl() {
    clearTimeout(this.urlTimer);
    this.urlTimer = 0;
    writeUrl(this.state, this.meta);
  }

  // The link follows a dragged slider once it rests: history.replaceState costs ~3 ms of the
  // page's time, which each of a drag's redraws need not spend.
  syncUrlAtRest() {
    clearTimeout(this.urlTimer);
    this.urlTimer = setTimeout(() => this.syncUrl(), URL_REST_MS);
  }

  // ---- rendering ---------------------------------------------------------------------

  // A new surface is loading: until its grid, scene and paths are all here the page shows a
  // loading state (CSS hides the old plot, legend, inspector and surface text together), so the
  // new contour never shows under the old paths or beside the old surface's text.
  showLoading(on) {
    this.loading = on;
    $("panel-paths").classList.toggle("loading", on);
  }

  draw() {
    if (!this.grid || !window.Plotly) return;
    if (this.loading) {
      if (this.sceneLoading || !this.runs().every((run) => run.result)) return;
      this.showLoading(false);
    }
    // While playing, the player owns the frame; otherwise the state does (null = the end).
    if (!this.player.playing) this.frame = this.state.frame ?? this.maxFrame();
    this.frame = Math.min(this.frame, this.maxFrame());
    // A view other than the grid's (the box or the domain changed): ask for the grid of this one;
    // until it is here the plot keeps the grid's view (a contour is only drawn over its own grid).
    const range = this.viewRange();
    const same = (view) => coversView(view, range) && coversView(range, view);
    if (!same(this.grid.view) && !same(this.gridAsked)) this.loadGrid();
    const runs = this.runs();
    const figure = mainFigure(this.figureContext(runs));
    const contour = this.state.view === "contour";
    $("plot-back").hidden = !contour;
    const pending = [contour ? renderLayers($("plot"), $("plot-back"), figure) : render($("plot"), figure)];
    const scheduled = Boolean(this.state.schedule);
    $("lr-box").hidden = !scheduled;
    const { frame, state } = this;
    this.updateTransport();
    const followFrame = () => {
      this.updateInspector(runs, frame);
      this.updateStatuses(runs);
      // Views that follow the animation (the regression fit, the gradient check) redraw with it.
      document.dispatchEvent(new CustomEvent("optviz:frame", { detail: { panel: this, runs, frame } }));
    };
    // While playing, the inspector and the frame's views show the step the counter shows, in the
    // same frame (a frame later they read 10 steps behind the counter at full speed); otherwise
    // they follow once the frame showing the paths is painted (afterPaint), as the charts do.
    const playing = this.player.playing;
    if (playing) followFrame();
    pending.push(this.afterPaint(() => {
      if (!playing) followFrame();
      return [
        render($("loss-chart"), lossFigureOf({ runs, frame, log: state.logLoss, fStar: this.fStar(), present: state.present })),
        scheduled && render($("lr-chart"), lrFigure({ runs, frame, present: state.present })),
      ];
    }));
    this.rendered = Promise.all(pending);
    this.drawCount = (this.drawCount || 0) + 1;
    document.body.dataset.draws = this.drawCount;
  }

  // What a dragged slider is watched for is the paths: the inspector, the legend and status
  // lines (a forced layout of the page each, ~3 ms), the views that follow the frame and the loss
  // and learning-rate charts (plotly, ~20 ms each) are brought up to date once the frame showing
  // the paths is painted, so none of them holds that frame back. Only the latest draw's are drawn.
  afterPaint(update) {
    this.toUpdate = update;
    this.updated ||= new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => {
      const latestUpdate = this.toUpdate;
      this.updated = null;
      resolve(Promise.resolve().then(() => Promise.all(latestUpdate())));
    }, 0)));
    return this.updated;
  }

  fStar() {
    return Math.min(...this.surface.minima.map((m) => m.value));
  }

  stationaryPoints() {
    return this.scene?.stationary_points || this.surface.stationary_points || [];
  }

  figureContext(runs) {
    return {
      surface: this.surface, grid: this.grid.data, zView: this.grid.zView, transform: this.grid.transform, runs,
      frame: this.frame, start: this.start(), view: this.state.view, arrows: this.state.arrows, marks: this.state.marks,
      present: this.state.present, stationary: this.stationaryPoints().filter((p) => p.marked),
      range: this.grid.view, gridFor: (view) => this.gridFor(view), maxViewSpans: this.meta.maxViewSpans,
      area: this.plotAreaSize(),
    };
  }

  // The contour's plot area in pixels: the plot box less the figure's fixed margins.
  plotAreaSize() {
    const plot = $("plot");
    const margin = marginsFor(this.state.present);
    return { width: plot.clientWidth - margin.l - margin.r, height: plot.clientHeight - margin.t - margin.b };
  }

  // Where plotly drew the contour's plot area on screen, with the data ranges it spans.
  plotArea() {
    if (this.state.view !== "contour") return null;
    const cover = $("plot").querySelector(".nsewdrag");
    if (!cover) return null;
    const [[x0, x1], [y0, y1]] = this.grid.view;
    return { box: cover.getBoundingClientRect(), x: [x0, x1], y: [y0, y1] };
  }

  showFrame(frame) {
    this.frame = frame;
    this.draw();
  }

  // Each value is written only when it changed: a write marks the page for layout even when the
  // text is the same.
  updateTransport() {
    const max = String(this.maxFrame());
    const scrubber = $("scrubber");
    const write = (node, key, value) => { if (node[key] !== value) node[key] = value; };
    write(scrubber, "max", max);
    write(scrubber, "value", String(this.frame));
    write($("frame-out"), "textContent", `step ${this.frame} / ${max}`);
    write($("play"), "textContent", this.player.playing ? "❚❚ Pause" : "▶ Play");
  }

  updateInspector(runs, f) {
    const box = $("inspector");
    const rows = [el("h2", { text: `Step ${f}` }),
                  el("p", { class: "hint", text: `Thin arrow: direction of −∇f (hidden once |∇f| is under 1/${1 / VANISHED_GRADIENT} of its start). Thick arrow: the step taken.` })];
    for (const run of runs) {
      const r = run.result;
      if (!r || !r.points) continue;
      const i = Math.min(f, r.steps_taken);
      const table = el("table");
      const add = (name, value) => table.append(el("tr", {}, el("td", { text: name }), el("td", { text: value })));
      const pair = (v) => `(${fmt(v[0])}, ${fmt(v[1])})`;
      add("step", f > r.steps_taken ? `${r.steps_taken} (last point)` : String(i));
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
    // The gradient check of the step shown before stays, dimmed, until the check of this one
    // arrives (lesson-gradcheck.js): taken away at every redraw, it made the page jump by its
    // height at each slider move. While playing there is no check.
    const check = box.querySelector(".gradient-check");
    if (check && !this.player.playing) rows.push(check);
    check?.classList.add("stale");
    box.replaceChildren(...rows);
  }

  // The legend beside the plot and the status lines in the controls: the server's message.
  updateStatuses(runs) {
    for (const run of runs) {
      const node = document.querySelector(`[data-status="${run.key}"]`);
      if (!node || !run.result) continue;
      node.textContent = run.result.message;
      node.className = `opt-status ${run.result.status}`;
    }
    this.updateLegend(runs);
  }

  // The legend above the plot: each run's line, name and what it reached, then the marks. Built
  // again only when what it says or its width changed (not at every frame of an animation).
  // Where the messages would take more than LEGEND_LINES lines (17 optimizers took 15 at
  // 1024 px and pushed the plot off the screen) it names the runs only: each message stays in
  // its tooltip, under the optimizer in the controls and in the inspector.
  updateLegend(runs) {
    const legend = $("legend");
    const marks = this.state.view === "contour" ? stationaryLegend(this.stationaryPoints()) : [];
    const said = JSON.stringify([legend.clientWidth, runs.map((run) => [run.key, run.label, run.colour, run.dash,
                                 run.result?.status, run.result?.message]), marks.map((mark) => mark.textContent)]);
    if (said === this.legendSaid) return;
    this.legendSaid = said;
    const items = runs.map((run) => {
      const message = run.result?.message || "";
      return el("span", { class: `legend-item ${run.result?.status || ""}`, style: `--c:${run.colour}`, "data-legend": run.key,
                          title: message ? `${run.label}: ${message}` : run.label },
                el("span", { class: `legend-line ${run.dash || "solid"}` }), el("b", { text: run.label }),
                message ? el("span", { class: "legend-message", text: message }) : null);
    });
    legend.classList.remove("compact");
    legend.replaceChildren(...items, ...marks);
    const lines = new Set([...legend.children].map((item) => item.offsetTop)).size;
    legend.classList.toggle("compact", lines > LEGEND_LINES);
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
    const title = sceneTitle(this.figureContext(runs));
    if (format === "png" || format === "svg") {
      return exportImage($("plot"), await sceneFigure(this.figureContext(runs), $("plot")), format, name, title);
    }
    if (format === "csv") return download(trajectoriesCsv(runs), `${name}.csv`, "text/csv");
    if (format === "json") {
      const scene = { ...this.requestBody(runs), link: `${location.origin}/?${toQuery(this.state, this.meta)}` };
      return download(trajectoriesJson(scene, runs), `${name}.json`, "application/json");
    }
    if (format === "html") {
      const html = await standaloneHtml(this.figureContext(runs));
      return download(html, `${name}.html`, "text/html");
    }
    if (format === "copy") {
      await copyImage($("plot"), await sceneFigure(this.figureContext(runs), $("plot")), title);
      this.banner.show("The figure is on the clipboard: paste it into a slide.", "info");
      return undefined;
    }
    if (format === "gif" || format === "webm") {
      const encode = format === "gif" ? animatedGif : webmVideo;
      return exportWithProgress({ box: $("export-progress"), buttons: document.querySelectorAll("[data-export]"),
                                  filename: `${name}.${format}`,
                                  encode: (progress, signal) => encode(this.figureContext(runs), progress, signal) });
    }
    return undefined;
  }
}

// The computed scene alone, as a link's query: what undo restores and what a change is.
function sceneOf(state, meta) {
  const query = new URLSearchParams(toQuery(state, meta));
  for (const key of keysIn("presentation", "display", "mlp")) query.delete(key);
  return query.toString();
}

// The symbols of the kinds of stationary point the plot marks, explained in the legend, and how
// many the surface has that are not marked (the server marks all unless they would crowd the plot).
// [kind, global, symbol, one, many]: the global and the local minima look apart on the plot
// (filled and open star), so the legend names them apart too.
const MARK_KINDS = [["minimum", true, "★", "global minimum", "global minima"],
                    ["minimum", false, "☆", "local minimum", "local minima"],
                    ["saddle", false, "✕", "saddle point", "saddle points"],
                    ["maximum", false, "△", "local maximum", "local maxima"]];

function stationaryLegend(points) {
  const like = (kind, global) => (p) => p.kind === kind && Boolean(p.global) === global;
  const items = MARK_KINDS.filter(([kind, global]) => points.some((p) => p.marked && like(kind, global)(p)))
    .map(([kind, global, symbol, name]) => el("span", { class: `legend-item mark${global ? " global" : ""}`, "data-kind": kind },
                                              el("span", { class: "legend-symbol", text: symbol }), name));
  const unmarked = MARK_KINDS.map(([kind, global, , one, many]) => {
    const count = points.filter((p) => !p.marked && like(kind, global)(p)).length;
    return count ? `${count} ${count === 1 ? one : many}` : null;
  }).filter(Boolean);
  if (unmarked.length) items.push(el("span", { class: "legend-item unmarked", text: `not marked: ${unmarked.join(", ")}` }));
  return items;
}
