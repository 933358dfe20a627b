// How single values are written in a link and read back from one. A link is data from anywhere:
// names are looked up in own properties only (never "constructor" or "__proto__" from a
// prototype), numbers must be plain finite decimals, and hyperparameters must fit their schema.

export function own(table, key) {
  return table && typeof key === "string" && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

export function finite(text) {
  if (typeof text !== "string" || !/^[-+0-9.eE]+$/.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

// Six significant digits: enough to reproduce a slider's value, short enough to read.
export function formatNumber(value) {
  return String(Number(value.toPrecision(6)));
}

export function encodeValue(value) {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "1" : "0";
  if (Array.isArray(value)) return value.map(formatNumber).join("|");
  return formatNumber(value);
}

// Whether a number is allowed by a hyperparameter schema from the API.
export function inSchemaRange(spec, value) {
  if (!Number.isFinite(value) || value < spec.minimum) return false;
  if (spec.maximum_exclusive ? value >= spec.maximum : value > spec.maximum) return false;
  return spec.kind !== "int" || Number.isInteger(value);
}

// One hyperparameter's value from its link text, or null when it does not fit the schema.
export function parseValue(raw, spec) {
  if (spec.kind === "bool") return raw === "1" ? true : raw === "0" ? false : null;
  const check = (text) => {
    const value = finite(text);
    return value !== null && inSchemaRange(spec, value) ? value : null;
  };
  if (spec.kind === "pair") {
    const parts = String(raw).split("|").map(check);
    return parts.length === 2 && parts.every((v) => v !== null) ? parts : null;
  }
  return check(String(raw));
}

export function encodeParams(params) {
  return Object.entries(params).map(([key, value]) => `${key}:${encodeValue(value)}`).join(",");
}

// "k:v,k:v" against a hyperparameter schema; entries that do not fit are dropped and reported.
export function parseParams(text, schema, notices = [], where = "") {
  const out = {};
  if (!text) return out;
  const byName = new Map(schema.map((h) => [h.name, h]));
  for (const item of text.split(",")) {
    if (!item) continue;
    const [key, raw] = item.split(":");
    const spec = byName.get(key);
    const value = spec && raw !== undefined ? parseValue(raw, spec) : null;
    if (value === null) notices.push(`${where}${item}`);
    else out[key] = value;
  }
  return out;
}
