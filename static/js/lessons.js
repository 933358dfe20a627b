// Lesson mode: the lecture as a sequence of annotated scenes. Every word and every scene comes
// from GET /api/lessons (lessons/ in Python); this module only shows them and walks the list.
//
// A lesson opens as /?lesson=ID, which the server turns into the lesson's own link plus
// lesson=ID, so the page's link reader builds the scene exactly as the lesson's link would.
// Next / previous, the menu, "now try" and "restore" put the lesson's link on screen in place
// (a reload showed a blank, unstyled page for a second or two on a projector), reading it with
// the same reader; each lesson is a history entry, so Back returns to the one before. The
// lecturer's own changes keep the lesson on screen, marked "modified".
import { getJson } from "./api.js";
import { el } from "./controls.js";
import { MLP_KEYS, MLP_PRESENTATION_KEYS } from "./mlp-state.js";
import { fromQuery, keysIn, toQuery } from "./state.js";

// Keys that change how a scene is shown, not which scene it is: they never make a lesson "modified".
const PRESENTATION_KEYS = [...keysIn("presentation"), ...MLP_PRESENTATION_KEYS];
const KEYS_HELP = "Next / previous lesson: PageDown / PageUp (what a presentation clicker sends) or these buttons. "
  + "← / → still step the animation.";
const SETTLE_TIMEOUT_MS = 30000;

const $ = (id) => document.getElementById(id);

// The scene a query describes on one tab, as the page itself would write it, without presentation
// keys: an MLP lesson's scene is its comparison, a paths lesson's everything else (a lecturer
// trying a network during a paths lesson has not changed the paths lesson's scene).
export function sceneKey(query, meta, tab = "paths") {
  const params = new URLSearchParams(toQuery(fromQuery(query, meta), meta));
  for (const key of [...params.keys()]) {
    if (PRESENTATION_KEYS.includes(key) || MLP_KEYS.includes(key) !== (tab === "mlp")) params.delete(key);
  }
  return params.toString();
}

export class LessonMode {
  // openScene(query): puts a link's scene on screen in place, on both tabs (main.js).
  constructor(panel, mlpPanel, banner, openScene) {
    this.panel = panel;          // the paths panel: owns the scene's state and writes the URL
    this.mlpPanel = mlpPanel;
    this.banner = banner;
    this.openScene = openScene;
    this.lessons = [];
    this.lesson = null;
    this.node = null;
    this.opened = 0;  // counts the lessons opened: only the last one's chart is brought into view
  }

  get state() { return this.panel.state; }

  async start() {
    try {
      this.lessons = await getJson("/api/lessons");
    } catch (error) {
      $("lesson-menu").hidden = true;
      return;
    }
    this.buildMenu();
    this.listen();
    const id = this.state.lesson;
    if (!id) return;
    const lesson = this.lessons.find((item) => item.id === id);
    if (!lesson) {
      this.state.lesson = null;
      this.panel.syncUrl();
      // After the first paths arrive: their answer clears the banner.
      await this.settled();
      this.banner.show(`There is no lesson “${id}”: this is the scene of the rest of the link. `
                       + "The Lessons menu lists every lesson.", "info");
      return;
    }
    this.open(lesson);
  }

  // ---- the menu: lessons grouped by topic, in lecture order --------------------------------

  buildMenu() {
    const menu = $("lesson-menu");
    // The menu gives the focus back once a lesson is chosen: a clicker's PageDown sent to the
    // focused select moved its selection (to another lesson, or to none) instead of walking on.
    menu.addEventListener("change", () => { if (menu.value) { menu.blur(); this.go(menu.value); } });
    this.fillMenu();
  }

  fillMenu() {
    const menu = $("lesson-menu");
    const groups = new Map();
    for (const lesson of this.lessons) {
      if (!groups.has(lesson.topic)) groups.set(lesson.topic, el("optgroup", { label: lesson.topic }));
      // The open lesson is marked in the list; the closed menu always reads "Lessons…": a
      // lesson's title does not fit the top bar at 1024 px in presenter mode, and its panel shows it.
      const current = lesson.id === this.state.lesson;
      groups.get(lesson.topic).append(el("option", { value: lesson.id, text: `${current ? "▸ " : ""}${lesson.title}` }));
    }
    menu.replaceChildren(el("option", { value: "", text: "Lessons…" }), ...groups.values());
    menu.value = "";
  }

  // Bound once: the panel moves with the tab and the controls, and says "modified" after a change.
  listen() {
    for (const button of document.querySelectorAll("[data-tab]")) button.addEventListener("click", () => this.place());
    document.addEventListener("optviz:state", () => { this.place(); this.check(); });  // "Hide controls" writes the URL too
    document.addEventListener("keydown", (event) => this.onKey(event));
    window.addEventListener("popstate", () => this.returnTo(location.search));
    document.addEventListener("scroll", (event) => { if (event.target === this.node?.parentNode) this.showMore(); },
                              { capture: true, passive: true });
    window.addEventListener("resize", () => this.showMore());
  }

  // ---- navigation: every move puts a lesson's link on screen (one reader for links and lessons)

  // The address of a lesson, keeping presenter mode and hidden controls (what the server expands).
  addressOf(lesson) {
    const keep = new URLSearchParams();
    if (this.state.present) keep.set("present", "1");
    if (!this.state.controls) keep.set("controls", "0");
    keep.set("lesson", lesson.id);
    return `/?${keep}`;
  }

  go(id, { trying = false } = {}) {
    const lesson = this.lessons.find((item) => item.id === id);
    if (!lesson) return;
    // A new history entry per lesson (Back returns to the one before); "restore" and "now try"
    // stay in the lesson's. The panel's syncUrl then writes the scene's whole link into it.
    if (lesson !== this.lesson) history.pushState(null, "", this.addressOf(lesson));
    this.show(lesson, trying ? lesson.try_link : lesson.link);
  }

  show(lesson, query) {
    this.state.lesson = lesson.id;
    this.openScene(query);
    this.open(lesson);
  }

  // Back or Forward: the entry's own link (a lesson's, as the lecturer left it, or the scene
  // before lesson mode).
  returnTo(query) {
    const params = new URLSearchParams(query);
    const lesson = this.lessons.find((item) => item.id === params.get("lesson"));
    // An entry left before its scene was written holds only what addressOf wrote: the lesson's own link.
    const bare = [...params.keys()].every((key) => ["lesson", "present", "controls"].includes(key));
    if (lesson) { this.show(lesson, bare ? lesson.link : query); return; }
    if (this.lesson) this.leave();
    this.openScene(query);
  }

  step(offset) {
    const index = this.lessons.indexOf(this.lesson) + offset;
    if (index >= 0 && index < this.lessons.length) this.go(this.lessons[index].id);
  }

  leave() {
    this.unfollow?.();
    this.state.lesson = null;
    this.lesson = null;
    this.node?.remove();
    this.node = null;
    document.body.classList.remove("lesson-mode", "lesson-collapsed", "lesson-reading");
    delete document.body.dataset.lesson;
    $("lesson-menu").value = "";
    this.panel.syncUrl();
  }

  // ---- the panel -----------------------------------------------------------------------------

  open(lesson) {
    // Another lesson opens as a strip: the text the lecturer opened was the last lesson's.
    if (lesson !== this.lesson) document.body.classList.remove("lesson-reading");
    this.lesson = lesson;
    const meta = this.panel.meta;
    this.keys = { lesson: sceneKey(lesson.link, meta, lesson.tab),
                  trying: lesson.try_link ? sceneKey(lesson.try_link, meta, lesson.tab) : null };
    this.node?.remove();
    this.node = this.render(lesson);
    document.body.classList.add("lesson-mode");
    document.body.dataset.lesson = lesson.id;
    delete document.body.dataset.lessonStatus;  // the new panel's status line is written afresh
    this.fillMenu();
    this.place();
    this.node.parentNode?.scrollTo?.({ top: 0 });  // a new lesson is read from its title
    window.scrollTo({ top: 0 });  // and the page from its top (the last lesson's chart may have scrolled it)
    const status = this.check();
    this.reveal(lesson, status !== "modified" ? this.play() : null);
  }

  // A lesson whose sentences speak of a chart below the plot (its `chart`) brings it into view
  // once its scene is drawn (`drawn`: the lesson playing; the paths drawn, the MLP's networks
  // trained, when the loss slice shows): at 1024x768 the learning-rate chart and the loss slice
  // lay below the fold, and a lecturer had to scroll to see what the text claims. The lesson's
  // text stays in view beside it (the column and the strip stick to the window's top).
  async reveal(lesson, drawn) {
    const opened = ++this.opened;
    this.unfollow?.();
    const box = lesson.chart && $(lesson.chart);
    if (!box) return;
    await (drawn || (lesson.tab === "paths" ? this.settled() : null));
    if (opened !== this.opened || !box.checkVisibility()) return;
    this.bringIntoView(box, lesson.tab);
    this.follow(box, lesson.tab);
  }

  // Scrolls down until the chart's bottom is in the window, but on the paths tab never past the
  // legend's top: the paths are what every path lesson speaks of first (the schedule lessons'
  // "the last 50 points scatter less"), and at 1024x768 the learning-rate chart and the plot do
  // not fit together; scrolling to the chart put the plot off the screen. There the chart is the
  // lecturer's scroll away; on a 1080p screen both show.
  bringIntoView(box, tab) {
    const below = box.getBoundingClientRect().bottom - window.innerHeight;
    const by = Math.min(below, tab === "paths" ? this.legendRoom() : Infinity);
    if (by > 0) window.scrollBy({ top: by });
  }

  // How far the page may scroll down and still show the paths' legend (negative: scrolled past
  // it). The folded strip sticks to the window's top, over the stage: the legend stays below it.
  legendRoom() {
    const legend = $("legend").getBoundingClientRect();
    const panel = this.node.getBoundingClientRect();
    const overStage = panel.left < legend.right && panel.right > legend.left;  // a strip, not the column beside
    return legend.top - (overStage ? panel.height : 0) - 8;
  }

  // Keeps the chart in view while what lies above it changes size (once the animation stops the
  // inspector adds its gradient check, ~200 px, which pushed the learning-rate chart back below
  // the fold; the text opened beside the stage narrows it), as long as the lecturer leaves it in
  // view: scrolled away from it, the page stays where they put it. Meanwhile the browser's own
  // scroll anchoring is off (optviz.css): it moved the page when the strip left the stage, and a
  // move that is not the lecturer's must not read as one.
  follow(box, tab) {
    const inView = () => {
      const rect = box.getBoundingClientRect();
      return rect.height > 0 && rect.top >= 0 && rect.bottom <= window.innerHeight;
    };
    let shown = inView();
    const scrolled = () => { shown = inView(); };
    const observer = new ResizeObserver(() => {
      if (shown && !inView()) this.bringIntoView(box, tab);
      // the controls hidden or the text opened: the paths and their legend come back into view
      else if (tab === "paths" && this.legendRoom() < 0) window.scrollBy({ top: this.legendRoom() });
      shown = inView();
    });
    observer.observe(box.closest(".stage"));
    window.addEventListener("scroll", scrolled, { passive: true });
    document.documentElement.classList.add("lesson-follow");
    this.unfollow = () => {
      observer.disconnect();
      window.removeEventListener("scroll", scrolled);
      document.documentElement.classList.remove("lesson-follow");
      this.unfollow = null;
    };
  }

  render(lesson) {
    const index = this.lessons.indexOf(lesson);
    const folded = document.body.classList.contains("lesson-collapsed");
    const button = (text, title, onclick, disabled = false, kind = null) => el("button", { type: "button", title, "aria-label": title, text,
                                                                                     onclick, disabled, class: kind });
    const head = el("div", { class: "lesson-head" },
      el("span", { class: "lesson-count", text: `Lesson ${index + 1} / ${this.lessons.length}` }),
      el("span", { class: "lesson-buttons" },
        button("◀", "Previous lesson (PageUp)", () => this.step(-1), index === 0),
        button("▶", "Next lesson (PageDown)", () => this.step(1), index === this.lessons.length - 1),
        button(folded ? "▸" : "▾", folded ? "Unfold the lesson" : "Fold the lesson to a strip and show the controls",
               (event) => this.fold(event.currentTarget), false, "lesson-fold"),
        this.readButton(),
        button("×", "Leave lesson mode (the scene stays)", () => this.leave())));
    const notice = el("ul", { class: "lesson-notice" }, ...lesson.notice.map((text) => el("li", { text })));
    const tryNext = lesson.try_next ? el("p", { class: "lesson-try" }, el("b", { text: "Now try: " }), lesson.try_next,
      lesson.try_link ? button("Try it", "Open the scene this sentence describes", () => this.go(lesson.id, { trying: true })) : null) : null;
    return el("aside", { id: "lesson-panel", class: "lesson-panel", "aria-label": "Lesson", title: KEYS_HELP },
      head,
      el("p", { class: "lesson-topic", text: lesson.topic }),
      el("h2", { class: "lesson-title", text: lesson.title }),
      el("p", { class: "lesson-status", id: "lesson-status", hidden: true }),
      el("div", { class: "lesson-body" },
        el("p", { class: "lesson-narrative", text: lesson.narrative }),
        el("h3", { text: "What to notice" }), notice, tryNext),
      el("button", { type: "button", class: "lesson-more", hidden: true, text: "more ▾",
                     title: "The lesson goes on below: scroll on", onclick: () => this.scrollOn() }));
  }

  // A lesson longer than the controls column scrolls in it, and no scrollbar shows on many
  // screens: at 1024x768 a new lecturer did not see that the text went on ("Try it" was below).
  // While text lies below the column's foot, a "more ▾" bar stays there; it scrolls the text on.
  showMore() {
    const more = this.node?.querySelector(".lesson-more");
    const column = this.node?.parentNode;
    if (!more || !column) return;
    const below = column.scrollHeight - column.scrollTop - column.clientHeight;
    // Folded (▾) with the controls shown; with them hidden the column holds the opened text.
    const folded = document.body.classList.contains("lesson-collapsed") && this.state.controls;
    more.hidden = this.node.classList.contains("strip") || folded || below <= 2;
  }

  scrollOn() {
    const column = this.node?.parentNode;
    column?.scrollBy({ top: Math.round(column.clientHeight * 0.6), behavior: "smooth" });
  }

  // The panel sits at the top of the visible tab's controls column (over the controls, which
  // folding the panel shows again), so the plot keeps its width in presenter mode. With the
  // controls hidden it is a strip above the stage (count, title, next / previous), so the
  // plot gets the screen as it does outside a lesson; its text, opened, takes the column again
  // (the controls stay hidden) and the plot gives it room.
  place() {
    if (!this.node) return;
    const strip = !this.state.controls && !document.body.classList.contains("lesson-reading");
    const holder = document.querySelector(`.layout:not([hidden]) ${strip ? ".stage" : ".controls"}`);
    if (holder && this.node.parentNode !== holder) holder.prepend(this.node);
    this.node.classList.toggle("strip", strip);
    this.showStatus();
    requestAnimationFrame(() => this.showMore());  // once the panel is laid out where it now is
  }

  // "Modified" / "Now trying" speak of the lesson's own tab's scene: on the other tab they show
  // nothing (that tab's scene is no part of the lesson).
  showStatus() {
    const line = this.node?.querySelector("#lesson-status");
    if (!line || !this.lesson) return;
    const status = document.body.dataset.lessonStatus;
    line.hidden = !status || status === "lesson" || this.state.tab !== this.lesson.tab;
  }

  // With the controls hidden the lesson is a strip; its ▸ opens the lesson's text beside the
  // stage, in the controls' column (the controls stay hidden), and ▴ folds it again. Over the
  // plot's right side it covered what it spoke of: Adam's first step, the Adam family's legend,
  // the accuracy chart.
  readButton() {
    const reading = document.body.classList.contains("lesson-reading");
    const node = el("button", { type: "button", class: "lesson-read", onclick: () => this.read(!document.body.classList.contains("lesson-reading")) });
    this.labelRead(node, reading);
    return node;
  }

  labelRead(node, reading) {
    node.textContent = reading ? "▴" : "▸";
    node.title = reading ? "Fold the lesson's text back into the strip (Escape)" : "Read the lesson: its text beside the plot";
    node.setAttribute("aria-label", node.title);
    node.setAttribute("aria-expanded", String(reading));
  }

  read(on) {
    document.body.classList.toggle("lesson-reading", on);
    const node = this.node?.querySelector(".lesson-read");
    if (node) this.labelRead(node, on);
    this.place();
  }

  fold(button) {
    const folded = document.body.classList.toggle("lesson-collapsed");
    button.textContent = folded ? "▸" : "▾";
    button.title = folded ? "Unfold the lesson" : "Fold the lesson to a strip and show the controls";
    button.setAttribute("aria-label", button.title);
    this.showMore();
  }

  // Is the scene on screen still the lesson's (or its "now try" scene)? Says so in the panel.
  check() {
    if (!this.lesson) return null;
    const key = sceneKey(toQuery(this.state, this.panel.meta), this.panel.meta, this.lesson.tab);
    const status = key === this.keys.lesson ? "lesson" : key === this.keys.trying ? "trying" : "modified";
    if (status === document.body.dataset.lessonStatus) return status;
    document.body.dataset.lessonStatus = status;
    const line = $("lesson-status");
    const restore = el("button", { type: "button", text: "Restore the lesson", onclick: () => this.go(this.lesson.id) });
    if (status === "modified") line.replaceChildren(el("b", { text: "Modified: " }), "this is no longer the lesson's scene. ", restore);
    else if (status === "trying") line.replaceChildren(el("b", { text: "Now trying: " }), "the “Now try” step below. ", restore);
    line.className = `lesson-status ${status}`;
    this.showStatus();
    requestAnimationFrame(() => this.showMore());  // the status line moves the text down or up
    return status;
  }

  onKey(event) {
    if (this.lesson && event.key === "Escape" && document.body.classList.contains("lesson-reading")) { this.read(false); return; }
    if (!this.lesson || (event.key !== "PageDown" && event.key !== "PageUp")) return;
    // Text boxes and lists keep their own PageUp / PageDown; a slider and the lessons menu give
    // them up: a clicker sends them wherever the last click left the focus.
    const target = event.target;
    if (target.closest("select:not(#lesson-menu), textarea, [contenteditable], input:not([type=range]):not([type=checkbox])")
        || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    this.step(event.key === "PageDown" ? 1 : -1);
  }

  // A lesson plays when it opens: the paths animate from step 0, the MLP comparison trains.
  // Resolves once the scene is drawn: the paths start playing, the networks are trained.
  async play() {
    if (this.state.tab === "mlp") {
      if (this.mlpPanel.mlp.runs.length) await this.mlpPanel.train();
      return;
    }
    const panel = this.panel;
    if (!await this.settled() || panel.player.playing || !this.lesson) return;
    panel.seek(0);
    panel.togglePlay();
  }

  // Resolves true once the paths of the scene are drawn (false after a timeout).
  async settled() {
    const panel = this.panel;
    const ready = () => panel.grid && !panel.inflight && panel.dirty.size === 0 && panel.runs().every((run) => run.result);
    const started = performance.now();
    while (!ready()) {
      if (performance.now() - started > SETTLE_TIMEOUT_MS) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await panel.rendered;
    return true;
  }
}
