// Wiring only: load the registries, restore the scene from the URL, connect the controls.
import { getCapabilities, getFormula, getJson, getMetadata } from "./api.js";
import { fillSelect } from "./controls.js";
import { keepPlotAboveFold } from "./fold.js";
import { bindFitView } from "./lesson-fit.js";
import { bindGradientCheck } from "./lesson-gradcheck.js";
import { LessonMode } from "./lessons.js";
import { MlpPanel } from "./mlp.js";
import { MARK_EVERY, SPEEDS, fromQuery, toQuery } from "./state.js";
import { PathsPanel } from "./trajectories.js";
import { fitTexts } from "./widgets/fit-text.js";

const $ = (id) => document.getElementById(id);

// One banner: errors stay until the next successful answer; notices (kind "info") stay until
// they time out or the next notice, so an answer arriving does not wipe a notice unread.
const NOTICE_MS = 15000;
let noticeTimer = null;
const banner = {
  show(message, kind = "error") {
    const node = $("banner");
    node.textContent = message;
    node.className = `banner${kind === "info" ? " info" : ""}`;
    node.hidden = false;
    clearTimeout(noticeTimer);
    if (kind === "info") noticeTimer = setTimeout(() => { node.hidden = true; }, NOTICE_MS);
  },
  clear() {
    if (!$("banner").classList.contains("info")) $("banner").hidden = true;
  },
};

document.getElementById("banner").addEventListener("click", () => { $("banner").hidden = true; });

// The copied link's box goes away as soon as the scene changes (it would show a stale link).
document.addEventListener("optviz:state", () => { $("link-output").hidden = true; });

// Registries keyed by name, without a prototype: a name from a link ("constructor",
// "__proto__", "toString") finds nothing instead of Object's own members.
function byName(list) {
  return Object.assign(Object.create(null), Object.fromEntries(list.map((item) => [item.name, item])));
}

// The scene of the link, or the default scene if the link cannot be read at all; either way a
// notice says what was replaced by defaults.
function sceneFromLink(meta) {
  const notices = [];
  let state;
  try {
    state = fromQuery(location.search, meta, notices);
  } catch (error) {
    state = fromQuery("", meta);
    notices.push(`the whole link (${error.message})`);
  }
  if (notices.length) {
    const shown = notices.slice(0, 4).map((n) => `“${n.slice(0, 60)}”`).join(", ");
    banner.show(`Some parts of this link could not be read and were replaced by defaults: ${shown}`
                + `${notices.length > 4 ? ` and ${notices.length - 4} more` : ""}.`, "info");
  }
  return state;
}

function applyPresentation(panel, mlpPanel) {
  const { state } = panel;
  document.body.classList.toggle("present", state.present);
  document.body.classList.toggle("controls-hidden", !state.controls);
  $("toggle-present").setAttribute("aria-pressed", String(state.present));
  $("toggle-controls").setAttribute("aria-pressed", String(!state.controls));
  $("toggle-controls").textContent = state.controls ? "Hide controls" : "Show controls";
  // Plots follow their boxes by themselves (figures.js observes them); the figures change with
  // the presenter style.
  requestAnimationFrame(() => {
    panel.draw();
    mlpPanel.draw();
  });
}

async function shareLink(panel, extra) {
  const query = new URLSearchParams(toQuery(panel.state, panel.meta));
  for (const [key, value] of Object.entries(extra)) query.set(key, value);
  const link = `${location.origin}${location.pathname}?${query}`;
  const output = $("link-output");
  output.value = link;
  output.hidden = false;
  output.select();
  try {
    await navigator.clipboard.writeText(link);
    banner.show("Link copied: it restores this exact scene.", "info");
  } catch (_) {
    banner.show("Copy the link from the box below (the browser did not allow clipboard access).", "info");
  }
}

function showTab(panel, mlpPanel, tab) {
  panel.state.tab = tab;
  for (const button of document.querySelectorAll("[data-tab]")) {
    button.setAttribute("aria-selected", String(button.dataset.tab === tab));
  }
  $("panel-paths").hidden = tab !== "paths";
  $("panel-mlp").hidden = tab !== "mlp";
  panel.syncUrl();
  requestAnimationFrame(() => (tab === "mlp" ? mlpPanel.draw() : panel.draw()));
}

function bindTabs(panel, mlpPanel) {
  for (const button of document.querySelectorAll("[data-tab]")) {
    button.addEventListener("click", () => showTab(panel, mlpPanel, button.dataset.tab));
  }
  showTab(panel, mlpPanel, panel.state.tab);
}

function bindKeyboard(panel) {
  document.addEventListener("keydown", (event) => {
    // A focused control keeps its own keys: Space toggles a checkbox or presses a button,
    // arrows move a slider. Shortcuts act only when focus is elsewhere.
    const target = event.target;
    const typing = target.closest("input[type=text], input[type=number], textarea, [contenteditable]");
    if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === "z" && !typing
        && panel.state.tab === "paths") {
      event.preventDefault();
      panel.undo();
      return;
    }
    if (target.closest("input, select, textarea, button, summary, a, [contenteditable], [role=slider]")
        || event.ctrlKey || event.metaKey || event.altKey) return;
    if (panel.state.tab !== "paths") return;
    if (event.key === " ") { event.preventDefault(); panel.togglePlay(); }
    else if (event.key === "ArrowRight") { event.preventDefault(); panel.seek(panel.frame + 1); }
    else if (event.key === "ArrowLeft") { event.preventDefault(); panel.seek(panel.frame - 1); }
    else if (event.key === "Home" || event.key === "r") { event.preventDefault(); panel.seek(0); }
    else if (event.key === "End") { event.preventDefault(); panel.seek(panel.maxFrame()); }
  });
}

function bindTopbar(panel, mlpPanel) {
  const { state } = panel;
  $("copy-link").addEventListener("click", () => shareLink(panel, {}));
  $("student-link").addEventListener("click", () => shareLink(panel, { present: "1", controls: "0" }));
  $("toggle-present").addEventListener("click", () => { state.present = !state.present; panel.syncUrl(); applyPresentation(panel, mlpPanel); });
  $("toggle-controls").addEventListener("click", () => {
    state.controls = !state.controls;
    panel.syncUrl();
    applyPresentation(panel, mlpPanel);
  });
}

// The stage's display switches show the state's values (on load, and when a scene is opened).
function showDisplay(panel) {
  const { state } = panel;
  panel.setView(state.view);
  $("marks").value = String(state.marks);
  $("arrows-on").checked = state.arrows;
  $("log-loss").checked = state.logLoss;
}

function bindStage(panel) {
  const { state } = panel;
  for (const button of document.querySelectorAll("[data-view]")) {
    button.addEventListener("click", () => panel.setView(button.dataset.view));
  }
  fillSelect($("marks"), MARK_EVERY.map((k) => [k, k === 0 ? "none" : k === 1 ? "every step" : `every ${k} steps`]));
  $("marks").addEventListener("change", () => { state.marks = Number($("marks").value); panel.syncUrl(); panel.draw(); });
  $("arrows-on").addEventListener("change", () => { state.arrows = $("arrows-on").checked; panel.syncUrl(); panel.draw(); });
  $("log-loss").addEventListener("change", () => { state.logLoss = $("log-loss").checked; panel.syncUrl(); panel.draw(); });
  showDisplay(panel);
  for (const button of document.querySelectorAll("[data-export]")) {
    button.addEventListener("click", async () => {
      try { await panel.exportAs(button.dataset.export); } catch (error) { banner.show(`Export failed: ${error.message}`); }
    });
  }
  $("undo-scene").addEventListener("click", () => panel.undo());
  $("reset-scene").addEventListener("click", () => panel.resetScene());
  $("play").addEventListener("click", () => panel.togglePlay());
  $("reset").addEventListener("click", () => panel.seek(0));
  $("step-back").addEventListener("click", () => panel.seek(panel.frame - 1));
  $("step-forward").addEventListener("click", () => panel.seek(panel.frame + 1));
  $("scrubber").addEventListener("input", () => panel.seek(Number($("scrubber").value)));
  fillSelect($("speed"), SPEEDS.map((speed, i) => [String(i), speed < 0.2 ? `${Math.round(speed * 60)} step${speed * 60 < 1.5 ? "" : "s"}/s`
                                                                        : `${speed}×`]));
  $("speed").value = String(SPEEDS.indexOf(state.speed));
  $("speed").addEventListener("change", () => {
    state.speed = SPEEDS[Number($("speed").value)];
    panel.player.speed = state.speed;
    panel.syncUrl();
  });
}

// A link's whole scene on screen in place (a lesson, its "now try", Back to one): both tabs'
// scenes, the display and the tab; the presenter mode, the controls, the speed and the lesson
// stay as the page has them.
function openScene(panel, mlpPanel, query) {
  panel.restoreScene(query, ["present", "controls", "speed", "lesson"]);
  mlpPanel.restore();
  showDisplay(panel);
  showTab(panel, mlpPanel, panel.state.tab);
}

async function start() {
  let lists;
  try {
    lists = await Promise.all([...await getMetadata(), getJson("/api/mlp/options"), getCapabilities()]);
  } catch (error) {
    banner.show(`optviz could not load its metadata from the server: ${error.message}`);
    return;
  }
  const [surfaces, optimizers, schedules, mlpOptions, capabilities] = lists;
  const meta = { surfaces: byName(surfaces), optimizers: byName(optimizers), schedules: byName(schedules),
                 mlp: mlpOptions, limits: capabilities.limits, defaults: capabilities.defaults,
                 maxViewSpans: capabilities.maxViewSpans,
                 hasScene: capabilities.scene, hasRule: capabilities.rule,
                 formula: capabilities.formula ? await getFormula().catch(() => null) : null };
  const state = sceneFromLink(meta);
  const panel = new PathsPanel(meta, state, banner);
  window.optviz = panel;  // for the console, the browser tests and the latency benchmark
  const mlpPanel = new MlpPanel(meta, state, banner, () => panel.syncUrl());
  window.optvizMlp = mlpPanel;
  mlpPanel.build();
  bindTabs(panel, mlpPanel);
  await panel.loadScene();
  panel.controls.build();
  bindTopbar(panel, mlpPanel);
  bindStage(panel);
  bindKeyboard(panel);
  applyPresentation(panel, mlpPanel);
  panel.loadGrid();
  panel.refresh();
  bindFitView();
  keepPlotAboveFold($("panel-paths"), $("plot"));
  fitTexts();
  bindGradientCheck();
  new LessonMode(panel, mlpPanel, banner, (query) => openScene(panel, mlpPanel, query)).start();
}

// plotly.min.js is a classic deferred script; modules run after it, but wait to be sure.
if (window.Plotly) start();
else window.addEventListener("load", start);
