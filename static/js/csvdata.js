// Your own (x, y) data: read from pasted or uploaded CSV, and written into a link. Maths and
// text only, no DOM. The bounds (rows, |value|) come from the surface's `own_data` capability
// in GET /api/surfaces; the server checks them again and answers a 422 naming the field.

// A number as people write it in a CSV: 3, -2.5, 1e-3, .5 (never "", "0x10", "Infinity").
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
// Links hold data up to this many characters; more would pass the 16 KB a request line may take.
export const LINK_CHARACTERS = 3000;

function fieldsOf(line) {
  const text = line.trim();
  if (text.includes(",")) return text.split(",").map((f) => f.trim());
  if (text.includes(";")) return text.split(";").map((f) => f.trim());
  return text.split(/\s+/);  // tabs or spaces (a column pasted from a spreadsheet)
}

function numberOf(field) {
  const text = field.replace(/^"(.*)"$/, "$1").trim();
  return NUMBER.test(text) ? Number(text) : null;
}

// {rows: [[x, y], ...], errors: [{line, message}], header: bool}. Lines are numbered from 1 as
// an editor shows them; blank lines and lines starting with # are skipped; a first line that
// is not numbers is taken as a header (x,y).
export function parseCsv(text, { maxRows, maxAbs }) {
  const rows = [];
  const errors = [];
  let header = false;
  const lines = String(text).split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (!raw.trim() || raw.trim().startsWith("#")) return;
    const fields = fieldsOf(raw);
    const values = fields.map(numberOf);
    if (!rows.length && !errors.length && !header && values.every((v) => v === null)) { header = true; return; }
    if (fields.length !== 2) {
      errors.push({ line, message: `expected 2 values (x, y), found ${fields.length}` });
    } else if (values.some((v) => v === null)) {
      const bad = fields[values.findIndex((v) => v === null)];
      errors.push({ line, message: `“${bad.slice(0, 20)}” is not a number` });
    } else if (values.some((v) => !Number.isFinite(v) || Math.abs(v) > maxAbs)) {
      errors.push({ line, message: `values must be within ±${maxAbs}` });
    } else {
      rows.push(values);
    }
  });
  if (rows.length > maxRows) errors.push({ line: null, message: `${rows.length} rows: at most ${maxRows} are allowed` });
  else if (!errors.length && rows.length < 2) errors.push({ line: null, message: "at least 2 rows (x, y) are needed" });
  else if (!errors.length && new Set(rows.map(([x]) => x)).size < 2) {
    errors.push({ line: null, message: "all x are equal: at least 2 distinct x determine a line" });
  }
  return { rows, errors, header };
}

// "line 4: “abc” is not a number · line 9: ..." — the first few, and how many more.
export function describeErrors(errors, shown = 4) {
  const parts = errors.slice(0, shown).map((e) => (e.line ? `line ${e.line}: ${e.message}` : e.message));
  const more = errors.length > shown ? ` · and ${errors.length - shown} more` : "";
  return parts.join(" · ") + more;
}

// In a link: "x,y;x,y;..." with each number's shortest exact form, so a link refits the same data.
export function encodeData(rows) {
  return rows.map(([x, y]) => `${x},${y}`).join(";");
}

export function fitsInLink(rows) {
  return encodeData(rows).length <= LINK_CHARACTERS;
}

// The rows of a link's data key, or null if any part cannot be read (the page then says so).
export function decodeData(text, { maxRows, maxAbs }) {
  if (typeof text !== "string" || !text) return null;
  const rows = text.split(";").map((pair) => pair.split(",").map(numberOf));
  const ok = rows.length >= 2 && rows.length <= maxRows
    && rows.every((r) => r.length === 2 && r.every((v) => v !== null && Number.isFinite(v) && Math.abs(v) <= maxAbs))
    && new Set(rows.map(([x]) => x)).size >= 2;
  return ok ? rows : null;
}
