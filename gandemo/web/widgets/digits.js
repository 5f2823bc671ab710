// Train on digits: an MNIST MLP GAN (or CGAN) trained in a worker of the visitor's page (runtime/digits-worker.js)
// and drawn live: the grid of fixed latents, the loss chart, the digit histogram the classifier reads in fresh
// samples, the collapse alarm, the narration, and Save as a .zip. Nothing is sent to the server.
//
// The page pushes its controls' values through the view's slot (in the order of site.digits.controls:
// gandemo/ui/digits.py) and its buttons as commands: settings apply on Reset (and on the first Play or Step);
// "train" applies at once.

import * as check from "../runtime/check.js";
import { loadCheckpoint } from "../runtime/checkpoint.js";
import { tileImage, paint } from "../runtime/pictures.js";
import { safetensorsBytes, zipBytes } from "../runtime/archive.js";
import { drawLosses } from "./playground.js";
import { inlineMarkdown } from "./toy.js";
import { element, listen, viewParts, writeControl } from "./view.js";

const SCALE = 2; // grid pixels per digit pixel
const BAR = "rgb(0, 84, 147)";

/** The settings a Reset starts from, checked as the server checks a link (every sentence names the setting). */
export function readSettings(values, site) {
  const tables = site.digits;
  const v = Object.fromEntries(tables.controls.map((key, i) => [key, values[i]]));
  const settings = {
    objective: check.choice(v.objective, "objective", Object.keys(site.playground.objectives)),
  };
  for (const [key, spec] of Object.entries(tables.settings)) settings[key] = check.setting(v[key], spec);
  const model = check.choice(v.model, "model", Object.keys(tables.models));
  return { settings, model, part: check.choice(v.part ?? "both", "train", tables.parts) };
}

/** A phone (a narrow screen, or a device with few cores) trains a smaller batch by default: its steps stay short. */
function phone() {
  const narrow = globalThis.matchMedia?.("(max-width: 640px)").matches;
  return Boolean(narrow || (navigator.hardwareConcurrency || 4) < 2);
}

/** The histogram of what the classifier reads: ten bars with their shares. */
function drawHistogram(canvas, histogram) {
  const [width, height] = [canvas.width, canvas.height];
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, width, height);
  ctx.font = "12px sans-serif";
  const [top, bottom] = [16, height - 18];
  const slot = width / 10;
  const peak = Math.max(0.2, ...histogram);
  histogram.forEach((share, d) => {
    const h = (share / peak) * (bottom - top);
    ctx.fillStyle = BAR;
    ctx.fillRect(d * slot + 6, bottom - h, slot - 12, h);
    ctx.fillStyle = "#000";
    ctx.fillText(String(d), d * slot + slot / 2 - 3, height - 4);
    ctx.fillText(`${Math.round(100 * share)}%`, d * slot + 4, Math.max(12, bottom - h - 3));
  });
  ctx.strokeStyle = "#999";
  const fair = bottom - (0.1 / peak) * (bottom - top); // (an even split: 10% each)
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  ctx.moveTo(0, fair);
  ctx.lineTo(width, fair);
  ctx.stroke();
  ctx.setLineDash([]);
}

class Digits {
  constructor(el, site, id, { parts, onCheckpoint }) {
    this.el = el;
    this.site = site;
    this.id = id;
    this.parts = parts;
    this.onCheckpoint = onCheckpoint;
    this.values = null;
    this.playing = false;
    this.frames = 0;
    this.starts = new Map();
    this.readings = [];
    this.build();
  }

  build() {
    const root = element("div", { class: "gd-digits" });
    this.saved = element("p", { id: "digits-saved", class: "gd-saved", role: "status" });
    this.grid = element("canvas", { id: "digits-grid", role: "img", "aria-label": "the generator's digits" });
    this.grid.className = "gd-picture";
    this.stats = element("p", { id: "digits-stats", "aria-live": "off" }, "Starting the trainer in your browser…");
    this.alarm = element("p", { class: "gd-alarm", id: "digits-alarm" });
    this.note = this.parts.note;
    this.note.setAttribute("role", "alert");
    this.histogram = element("canvas", {
      id: "digits-histogram",
      width: 420,
      height: 130,
      role: "img",
      "aria-label": `the digits the classifier reads in ${this.site.digits.sizes.read} fresh samples`,
    });
    this.histogram.className = "gd-picture";
    const caption = element("p", { class: "gd-note", id: "digits-histogram-caption" });
    caption.textContent = `What our classifier reads in ${this.site.digits.sizes.read} fresh samples (dashed: 10% each).`;
    this.chart = element("canvas", {
      id: "digits-losses",
      width: 420,
      height: 160,
      role: "img",
      "aria-label": "losses",
    });
    this.chart.className = "gd-picture";
    this.narration = element("ul", { id: "digits-narration" });
    root.append(this.saved, this.grid, this.stats, this.alarm, this.note, this.histogram, caption);
    root.append(this.chart, this.narration);
    this.el.append(root);
  }

  mark(key, value) {
    this.parts.mark(key, value);
  }

  say(error) {
    const text = error ? String(error.message || error) : "";
    this.parts.say(text);
    this.mark("error", text);
  }

  /** The session's thread: it loads TensorFlow.js, the classifier and the digits once, then trains. */
  worker() {
    if (!this.thread) {
      const site = this.site;
      this.thread = new Worker(site.web + "runtime/digits-worker.js", { type: "module" });
      this.thread.onmessage = ({ data }) => this.receive(data);
      this.thread.onerror = (event) => this.say(`the trainer stopped: ${event.message || "it could not load"}`);
      const absolute = (url) => new URL(url, location.href).href;
      if (!site.classifier) throw new Error("this app has no MNIST classifier to read the samples");
      const classifier = { ...site.classifier, config: absolute(site.classifier.config) };
      classifier.weights = absolute(site.classifier.weights);
      this.thread.postMessage({
        type: "open",
        vendor: absolute(site.vendor),
        data: absolute(site.web + "data/"),
        classifier,
        files: site.files,
      });
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
      this.frame = data;
      if (!this.drawing) {
        this.drawing = true;
        requestAnimationFrame(() => {
          this.drawing = false;
          this.draw();
          this.send({ type: "ack" });
        });
      }
    }
  }

  update(values) {
    this.values = values;
    try {
      const read = readSettings(values, this.site);
      this.send({ type: "live", part: read.part });
      this.say("");
      if (!this.opened && !this.opening) this.reset().catch((error) => this.say(error));
    } catch (error) {
      this.say(error);
    }
  }

  async command(name, argument) {
    try {
      if (name === "play") await this.play();
      else if (name === "pause") this.pause();
      else if (name === "step") await this.stepOnce();
      else if (name === "reset") await this.reset();
      else if (name === "save") this.save();
      else if (name === "preset") await this.preset(argument);
    } catch (error) {
      this.pause();
      this.say(error);
    }
  }

  /** A shipped model's generator, loaded once: { name, config, generator, file }. */
  async startFrom(name) {
    if (!name) return null;
    if (!this.starts.has(name)) {
      const [urls, names] = [this.site.models[name], this.site.files];
      const absolute = {
        config: new URL(urls.config, location.href).href,
        weights: new URL(urls.weights, location.href).href,
      };
      const loading = loadCheckpoint(absolute, name, names).then(({ config, tensors }) => ({
        name,
        config,
        generator: tensors,
        file: `${name}/${names.weights}`,
      }));
      loading.catch(() => this.starts.delete(name));
      this.starts.set(name, loading);
    }
    return this.starts.get(name);
  }

  /** A fresh session from the controls' settings (or a preset's). A phone's first starts at a smaller batch. */
  async reset(override = null) {
    this.pause();
    const read = readSettings(this.values || [], this.site);
    const settings = { ...read.settings, ...(override || {}) };
    const model = override?.model ?? read.model;
    const tables = this.site.digits;
    const choice = tables.models[model];
    this.smaller = this.phoneBatch(settings);
    this.opening = true;
    try {
      if (choice.start) this.stats.textContent = `Loading ${choice.start} into your browser…`;
      const start = await this.startFrom(choice.start);
      const { objectives } = this.site.playground;
      this.send({ type: "live", part: read.part });
      this.send({ type: "reset", settings, choice, tables: { ...tables, objectives }, start });
      this.opened = true;
      this.readings = [];
      this.saved.textContent = "";
      this.say("");
      this.mark("model", model);
      this.mark("batch", String(settings.batch));
    } finally {
      this.opening = false;
    }
  }

  /** On a phone the first session runs a smaller batch when the control holds the default, and the control says
   * so (writeControl): what it shows is what runs, and a batch the visitor sets afterwards is kept. */
  phoneBatch(settings) {
    const tables = this.site.digits;
    if (this.sized) return false;
    this.sized = true;
    if (!phone() || settings.batch !== tables.settings.batch.default || settings.batch <= tables.phone_batch)
      return false;
    settings.batch = tables.phone_batch;
    writeControl(this.id, "batch", String(tables.phone_batch));
    return true;
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

  async stepOnce() {
    await this.ensure();
    this.pause();
    this.send({ type: "step", count: this.site.digits.sizes.step });
  }

  async preset(name) {
    const preset = this.site.digits.presets[name];
    if (!preset) throw new RangeError(`preset must be one of ${Object.keys(this.site.digits.presets).join(", ")}`);
    await this.reset({ ...preset.settings });
    this.mark("preset", name);
    await this.play();
  }

  /** The loss curves of the last frame; a resize redraws them alone. */
  drawChart() {
    const redraw = () => this.frame && this.drawChart();
    drawLosses(this.chart, this.frame.chart, this.site.playground.chart_clip, redraw);
  }

  draw() {
    const f = this.frame;
    if (!f) return;
    const cols = this.site.digits.sizes.grid;
    paint(this.grid, tileImage(f.grid, f.rows * cols, cols, SCALE));
    this.drawStats(f);
    if (f.reading && f.reading.step !== this.shownReading) {
      this.shownReading = f.reading.step;
      this.drawReading(f.reading);
      this.drawChart();
      this.drawNarration(f.narration);
    }
    this.frames += 1;
    this.mark("step", String(f.step));
    this.mark("frames", String(this.frames));
    this.mark("stepMs", f.stepMs.toFixed(1));
  }

  drawStats(f) {
    const parts = [`step ${f.step}${f.playing ? " (playing)" : f.step ? "" : " (press Play to train)"}`];
    if (f.stepsPerS !== null) parts.push(`${f.stepsPerS.toFixed(1)} steps/s in your browser`);
    if (f.part !== "both") parts.push(`training the ${f.part.replace(" only", "")} only`);
    if (f.start) parts.push(`fine-tuning ${f.start}`);
    if (this.smaller) parts.push(`batch ${this.site.digits.phone_batch} on this small screen`);
    if (f.playing && f.stepMs > 1000)
      parts.push(`this device is slow: a step takes ${(f.stepMs / 1000).toFixed(1)} s (a smaller batch is quicker)`);
    this.stats.textContent = parts.join(" · ");
  }

  /** The histogram and the alarm from the classifier's latest reading. */
  drawReading(r) {
    drawHistogram(this.histogram, r.histogram);
    const alarm = this.site.digits.alarm;
    this.alarm.textContent = r.verdict ? `Collapse alarm: ${r.verdict[1]}.` : `Collapse alarm: ${alarm.words.early}.`;
    this.alarm.dataset.alarm = r.verdict ? (r.verdict[0] ? "on" : "off") : "off";
    this.mark("alarm", r.verdict ? (r.verdict[0] ? "on" : "off") : "early");
    this.mark("reading", String(r.step));
    this.readings.push(r); // (what tests read: testing.js inspect)
    this.mark("histogram", r.histogram.map((v) => v.toFixed(3)).join(","));
    if (r.label_accuracy !== null) this.mark("labels", r.label_accuracy.toFixed(3));
  }

  drawNarration(lines) {
    this.narration.replaceChildren(
      ...(lines.length
        ? lines.map(([step, text]) => {
            const item = element("li");
            item.innerHTML = inlineMarkdown(`**step ${step}**: ${text}`);
            return item;
          })
        : [element("li", {}, "Narration appears here while the session trains.")]),
    );
  }

  save() {
    if (!this.opened) throw new Error("press Play or Step first: there is nothing trained to save");
    this.send({ type: "save", version: this.site.version || "" });
  }

  /** The thread's checkpoint as a .zip the visitor downloads (nothing goes to the server). */
  offerDownload({ config, generator, critic }) {
    const name = `digits-${config.recipe}-${config.training.objective}-step${config.training.steps}`;
    const names = this.site.files;
    const bytes = zipBytes([
      [`${name}/${names.config}`, JSON.stringify(config, null, 2) + "\n"],
      [`${name}/${names.weights}`, safetensorsBytes(generator)],
      [`${name}/${names.discriminator}`, safetensorsBytes(critic)],
    ]);
    const old = this.saved.querySelector("a");
    if (old) URL.revokeObjectURL(old.href);
    const url = URL.createObjectURL(new Blob([bytes], { type: "application/zip" }));
    const link = element("a", { href: url, download: `${name}.zip`, id: "digits-zip" }, "download it again");
    this.saved.replaceChildren(
      `Downloading ${name}.zip (${(bytes.length / 1024).toFixed(0)} KB, made in your browser). Unzip it, then ` +
        "gandemo.load_generator(folder); python -m gandemo.evaluate folder scores it. Nothing arrived? ",
      link,
      ".",
    );
    link.click();
    this.saved.scrollIntoView({ block: "nearest" });
    this.mark("saved", name);
  }
}

export default {
  render({ el, props }) {
    let lastSave = null;
    const parts = viewParts({ el, id: props.id, noteId: "digits-error" });
    const digits = new Digits(el, props.site, props.id, { parts, onCheckpoint: (data) => (lastSave = data) });
    const stop = listen(props.id, {
      update: (values) => digits.update(values),
      command: (name, argument) => digits.command(name, argument),
      inspect: () => ({ lastSave, readings: digits.readings }),
    });
    return () => {
      stop();
      digits.thread?.terminate();
    };
  },
};
