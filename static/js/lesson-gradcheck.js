// The step inspector's gradient check, as the notes compare them: at the point of the step
// shown, the analytic ∇f beside the numerical gradient by central differences,
// (f(θ + h·e_i) − f(θ − h·e_i)) / 2h, both computed by the server (the page cannot evaluate f).
// Asked for only when the animation is paused and the scene has rested for REST_MS (a dragged
// slider's every value would otherwise cost one request per run), and remembered per point.
import { getJson } from "./api.js";
import { el, fmt } from "./controls.js";
import { thetaAt } from "./lesson-fit.js";
import { surfaceRequest } from "./ownsurface.js";

const $ = (id) => document.getElementById(id);
const answers = new Map();   // request path -> promise of the server's check
const REST_MS = 250;

function checkAt(surface, surfaceQuery, point) {
  const query = new URLSearchParams({ ...surfaceQuery, x: point[0], y: point[1] });
  const path = `/api/surfaces/${encodeURIComponent(surface)}/gradient_check?${query}`;
  if (!answers.has(path)) {
    if (answers.size > 500) answers.clear();
    answers.set(path, getJson(path).catch((error) => { answers.delete(path); throw error; }));
  }
  return answers.get(path);
}

const pair = (v) => `(${fmt(v[0], 6)}, ${fmt(v[1], 6)})`;

// At a minimum both gradients are ~0 and their difference is the central difference's own
// error: a relative figure there would read like a disagreement (surfaces/gradient_check.py).
const difference = (check) => (check.within_error && check.relative_error > 1e-6
  ? `≈ 0: within the numerical gradient's error ±${fmt(check.numerical_error, 2)}`
  : fmt(check.relative_error, 2));

// One table for every run, so the labels and the values of all runs share two columns and a
// run's values sit under the other runs' (separate tables per run sized their columns each to
// its own widest label and value, and the values of runs started at different x). Each run is a
// row group: its name, then its three rows, marked by the run's colour.
function block(runs, checks, key) {
  const h = checks[0].h;
  const groups = runs.map((run, i) => {
    const check = checks[i];
    const row = (name, value) => el("tr", {}, el("td", { text: name }), el("td", { text: value }));
    return el("tbody", { class: "run", style: `--c:${run.colour}` },
      el("tr", {}, el("th", { colspan: "2", scope: "rowgroup", text: run.label })),
      row("∇f analytic", pair(check.analytic)),
      row("numerical", pair(check.numerical)),
      row("rel. difference", difference(check)));
  });
  return el("div", { class: "gradient-check", "data-h": h, "data-key": key },
    el("h2", { text: "Gradient check" }),
    el("p", { class: "hint", text: `Numerical gradient at θ of this step by central differences, `
                                   + `(f(θ + h·eᵢ) − f(θ − h·eᵢ)) / 2h with h = ${h}.` }),
    el("table", {}, ...groups));
}

export function bindGradientCheck() {
  let latest = 0;
  document.addEventListener("optviz:frame", async ({ detail: { panel, runs, frame } }) => {
    const token = ++latest;
    const shown = runs.filter((run) => run.result?.points);
    if (panel.player.playing) return;
    if (!shown.length) { $("inspector").querySelector(".gradient-check")?.remove(); return; }
    // A surface the query describes (a typed formula too); your own data would need a body.
    const { name, query } = surfaceRequest(panel.meta, panel.state);
    // A redraw of the same points (a resize, the presenter mode, a tab shown again) keeps the
    // check kept from the draw before as it is, current at once: dimmed until a check nobody
    // needs came back, it read as out of date for a second and a half after every resize.
    const key = JSON.stringify([name, query, shown.map((run) => [run.label, run.colour, thetaAt(run.result, frame)])]);
    const kept = $("inspector").querySelector(".gradient-check");
    if (kept && kept.dataset.key === key) { kept.classList.remove("stale"); return; }
    await new Promise((resolve) => setTimeout(resolve, REST_MS));
    if (token !== latest) return;
    let checks = null;
    try {
      if (query) checks = await Promise.all(shown.map((run) => checkAt(name, query, thetaAt(run.result, frame))));
    } catch (_) {
      // a point the server refuses (e.g. far outside the plot) simply has no check
    }
    // The inspector is rebuilt at every draw: the check goes only into the draw it belongs to,
    // in place of the previous step's (kept there, dimmed, until now).
    if (token !== latest) return;
    const inspector = $("inspector");
    inspector.querySelector(".gradient-check")?.remove();
    if (checks) inspector.append(block(shown, checks, key));
  });
}
