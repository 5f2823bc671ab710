// The Draw a digit tab: a sketchpad (mouse, touch and pen, through pointer events) or an uploaded picture, made
// into an MNIST-style 28 x 28 digit (runtime/probe.js, as gandemo/measures/probe.py) and read by the MNIST
// classifier in the browser; its ten probabilities as bars. The numbers and sentences come from site.probe.

import { ProbeError, mnistStyle } from "../runtime/probe.js";
import { element, listen, pageRuntime, viewParts } from "./view.js";
import { nearestOne } from "./neighbours.js";
import { clearModels, judgeAll, modelElements } from "./probe-models.js";

/** The pad, its Clear button and the file input. */
function inputElements(rules) {
  const pad = element("canvas", { id: "probe-pad", width: String(rules.pad), height: String(rules.pad) });
  pad.setAttribute("aria-label", "sketchpad: draw one digit");
  const clear = element("button", { type: "button", class: "gd-button", id: "probe-clear" }, "Clear");
  const file = element("input", { type: "file", id: "probe-file", accept: rules.types.join(",") });
  const pick = element("label", { class: "gd-probe-file" }, "or a picture of a digit: ");
  pick.append(file);
  const box = element("div", { class: "gd-probe-input" });
  const row = element("div", { class: "gd-own" });
  row.append(clear, pick);
  box.append(pad, row);
  return { pad, clear, file, box };
}

/** The 28 x 28 digit (shown large), the ten bars and the verdict line. */
function outputElements(side) {
  const digit = element("canvas", {
    id: "probe-digit",
    width: String(side),
    height: String(side),
    class: "gd-probe-digit",
  });
  digit.setAttribute("role", "img");
  digit.setAttribute("aria-label", "the digit as MNIST's 28 x 28 pixels");
  const bars = element("div", { id: "probe-bars", class: "gd-probe-bars", role: "list" });
  const rows = Array.from({ length: 10 }, (_, d) => {
    const row = element("div", { class: "gd-probe-bar", role: "listitem" });
    const fill = element("span", { class: "gd-probe-fill" });
    const track = element("span", { class: "gd-probe-track" });
    const value = element("span", { class: "gd-probe-value" }, "–");
    track.append(fill);
    row.append(element("span", { class: "gd-probe-label" }, String(d)), track, value);
    bars.append(row);
    return { row, fill, value };
  });
  const verdict = element("p", { id: "probe-verdict", class: "gd-alarm", role: "status" });
  const box = element("div", { class: "gd-probe-output" });
  box.append(element("span", { class: "gd-label" }, "as MNIST's 28 x 28 pixels"), digit);
  box.append(
    element("span", { class: "gd-note" }, "MNIST's recipe: the ink's box fitted into 20 x 20, centred by its mass"),
  );
  box.append(element("span", { class: "gd-label" }, "the classifier's probabilities"), bars, verdict);
  return { digit, rows, verdict, box };
}

/** Paint the digit (ink in [0, 1]) white on black, as MNIST shows its digits. */
function paintDigit(canvas, digit) {
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(canvas.width, canvas.height);
  digit.forEach((v, i) => {
    const grey = Math.round(Math.min(1, Math.max(0, v)) * 255);
    image.data.set([grey, grey, grey, 255], 4 * i);
  });
  ctx.putImageData(image, 0, 0);
}

function showBars(out, probabilities) {
  const best = probabilities.indexOf(Math.max(...probabilities));
  out.rows.forEach(({ row, fill, value }, d) => {
    const p = probabilities[d];
    fill.style.width = `${(100 * p).toFixed(1)}%`;
    value.textContent = `${(100 * p).toFixed(1)}%`;
    row.dataset.best = String(d === best);
  });
  out.verdict.textContent = `The classifier reads a ${best} (${(100 * probabilities[best]).toFixed(1)}%).`;
}

/** The pad's drawing context (read after every stroke: kept in memory the page reads fast). */
const padContext = (pad) => pad.getContext("2d", { willReadFrequently: true });

/** Strokes on the pad: pointer events (mouse, touch, pen), each stroke ending in `done()`. */
function drawOn(pad, rules, done) {
  const ctx = padContext(pad);
  const at = (e) => {
    const box = pad.getBoundingClientRect();
    return [((e.clientX - box.left) * pad.width) / box.width, ((e.clientY - box.top) * pad.height) / box.height];
  };
  let drawing = false;
  pad.addEventListener("pointerdown", (e) => {
    e.preventDefault();
    pad.setPointerCapture(e.pointerId);
    drawing = true;
    Object.assign(ctx, { lineWidth: rules.line, lineCap: "round", lineJoin: "round", strokeStyle: "#000" });
    ctx.beginPath();
    ctx.moveTo(...at(e));
    ctx.lineTo(...at(e)); // (a tap leaves a dot)
    ctx.stroke();
  });
  pad.addEventListener("pointermove", (e) => {
    if (!drawing) return;
    ctx.lineTo(...at(e));
    ctx.stroke();
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    done();
  };
  pad.addEventListener("pointerup", end);
  pad.addEventListener("pointercancel", end);
}

function blank(pad) {
  const ctx = padContext(pad);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, pad.width, pad.height);
}

/** Whether a file's first bytes are a PNG's, a JPEG's, a GIF's or a WebP's (its content decides, as PIL's reading
 * of it does in /inspect, not its name). */
async function isPicture(file) {
  const head = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  const text = (from, to) => String.fromCharCode(...head.subarray(from, to));
  return (
    text(0, 4) === "\x89PNG" ||
    (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) ||
    text(0, 4) === "GIF8" ||
    (text(0, 4) === "RIFF" && text(8, 12) === "WEBP")
  );
}

/** A chosen file's pixels (its size, kind and pixel count checked first), also shown on the pad. */
async function filePixels(file, rules, pad) {
  const said = rules.sentences;
  if (file.size > rules.max_bytes) throw new ProbeError(said.too_large_file);
  if (!(await isPicture(file))) throw new ProbeError(said.wrong_kind);
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    // (its load tells its size before any pixel is decoded: a picture over the limit is never decoded)
    await new Promise((resolve, reject) => {
      img.onload = resolve;
      img.onerror = () => reject(new ProbeError(said.wrong_kind));
      img.src = url;
    });
    const [w, h] = [img.naturalWidth, img.naturalHeight];
    if (!w || !h) throw new ProbeError(said.wrong_kind);
    if (w * h > rules.max_pixels) throw new ProbeError(said.too_many_pixels);
    const canvas = element("canvas", { width: String(w), height: String(h) });
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(img, 0, 0);
    blank(pad);
    const fit = Math.min(pad.width / w, pad.height / h);
    padContext(pad).drawImage(img, (pad.width - w * fit) / 2, (pad.height - h * fit) / 2, w * fit, h * fit);
    return { rgba: ctx.getImageData(0, 0, w, h).data, width: w, height: h };
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Each model's verdict and inversion of the digit just read (data-judged: the reading they belong to). */
async function judge({ site, cards, state, out, marks }, current) {
  state.models = null;
  clearModels(cards);
  if (!state.digit) return marks("judged", String(state.reads));
  try {
    const results = await judgeAll(pageRuntime(site), site, cards, state.digit, state.probabilities, current);
    if (!current() || !results) return;
    state.models = results;
  } catch (error) {
    if (!current()) return;
    state.models = { problem: `The models could not run here (${error.message}).` };
    out.verdict.textContent += ` ${state.models.problem}`;
  }
  marks("judged", String(state.reads));
}

export default {
  render({ el, props }) {
    const { site } = props;
    const rules = site.probe;
    const input = inputElements(rules);
    const out = outputElements(rules.side);
    const judged = site.mnist.filter((name) => site.models[name].judged && site.inversion);
    const models = modelElements(judged, (values) => nearestOne(values, site, props.calls));
    const shown = element("div", { class: "gd-probe" });
    shown.append(input.box, out.box, models.box);
    el.append(shown);
    blank(input.pad);
    const state = { reads: 0, digit: null, probabilities: null, problem: null, source: "pad", models: null };
    const { mark: marks } = viewParts({ el, id: props.id });
    const mark = () => marks("read", String(++state.reads));
    const say = (problem) => {
      state.problem = problem;
      marks("problem", problem || "");
      if (problem) out.verdict.textContent = problem;
    };
    let turn = 0; // (the newest request wins: a slower earlier read never overwrites a later one)
    async function read(pixels) {
      const mine = ++turn;
      try {
        const { rgba, width, height } = await pixels();
        const digit = mnistStyle(rgba, width, height, rules);
        paintDigit(out.digit, digit);
        out.verdict.textContent = "Reading…";
        const probabilities = Array.from(await pageRuntime(site).classify(digit));
        if (mine !== turn) return;
        Object.assign(state, { digit: Array.from(digit), probabilities });
        showBars(out, probabilities);
        say(null);
      } catch (error) {
        if (mine !== turn) return;
        Object.assign(state, { digit: null, probabilities: null });
        out.rows.forEach(({ fill, value }) => ((fill.style.width = "0"), (value.textContent = "–")));
        paintDigit(out.digit, new Float64Array(rules.side * rules.side));
        say(error instanceof ProbeError ? error.message : `The classifier could not run here (${error.message}).`);
      }
      mark();
      await judge({ site, cards: models.cards, state, out, marks }, () => mine === turn);
    }
    const padPixels = async () => {
      const data = padContext(input.pad).getImageData(0, 0, input.pad.width, input.pad.height).data;
      return { rgba: data, width: input.pad.width, height: input.pad.height };
    };
    drawOn(input.pad, rules, () => ((state.source = "pad"), read(padPixels)));
    input.clear.addEventListener(
      "click",
      () => (blank(input.pad), (input.file.value = ""), (state.source = "pad"), read(padPixels)),
    );
    input.file.addEventListener("change", () => {
      const [file] = input.file.files;
      if (!file) return;
      state.source = "file";
      read(() => filePixels(file, rules, input.pad));
    });
    out.verdict.textContent = "Draw a digit on the pad, or choose a picture of one.";
    // (no values from the page: the drawing is the view's own; tests read what it shows)
    return listen(props.id, { update: () => {}, inspect: () => ({ ...state, pad: input.pad.toDataURL("image/png") }) });
  },
};
