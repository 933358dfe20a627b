// Fetch calls only. Errors carry the server's message (a 422 names the field).

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function parse(response) {
  if (response.ok) return response.json();
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (Array.isArray(body.detail)) {
      message = body.detail.map((d) => `${(d.loc || []).filter((p) => p !== "body").join(".")}: ${d.msg}`).join("; ");
    } else if (body.detail) {
      message = String(body.detail);
    }
  } catch (_) { /* not JSON: keep the status line */ }
  if (response.status === 429) message = `The server is busy (${message}). Try again in a moment.`;
  throw new ApiError(response.status, message);
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
