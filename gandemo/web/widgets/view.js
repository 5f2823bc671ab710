// What every view shares: values arrive from the page's controls (slot(id).update(values), called by the Gradio
// app's browser-only events through web/app/gradio.js or by the static page), the newest values are drawn once
// the previous draw is done, and if the runtime cannot start, the server draws instead (when there is one).
//
// The slots, the site and the timings are this module's state: a module is one instance per URL, so every
// importer of this file's address (the widgets, the app's glue, the static page, tests through testing.js)
// shares them, with no page globals.

import { Runtime } from "../runtime/index.js";

let shared = null;
let described = null;
/** @type {Map<string, Slot>} */
const slots = new Map();
/** @type {{ view: string, ms: number, where: string }[]} */
const drawTimes = [];

/**
 * @typedef {object} Slot  what a page and view `id` share
 * @property {any[] | null} values  the newest values the page pushed
 * @property {(values: any[]) => void} update  push values (the view draws them once mounted)
 * @property {((name: string, argument?: any) => void) | null} command  a button press, once the view takes them
 * @property {[string, any][]} queued  button presses made before the view mounted
 * @property {((key: string, value: any) => void) | null} write  the page's way to take a value the view chose
 * @property {(() => object) | null} inspect  what the view shows tests (testing.js)
 */

/** The page's site description (gandemo/ui/browser.py site): set once, by whichever edition mounts first. */
export function pageSite(site = null) {
  if (site && !described) described = site;
  return described;
}

/** One runtime per page: every view shares its TensorFlow.js and its loaded models. */
export function pageRuntime(site) {
  pageSite(site);
  if (!shared) shared = new Runtime(site);
  return shared;
}

/** Each view's draws: which, how long (ms) and where (the runtime's backend, or the server). */
export function timings() {
  return drawTimes;
}

/** A new element with these attributes (and text). */
export function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

/** Keep `values` until the view mounts and takes over `update`. */
function keep(values) {
  this.values = values;
}

/** The slot through which a page pushes values to view `id` (created before or after the view mounts).
 * @returns {Slot} */
export function slot(id) {
  if (!slots.has(id))
    slots.set(id, { values: null, update: keep, command: null, queued: [], write: null, inspect: null });
  return slots.get(id);
}

/** Hand view `id` a button press (and its argument), queued until the view takes them. */
export function command(id, name, argument) {
  const s = slot(id);
  if (s.command) s.command(name, argument);
  else s.queued.push([name, argument]);
}

/** Hand a value the view chose (the visitor's own points, say) to the page's control `key` of view `id`: through
 * the page's slot(id).write (the static page), else into the Gradio control with elem_id `${id}-${key}`. */
export function writeControl(id, key, value) {
  const s = slot(id);
  if (s.write) return s.write(key, value);
  /** @type {HTMLInputElement | null} */
  const input = document.querySelector(`#${CSS.escape(`${id}-${key}`)} :is(textarea, input)`);
  if (!input || input.value === value) return;
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true })); // (Gradio reads its boxes on input)
}

// The first picture of a view on screen comes from the server (one request), as before the runtime: the
// browser's own follows, the same pixels, once its model has arrived (a DCGAN is 7 MB of weights).
async function firstPaint({ el, state, say, mark, serverDraw }, values) {
  state.firstPaint = true;
  if (!serverDraw || !el.isConnected || !onScreen(el)) return;
  say("Loading the model into your browser…");
  try {
    await serverDraw(values);
    mark("firstPaint", "server");
  } catch {
    // (the browser's picture, or its error, follows)
  }
}

/** Draw `values` in the browser when its runtime started (`ok`), else with the server's pictures where the view
 * has them; the note says which, and why. */
async function drawSomewhere({ runtime, state, say, draw, serverDraw }, ok, values) {
  if (ok) {
    await draw(values, runtime); // (a seed past 2**53 reaches it as a BigInt: exact in the browser too)
    say("");
  } else if (serverDraw) {
    await serverDraw(values);
    say(`Drawn by the server: your browser could not run the models (${state.failed.message}).`);
  } else {
    say(`This page could not run the models in your browser (${state.failed.message}).`);
  }
}

/** One picture of a view for `values`; the view's element says in its data-* how it went. */
async function drawOnce(view, values) {
  const { id, runtime, ready, state, say, mark } = view;
  const started = performance.now();
  if (!state.firstPaint) await firstPaint(view, values);
  const inBrowser = await Promise.race([ready, new Promise((r) => setTimeout(() => r(null), 30))]);
  if (inBrowser === null) say("Loading the model into your browser…");
  const ok = inBrowser === null ? await ready : inBrowser;
  try {
    await drawSomewhere(view, ok, values);
    mark("error", ""); // (a later success clears an earlier error, whichever drew it)
    state.drawn = (state.drawn || 0) + 1;
    mark("drawn", String(state.drawn));
    mark("drawMs", (performance.now() - started).toFixed(1));
    drawTimes.push({
      view: id,
      ms: performance.now() - started,
      where: ok ? runtime.backend : "server",
    });
  } catch (error) {
    say(String(error.message || error));
    mark("error", String(error.message || error));
  }
}

/**
 * What every view has, whatever it draws: the line under it that says what the user should know (`say`; `noteId`
 * names it), and `mark(key, value)`, its data-* saying how it went, on its element and on the element with its
 * id (found when needed: a view may mount before it is in the page).
 */
export function viewParts({ el, id, noteId = null }) {
  const note = noteElement(el, noteId);
  const mark = (key, value) => {
    for (const target of new Set([el, el.closest(`#${CSS.escape(id)}`) || el])) target.dataset[key] = value;
  };
  const say = (text) => {
    note.textContent = text || "";
    note.hidden = !text;
  };
  return { note, say, mark };
}

/**
 * A view takes its page's values (`update`, with those pushed before it mounted), its buttons (`command`, with
 * those pressed before) and says what tests may read (`inspect`, through testing.js), through its slot. Returns
 * the clean-up that lets the slot go.
 */
export function listen(id, { update, command = null, inspect = null }) {
  const s = slot(id);
  s.update = (values) => {
    s.values = values;
    update(values);
  };
  s.command = command;
  s.inspect = inspect;
  if (s.values) update(s.values);
  if (command) for (const [name, argument] of s.queued.splice(0)) command(name, argument);
  return () => {
    s.update = keep;
    s.command = null;
    s.inspect = null;
  };
}

/**
 * Mount a view: `draw(values, runtime)` draws with the browser runtime; `serverDraw(values)` (optional) draws
 * with the server's pictures; a line under the view says what the user should know; `inspect()` (optional) is
 * what tests may read of it. Returns a clean-up function.
 */
export function mountView({ el, id, site, draw, serverDraw = null, inspect = null }) {
  const { say, mark } = viewParts({ el, id });
  const runtime = pageRuntime(site);
  const state = { pending: null, busy: false, failed: null, closed: false };
  const ready = runtime.start().then(
    (backend) => {
      mark("backend", backend);
      return true;
    },
    (error) => {
      state.failed = error;
      mark("backend", "server");
      return false;
    },
  );

  const view = { el, id, runtime, ready, state, say, mark, draw, serverDraw };
  const once = (values) => drawOnce(view, values);

  async function pump() {
    if (state.busy) return;
    state.busy = true;
    while (state.pending && !state.closed) {
      const values = state.pending;
      state.pending = null;
      await once(values);
    }
    state.busy = false;
  }

  const stop = listen(id, {
    update(values) {
      state.pending = values;
      pump();
    },
    inspect,
  });
  return () => {
    state.closed = true;
    stop();
  };
}

/**
 * Size a drawn canvas (a plot or a chart, with text) to be crisp on any screen: as wide as its box lets it be,
 * `maxWidth` CSS px at most, `heightOf(width)` tall, its backing store at devicePixelRatio. Returns the context,
 * set to draw in CSS px, and that size; `redraw` runs again when the box's width changes (a tab opened, a phone
 * turned).
 */
export function fitCanvas(canvas, maxWidth, heightOf, redraw) {
  canvas.style.width = `${maxWidth}px`; // (the page's CSS narrows it: max-width)
  const shown = canvas.getBoundingClientRect().width; // (0 while its tab is closed)
  const width = Math.round(shown > 0 ? Math.min(shown, maxWidth) : maxWidth);
  const height = Math.round(heightOf(width));
  const ratio = globalThis.devicePixelRatio || 1;
  [canvas.width, canvas.height] = [Math.round(width * ratio), Math.round(height * ratio)];
  canvas.dataset.cssWidth = String(width);
  if (redraw && !canvas.resizing) {
    canvas.resizing = new ResizeObserver(([entry]) => {
      const now = Math.round(entry.contentRect.width);
      if (now > 0 && now !== Number(canvas.dataset.cssWidth)) canvas.redraw?.();
    });
    canvas.resizing.observe(canvas);
  }
  canvas.redraw = redraw;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { ctx, width, height };
}

/** A canvas for pictures made in the browser and an img for the server's, one of them shown. */
export function pictureElements(el, { alt }) {
  const canvas = document.createElement("canvas");
  canvas.className = "gd-picture";
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", alt);
  const img = document.createElement("img");
  img.className = "gd-picture";
  img.alt = alt;
  img.hidden = true;
  el.append(canvas, img);
  return {
    canvas,
    img,
    showCanvas() {
      canvas.hidden = false;
      img.hidden = true;
    },
    showImage(src) {
      img.src = src;
      img.hidden = false;
      canvas.hidden = true;
    },
  };
}

/** Whether the view is laid out (its tab open); on a phone its element may have no box of its own
 * (display: contents, views.css), and then its children tell. */
function onScreen(el) {
  return el.offsetParent !== null || [...el.children].some((child) => child.offsetParent !== null);
}

/** The note line under a view. */
function noteElement(el, id = null) {
  const note = document.createElement("p");
  note.className = "gd-note";
  if (id) note.id = id;
  note.hidden = true;
  el.append(note);
  return note;
}
