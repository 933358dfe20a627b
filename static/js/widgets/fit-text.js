// Text that must show whole in a box the layout sizes. At a projector's 1024 px in presenter
// mode a closed <select> cut its chosen name ("Linear regression (mini-batches)", a lesson's
// title), and a formula that has no top-level + − = to wrap at (a sum, a fraction) ran out of
// its column. Each shrinks, down to MIN_SCALE of its own size, until it fits; refitted whenever
// a value, the content or the page's mode change.
const MIN_SCALE = 0.6;
const ARROW_ROOM = 26;  // the drop-down arrow and the box's own padding
const measure = document.createElement("canvas").getContext("2d");

const fitted = new WeakMap();  // select -> what it was fitted to (its text, box and the page's mode)

function fit(select) {
  const text = select.selectedOptions[0]?.textContent || "";
  const key = `${text}|${select.parentElement?.clientWidth}|${document.body.className}`;
  if (fitted.get(select) === key) return;
  fitted.set(select, key);
  select.style.fontSize = "";
  if (!text || !select.offsetWidth) return;
  const style = getComputedStyle(select);
  const size = parseFloat(style.fontSize);
  measure.font = `${style.fontWeight} ${size}px ${style.fontFamily}`;
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - ARROW_ROOM;
  const width = measure.measureText(text).width;
  if (width > room) select.style.fontSize = `${Math.max(MIN_SCALE * size, (size * room) / width).toFixed(1)}px`;
}

// Each MathML piece of a formula box no wider than the box.
function fitFormula(box) {
  const key = `${box.innerHTML.length}|${box.clientWidth}|${document.body.className}`;
  if (fitted.get(box) === key) return;
  fitted.set(box, key);
  for (const math of box.querySelectorAll("math")) {
    math.style.fontSize = "";
    const width = math.getBoundingClientRect().width;
    if (width > box.clientWidth && box.clientWidth > 0) {
      math.style.fontSize = `${Math.max(MIN_SCALE, box.clientWidth / width - 0.01) * 100}%`;
    }
  }
}

// The menus that sit in narrow boxes: the controls column's and the top bar's.
const MENUS = ".controls select, .topbar select";

export function fitTexts(root = document) {
  const all = () => {
    root.querySelectorAll(MENUS).forEach(fit);
    root.querySelectorAll(".formula").forEach(fitFormula);
  };
  let queued = false;
  const later = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; all(); });
  };
  root.addEventListener("change", (event) => { if (event.target.matches?.(MENUS)) later(); }, true);
  window.addEventListener("resize", later);
  // The page's modes (presenter, hidden controls, lesson) are classes of the body; menus and
  // formulas are filled by scripts. Observed narrowly: the plots' SVG changes every frame.
  new MutationObserver(later).observe(document.body, { attributes: true, attributeFilter: ["class"] });
  const boxes = [...root.querySelectorAll(`${MENUS}, .formula`)];
  const filled = new MutationObserver(later);
  for (const box of boxes) filled.observe(box, { childList: true, subtree: true });
  // A value set by a script fires no event: after each redraw of the paths panel, a select whose
  // value changed is refitted (values compared only, nothing measured).
  const values = new Map();
  document.addEventListener("optviz:frame", () => {
    let changed = false;
    for (const select of root.querySelectorAll(MENUS)) {
      if (values.get(select) !== select.value) { values.set(select, select.value); changed = true; }
    }
    if (changed) later();
  });
  later();
}
