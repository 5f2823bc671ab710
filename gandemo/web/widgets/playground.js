// The Playground: a 2-D GAN trained in the visitor's browser (runtime/playground.js), drawn live: the critic's
// map, real (orange) and generated (blue) points, the generator's gradient arrows, the loss chart, the
// narration, the visitor's own target (clicked, or a CSV) and Save as a .zip. Nothing is sent to the server.
//
// The page pushes its controls' values through the view's slot (view.js listen; in the order of
// site.playground.controls, which also gives the parts and the speeds: gandemo/ui/playground.py) and its
// buttons as commands through the same slot: settings apply on Reset (and on the first Play or Step);
// train, speed and arrows apply at once. The visitor's own points travel in the page's hidden "points" control
// (so links carry them): this view writes it when they change (writeControl) and reads it back in update().

import * as check from "../runtime/check.js";
import { loadCheckpoint, loadTensors } from "../runtime/checkpoint.js";
import { parsePoints, pointsLinkText, readLinkPoints } from "../runtime/targets.js";
import { toyTone, toyVerdict } from "../runtime/coverage.js";
import { robustLimits } from "../runtime/chart.js";
import { safetensorsBytes, zipBytes } from "../runtime/archive.js";
import { FAKE, REAL, drawPoints, inlineMarkdown, mapGrey } from "./toy.js";
import { element, fitCanvas, listen, viewParts, writeControl } from "./view.js";

const SIZE = 420;
const CHART_EVERY_MS = 400;
const ARROW = "rgb(200, 30, 30)";

/** The settings a Reset starts from, checked as the server checked them (every sentence names the setting). */
export function readSettings(values, site) {
  const tables = site.playground;
  const v = Object.fromEntries(tables.controls.map((key, i) => [key, values[i]]));
  const ranges = site.settings.playground;
  const settings = {
    objective: check.choice(v.objective, "objective", Object.keys(tables.objectives)),
    target: check.choice(v.target, "target", Object.keys(tables.targets.targets)),
    start: check.choice(v.start, "start from", ["scratch", ...site.toys]),
  };
  for (const key of Object.keys(ranges)) settings[key] = check.setting(v[key], ranges[key]);
  return {
    settings,
    part: check.choice(v.part ?? "both", "train", tables.parts),
    speed: tables.speeds[check.choice(v.speed ?? "full speed", "speed", Object.keys(tables.speeds))],
    arrows: Boolean(v.arrows),
  };
}

/** A link that downloads these bytes as `name`; clicked here, the download starts at once. */
function download(bytes, name) {
  const url = URL.createObjectURL(new Blob([bytes], { type: "application/zip" }));
  return element("a", { href: url, download: name, id: "playground-zip" }, "download it again");
}

/** The generator's gradient for 100 generated points: where the critic pushes each, as an arrow. */
function drawArrows(ctx, f, px, py) {
  ctx.strokeStyle = ARROW;
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  for (let i = 0; i < 100; i++) {
    const norm = Math.hypot(f.pushes[2 * i], f.pushes[2 * i + 1]) || 1;
    const [dx, dy] = [f.pushes[2 * i] / norm, -f.pushes[2 * i + 1] / norm];
    const [x, y] = [px(f.fake[2 * i]), py(f.fake[2 * i + 1])];
    const [tx, ty] = [x + 14 * dx, y + 14 * dy];
    ctx.moveTo(x, y);
    ctx.lineTo(tx, ty);
    for (const side of [-1, 1]) {
      // the head: two strokes 5 px back from the tip, 25 degrees either side
      const [c, s] = [Math.cos(side * 0.44), Math.sin(side * 0.44)];
      ctx.moveTo(tx, ty);
      ctx.lineTo(tx - 5 * (c * dx - s * dy), ty - 5 * (s * dx + c * dy));
    }
  }
  ctx.stroke();
}

/** What the plot shows, beside it: the colours, the arrows and the map's scale. */
function legendElement() {
  const legend = element("div", { class: "gd-legend", id: "playground-legend" });
  const item = (swatch, text) => {
    const span = element("span", { class: "gd-legend-item" });
    span.append(swatch, ` ${text}`);
    legend.append(span);
  };
  item(element("span", { class: "gd-dot gd-real", style: `background: ${REAL}` }), "real data");
  item(element("span", { class: "gd-dot gd-fake", style: `background: ${FAKE}` }), "generated");
  item(element("span", { class: "gd-arrow", style: `color: ${ARROW}` }, "→"), "the generator's gradient");
  const low = element("span", { class: "gd-scale-end" });
  const high = element("span", { class: "gd-scale-end" });
  const scale = element("span", { class: "gd-legend-item" });
  const [light, dark] = [mapGrey(0), mapGrey(1)];
  const ramp = `background: linear-gradient(to right, rgb(${light} ${light} ${light}), rgb(${dark} ${dark} ${dark}))`;
  scale.append(
    "critic's map: ",
    low,
    element("span", { class: "gd-scale", style: ramp, role: "img", "aria-label": "light to dark" }),
    high,
  );
  scale.append(" (darker: judged real)");
  legend.append(scale);
  return { legend, low, high };
}

/** The loss chart (the discriminator's and the generator's, spikes clipped: chart.js) on `canvas`, SIZE wide at
 * most; `redraw` draws it again when its box's width changes. Returns whether the y-axis was clipped. */
export function drawLosses(canvas, history, clip, redraw) {
  const { ctx, width, height } = fitCanvas(canvas, SIZE, () => 160, redraw);
  const [left, top, right, bottom] = [44, 18, width - 8, height - 18];
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, width, height);
  ctx.strokeStyle = "#ccc";
  ctx.strokeRect(left, top, right - left, bottom - top);
  ctx.font = "11px sans-serif";
  const { step: steps, d_loss: dLoss, g_loss: gLoss } = history;
  if (steps.length < 2) {
    ctx.fillStyle = "#777";
    ctx.fillText("losses appear after two updates", left + 6, top + 16);
    return false;
  }
  const curves = [dLoss, gLoss];
  const limits = robustLimits(curves.flat(), clip); // (early spikes would flatten the run)
  const [low, high] = limits || [Math.min(...curves.flat()), Math.max(...curves.flat())];
  const span = Math.max(high - low, 1e-6);
  const x = (v) => left + ((v - steps[0]) / Math.max(steps[steps.length - 1] - steps[0], 1)) * (right - left);
  [
    ["discriminator", "rgb(0, 114, 178)"],
    ["generator", "rgb(213, 94, 0)"],
  ].forEach(([label, colour], k) => {
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, right - left, bottom - top);
    ctx.clip();
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.beginPath();
    curves[k].forEach((v, i) =>
      ctx[i ? "lineTo" : "moveTo"](x(steps[i]), bottom - ((v - low) / span) * (bottom - top)),
    );
    ctx.stroke();
    ctx.restore();
    ctx.fillStyle = colour;
    ctx.fillText(label, left + 4 + 100 * k, 12);
  });
  ctx.lineWidth = 1;
  ctx.fillStyle = "#555";
  if (limits) ctx.fillText("y-axis clipped: early spikes off the chart", right - 215, 12);
  ctx.fillText(check.formatG(Number(high.toPrecision(3))), 2, top + 4);
  ctx.fillText(check.formatG(Number(low.toPrecision(3))), 2, bottom);
  ctx.fillText(`step ${steps[0]}`, left, height - 4);
  ctx.fillText(`step ${steps[steps.length - 1]}`, right - 70, height - 4);
  return Boolean(limits);
}

class Playground {
  /** `parts`: the view's note and data-* marks (view.js viewParts); `onCheckpoint(data)`: each saved checkpoint. */
  constructor(el, site, id, { parts, onCheckpoint }) {
    this.el = el;
    this.id = id;
    this.site = site;
    this.parts = parts;
    this.onCheckpoint = onCheckpoint;
    this.values = null;
    this.playing = false;
    this.points = []; // the visitor's own target
    this.frames = 0;
    this.starts = new Map();
    this.mapCanvas = null; // the critic's map at its own resolution, scaled onto the plot
    this.scaleLow = null; // the map's scale: its lowest and highest score now (see drawScale)
    this.scaleHigh = null;
    this.build();
  }

  build() {
    const root = element("div", { class: "gd-playground" });
    this.canvas = element("canvas", {
      id: "playground-plot",
      width: SIZE,
      height: SIZE,
      role: "img",
      "aria-label":
        "real (orange) and generated (blue) points over the critic's map; click to add your own target points",
    });
    this.canvas.className = "gd-picture";
    this.stats = element(
      "p",
      { id: "playground-stats", "aria-live": "off" },
      "Starting the Playground in your browser…",
    );
    this.alarm = element("p", { class: "gd-alarm", id: "playground-alarm" });
    this.note = this.parts.note; // (view.js's note line, placed here in the panel)
    this.note.setAttribute("role", "alert");
    this.chart = element("canvas", {
      id: "playground-losses",
      width: SIZE,
      height: 160,
      role: "img",
      "aria-label": "losses",
    });
    this.chart.className = "gd-picture";
    this.narration = element("ul", { id: "narration" });
    const own = element("div", { class: "gd-own" });
    const label = element("label", {}, "Your own target: click the plot, or upload a CSV of x,y ");
    this.file = element("input", { type: "file", accept: ".csv,.txt,text/csv,text/plain", id: "points-file" });
    label.append(this.file);
    this.clear = element("button", { type: "button", class: "gd-button", id: "clear-points" }, "Clear your points");
    this.linkNote = element("p", { class: "gd-note", id: "points-link-note" });
    this.linkNote.hidden = true;
    own.append(label, this.clear, this.linkNote);
    this.saved = element("p", { id: "playground-saved", class: "gd-saved", role: "status" }); // (under Save)
    const { legend, low, high } = legendElement();
    [this.scaleLow, this.scaleHigh] = [low, high];
    root.append(this.saved, this.canvas, legend, this.stats, this.alarm, this.note, this.chart, this.narration, own);
    this.el.append(root);
    this.canvas.addEventListener("click", (event) => this.click(event));
    this.file.addEventListener("change", () => this.upload());
    this.clear.addEventListener("click", () => this.setPoints([]));
  }

  /** Say in data-* what it is doing (for tests and tools), on the element and on the view's #id wrapper. */
  mark(key, value) {
    this.parts.mark(key, value);
  }

  say(error) {
    const text = error ? String(error.message || error) : "";
    this.parts.say(text);
    this.mark("error", text);
  }

  /** The session's thread (runtime/playground-worker.js): it trains; this page only draws what it sends. */
  worker() {
    if (!this.thread) {
      this.thread = new Worker(this.site.web + "runtime/playground-worker.js", { type: "module" });
      this.thread.onmessage = ({ data }) => this.receive(data);
      this.thread.onerror = (event) =>
        this.say(`the Playground's trainer stopped: ${event.message || "it could not load"}`);
      // TensorFlow.js from the folder the site names (a full URL: the worker resolves against its own)
      this.thread.postMessage({ type: "start", vendor: new URL(this.site.vendor, document.baseURI).href });
    }
    return this.thread;
  }

  send(message) {
    this.worker().postMessage(message);
  }

  receive(data) {
    if (data.type === "error") {
      this.playing = false;
      this.mark("playing", "");
      this.say(data.message);
    } else if (data.type === "checkpoint") {
      this.offerDownload(data);
      this.onCheckpoint(data);
    } else if (data.type === "frame") {
      if (data.real) this.real = data.real;
      if (data.map) this.map = data.map;
      this.frame = data;
      if (!this.drawing) {
        this.drawing = true;
        requestAnimationFrame(() => {
          this.drawing = false;
          this.draw();
          this.send({ type: "ack" }); // ready for the next frame: the thread never floods the page
        });
      }
    }
  }

  /** The page's controls changed: live options now, the rest on Reset. The first values draw a fresh session. */
  update(values) {
    this.values = values;
    try {
      const read = readSettings(values, this.site);
      this.live = read;
      this.send({ type: "live", part: read.part, speed: read.speed, arrows: read.arrows });
      this.say("");
      if (this.linkedPoints(values)) return;
      if (!this.opened && !this.opening) this.reset().catch((error) => this.say(error)); // (a model that will not load)
    } catch (error) {
      this.say(error);
    }
  }

  /** The page's points control changed (a link, or a target chosen from the menu): take them and start over. */
  linkedPoints(values) {
    const text = String(values[this.site.playground.controls.indexOf("points")] ?? "");
    if (text === (this.pointsText ?? "")) return false;
    const targets = this.site.playground.targets;
    this.pointsText = text;
    if (text !== targets.link_too_many) this.points = readLinkPoints(text, targets);
    this.mark("points", String(this.points.length));
    this.reset(this.points.length ? null : { target: this.targetOr(values) }).catch((error) => this.say(error));
    return true;
  }

  /** The target the controls name, or the default one when they name the visitor's points but there are none. */
  targetOr(values) {
    const { default: first, your_points: own } = this.site.playground.targets;
    const target = values[this.site.playground.controls.indexOf("target")];
    return target === own ? first : target;
  }

  /** The visitor's points as the page's "points" control holds them (links carry it), and what a link keeps. */
  tellPoints() {
    const targets = this.site.playground.targets;
    const text = this.points.length ? (pointsLinkText(this.points, targets) ?? targets.link_too_many) : "";
    this.pointsText = text;
    this.linkNote.hidden = text !== targets.link_too_many;
    this.linkNote.textContent = this.linkNote.hidden
      ? ""
      : `Your ${this.points.length.toLocaleString("en-US")} points are too many for a link (it holds up to ` +
        `${targets.max_link_points}): the link keeps the settings, not the points.`;
    writeControl(this.id, "points", text);
  }

  async command(name, argument) {
    try {
      if (name === "play") await this.play();
      else if (name === "pause") this.pause();
      else if (name === "step") await this.stepTen();
      else if (name === "reset") await this.reset();
      else if (name === "save") this.save();
      else if (name === "preset") await this.preset(argument);
    } catch (error) {
      this.pause();
      this.say(error);
    }
  }

  async startFrom(name) {
    if (name === "scratch") return null;
    if (!this.starts.has(name)) {
      const [urls, names] = [this.site.models[name], this.site.files];
      if (!urls || !urls.discriminator) throw new Error(`${name} has no saved critic to train on with`);
      const files = { generator: `${name}/${names.weights}`, critic: `${name}/${names.discriminator}` };
      const loading = Promise.all([
        loadCheckpoint(urls, name, names),
        loadTensors(urls.discriminator, files.critic),
      ]).then(([{ config, tensors }, critic]) => ({ name, config, generator: tensors, critic, files }));
      loading.catch(() => this.starts.delete(name));
      this.starts.set(name, loading);
    }
    return this.starts.get(name);
  }

  /** A fresh session from the controls' settings (or a preset's), drawn at step 0. */
  async reset(override = null) {
    this.pause();
    const read = readSettings(this.values || [], this.site);
    const settings = { ...read.settings, ...(override || {}) };
    const tables = this.site.playground;
    if (this.points.length) {
      settings.target = tables.targets.your_points;
      settings.points = this.points;
    }
    this.opening = true;
    try {
      if (settings.start !== "scratch") this.stats.textContent = `Loading ${settings.start} into your browser…`;
      const start = await this.startFrom(settings.start);
      const { controls, parts, speeds, ...shared } = tables; // (what the session reads; the rest is the page's)
      this.send({ type: "live", part: read.part, speed: read.speed, arrows: read.arrows });
      this.send({ type: "reset", settings, tables: shared, start });
      this.live = read;
      this.opened = true;
      this.saved.textContent = "";
      this.say("");
      this.mark("start", settings.start);
      this.mark("target", settings.target);
    } finally {
      this.opening = false;
    }
  }

  async ensure() {
    if (!this.opened) await this.reset();
  }

  async play() {
    await this.ensure();
    this.playing = true;
    this.mark("playing", "1");
    this.send({ type: "play" });
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    this.mark("playing", "");
    this.send({ type: "pause" });
  }

  async stepTen() {
    await this.ensure();
    this.pause();
    this.send({ type: "step", count: 10 });
  }

  async preset(name) {
    const preset = this.site.playground.presets[name];
    if (!preset) throw new RangeError(`preset must be one of ${Object.keys(this.site.playground.presets).join(", ")}`);
    this.points = [];
    this.mark("points", "0");
    this.tellPoints();
    await this.reset({ ...preset.settings, start: "scratch" });
    this.mark("preset", name);
    await this.play();
  }

  /** The latest frame: plot and stats, and (now and then, or after a reset, pause or step) chart and narration. */
  draw() {
    const f = this.frame;
    if (!f) return;
    const started = performance.now();
    this.drawPlot(f);
    this.drawStats(f);
    if (f.all || started - (this.chartAt || 0) > CHART_EVERY_MS) {
      this.chartAt = started;
      this.drawChart(f.chart);
      this.drawNarration(f);
    }
    this.frames += 1;
    this.mark("step", String(f.step));
    this.mark("frames", String(this.frames));
    this.mark("drawMs", (performance.now() - started).toFixed(1));
    this.mark("frameMs", f.frameMs.toFixed(1)); // (the thread's share of a frame, and its time per step)
    this.mark("stepMs", f.stepMs.toFixed(1));
  }

  drawPlot(f) {
    const { ctx, width: size } = fitCanvas(
      this.canvas,
      SIZE,
      (w) => w,
      () => this.draw(),
    );
    const { resolution, scores } = this.map;
    let [low, high] = [Infinity, -Infinity];
    for (const v of scores) [low, high] = [Math.min(low, v), Math.max(high, v)];
    const image = new ImageData(resolution, resolution);
    for (let k = 0; k < scores.length; k++) {
      const grey = mapGrey(high > low ? (scores[k] - low) / (high - low) : 0); // darker: judged more real
      image.data.set([grey, grey, grey, 255], 4 * k);
    }
    this.mapCanvas ||= document.createElement("canvas");
    [this.mapCanvas.width, this.mapCanvas.height] = [resolution, resolution];
    this.mapCanvas.getContext("2d").putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.mapCanvas, 0, 0, size, size);
    this.drawScale(low, high);
    const limit = this.site.playground.targets.limit;
    const px = (x) => ((x + limit) / (2 * limit)) * size;
    const py = (y) => ((limit - y) / (2 * limit)) * size;
    drawPoints(ctx, { real: this.real, fake: f.fake }, px, py);
    if (this.points.length) {
      ctx.strokeStyle = "rgba(120, 60, 0, 0.9)";
      ctx.lineWidth = 1;
      for (const [x, y] of this.points.slice(0, 500)) ctx.strokeRect(px(x) - 3, py(y) - 3, 6, 6);
    }
    if (f.pushes) drawArrows(ctx, f, px, py);
    ctx.fillStyle = "#000";
    ctx.font = "13px sans-serif";
    ctx.fillText(`step ${f.step}`, 6, 16);
  }

  /** The map's scale under the plot: its lowest and highest score now. */
  drawScale(low, high) {
    const shown = (v) => check.formatG(Number(v.toPrecision(2)));
    this.scaleLow.textContent = shown(low);
    this.scaleHigh.textContent = shown(high);
  }

  drawStats(f) {
    const parts = [`step ${f.step}${f.playing ? " (playing)" : f.step ? "" : " (press Play to train)"}`];
    if (f.stepsPerS !== null) parts.push(`${Math.round(f.stepsPerS)} steps/s in your browser`);
    if (f.part !== "both") parts.push(`training the ${f.part.replace(" only", "")} only`);
    const cover = f.coverage;
    if (cover)
      parts.push(
        `modes captured ${cover.modes_captured}/${cover.modes_total}, high-quality samples ${(100 * cover.high_quality_share).toFixed(1)}%`,
      );
    this.mark("modes", cover ? String(cover.modes_captured) : "");
    this.drawAlarm(f);
    if (f.points) parts.push(`your target: ${f.points} point(s)`);
    if (f.start) {
      const { objective, critic } = f.trainedAs;
      parts.push(`started from ${f.start}, going on as it was trained (${objective}, ${critic} critic step(s))`);
    }
    this.stats.textContent = parts.join(" · ");
  }

  /** The collapse alarm, live: where this step's points are, against what this run has reached so far. */
  drawAlarm(f) {
    const cover = f.coverage;
    if (!this.run || f.step < this.run.step) this.run = { step: 0, near: 0, held: 0, held_step: 0 }; // (a new run)
    this.run.step = f.step;
    if (cover) this.run.near = Math.max(this.run.near, cover.near_share);
    if (cover && cover.modes_held > this.run.held)
      Object.assign(this.run, { held: cover.modes_held, held_step: f.step });
    const alarm = this.site.coverage.alarm;
    const verdict = cover && f.step > 0 ? toyVerdict(cover, alarm, this.run) : null;
    this.alarm.textContent = verdict ? `Collapse alarm: ${verdict[1]}.` : "";
    this.alarm.dataset.alarm = verdict ? toyTone(verdict[0], alarm) : "";
    this.mark("alarm", verdict ? verdict[0] : "");
  }

  drawChart(history) {
    const redraw = () => this.frame && this.drawChart(this.frame.chart);
    this.mark("chartClipped", drawLosses(this.chart, history, this.site.playground.chart_clip, redraw) ? "1" : "");
  }

  drawNarration(f) {
    const key = f.narration.map(([step, text]) => `${step}: ${text}`).join("\n"); // (a new session may say new words at the same steps)
    if (key === this.narrated) return;
    this.narrated = key;
    this.narration.replaceChildren(
      ...(f.narration.length
        ? f.narration.map(([step, text]) => {
            const item = element("li");
            item.innerHTML = inlineMarkdown(`**step ${step}**: ${text}`);
            return item;
          })
        : [element("li", {}, "Narration appears here while the session trains.")]),
    );
  }

  click(event) {
    const box = this.canvas.getBoundingClientRect();
    const limit = this.site.playground.targets.limit;
    const x = ((event.clientX - box.left) / box.width) * 2 * limit - limit;
    const y = limit - ((event.clientY - box.top) / box.height) * 2 * limit;
    const max = this.site.playground.targets.max_clicks;
    if (this.points.length >= max) return this.say(`you can click at most ${max} points; upload a CSV for more`);
    this.setPoints([...this.points, [Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000]]);
  }

  async upload() {
    const file = this.file.files && this.file.files[0];
    if (!file) return;
    try {
      const t = this.site.playground.targets;
      const rows = t.max_points.toLocaleString("en");
      if (file.size > 1 << 20) throw new Error(`the points file is over 1 MB; send at most ${rows} x,y rows`);
      this.setPoints(
        parsePoints(await file.text(), { maxPoints: t.max_points, limit: t.limit, maxValue: t.max_value }),
      );
    } catch (error) {
      this.say(error);
    } finally {
      this.file.value = "";
    }
  }

  /** The visitor's own target changed: the session starts over on it (paused). */
  async setPoints(points) {
    this.points = points;
    this.mark("points", String(points.length));
    this.tellPoints();
    try {
      await this.reset(points.length ? null : { target: this.targetOr(this.values || []) });
    } catch (error) {
      this.say(error);
    }
  }

  save() {
    if (!this.opened) throw new Error("press Play or Step first: there is nothing trained to save");
    this.send({ type: "save", version: this.site.version || "" });
  }

  /** The thread's checkpoint as a .zip the visitor downloads (nothing goes to the server), its files named as the
   * library names them. Its model card is the library's to write: from its config, when the app shows the folder
   * or `python -m gandemo.evaluate` scores it. */
  offerDownload({ config, generator, critic }) {
    const name = `playground-${config.training.objective}-step${config.training.steps}`;
    const names = this.site.files;
    const files = [
      [`${name}/${names.config}`, JSON.stringify(config, null, 2) + "\n"],
      [`${name}/${names.weights}`, safetensorsBytes(generator)],
      [`${name}/${names.discriminator}`, safetensorsBytes(critic)],
    ];
    const bytes = zipBytes(files);
    const cover = config.metrics;
    const scored = cover
      ? `It covers ${cover.modes_captured} of ${cover.modes_total} modes of its own target (${config.target.name}).`
      : `Its target (${config.target.name}) is saved with it.`;
    const link = download(bytes, `${name}.zip`);
    const old = this.saved.querySelector("a");
    if (old) URL.revokeObjectURL(old.href);
    this.saved.replaceChildren(
      element(
        "span",
        {},
        `Downloading ${name}.zip (${(bytes.length / 1024).toFixed(0)} KB, made in your browser). ${scored} `,
      ),
      element(
        "span",
        {},
        "Unzip it, then gandemo.load_generator(folder); python -m gandemo.evaluate folder scores it and writes its " +
          "model card. Nothing arrived? ",
      ),
      link,
      ".",
    );
    link.click(); // (the download starts by itself; the link stays for a second try)
    this.saved.scrollIntoView({ block: "nearest" }); // (on a phone it may sit under the plot)
    this.mark("saved", name);
  }
}

export default {
  render({ el, props }) {
    let lastSave = null; // (what tests read of a save: testing.js inspect)
    const parts = viewParts({ el, id: props.id, noteId: "playground-error" });
    const playground = new Playground(el, props.site, props.id, { parts, onCheckpoint: (data) => (lastSave = data) });
    const stop = listen(props.id, {
      update: (values) => playground.update(values),
      command: (name, argument) => playground.command(name, argument),
      inspect: () => ({ lastSave }),
    });
    return () => {
      stop();
      playground.thread?.terminate();
    };
  },
};
