// The main plot, both axes included, stays above the fold: its height is capped by what the
// window has left below the plot's top (CSS reads --plot-room). What sits above the plot (the
// top bar, a banner, the view bar, a legend of one to several lines) is measured whenever one of
// them changes size, so six optimizers' three-line legend shortens the plot instead of pushing
// its x-axis off a 768 px projector.
const BOTTOM_GAP = 6;  // the plot box's border and a hair of page below it

export function keepPlotAboveFold(panel, plot) {
  const update = () => {
    if (!plot.offsetParent) return;  // the panel is hidden (the other tab); measured when shown
    const top = plot.getBoundingClientRect().top + window.scrollY;
    panel.style.setProperty("--plot-room", `${Math.max(0, Math.floor(window.innerHeight - top - BOTTOM_GAP))}px`);
  };
  const stage = plot.closest(".stage");
  const above = [document.querySelector(".topbar"), document.getElementById("banner"), document.getElementById("link-output"),
                 ...[...stage.children].slice(0, [...stage.children].indexOf(plot.closest(".plot-row")))];
  if (typeof ResizeObserver !== "undefined") {
    const observer = new ResizeObserver(update);
    for (const node of above.filter(Boolean)) observer.observe(node);
    observer.observe(stage);  // the tab shown again, presenter mode, the controls hidden
  }
  window.addEventListener("resize", update);
  update();
  return update;
}
