// Fetch calls only. Errors carry the server's message (a 422 names the field).

export class ApiError extends Error {
  constructor(status, message, detail = []) {
    super(message);
    this.status = status;
    this.detail = detail;  // a 422's items: {loc, msg, ctx} (a formula's ctx.position: its bad character)
  }
}

async function parse(response) {
  if (response.ok) return response.json();
  let message = `${response.status} ${response.statusText}`;
  let detail = [];
  try {
    const body = await response.json();
    if (Array.isArray(body.detail)) {
      detail = body.detail;
      message = body.detail.map((d) => `${(d.loc || []).filter((p) => p !== "body").join(".")}: ${d.msg}`).join("; ");
    } else if (body.detail) {
      message = String(body.detail);
    }
  } catch (_) { /* not JSON: keep the status line */ }
  if (response.status === 429) message = `The server is busy (${message}). Try again in a moment.`;
  throw new ApiError(response.status, message, detail);
}

export async function getJson(path) {
  return parse(await fetch(path));
}

export function getMetadata() {
  return Promise.all(["/api/surfaces", "/api/optimizers", "/api/schedules"].map(getJson));
}

export function getGrid(surface, params, resolution) {
  const q = new URLSearchParams({ resolution, ...params });
  return getJson(`/api/surfaces/${encodeURIComponent(surface)}/grid?${q}`);
}

export async function postTrajectories(body, signal) {
  const response = await fetch("/api/trajectories", {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal,
  });
  return parse(response);
}

// Identifies this tab to the server's per-client training limit (many students may share an address).
// crypto.randomUUID exists only in secure contexts (https, localhost): students open the
// lecturer's server at http://<address>, where getRandomValues is all there is.
const TAB_ID = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

// POST /api/mlp/train answers server-sent events; EventSource only does GET, so read the stream.
export async function streamTraining(body, signal, onEvent) {
  const response = await fetch("/api/mlp/train", {
    method: "POST", headers: { "content-type": "application/json", "x-optviz-client": TAB_ID },
    body: JSON.stringify(body), signal,
  });
  if (!response.ok) await parse(response);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
      }
      if (data.length) onEvent(event, JSON.parse(data.join("\n")));
    }
  }
}

// What the server offers: the trajectory request's bounds (the pydantic fields of the request
// schema in its OpenAPI document, with GET /api/limits' values), the default scene, and which
// optional endpoints exist, so the page never probes with failing requests.
export async function getCapabilities() {
  const openapi = await getJson("/openapi.json");
  const paths = openapi.paths || {};
  const { schemas } = openapi.components;
  const limits = normalizeLimits({ ...schemas.TrajectoryRequest.properties, ...schemas.RunRequest.properties });
  const served = await getJson("/api/limits");
  for (const [field, key] of [["runs", "max_runs"], ["steps", "max_steps"], ["starts", "max_starts"]]) {
    const maximum = served.trajectories[key];
    if (Number.isFinite(maximum)) limits[field] = { minimum: limits[field]?.minimum ?? 0, maximum };
  }
  // The scene a link means where it is silent: the page declares none of its own.
  return { limits, defaults: served.default_scene, maxViewSpans: served.grid.max_view_spans,
           scene: Boolean(paths["/api/surfaces/{name}/scene"]),
           rule: Boolean(paths["/api/optimizers/{name}/rule"]), formula: Boolean(paths["/api/formula"]) };
}

// {field: {minimum, maximum}} from JSON-schema properties (nullable fields are anyOf [.., null]).
function normalizeLimits(source) {
  const out = {};
  for (const [name, schema] of Object.entries(source)) {
    const typed = schema && (schema.anyOf ? schema.anyOf.find((s) => s.type && s.type !== "null") : schema);
    const minimum = typed?.minimum ?? typed?.exclusiveMinimum;
    if (typed && Number.isFinite(minimum) && Number.isFinite(typed.maximum)) {
      out[name] = { minimum, maximum: typed.maximum, exclusive: typed.minimum === undefined };
    } else if (typed && Number.isFinite(typed.maxItems)) {
      out[name] = { minimum: typed.minItems ?? 0, maximum: typed.maxItems };  // a list: its length
    }
  }
  return out;
}

export function getScene(surface, params) {
  const q = new URLSearchParams(params);
  return getJson(`/api/surfaces/${encodeURIComponent(surface)}/scene?${q}`);
}

// A surface with your own data: the rows travel in a POST body (they do not fit in a URL).
export async function postSurface(what, surface, body, query = {}) {
  const q = new URLSearchParams(query);
  const response = await fetch(`/api/surfaces/${encodeURIComponent(surface)}/data/${what}?${q}`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  });
  return parse(response);
}

// Typed formulas: without params, the limits and examples; with {formula, domain}, its check.
export function getFormula(params = {}, signal) {
  const q = new URLSearchParams(params);
  return fetch(`/api/formula?${q}`, { signal }).then(parse);
}

// The update rule an optimizer runs with these hyperparameters: {latex: [...], mathml: [...]}.
const rules = new Map();

export function getRule(name, params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    q.set(key, typeof value === "boolean" ? (value ? "1" : "0") : Array.isArray(value) ? value.join(",") : String(value));
  }
  const url = `/api/optimizers/${encodeURIComponent(name)}/rule?${q}`;
  if (!rules.has(url)) rules.set(url, getJson(url).catch((error) => { rules.delete(url); throw error; }));
  return rules.get(url);
}
