// Is it copying? A switch beside the MNIST tab's grid that puts each sample beside its nearest training digits
// in the classifier's feature space, with the distances and, for scale, how far a real digit typically sits
// from its nearest training digit. The app's server searches all 60,000 (its /neighbours); the static edition's
// page searches the subset it ships (runtime/neighbours.js).

import { element, pageRuntime } from "./view.js";

const THUMB = 28;

/** A 28 x 28 thumbnail canvas from 784 values: bytes 0-255, or floats in [-1, 1] (a sample). */
export function thumbnail(values, label) {
  const canvas = element("canvas", { width: THUMB, height: THUMB, role: "img", "aria-label": label });
  canvas.className = "gd-thumb";
  const picture = new ImageData(THUMB, THUMB);
  const bytes = values instanceof Uint8Array;
  for (let p = 0; p < THUMB * THUMB; p++) {
    const v = bytes ? values[p] : Math.round((Math.min(1, Math.max(-1, values[p])) + 1) * 127.5);
    picture.data.set([v, v, v, 255], 4 * p);
  }
  canvas.getContext("2d").putImageData(picture, 0, 0);
  return canvas;
}

/** One picture's (784 values in [-1, 1]) nearest training digits, searched as the switch searches: by the app's
 * server (`calls.pixels_neighbours`), else in the page among the digits it ships. */
export async function nearestOne(values, site, calls) {
  if (calls && calls.pixels_neighbours) return calls.pixels_neighbours(Array.from(values));
  return { ...(await pageRuntime(site).neighbours(values, 1)), samples: [values] };
}

/** The server's base64 pixels as bytes. */
function bytesOf(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** One row: a sample, then its nearest training digits, each with its digit and distance. */
export function nearRow(sample, neighbours, k, scale) {
  const row = element("div", { class: "gd-near-row", "data-sample": String(k) });
  const pixels = typeof sample === "string" ? bytesOf(sample) : sample; // (the server's, or the page's floats)
  row.append(thumbnail(pixels, `sample ${k + 1}`), element("span", { class: "gd-near-arrow" }, "→"));
  for (const n of neighbours) {
    const figure = element("figure", { class: "gd-near" });
    const close = n.distance < scale / 2;
    const caption = element("figcaption", {}, `${n.digit} · ${n.distance.toFixed(2)}`);
    if (close) caption.dataset.close = "1";
    figure.append(
      thumbnail(n.image || bytesOf(n.pixels), `training digit ${n.digit} at distance ${n.distance.toFixed(2)}`),
      caption,
    );
    row.append(figure);
  }
  return row;
}

/** The lines around the rows: what the distances mean, and what was searched. */
function scaleLine(scale) {
  return `Under each training digit: its digit · its distance from the sample. For scale: a real digit typically sits ${scale.toFixed(2)} from its nearest training digit (the median). A sample much closer than that (under half: marked in red) may be a copy; one much farther is unlike any training digit.`;
}

/**
 * The switch and its rows under a view: `find(values)` answers with { neighbours, typical_distance, searched,
 * samples } or { wait: sentence } (the index is being built: asked again shortly).
 */
export function neighboursElement(el, count, find) {
  const box = element("div", { class: "gd-measures gd-neighbours", id: "neighbours" });
  const label = element("label", { class: "gd-switch" });
  const toggle = element("input", { type: "checkbox", id: "neighbours-switch" });
  label.append(toggle, ` Is it copying? Show each sample beside its ${count} nearest training digits`);
  const [scale, list, searched] = [
    element("p", { class: "gd-small", id: "neighbours-scale" }),
    element("div", { class: "gd-near-list", id: "neighbours-list" }),
    element("p", { class: "gd-small", id: "neighbours-searched" }),
  ];
  box.append(label, scale, list, searched);
  el.append(box);
  let [latest, retry] = [null, null];
  const show = async (values) => {
    clearTimeout(retry);
    if (!toggle.checked || !values) return;
    box.dataset.state = "searching";
    searched.textContent = "Searching the training digits…";
    try {
      const answer = await find(values);
      if (values !== latest || !toggle.checked) return;
      if (answer.wait) {
        [searched.textContent, box.dataset.state] = [answer.wait, "waiting"];
        retry = setTimeout(() => show(latest), 3000);
        return;
      }
      const rows = answer.neighbours.map((near, k) => nearRow(answer.samples[k], near, k, answer.typical_distance));
      list.replaceChildren(...rows);
      [scale.textContent, searched.textContent] = [scaleLine(answer.typical_distance), answer.searched];
      box.dataset.state = "shown";
    } catch (error) {
      if (values !== latest) return; // (a newer search answers for the grid)
      [searched.textContent, box.dataset.state] = [String(error.message || error), "error"];
      list.replaceChildren();
    }
  };
  toggle.addEventListener("change", () => {
    if (!toggle.checked) [scale.textContent, searched.textContent, box.dataset.state] = ["", "", "off"];
    list.hidden = !toggle.checked;
    show(latest);
  });
  return {
    /** The grid now shows `values`: search them when the switch is on. */
    update(values) {
      latest = values;
      show(values);
    },
  };
}
