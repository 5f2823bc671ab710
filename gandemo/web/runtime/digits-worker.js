// The Train on digits session in a worker thread: it trains, reads samples with the classifier and computes what a
// frame shows (the grid, the losses, the histogram, the alarm, the narration) while the page only draws. Messages
// in: open (where TensorFlow.js, the classifier and the digits are), reset, live, play, pause, step, ack (the page
// drew the last frame), save. Messages out: frame, checkpoint, error. TensorFlow.js (runtime/tfjs.js) runs the
// trainer's big products on its wasm backend (products.js) and the classifier; the digits are the app's own files.

import { DigitsSession } from "./digits.js";
import { DigitNarrator } from "./digit-narration.js";
import { JS_PRODUCTS, tfProducts } from "./products.js";
import { startTensorFlow } from "./tfjs.js";
import { buildClassifier } from "./classifier.js";
import { loadCheckpoint } from "./checkpoint.js";
import { loadDigits } from "./digits-data.js";

const FRAME_BUDGET_MS = 30; // training between looks at whether the page wants a frame
const CHART_POINTS = 400;

let where = null; // the addresses open() was sent
let tools = null; // Promise of { products, classifier, data }
let session = null;
let narrator = null;
let live = { part: "both" };
let playing = false;
let drawn = true;
let framed = -1;
let measured = -1;
let stepMs = 100;
let rate = [];

/** TensorFlow.js, the classifier and the digits, each loaded once: `where` names their addresses. */
async function open({ vendor, classifier, data, files }) {
  const tf = await startTensorFlow(vendor);
  const products = tf.getBackend() === "wasm" ? tfProducts(tf) : JS_PRODUCTS;
  const [checkpoint, digits] = await Promise.all([
    loadCheckpoint(classifier, classifier.name, files),
    loadDigits(data),
  ]);
  return { products, classifier: buildClassifier(tf, checkpoint.config, checkpoint.tensors), data: digits };
}

function chart() {
  const { step, d_loss: d, g_loss: g } = session.history;
  const every = Math.max(1, Math.floor(step.length / CHART_POINTS));
  const pick = (values) => values.filter((_, i) => i % every === 0 || i === values.length - 1);
  return { step: pick(step), d_loss: pick(d), g_loss: pick(g) };
}

/** A fresh reading of the classifier, once per step it is asked at (it costs about as much as a few steps). */
function reading() {
  if (measured !== session.step) {
    measured = session.step;
    narrator.observe(session.measure());
  }
  return session.measurements[session.measurements.length - 1];
}

/** What the page draws now; `all` after a reset, a pause or a step (a fresh reading too). */
function frame(all) {
  const started = performance.now();
  const every = session.tables.sizes.measure_every;
  const due = all || session.step - measured >= every;
  const now = performance.now();
  rate.push([now, session.step]);
  while (rate.length > 2 && now - rate[1][0] > 2000) rate.shift();
  const [[t0, s0], [t1, s1]] = [rate[0], rate[rate.length - 1]];
  const message = {
    type: "frame",
    all,
    step: session.step,
    playing,
    stepsPerS: playing && t1 - t0 > 500 ? (1000 * (s1 - s0)) / (t1 - t0) : null,
    grid: session.grid(),
    rows: session.rows,
    reading: due ? reading() : session.measurements[session.measurements.length - 1],
    chart: chart(),
    narration: narrator.newest(6),
    part: session.part,
    start: session.start,
    conditional: session.conditional,
    stepMs,
  };
  message.frameMs = performance.now() - started;
  drawn = false;
  framed = session.step;
  postMessage(message);
}

function train(count, until = Infinity) {
  session.part = live.part;
  const max = session.tables.sizes.max_steps;
  for (let i = 0; i < count; i++) {
    if (i > 0 && performance.now() + stepMs > until) break;
    if (session.step >= max)
      throw new Error(`this session reached its limit of ${max.toLocaleString("en-US")} steps: press Reset`);
    const started = performance.now();
    session.train(1);
    stepMs = 0.8 * stepMs + 0.2 * (performance.now() - started);
    if (session.error) throw new Error(session.error);
  }
}

function stop(error) {
  playing = false;
  if (session) frame(true);
  if (error) postMessage({ type: "error", message: String(error.message || error) });
}

/** Load the tools once; a failed load (a network blip) is tried again on the next reset. */
function load() {
  if (tools) return;
  tools = open(where);
  tools.catch(() => (tools = null));
}

function loop() {
  if (!playing) return;
  try {
    train(Infinity, performance.now() + FRAME_BUDGET_MS);
    if (drawn) frame(false);
  } catch (error) {
    return stop(error);
  }
  setTimeout(loop, 0);
}

const handlers = {
  open(addresses) {
    where = addresses;
    load();
  },
  async reset({ settings, choice, tables, start }) {
    playing = false;
    if (!where) throw new Error("the digits tab's trainer was not opened");
    load();
    const { products, classifier, data } = await tools;
    session = new DigitsSession({ settings, choice, tables, data, start, classifier: classifier, products });
    narrator = new DigitNarrator(tables.alarm, session.conditional);
    session.part = live.part;
    [rate, measured] = [[], -1];
    frame(true);
  },
  live(options) {
    live = { ...live, ...options };
    if (session && !playing) frame(true);
  },
  play() {
    if (playing || !session) return;
    playing = true;
    rate = [];
    loop();
  },
  pause() {
    if (playing) stop();
  },
  step({ count }) {
    playing = false;
    train(count);
    frame(true);
  },
  ack() {
    drawn = true;
    if (playing && session.step !== framed) frame(false);
  },
  save({ version }) {
    postMessage({ type: "checkpoint", ...session.checkpoint(version) });
  },
};

// one message at a time, in order (a reset waits for TensorFlow.js, the classifier and the digits)
let queue = Promise.resolve();
onmessage = ({ data }) => {
  queue = queue.then(async () => {
    try {
      await handlers[data.type](data);
    } catch (error) {
      stop(error);
    }
  });
};
