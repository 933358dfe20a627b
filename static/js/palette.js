// One fixed colour per optimizer, everywhere (paths, legend, loss curves, rules).
// Okabe–Ito's colourblind-safe set, extended with Paul Tol's wine, olive and indigo.
export const OPTIMIZER_COLOURS = {
  sgd: "#000000",
  momentum: "#E69F00",
  nesterov: "#D55E00",
  adagrad: "#009E73",
  adadelta: "#56B4E9",
  rmsprop: "#CC79A7",
  adam: "#0072B2",
  amsgrad: "#882255",
  adamax: "#999933",
  nadam: "#332288",
  newton: "#7F7F7F",
};

export function colourOf(name) {
  return OPTIMIZER_COLOURS[name] || "#444444";
}

// Shades of one colour for a learning-rate sweep: pale (smallest lr) to full (largest lr).
// Mixing toward white keeps the shades distinct even for black.
export function shade(hex, index, count) {
  const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const toWhite = count === 1 ? 0 : 0.7 * (1 - index / (count - 1));
  const out = rgb.map((c) => Math.round(c + (255 - c) * toWhite));
  return `#${out.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

export const SWEEP_DASHES = ["dot", "solid", "dash", "dashdot", "longdash", "longdashdot"];
