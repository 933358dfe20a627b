// Wiring only: load the registries, restore the scene from the URL, connect the controls.
import { getCapabilities, getJson, getMetadata } from "./api.js";
import { bindFitView } from "./lesson-fit.js";
import { bindGradientCheck } from "./lesson-gradcheck.js";
import { LessonMode } from "./lessons.js";
import { MlpPanel } from "./mlp.js";
import { fromQuery, toQuery } from "./state.js";
import { PathsPanel } from "./trajectories.js";

const $ = (id) => document.getElementById(id);

const banner = {
  show(message, kind = "error") {
    const node = $("banner");
    node.textContent = message;
    node.className = `banner${kind === "info" ? " info" : ""}`;
    node.hidden = false;
  },
  clear() { $("banner").hidden = true; },
};

function byName(list) {
  return Object.fromEntries(list.map((item) => [item.name, item]));
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
  const query = new URLSearchParams(toQuery(panel.state));
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
    if (target.closest("input, select, textarea, button, summary, a, [contenteditable], [role=slider]")
        || event.ctrlKey || event.metaKey || event.altKey) return;
    if (panel.state.tab !== "paths") return;
    if (event.key === " ") { event.preventDefault(); panel.togglePlay(); }
    else if (event.key === "ArrowRight") { event.preventDefault(); panel.seek(panel.frame + 1); }
    else if (event.key === "ArrowLeft") { event.preventDefault(); panel.seek(panel.frame - 1); }
    else if (event.key === "r") panel.seek(0);
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

function bindStage(panel) {
  const { state } = panel;
  for (const button of document.querySelectorAll("[data-view]")) {
    button.addEventListener("click", () => panel.setView(button.dataset.view));
  }
  panel.setView(state.view);
  $("arrows-on").checked = state.arrows;
  $("arrows-on").addEventListener("change", () => { state.arrows = $("arrows-on").checked; panel.syncUrl(); panel.draw(); });
  $("log-loss").checked = state.logLoss;
  $("log-loss").addEventListener("change", () => { state.logLoss = $("log-loss").checked; panel.syncUrl(); panel.draw(); });
  for (const button of document.querySelectorAll("[data-export]")) {
    button.addEventListener("click", async () => {
      try { await panel.exportAs(button.dataset.export); } catch (error) { banner.show(`Export failed: ${error.message}`); }
    });
  }
  $("play").addEventListener("click", () => panel.togglePlay());
  $("reset").addEventListener("click", () => panel.seek(0));
  $("step-back").addEventListener("click", () => panel.seek(panel.frame - 1));
  $("step-forward").addEventListener("click", () => panel.seek(panel.frame + 1));
  $("scrubber").addEventListener("input", () => panel.seek(Number($("scrubber").value)));
  $("speed").value = String(state.speed);
  $("speed").addEventListener("change", () => {
    state.speed = Number($("speed").value);
    panel.player.speed = state.speed;
    panel.syncUrl();
  });
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
                 mlp: mlpOptions, limits: capabilities.limits,
                 hasScene: capabilities.scene };
  const state = fromQuery(location.search, meta);
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
  bindGradientCheck();
  new LessonMode(panel, mlpPanel, banner).start();
}

// plotly.min.js is a classic deferred script; modules run after it, but wait to be sure.
if (window.Plotly) start();
else window.addEventListener("load", start);
