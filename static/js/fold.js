// The main plot, both axes included, and the transport bar under it (Play, the scrubber) stay
// above the fold: the plot's height is capped by what the window has left below the plot's top
// once the transport bar has its room (CSS reads --plot-room). What sits above the plot (the top
// bar, a banner, the view bar, a legend of one to several lines) is measured whenever one of
// them changes size, so six optimizers' three-line legend shortens the plot instead of pushing
// its x-axis and the Play button off a 768 px projector.
const BOTTOM_GAP = 6;  // the plot box's border and a hair of page below it

export function keepPlotAboveFold(panel, plot) {
  const stage = plot.closest(".stage");
  const transport = stage.querySelector(".transport");
  const update = () => {
    if (!plot.offsetParent) return;  // the panel is hidden (the other tab); measured when shown
    const top = plot.getBoundingClientRect().top + window.scrollY;
    // The transport bar's height and the gap above it: it sits right under the plot's box.
    const below = transport.getBoundingClientRect().bottom - plot.closest(".plot-stack").getBoundingClientRect().bottom;
    panel.style.setProperty("--plot-room", `${Math.max(0, Math.floor(window.innerHeight - top - below - BOTTOM_GAP))}px`);
  };
  const above = [document.querySelector(".topbar"), document.getElementById("banner"), document.getElementById("link-output"),
                 ...[...stage.children].slice(0, [...stage.children].indexOf(plot.closest(".plot-row")))];
  if (typeof ResizeObserver !== "undefined") {
    const observer = new ResizeObserver(update);
    for (const node of above.filter(Boolean)) observer.observe(node);
    observer.observe(stage);  // the tab shown again, presenter mode, the controls hidden
    observer.observe(transport);  // its buttons wrap to a second line in a narrow stage
  }
  window.addEventListener("resize", update);
  update();
  return update;
}
