// Beside an MNIST model's pictures: its collapse alarm and a small chart of precision and recall for each digit,
// with real digits' figures as ticks (gandemo/evaluate.py measures them; site.models[m].measures carries them).
// A click on a bar shows what it misses (the model's "misses" file, gandemo/measures/misses.py): a precision bar,
// that digit's samples outside every real digit's neighbourhood; a recall bar, the real digits no sample covers.

import { nearRow, thumbnail } from "./neighbours.js";
import { element, fitCanvas, pageRuntime } from "./view.js";

const PRECISION = "rgb(0, 114, 178)";
const RECALL = "rgb(230, 159, 0)";

/** Draw the per-digit chart: two bars a digit (precision, recall), a tick at real digits' value on each; the bar
 * `picked` ({ digit, kind }, or null) framed. */
function drawChart(canvas, measures, picked = null) {
  const { ctx, width, height } = fitCanvas(
    canvas,
    420,
    () => 150,
    () => drawChart(canvas, measures, picked),
  );
  const [left, bottom, top] = [28, 18, 8];
  const plotHeight = height - bottom - top;
  const group = (width - left) / 10;
  canvas.barGroups = { left, group }; // (where a click finds its bar)
  const bar = group * 0.34;
  ctx.clearRect(0, 0, width, height);
  ctx.font = "11px sans-serif";
  ctx.fillStyle = "#555";
  ctx.strokeStyle = "#ddd";
  for (const v of [0, 0.5, 1]) {
    const y = top + plotHeight * (1 - v);
    ctx.fillText(String(v), 2, y + 4);
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(width, y);
    ctx.stroke();
  }
  const series = [
    [measures.precision, measures.precision_real, PRECISION],
    [measures.recall, measures.recall_real, RECALL],
  ];
  for (let d = 0; d < 10; d++) {
    const x0 = left + d * group + group * 0.14;
    series.forEach(([values, real, colour], s) => {
      const x = x0 + s * bar;
      const value = values[d];
      if (value != null) {
        ctx.fillStyle = colour;
        ctx.fillRect(x, top + plotHeight * (1 - value), bar - 2, plotHeight * value);
        if (picked && picked.digit === d && picked.kind === ["precision", "recall"][s]) {
          ctx.strokeStyle = "#111";
          ctx.lineWidth = 2;
          ctx.strokeRect(x - 1, top + plotHeight * (1 - value) - 1, bar, plotHeight * value + 2);
          [ctx.strokeStyle, ctx.lineWidth] = ["#ddd", 1];
        }
      }
      if (real && real[d] != null) {
        ctx.fillStyle = "#111";
        ctx.fillRect(x - 1, top + plotHeight * (1 - real[d]) - 1, bar, 2);
      }
    });
    ctx.fillStyle = "#333";
    ctx.fillText(String(d), x0 + bar - 3, height - 4);
  }
}

/** The bar under a click: { digit, kind } (the left half of a digit's place: precision; the right: recall). */
function barAt(canvas, event) {
  if (!canvas.barGroups) return null;
  const { left, group } = canvas.barGroups;
  const x = event.clientX - canvas.getBoundingClientRect().left - left;
  const digit = Math.floor(x / group);
  if (digit < 0 || digit > 9) return null;
  return { digit, kind: x - digit * group < group * 0.48 ? "precision" : "recall" };
}

/** The sentence over a clicked bar's pictures. */
function missesSentence(model, { digit, kind }, value, misses, shown) {
  const [count, of] =
    kind === "precision"
      ? [misses.outside_counts.data[digit], misses.fakes.data[digit]]
      : [misses.uncovered_counts.data[digit], misses.reals.data[digit]];
  const farthest = shown ? ` The ${shown} farthest outside:` : "";
  if (kind === "precision")
    return `Precision ${value.toFixed(2)} for ${digit}s: ${count} of ${model}'s ${of} samples counted as ${digit} lie outside every real ${digit}'s neighbourhood (they look like no real ${digit}).${farthest}`;
  return `Recall ${value.toFixed(2)} for ${digit}s: ${count} of ${of} real test ${digit}s lie outside every neighbourhood of ${model}'s ${digit}s (it draws nothing like them).${farthest}`;
}

/** Show a clicked bar's misses in `picked` ({ box, text, row }), from the model's misses file. */
async function showMisses(picked, site, model, bar) {
  const value = site.models[model].measures[bar.kind][bar.digit];
  picked.box.hidden = false;
  picked.box.dataset.kind = bar.kind;
  picked.row.replaceChildren();
  if (value == null) {
    picked.text.textContent = `Too few ${bar.digit}s to measure their ${bar.kind}.`;
    return;
  }
  picked.text.textContent = `Loading what the ${bar.kind} bar of ${bar.digit}s misses…`;
  const misses = await pageRuntime(site).companion(model, "misses"); // (fetched once; no model runs for it)
  if (!misses) {
    picked.text.textContent = `${model} keeps no pictures of its misses (python -m gandemo.evaluate writes them).`;
    return;
  }
  const prefix = bar.kind === "precision" ? "outside" : "uncovered";
  const [digits, pictures] = [misses[`${prefix}_digits`].data, misses[`${prefix}_pictures`].data];
  const thumbs = [];
  digits.forEach((d, i) => {
    if (d === bar.digit) thumbs.push(thumbnail(pictures.subarray(i * 784, (i + 1) * 784), `a ${bar.kind} miss`));
  });
  picked.row.replaceChildren(...thumbs);
  picked.text.textContent = missesSentence(model, bar, value, misses, thumbs.length);
  picked.box.dataset.digit = String(bar.digit);
}

/** The element under a view that shows a model's measures: show(site, model) fills it (or hides it); a click on
 * a per-digit bar shows the pictures it misses. */
export function measuresElement(el) {
  const box = element("div", { class: "gd-measures", id: "measures" });
  const alarm = element("p", { class: "gd-alarm", id: "collapse-alarm" });
  const canvas = element("canvas", { width: 420, height: 150, role: "img", id: "per-digit" });
  canvas.className = "gd-chart";
  const legend = element("p", { class: "gd-small" });
  const meanings = element("ul", { class: "gd-small gd-meanings" });
  const picked = { box: element("div", { id: "per-digit-picked" }), text: element("p", { class: "gd-small" }) };
  picked.row = element("div", { class: "gd-miss-list" });
  picked.box.append(picked.text, picked.row);
  picked.box.hidden = true;
  box.append(alarm, canvas, legend, picked.box, meanings);
  box.hidden = true;
  el.append(box);
  let current = null;
  canvas.addEventListener("click", (event) => {
    const bar = current && barAt(canvas, event);
    if (!bar) return;
    drawChart(canvas, current.site.models[current.model].measures, bar);
    showMisses(picked, current.site, current.model, bar).catch((error) => {
      picked.text.textContent = String(error.message || error);
    });
  });
  return {
    show(site, model) {
      const measures = site.models[model] && site.models[model].measures;
      box.hidden = !measures;
      if (!measures) return;
      if (current?.model !== model) picked.box.hidden = true;
      current = { site, model };
      fillMeasures({ alarm, canvas, legend, meanings }, site, model);
    },
  };
}

/** The alarm, chart, legend and meanings of a model's measures. */
function fillMeasures({ alarm, canvas, legend, meanings }, site, model) {
  const measures = site.models[model].measures;
  alarm.textContent = measures.alarm ? `Collapse alarm: ${measures.alarm.words}.` : "";
  alarm.dataset.alarm = measures.alarm && measures.alarm.alarm ? "on" : "off";
  const perDigit = Array.isArray(measures.precision) && measures.precision.length === 10;
  canvas.hidden = legend.hidden = !perDigit;
  if (perDigit) {
    drawChart(canvas, measures);
    const by = site.models[model].conditional ? "by the digit asked for" : "by the digit our classifier reads";
    canvas.setAttribute("aria-label", `${model}: precision and recall for each digit, ${by}`);
    const click = site.models[model].misses ? " Click a bar to see what it misses." : "";
    legend.textContent = `Per digit (${by}): precision (blue) and recall (orange); the black ticks are real training digits' figures.${click}`;
  }
  meanings.replaceChildren(
    ...Object.entries(measures.meanings || {}).map(([name, meaning]) => element("li", {}, `${name}: ${meaning}`)),
  );
}

// The ten digits' colours (Okabe-Ito and a few more, told apart without colour vision too by the labels).
const DIGIT_COLOURS = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#F0E442",
  "#000000",
  "#999999",
  "#882255",
];
const THUMBNAILS = 36;

/** The digit map's picture: the samples as dots, some as framed thumbnails, each digit's real centre. */
function drawMap(canvas, map, picked, frames) {
  const { ctx, width, height } = fitCanvas(
    canvas,
    420,
    (w) => w,
    () => drawMap(canvas, map, picked, frames),
  );
  const [points, digits, centres] = [map.points.data, map.digits.data, map.real_centres.data];
  const n = digits.length;
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    [x0, x1] = [Math.min(x0, points[2 * i]), Math.max(x1, points[2 * i])];
    [y0, y1] = [Math.min(y0, points[2 * i + 1]), Math.max(y1, points[2 * i + 1])];
  }
  const pad = 0.06;
  const [sx, sy] = [(width * (1 - 2 * pad)) / (x1 - x0 || 1), (height * (1 - 2 * pad)) / (y1 - y0 || 1)];
  const at = (x, y) => [width * pad + (x - x0) * sx, height * (1 - pad) - (y - y0) * sy];
  canvas.placeOf = at; // (where a click finds its point)
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, width, height);
  for (let i = 0; i < n; i++) {
    const [x, y] = at(points[2 * i], points[2 * i + 1]);
    ctx.fillStyle = DIGIT_COLOURS[digits[i]];
    ctx.globalAlpha = 0.55;
    ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
  }
  ctx.globalAlpha = 1;
  const thumb = new ImageData(28, 28);
  const scratch = document.createElement("canvas");
  [scratch.width, scratch.height] = [28, 28];
  picked.forEach((i, k) => {
    for (let p = 0; p < 784; p++) {
      const v = Math.round(((Math.max(-1, Math.min(1, frames[k * 784 + p])) + 1) / 2) * 255);
      thumb.data.set([v, v, v, 255], 4 * p);
    }
    scratch.getContext("2d").putImageData(thumb, 0, 0);
    const [x, y] = at(points[2 * i], points[2 * i + 1]);
    ctx.drawImage(scratch, x - 10, y - 10, 20, 20);
    ctx.strokeStyle = DIGIT_COLOURS[digits[i]];
    ctx.lineWidth = 2;
    ctx.strokeRect(x - 11, y - 11, 22, 22);
  });
  ctx.font = "bold 16px sans-serif";
  for (let d = 0; d < 10; d++) {
    const [x, y] = at(centres[2 * d], centres[2 * d + 1]);
    ctx.lineWidth = 4;
    ctx.strokeStyle = "#fff";
    ctx.strokeText(String(d), x - 5, y + 6);
    ctx.fillStyle = DIGIT_COLOURS[d];
    ctx.fillText(String(d), x - 5, y + 6);
  }
}

/** The map point nearest a click (its index), or -1 when none is within 12 px. */
function pointAt(canvas, map, event) {
  const box = canvas.getBoundingClientRect();
  const [cx, cy] = [event.clientX - box.left, event.clientY - box.top];
  const points = map.points.data;
  let [best, bestD] = [-1, 144];
  for (let i = 0; i < map.digits.data.length; i++) {
    const [x, y] = canvas.placeOf(points[2 * i], points[2 * i + 1]);
    const d = (x - cx) ** 2 + (y - cy) ** 2;
    if (d < bestD) [best, bestD] = [i, d];
  }
  return best;
}

/** A clicked point: its sample and nearest training digits (`nearest(values)`: the switch's search, for one). */
async function showPoint(picked, { runtime, site, model, map, point, nearest }) {
  picked.box.hidden = false;
  picked.box.dataset.state = "searching";
  picked.text.textContent = `Sample ${map.tiles.data[point]} of seed ${site.sizes.map_seed}, read as the digit ${map.digits.data[point]}: searching its nearest training digits…`;
  let values = new Float32Array(0);
  try {
    values = await runtime.tiles(model, site.sizes.map_seed, [map.tiles.data[point]]);
    const answer = await nearest(values);
    if (answer.wait) throw new Error(answer.wait);
    picked.row.replaceChildren(nearRow(values, answer.neighbours[0], 0, answer.typical_distance));
    picked.text.textContent = `Sample ${map.tiles.data[point]} of seed ${site.sizes.map_seed}, read as the digit ${map.digits.data[point]}, beside its nearest training digits (digit · distance; a real digit typically sits ${answer.typical_distance.toFixed(2)} from its nearest).`;
    picked.box.dataset.state = "shown";
  } catch (error) {
    picked.row.replaceChildren(...(values.length ? [nearRow(values, [], 0, 0)] : []));
    picked.text.textContent = String(error.message || error);
    picked.box.dataset.state = "error";
  }
}

/** The digit map under a view: show(runtime, site, model) draws how the model lays out the digits; a click on a
 * point shows its sample beside its nearest training digits (`nearest(values)`, as the switch searches). */
export function digitMapElement(el, nearest) {
  const box = element("div", { class: "gd-measures", id: "digit-map" });
  const head = element("p", { class: "gd-small" });
  const canvas = element("canvas", { width: 420, height: 420, role: "img", id: "digit-map-plot" });
  canvas.className = "gd-chart";
  const clicked = { box: element("div", { id: "map-picked" }), text: element("p", { class: "gd-small" }) };
  clicked.row = element("div", { class: "gd-near-list" });
  clicked.box.append(clicked.text, clicked.row);
  clicked.box.hidden = true;
  box.append(head, canvas, clicked.box);
  box.hidden = true;
  el.append(box);
  let shown = null;
  let context = null;
  canvas.addEventListener("click", (event) => {
    const point = context ? pointAt(canvas, context.map, event) : -1;
    if (point >= 0) showPoint(clicked, { ...context, point, nearest }).catch(() => {});
  });
  return {
    async show(runtime, site, model) {
      if (shown === model) return;
      clicked.box.hidden = true;
      const map = await runtime.digitMap(model);
      box.hidden = !map;
      if (!map) return;
      shown = model;
      const n = map.digits.data.length;
      // thumbnails of some samples at their places (drawn here from the same latents: tiles of the map's seed)
      const picked = Array.from({ length: THUMBNAILS }, (_, k) => Math.floor((k * n) / THUMBNAILS));
      const frames = await runtime.tiles(
        model,
        site.sizes.map_seed,
        picked.map((i) => map.tiles.data[i]),
      );
      drawMap(canvas, map, picked, frames);
      context = { runtime, site, model, map };
      head.textContent = `How ${model} lays out the digits: ${n.toLocaleString("en-US")} samples' classifier features on the two main axes of real test digits' (the same axes for every model), coloured by the digit our classifier reads; each number sits where real digits of that class do on average, and the framed thumbnails are some of the samples. Click a point to see its sample beside its nearest training digits.`;
      canvas.setAttribute("aria-label", `${model}: a map of ${n} samples by digit`);
      box.dataset.drawn = model;
    },
  };
}
