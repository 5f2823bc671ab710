// The Draw a digit tab's per-model part: for each MNIST model, how real its discriminator finds the digit and the
// closest picture it can draw (its inversion), each placed on the spreads its checkpoint keeps (real test digits
// and its own samples) as a small strip. Everything runs in the page (runtime/index.js verdict and invert).

import { likeliest } from "../runtime/inversion.js";
import { nextTurn } from "../runtime/turns.js";
import { nearRow } from "./neighbours.js";
import { element } from "./view.js";

const STRIP = { width: 220, height: 34 };
const COLOURS = { real: "#16a34a", samples: "#6366f1", value: "#dc2626" };

const ASK_EVERY_MS = 2000; // (while the server's index of training digits is being built)
const ASKS = 60;

/** `nearest(values)`, asked again while it answers { wait: sentence } (said through `saying`), at most ASKS times. */
async function askUntilReady(nearest, values, saying) {
  for (let ask = 1; ; ask++) {
    const answer = await nearest(values);
    if (!answer.wait) return answer;
    if (ask === ASKS) throw new Error(answer.wait);
    saying(answer.wait);
    await new Promise((resolve) => setTimeout(resolve, ASK_EVERY_MS));
  }
}

/** Under a card, once its model has inverted the digit: a button that puts the closest picture beside its nearest
 * training digits (`nearest(values)`: the MNIST tab's search; is the model copying what it was shown?). */
function nearElements(parts, name, nearest) {
  const button = element(
    "button",
    { type: "button", class: "gd-button", "data-near": name },
    "nearest training digits",
  );
  const shown = element("div", { class: "gd-near-list" });
  button.hidden = true;
  button.addEventListener("click", async () => {
    const values = Float32Array.from(parts.found, (v) => v * 2 - 1); // (the closest picture, in [-1, 1])
    shown.replaceChildren(element("p", { class: "gd-note" }, "Searching…"));
    try {
      const answer = await askUntilReady(nearest, values, (wait) => shown.replaceChildren(element("p", {}, wait)));
      const note = `${name}'s closest picture beside its nearest training digits (digit · distance; a real digit typically sits ${answer.typical_distance.toFixed(2)} from its nearest).`;
      shown.replaceChildren(
        element("p", { class: "gd-note" }, note),
        nearRow(values, answer.neighbours[0], 0, answer.typical_distance),
      );
      shown.dataset.state = "shown";
    } catch (error) {
      shown.replaceChildren(element("p", { class: "gd-note" }, String(error.message || error)));
      shown.dataset.state = "error";
    }
  });
  Object.assign(parts, { nearButton: button, near: shown });
  return [button, shown];
}

/** One card per model: its name, the reconstruction, a verdict line and strip, an inversion line and strip, and
 * (`nearest`) the closest picture's nearest training digits on request. */
export function modelElements(names, nearest) {
  const box = element("div", { class: "gd-probe-models", id: "probe-models" });
  box.append(
    element(
      "span",
      { class: "gd-label" },
      "each model: how real its discriminator finds the digit, and the closest picture it can draw",
    ),
  );
  const cards = new Map();
  for (const name of names) {
    const card = element("div", { class: "gd-probe-model", "data-model": name });
    const picture = element("canvas", { width: "28", height: "28", class: "gd-probe-recon" });
    picture.setAttribute("role", "img");
    picture.setAttribute("aria-label", `${name}'s closest picture`);
    const strip = () =>
      element("canvas", { width: String(STRIP.width), height: String(STRIP.height), class: "gd-probe-strip" });
    const parts = { picture, verdict: element("p", { class: "gd-note" }, "–"), judged: strip() };
    Object.assign(parts, { inversion: element("p", { class: "gd-note" }, "–"), inverted: strip() });
    const text = element("div", { class: "gd-probe-model-text" });
    text.append(element("strong", {}, name), parts.verdict, parts.judged, parts.inversion, parts.inverted);
    text.append(...nearElements(parts, name, nearest));
    card.append(picture, text);
    box.append(card);
    cards.set(name, parts);
  }
  const legend = element(
    "span",
    { class: "gd-note" },
    "strips: the middle 90% of real test digits (green) and of the model's own samples (indigo); red: this digit",
  );
  box.append(legend);
  return { box, cards };
}

/** A strip: the 5-95% range and median of each spread on a shared axis, and the value as a red line. */
function drawStrip(canvas, spread, value) {
  const ctx = canvas.getContext("2d");
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const ends = [spread.real, spread.samples].flatMap((q) => [q[1], q[q.length - 2]]).concat([value]);
  const [low, high] = [Math.min(...ends), Math.max(...ends)];
  const x = (v) => 4 + ((width - 8) * (v - low)) / (high - low || 1);
  [
    ["real", 6],
    ["samples", 18],
  ].forEach(([key, y]) => {
    const q = spread[key];
    ctx.fillStyle = COLOURS[key];
    ctx.globalAlpha = 0.35;
    ctx.fillRect(x(q[1]), y, Math.max(1, x(q[q.length - 2]) - x(q[1])), 10);
    ctx.globalAlpha = 1;
    ctx.fillRect(x(q[(q.length - 1) / 2]) - 1, y, 2, 10);
  });
  ctx.fillStyle = COLOURS.value;
  ctx.fillRect(x(value) - 1.5, 0, 3, height);
}

/** Paint a picture (ink in [0, 1]) white on black. */
function paint(canvas, values) {
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(canvas.width, canvas.height);
  values.forEach((v, i) => {
    const grey = Math.round(Math.min(1, Math.max(0, v)) * 255);
    image.data.set([grey, grey, grey, 255], 4 * i);
  });
  ctx.putImageData(image, 0, 0);
}

const share = (p) => `${Math.round(p)}%`;

/** Show one model's verdict and inversion in its card. */
function show(parts, config, verdict, found, tried) {
  parts.verdict.textContent =
    `Discriminator score ${verdict.score.toFixed(3)}: above ${share(verdict.real_percentile)} of real test digits' ` +
    `scores and ${share(verdict.sample_percentile)} of its own samples'.`;
  drawStrip(parts.judged, config.discriminator.scores, verdict.score);
  if (found.problem) return void (parts.inversion.textContent = `No inversion here: ${found.problem}.`);
  paint(parts.picture, found.picture);
  parts.found = found.picture;
  parts.nearButton.hidden = false;
  const label = found.label === null ? "" : ` as a ${found.label} (of the likeliest ${tried.join(", ")})`;
  const placed =
    found.real_percentile === null
      ? ""
      : `: farther than ${share(found.real_percentile)} of real test digits are from theirs`;
  parts.inversion.textContent = `Closest picture${label}, distance ${found.distance.toFixed(3)}${placed}.`;
  if (config.inversion) drawStrip(parts.inverted, config.inversion, found.distance);
}

/** Judge and invert `digit` in every model in turn, showing each as it is done; stops when `current()` is false.
 * Returns { name: { verdict, inversion, ms } }. */
export async function judgeAll(runtime, site, cards, digit, probabilities, current) {
  const tried = likeliest(probabilities, site.inversion.labels_tried);
  const results = {};
  for (const [name, parts] of cards) {
    await nextTurn(); // (let the page paint between models)
    if (!current()) return null;
    const start = performance.now();
    try {
      const { config } = await runtime.discriminator(name);
      const verdict = await runtime.verdict(name, digit, tried[0]);
      const found = await runtime.invert(name, digit, tried, current).catch((error) => ({ problem: error.message }));
      if (!current()) return null;
      results[name] = { verdict, inversion: found, ms: performance.now() - start };
      show(parts, config, verdict, found, tried);
    } catch (error) {
      // (one model that cannot run here leaves the others judged)
      parts.verdict.textContent = `${name} could not be judged here: ${error.message}`;
    }
  }
  return results;
}

/** Empty every card (no digit to judge). */
export function clearModels(cards) {
  for (const parts of cards.values()) {
    parts.verdict.textContent = "–";
    parts.inversion.textContent = "–";
    parts.nearButton.hidden = true;
    parts.near.replaceChildren();
    delete parts.near.dataset.state;
    for (const c of [parts.judged, parts.inverted, parts.picture])
      c.getContext("2d").clearRect(0, 0, c.width, c.height);
  }
}
