// "Your own function": a formula input checked live by the server (GET /api/formula), which
// answers the formula's MathML or a 422 pointing at the offending character; examples to pick
// from; an optional plot domain. Checks wait for a pause in typing and never overlap: one is in
// flight at a time, and only the text on screen when it returns is checked next.
import { el, mathBlock } from "../controls.js";

const PAUSE_MS = 300;

export class FormulaBox {
  // capabilities: GET /api/formula without parameters. check({formula, domain}) -> outline
  // (or throws the ApiError of a 422). onApply(formula, domain) draws it.
  constructor({ capabilities, formula, domain, check, onApply }) {
    this.capabilities = capabilities;
    this.check = check;
    this.onApply = onApply;
    this.checked = new Map();  // query -> {ok, outline} | {ok: false, message, position}
    this.inflight = null;
    this.timer = null;
    this.build(formula || capabilities.examples[0].formula, domain);
  }

  build(formula, domain) {
    const caps = this.capabilities;
    this.input = el("input", { id: "formula-input", type: "text", spellcheck: "false", autocomplete: "off",
                               maxlength: caps.max_length, value: formula, "aria-describedby": "formula-message",
                               title: `Numbers, ${caps.variables.join(", ")}, + − * / ^, parentheses, ${caps.constants.join(", ")}`
                                 + ` and ${caps.functions.join(", ")}` });
    this.examples = el("select", { id: "formula-examples", "aria-label": "Example formulas" },
                       el("option", { value: "", text: "Examples…" }),
                       ...caps.examples.map((e) => el("option", { value: e.formula, text: `${e.name}: ${e.formula}` })));
    const [[dx0, dx1], [dy0, dy1]] = caps.default_domain;
    const box = (id, label, placeholder, value) => el("input", { id, type: "number", step: "any", placeholder,
                                                                 "aria-label": label, value: value ?? "" });
    this.domainInputs = [box("formula-x0", "x from", dx0, domain?.[0][0]), box("formula-x1", "x to", dx1, domain?.[0][1]),
                         box("formula-y0", "y from", dy0, domain?.[1][0]), box("formula-y1", "y to", dy1, domain?.[1][1])];
    this.message = el("div", { id: "formula-message", class: "formula-message", "aria-live": "polite" });
    this.apply = el("button", { id: "formula-apply", type: "button", text: "Draw" });
    this.element = el("div", { id: "formula-box", class: "formula-box" },
      el("label", { for: "formula-input", text: "f(x, y) =" }), this.input, this.message,
      el("label", { for: "formula-examples", text: "Or start from an example" }), this.examples,
      el("label", { text: "Plot (optional): x from, to; y from, to" }),
      el("div", { class: "domain-row" }, ...this.domainInputs),
      el("div", { class: "formula-actions" }, this.apply,
         el("span", { class: "hint", text: "Enter draws it; the gradient and Hessian are derived exactly." })));
    this.input.addEventListener("input", () => this.schedule());
    for (const input of this.domainInputs) input.addEventListener("input", () => this.schedule());
    this.input.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); this.submit(); } });
    this.apply.addEventListener("click", () => this.submit());
    this.examples.addEventListener("change", () => {
      if (!this.examples.value) return;
      this.input.value = this.examples.value;
      this.examples.value = "";
      this.submit();
    });
    this.schedule(0);
  }

  // What is typed, as the API's query: {formula, domain?}, or a local message for the domain.
  query() {
    const values = this.domainInputs.map((input) => input.value.trim());
    const query = { formula: this.input.value };
    if (values.every((v) => v === "")) return { query };
    const numbers = values.map(Number);
    if (values.some((v) => v === "") || !numbers.every(Number.isFinite) || numbers[0] >= numbers[1] || numbers[2] >= numbers[3]) {
      return { query, problem: "Plot: give all four numbers, with x from < x to and y from < y to (or none)." };
    }
    return { query: { ...query, domain: numbers.join(",") }, domain: [[numbers[0], numbers[1]], [numbers[2], numbers[3]]] };
  }

  schedule(delay = PAUSE_MS) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.validate(), delay);
  }

  // The server's verdict on what is typed now; at most one check in flight.
  async validate() {
    const { query, problem } = this.query();
    if (problem) { this.show({ ok: false, message: problem, position: null }); return null; }
    const key = new URLSearchParams(query).toString();
    if (this.checked.has(key)) { this.show(this.checked.get(key)); return this.checked.get(key); }
    if (this.inflight) return this.inflight.then(() => this.validate(), () => this.validate());
    this.inflight = this.check(query).then(
      (outline) => ({ ok: true, outline }),
      (error) => {
        const item = error.detail?.[0];
        if (error.status !== 422 || !item) throw error;
        return { ok: false, message: item.msg, position: item.ctx?.position ?? null };
      });
    try {
      const verdict = await this.inflight;
      this.checked.set(key, verdict);
      if (new URLSearchParams(this.query().query).toString() === key) this.show(verdict);
      return verdict;
    } catch (error) {
      this.show({ ok: false, message: `Could not check the formula: ${error.message}`, position: null });
      return null;
    } finally {
      this.inflight = null;
    }
  }

  // A check's verdict in place: the formula as the server reads it, or the message with the
  // offending character marked in a copy of the text.
  show(verdict) {
    this.input.setAttribute("aria-invalid", String(!verdict.ok));
    this.apply.disabled = !verdict.ok;
    if (verdict.ok) {
      this.message.className = "formula-message ok";
      this.message.replaceChildren(el("span", { text: "✓ " }), mathBlock(verdict.outline.formula_mathml));
      return;
    }
    this.message.className = "formula-message error";
    const parts = [el("span", { class: "formula-error-text", text: verdict.message })];
    if (verdict.position !== null && verdict.position !== undefined) {
      const text = this.input.value;
      const at = Math.min(verdict.position, text.length);
      parts.push(el("code", { class: "formula-at", "data-position": at },
                    text.slice(0, at), el("mark", { text: text.slice(at, at + 1) || " " }), text.slice(at + 1)));
    }
    this.message.replaceChildren(...parts);
  }

  async submit() {
    clearTimeout(this.timer);
    const verdict = await this.validate();
    if (verdict?.ok) {
      const { query, domain } = this.query();
      this.onApply(query.formula, domain || null);
    } else if (verdict && verdict.position !== null) {
      this.input.focus();
      this.input.setSelectionRange(verdict.position, verdict.position + 1);
    }
  }

  // After an undo, a reset or a link: show this formula and domain.
  set(formula, domain) {
    this.input.value = formula;
    const values = domain ? [domain[0][0], domain[0][1], domain[1][0], domain[1][1]] : ["", "", "", ""];
    this.domainInputs.forEach((input, i) => { input.value = values[i]; });
    this.schedule(0);
  }
}
