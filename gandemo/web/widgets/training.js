// The static edition's Training tab: a model's loss curves, its fixed-noise timeline (a slider over its
// snapshots) and its model card, drawn at build time by gandemo/static.py (props.pictures: model -> { curves,
// timeline, card }, paths relative to the page; props.html shows HTML with its formulas). The app's server draws
// the same from the same files.

import { element, listen } from "./view.js";

const here = (url) => new URL(url, document.baseURI).href;

/** The timeline's slider, the snapshot it shows and the line that says which. */
function timelineElements() {
  const index = element("input", {
    type: "range",
    min: "0",
    max: "0",
    step: "1",
    id: "timeline-index",
    "aria-label": "timeline snapshot",
  });
  const which = element("span", { class: "gd-note" });
  const snapshot = element("img", { id: "snapshot", alt: "samples at that point of training" });
  const box = element("div", { class: "gd-control" });
  box.append(element("span", { class: "gd-label" }, "timeline snapshot (fixed noise)"), index, which);
  return { index, which, snapshot, box };
}

export default {
  render({ el, props }) {
    const curves = element("img", { id: "losses", alt: "loss curves" });
    const none = element("p", { class: "gd-note" });
    const { index, which, snapshot, box } = timelineElements();
    const card = element("div", { class: "gd-card", id: "card" });
    el.append(element("h3", {}, "losses"), curves, none, box, snapshot, card);
    let shots = [];
    const showSnapshot = () => {
      const i = Number(index.value);
      snapshot.hidden = !shots.length;
      if (shots.length) snapshot.src = here(shots[i]);
      which.textContent = shots.length
        ? ` ${i + 1} of ${shots.length}: ${shots[i].split("/").pop().replace(".png", "").replace("_", " ")}`
        : " this model has no timeline";
    };
    index.addEventListener("input", showSnapshot);
    const html = props.html ?? ((node, markup) => (node.innerHTML = markup));
    /** @param {any[]} values */
    const show = (values) => {
      const shown = props.pictures[values[0]];
      if (!shown) return;
      shots = shown.timeline;
      curves.hidden = !shown.curves;
      if (shown.curves) curves.src = here(shown.curves);
      none.textContent = shown.curves ? "" : "This model has no loss history.";
      index.max = String(Math.max(shots.length - 1, 0));
      index.value = index.max;
      index.disabled = shots.length < 2;
      showSnapshot();
      html(card, shown.card); // (written by gandemo.static from our own Markdown, raw HTML escaped; its formulas)
      el.dataset.drawn = String(Number(el.dataset.drawn || 0) + 1);
    };
    return listen(props.id, { update: show });
  },
};
