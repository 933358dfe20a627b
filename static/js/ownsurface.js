// Surfaces the page does not find in GET /api/surfaces as they are: a formula you typed (the
// typed surface named by GET /api/formula) and a data surface fitted to your own rows. What
// the registry list cannot know about them (plot, start, minima, suggested rates) comes from
// the server's scene for them. No DOM here, and no surface named in the code.
import { decodeData, encodeData, fitsInLink } from "./csvdata.js";

// Whether the scene shows a typed formula, or a data surface with your own rows.
export function isTyped(meta, state) {
  return Boolean(meta.formula) && state.surface === meta.formula.name;
}

export function hasOwnData(meta, state) {
  return Boolean(state.data && meta.surfaces[state.surface]?.own_data);
}

function domainQuery(domain) {
  return domain.flat().join(",");
}

// The typed surface as the page describes it before the server's outline arrives.
function typedPlaceholder(meta, state) {
  const caps = meta.formula;
  const domain = state.domain || caps.default_domain;
  return { name: caps.name, title: caps.title, lesson: caps.lesson, formula_mathml: "", domain, start: null,
           parameters: [], log_colour: false, minima: [], stationary_points: [], suggested_lr: {} };
}

// The surface on screen: the registry entry, or for a typed formula its outline
// (GET /api/formula), completed by the scene (GET or POST .../scene) once it has arrived.
export function surfaceOnScreen(meta, state, outline, scene) {
  const typed = isTyped(meta, state);
  const own = hasOwnData(meta, state);
  const base = typed ? { ...typedPlaceholder(meta, state), ...(outline || {}) } : meta.surfaces[state.surface];
  if (!typed && !own) return base;
  const stationary = scene?.stationary_points || [];
  const minima = stationary.filter((p) => p.kind === "minimum").map((p) => ({ point: p.point, value: p.value }));
  return {
    ...base,
    domain: scene?.domain || base.domain,
    start: scene?.start || base.start || centre(scene?.domain || base.domain),
    minima: scene ? minima : [],
    stationary_points: stationary,
    suggested_lr: scene?.suggested_lr || {},
    ...(own ? { data: { x: state.data.map((r) => r[0]), y: state.data.map((r) => r[1]) } } : {}),
  };
}

function centre([[x0, x1], [y0, y1]]) {
  return [(x0 + x1) / 2, (y0 + y1) / 2];
}

// How to ask the server about this surface: the fields of a trajectory request, and the query
// (GET) or body (POST, own data) of its grid and scene.
export function surfaceRequest(meta, state) {
  if (isTyped(meta, state)) {
    const query = { formula: state.formula, ...(state.domain ? { domain: domainQuery(state.domain) } : {}) };
    return { name: state.surface, query, fields: { surface: state.surface, formula: state.formula, domain: state.domain } };
  }
  if (hasOwnData(meta, state)) {
    return { name: state.surface, body: { data: state.data },
             fields: { surface: state.surface, surface_params: {}, data: state.data } };
  }
  return { name: state.surface, query: state.surfaceParams,
           fields: { surface: state.surface, surface_params: state.surfaceParams } };
}

// Identifies a surface request: an answer for another one is stale.
export function surfaceKey(meta, state) {
  const { name, query, body } = surfaceRequest(meta, state);
  return JSON.stringify([name, query || null, body || null]);
}

// ---- in the link ---------------------------------------------------------------------------
// formula=<text>&domain=x0,x1,y0,y1 for a typed surface; data=x,y;x,y;... for your own rows when
// they fit (csvdata.js). Read defensively, as any link: what cannot be read goes to `notices`.

function readDomain(text) {
  const values = String(text).split(",").map((v) => (/^[-+0-9.eE]+$/.test(v) ? Number(v) : NaN));
  const ok = values.length === 4 && values.every((v) => Number.isFinite(v) && Math.abs(v) <= 1e4)
    && values[0] < values[1] && values[2] < values[3];
  return ok ? [[values[0], values[1]], [values[2], values[3]]] : null;
}

// A link's surface name when it is the typed surface's, else undefined.
export function typedSurfaceName(meta, text) {
  return meta.formula && text === meta.formula.name ? text : undefined;
}

export function readOwnSurface(q, meta, state, notices) {
  if (isTyped(meta, state)) {
    const formula = q.get("formula") || "";
    if (formula.trim() && formula.length <= meta.formula.max_length) state.formula = formula;
    else {
      notices.push(`formula=${formula}`);
      state.formula = meta.formula.examples[0].formula;
    }
    if (q.get("domain")) {
      state.domain = readDomain(q.get("domain"));
      if (!state.domain) notices.push(`domain=${q.get("domain")}`);
    }
  }
  const caps = meta.surfaces[state.surface]?.own_data;
  if (q.get("data")) {
    state.data = caps ? decodeData(q.get("data"), { maxRows: caps.max_rows, maxAbs: caps.max_abs }) : null;
    if (!state.data) notices.push(`data=${q.get("data")}`);
  }
}

// The state holds a formula only while the typed surface is on screen, and rows only while a
// surface with data is (the panel clears them on a change of surface).
export function writeOwnSurface(q, state) {
  if (state.formula) q.set("formula", state.formula);
  if (state.domain) q.set("domain", domainQuery(state.domain));
  if (state.data && fitsInLink(state.data)) q.set("data", encodeData(state.data));
}
