// A closed <select> shows its chosen option in a box sized by the layout; at a projector's
// 1024 px in presenter mode a long name ("Linear regression (mini-batch ...)", a lesson's
// title) was cut. Each select's font shrinks, down to MIN_SCALE of the page's, until the chosen
// name fits; it is refitted whenever a select's value, options or the page's mode change.
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

export function fitSelects(root = document) {
  const all = () => root.querySelectorAll("select").forEach(fit);
  let queued = false;
  const later = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; all(); });
  };
  root.addEventListener("change", later, true);
  window.addEventListener("resize", later);
  new MutationObserver(later).observe(document.body, { subtree: true, childList: true, attributes: true,
                                                       attributeFilter: ["class", "hidden"] });
  // a value set by a script fires no event; every redraw of the paths panel follows one
  document.addEventListener("optviz:frame", later);
  later();
}
