// The Playground's session in a worker thread: it trains, measures and computes what a frame shows (points, the
// critic's map, the arrows, the losses, the narration) while the page only draws. A big network's step can take
// seconds; the page never waits for one. Messages in: reset, live, play, pause, step, ack (the page drew the last
// frame), save, and first start (the vendor folder's URL). Messages out: frame, checkpoint, error. The trainer's
// big matrix products run on TensorFlow.js's wasm backend (products.js), loaded on start; without it they all run
// in plain JavaScript.

import { Session, MAX_STEPS } from "./playground.js";
import { JS_PRODUCTS, tfProducts } from "./products.js";
import { startTensorFlow } from "./tfjs.js";

const FRAME_BUDGET_MS = 15; // training between looks at whether the page wants a frame, at full speed
const MAP_BUDGET = 1.5e6; // multiply-adds a frame may spend on the critic's map (it moves slowly)
const CHART_POINTS = 400;
// A frame of a wide network (1,000 generated points, the critic's map) can cost as much as a training step: frames
// wait until the thread has trained at least FRAME_GAP times as long as the last frame took, so drawing takes at
// most a quarter of it (the small default networks' frames cost ~1 ms: they still draw at the page's pace).
const FRAME_GAP = 3;

let session = null;
let live = { part: "both", speed: null, arrows: false };
let playing = false;
let drawn = true; // the page has drawn the last frame: send the next one
let framed = -1; // the step the last frame showed
let mapAge = Infinity;
let stepMs = 10;
let frameCostMs = 0;
let lastFrame = 0;
let sinceStep = 0;
let lastTick = 0;
let rate = [];

let products = null; // Promise of the products, from the "start" message (the vendor folder's URL)

/** The products the trainer runs on: the wasm backend's (tfjs.js), else plain JavaScript's. */
async function loadProducts(vendor) {
  try {
    return tfProducts(await startTensorFlow(vendor, ["wasm"]));
  } catch (error) {
    console.warn("gandemo: training in plain JavaScript:", error);
    return JS_PRODUCTS;
  }
}

function criticMap(all) {
  const cost = session.trainer.critic.layers.reduce((sum, l) => sum + l.ins * l.outs, 0);
  const resolution = Math.max(16, Math.min(64, Math.floor(Math.sqrt((2 * MAP_BUDGET) / cost))));
  const every = Math.max(2, Math.round((resolution * resolution * cost) / MAP_BUDGET));
  if (!all && ++mapAge < every) return null;
  mapAge = 0;
  const limit = session.tables.targets.limit;
  const grid = new Float32Array(2 * resolution * resolution);
  for (let i = 0; i < resolution; i++)
    for (let j = 0; j < resolution; j++) {
      grid[2 * (i * resolution + j)] = -limit + ((j + 0.5) / resolution) * 2 * limit;
      grid[2 * (i * resolution + j) + 1] = limit - ((i + 0.5) / resolution) * 2 * limit; // row 0 at the top
    }
  return { resolution, scores: session.trainer.pointScores(grid, resolution * resolution) };
}

function chart() {
  const { step, d_loss: d, g_loss: g } = session.history;
  const every = Math.max(1, Math.floor(step.length / CHART_POINTS));
  const pick = (values) => values.filter((_, i) => i % every === 0 || i === values.length - 1);
  return { step: pick(step), d_loss: pick(d), g_loss: pick(g) };
}

/** What the page draws now; `all` after a reset, a pause or a step (everything fresh, the real points too). */
function frame(all) {
  const started = performance.now();
  const fake = session.fake();
  const now = performance.now();
  rate.push([now, session.step]);
  while (rate.length > 2 && now - rate[1][0] > 1000) rate.shift();
  const [[t0, s0], [t1, s1]] = [rate[0], rate[rate.length - 1]];
  const message = {
    type: "frame",
    all,
    step: session.step,
    playing,
    stepsPerS: playing && t1 - t0 > 250 ? (1000 * (s1 - s0)) / (t1 - t0) : null,
    fake,
    coverage: session.coverage(fake),
    map: criticMap(all),
    pushes: live.arrows ? session.trainer.pushes(fake.subarray(0, 200), 100) : null,
    chart: chart(),
    narration: session.narrator.newest(6),
    said: session.narrator.lines.length,
    part: session.part,
    start: session.start,
    trainedAs: session.start // (what the trainer runs, not what was asked)
      ? { objective: session.settings.objective, critic: session.trainer.options.critic_steps }
      : null,
    points: session.points ? session.points.length : 0,
    target: session.settings.target,
  };
  if (all) message.real = session.real;
  message.frameMs = performance.now() - started;
  message.stepMs = stepMs;
  frameCostMs = 0.7 * frameCostMs + 0.3 * message.frameMs;
  lastFrame = performance.now();
  drawn = false;
  framed = session.step;
  postMessage(message);
}

/** The page has drawn the last frame and the thread has trained long enough since (FRAME_GAP). */
function frameDue() {
  return drawn && performance.now() - lastFrame >= FRAME_GAP * frameCostMs;
}

function train(count, until = Infinity) {
  session.part = live.part;
  for (let i = 0; i < count; i++) {
    if (i > 0 && performance.now() + stepMs > until) break;
    if (session.step >= MAX_STEPS)
      throw new Error(`this session reached its limit of ${MAX_STEPS.toLocaleString("en-US")} steps: press Reset`);
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

function loop() {
  if (!playing) return;
  const now = performance.now();
  try {
    if (live.speed === null) {
      train(Infinity, now + FRAME_BUDGET_MS);
    } else {
      sinceStep += ((now - lastTick) / 1000) * live.speed;
      const due = Math.min(Math.floor(sinceStep), 5);
      sinceStep -= due;
      train(due);
    }
    lastTick = now;
    if (frameDue()) frame(false);
  } catch (error) {
    return stop(error);
  }
  setTimeout(loop, live.speed === null ? 0 : 10);
}

const handlers = {
  start({ vendor }) {
    products ||= loadProducts(vendor);
  },
  async reset({ settings, tables, start }) {
    playing = false;
    session = new Session(settings, tables, start, await (products || JS_PRODUCTS));
    session.part = live.part;
    rate = [];
    frame(true);
  },
  live(options) {
    live = { ...live, ...options };
    if (session && !playing) frame(true);
  },
  play() {
    if (playing || !session) return;
    playing = true;
    lastTick = performance.now();
    sinceStep = 0;
    rate = [];
    loop();
  },
  pause() {
    if (playing) stop();
  },
  step({ count }) {
    playing = false;
    try {
      train(count);
      frame(true);
    } catch (error) {
      stop(error);
    }
  },
  ack() {
    drawn = true;
    // (an ack that arrived while a step ran is read only after the loop looked: answer it now)
    if (playing && session.step !== framed && frameDue()) frame(false);
  },
  save({ version }) {
    postMessage({ type: "checkpoint", ...session.checkpoint(version), fake: session.fake() });
  },
};

// one message at a time, in order (a reset waits for the products to load)
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
