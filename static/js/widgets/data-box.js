// "Your own data" for a surface that takes data: paste CSV or choose a file; the page reads it
// (csvdata.js) and reports bad rows by line number; good data are fitted. Nothing is uploaded
// anywhere: the rows go with each request, and into the link when they are few.
import { describeErrors, fitsInLink, parseCsv } from "../csvdata.js";
import { el } from "../controls.js";

export class DataBox {
  // caps: the surface's own_data ({max_rows, max_abs}); rows: the data in use or null;
  // onApply(rows) fits them; onClear() returns to the generated data.
  constructor({ caps, rows, onApply, onClear }) {
    this.caps = caps;
    this.onApply = onApply;
    this.onClear = onClear;
    this.text = el("textarea", { id: "data-text", rows: 5, spellcheck: "false", "aria-describedby": "data-message",
                                 placeholder: "x,y\n0.5,2.1\n1.0,2.9\n1.5,4.2" });
    this.file = el("input", { id: "data-file", type: "file", accept: ".csv,.txt,.tsv,text/csv,text/plain",
                              "aria-label": "Choose a CSV file" });
    this.message = el("p", { id: "data-message", class: "data-message hint", "aria-live": "polite" });
    const apply = el("button", { id: "data-apply", type: "button", text: "Fit these data" });
    const clear = el("button", { id: "data-clear", type: "button", text: "Generated data" });
    this.element = el("details", { id: "data-box", class: "data-box" },
      el("summary", { text: "Your own data (x, y)" }),
      el("p", { class: "hint", text: `Paste two columns (CSV, up to ${caps.max_rows} rows) or choose a file.` }),
      this.text, this.file, el("div", { class: "data-actions" }, apply, clear), this.message);
    apply.addEventListener("click", () => this.read(this.text.value));
    clear.addEventListener("click", () => { this.text.value = ""; this.say("", ""); this.onClear(); });
    this.file.addEventListener("change", async () => {
      const chosen = this.file.files[0];
      if (!chosen) return;
      this.text.value = await chosen.text();
      this.read(this.text.value);
    });
    this.set(rows);
  }

  read(text) {
    const { rows, errors } = parseCsv(text, { maxRows: this.caps.max_rows, maxAbs: this.caps.max_abs });
    if (errors.length) {
      this.say("error", `Not fitted: ${describeErrors(errors)}`);
      return;
    }
    this.onApply(rows);
    this.set(rows);
  }

  // The data in use, as text to edit, with whether a link can hold them.
  set(rows) {
    this.element.open = Boolean(rows) || this.element.open;
    if (!rows) { this.say("", ""); return; }
    if (!this.text.value.trim()) this.text.value = rows.map(([x, y]) => `${x},${y}`).join("\n");
    this.say("ok", fitsInLink(rows) ? `Fitting your ${rows.length} rows; the link holds them.`
      : `Fitting your ${rows.length} rows. They are too many for a link: a copied link opens the generated data.`);
  }

  say(kind, text) {
    this.message.className = `data-message hint ${kind}`;
    this.message.textContent = text;
  }
}
