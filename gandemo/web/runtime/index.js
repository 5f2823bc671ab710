// The browser runtime: TensorFlow.js (vendored, wasm backend, cpu as the fallback), the shipped checkpoints
// fetched one model at a time, and the app's views computed as gandemo/service/showroom.py computes them.
// `site` is what the server (or the static build) describes (gandemo/ui/browser.py's site): the models' files
// (and, in `files`, the library's names for a folder's files) and targets, the settings, the objectives, targets
// and presets, and the pictures' sizes.

import { loadCheckpoint, loadTensors } from "./checkpoint.js";
import { buildGenerator } from "./networks.js";
import { buildClassifier } from "./classifier.js";
import { buildDiscriminator, percentile } from "./judges.js";
import { invert } from "./inversion.js";
import { normals } from "./random.js";
import { sampleTarget, targetModes } from "./targets.js";
import { tileImage } from "./pictures.js";
import { modeCoverage } from "./coverage.js";
import { buildIndex, searchIndex } from "./neighbours.js";
import { startTensorFlow } from "./tfjs.js";

/** Spherical interpolation as gandemo.core.sampling.slerp (float64 here, float32 there: equal to ~1e-7). */
function slerp(a, b, t) {
  const norm = (v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const [na, nb] = [norm(a), norm(b)];
  const cos = Math.min(
    1,
    Math.max(
      -1,
      a.reduce((s, x, i) => s + (x / na) * (b[i] / nb), 0),
    ),
  );
  const omega = Math.acos(cos);
  if (Math.abs(omega) < 1e-6) return a.map((x, i) => x + t * (b[i] - x));
  return a.map((x, i) => (Math.sin((1 - t) * omega) * x + Math.sin(t * omega) * b[i]) / Math.sin(omega));
}

export class Runtime {
  constructor(site) {
    this.site = site;
    this.generators = new Map(); // name -> Promise of a built generator: each model's weights fetched once
    this.maps = new Map();
    this.companions = new Map(); // "role name" -> Promise of a model's companion file (a digit map, ...)
    this.backend = null;
    this.started = null; // Promise of the backend's name, once start() is called
  }

  /** Load TensorFlow.js and pick a backend: wasm, else cpu (tfjs.js). Resolves to the backend's name. */
  async start() {
    this.started ||= startTensorFlow(this.site.vendor).then((tf) => {
      this.tf = tf;
      this.backend = tf.getBackend();
      return this.backend;
    });
    return this.started;
  }

  has(name) {
    return Object.hasOwn(this.site.models, name);
  }

  /** What a message calls a model's file of this role ("directions", ...): its folder and the library's name. */
  fileOf(name, role) {
    return `${name}/${this.site.files[role]}`;
  }

  async generator(name) {
    if (!this.has(name)) throw new Error(`unknown model ${name}`);
    await this.start();
    if (!this.generators.has(name)) {
      const loading = loadCheckpoint(this.site.models[name], name, this.site.files).then(({ config, tensors }) =>
        buildGenerator(this.tf, config, tensors),
      );
      loading.catch(() => this.generators.delete(name)); // a failed fetch may be retried
      this.generators.set(name, loading);
    }
    return this.generators.get(name);
  }

  /** The MNIST classifier (site.classifier: its config and weights), fetched and built once. */
  async classifier() {
    if (!this.site.classifier) throw new Error("this site serves no MNIST classifier");
    await this.start();
    if (!this.reader) {
      this.reader = loadCheckpoint(this.site.classifier, this.site.classifier.name, this.site.files).then(
        ({ config, tensors }) => buildClassifier(this.tf, config, tensors),
      );
      this.reader.catch(() => (this.reader = null)); // a failed fetch may be retried
    }
    return this.reader;
  }

  /** The classifier's ten probabilities for an MNIST-style digit (784 values, ink in [0, 1]). */
  async classify(digit) {
    return (await this.classifier()).run(digit);
  }

  /** An MNIST model's discriminator and its config (whose "discriminator" keeps the score spreads), fetched and
   * built once; rejects when the model ships none. */
  async discriminator(name) {
    const urls = this.site.models[name];
    if (!urls || !urls.discriminator) throw new Error(`${name} ships no discriminator`);
    await this.start();
    if (!this.judges) this.judges = new Map();
    if (!this.judges.has(name)) {
      const weights = { config: urls.config, weights: urls.discriminator };
      const files = { ...this.site.files, weights: this.site.files.discriminator };
      const loading = loadCheckpoint(weights, name, files).then(({ config, tensors }) => ({
        config,
        judge: buildDiscriminator(this.tf, config, tensors),
      }));
      loading.catch(() => this.judges.delete(name));
      this.judges.set(name, loading);
    }
    return this.judges.get(name);
  }

  /** How real a model's discriminator finds a digit (784 values, ink in [0, 1]; a conditional one judges it with
   * `label`), placed among its scores on real test digits and on its samples (measures/verdict.py verdict). */
  async verdict(name, digit, label) {
    const { config, judge } = await this.discriminator(name);
    const spread = config.discriminator.scores;
    const score = judge.score(digit, config.model.num_classes ? label : null);
    return {
      score,
      real_percentile: percentile(score, spread.real),
      sample_percentile: percentile(score, spread.samples),
    };
  }

  /** The latent (and label, of those in `labels`) whose picture is closest to a digit (inversion.js invert), its
   * distance placed among the distances of real test digits' and samples' inversions (the config's "inversion").
   * `wanted()` false while it runs abandons it (null). */
  async invert(name, digit, labels, wanted = () => true) {
    const g = await this.generator(name);
    const { config } = await this.discriminator(name);
    const found = await invert(this.tf, g, digit, this.site.inversion, labels, wanted);
    if (!found) return null;
    const spread = config.inversion;
    return {
      ...found,
      real_percentile: spread ? percentile(found.distance, spread.real) : null,
      sample_percentile: spread ? percentile(found.distance, spread.samples) : null,
    };
  }

  /** The MNIST tab's grid's samples (showroom.grid_samples): { values (n * 784), n, cols }. digit: null for
   * "all digits" (a conditional model's label sweep). */
  async mnistSamples({ model, seed, rows, cols, digit = null }) {
    const g = await this.generator(model);
    const classes = g.model.num_classes;
    if (classes && digit === null) {
      const styles = normals(seed, rows, g.model.latent_dim);
      const z = new Float32Array(rows * classes * g.model.latent_dim);
      const labels = new Int32Array(rows * classes);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < classes; c++) {
          z.set(
            styles.subarray(r * g.model.latent_dim, (r + 1) * g.model.latent_dim),
            (r * classes + c) * g.model.latent_dim,
          );
          labels[r * classes + c] = c;
        }
      return { values: g.run(z, labels), n: rows * classes, cols: classes };
    }
    const n = rows * cols;
    const labels = classes ? new Int32Array(n).fill(digit) : null;
    return { values: g.run(normals(seed, n, g.model.latent_dim), labels), n, cols };
  }

  /** The MNIST tab's grid (showroom.generate): { width, height, data }. digit: null for "all digits". */
  async mnistGrid(view) {
    const { values, n, cols } = await this.mnistSamples(view);
    return tileImage(values, n, cols, this.site.sizes.display_scale);
  }

  /** Each sample's (values n * 784 in [-1, 1]) nearest training digits among those the page ships (web/data),
   * embedded once in this page. */
  async neighbours(values, n) {
    const classifier = await this.classifier();
    if (!this.trainingIndex) {
      this.trainingIndex = buildIndex(this.tf, classifier, this.site.web + "data/");
      this.trainingIndex.catch(() => (this.trainingIndex = null)); // a failed fetch may be retried
    }
    return searchIndex(this.tf, classifier, await this.trainingIndex, values, n, this.site.sizes.neighbours);
  }

  /** One picture of the Compare tab (showroom.compare): conditional models draw digits 0-9 in turn. */
  async compareGrid(model, seed, rows = 4, cols = 4) {
    const g = await this.generator(model);
    const n = rows * cols;
    const labels = g.model.num_classes ? Int32Array.from({ length: n }, (_, i) => i % 10) : null;
    return tileImage(g.run(normals(seed, n, g.model.latent_dim), labels), n, cols, this.site.sizes.compare_scale);
  }

  /** The Latent walk's frames (showroom.interpolate): { strip, frames } with frames n * 784 values. */
  async walk({ model, seedA, seedB, steps, method = "slerp", digit = null }) {
    const g = await this.generator(model);
    const dim = g.model.latent_dim;
    const a = Array.from(normals(seedA, 1, dim));
    const b = Array.from(normals(seedB, 1, dim));
    const z = new Float32Array(steps * dim);
    for (let i = 0; i < steps; i++) {
      const t = Math.fround(steps === 1 ? 0 : i / (steps - 1));
      z.set(method === "slerp" ? slerp(a, b, t) : a.map((x, k) => x + t * (b[k] - x)), i * dim);
    }
    const labels = g.model.num_classes ? new Int32Array(steps).fill(digit) : null;
    const frames = g.run(z, labels);
    const { max_strip_columns: perRow, strip_scale: scale } = this.site.sizes;
    const rows = Math.ceil(steps / perRow);
    return { strip: tileImage(frames, steps, Math.ceil(steps / rows), scale), frames };
  }

  /** A model's latent directions (its "directions" file): Float32Arrays, one per direction; fetched once. */
  async directions(name) {
    const url = this.site.models[name] && this.site.models[name].directions;
    if (!url) throw new RangeError(`'${name}' has no latent directions`);
    if (!this.steering) this.steering = new Map();
    if (!this.steering.has(name)) {
      const loading = loadTensors(url, this.fileOf(name, "directions")).then(({ directions: d }) =>
        Array.from({ length: d.shape[0] }, (_, k) => d.data.subarray(k * d.shape[1], (k + 1) * d.shape[1])),
      );
      loading.catch(() => this.steering.delete(name));
      this.steering.set(name, loading);
    }
    return this.steering.get(name);
  }

  /** The Latent directions tab (showroom.steer): tile `tile` of `seed` moved by `offsets` along the model's
   * directions ({ picture, strip }), the strip each direction from -span to +span through the moved sample. */
  async steer({ model, seed, tile, offsets }) {
    const g = await this.generator(model);
    const vectors = await this.directions(model);
    const dim = g.model.latent_dim;
    const z0 = normals(seed, 1, dim, { start: tile });
    const shift = new Float32Array(dim); // (float32 sums in order, as torch's sum over directions)
    for (let i = 0; i < dim; i++) {
      let total = Math.fround(0);
      for (let k = 0; k < vectors.length; k++)
        total = Math.fround(total + Math.fround(Math.fround(offsets[k]) * vectors[k][i]));
      shift[i] = total;
    }
    const z = z0.map((x, i) => Math.fround(x + shift[i]));
    const {
      direction_scale: scale,
      strip_scale: stripScale,
      direction_span: span,
      direction_steps: steps,
    } = this.site.sizes;
    const all = new Float32Array((1 + vectors.length * steps) * dim);
    all.set(z, 0);
    vectors.forEach((v, k) => {
      for (let s = 0; s < steps; s++) {
        const t = Math.fround(-span + (2 * span * s) / (steps - 1));
        for (let i = 0; i < dim; i++) all[(1 + k * steps + s) * dim + i] = Math.fround(z[i] + Math.fround(t * v[i]));
      }
    });
    const frames = g.run(all, null);
    const size = frames.length / (1 + vectors.length * steps);
    return {
      picture: tileImage(frames.subarray(0, size), 1, 1, scale),
      strip: tileImage(frames.subarray(size), vectors.length * steps, steps, stripScale),
    };
  }

  /** A model's companion file of this role (its site entry's url), fetched once; null if it has none. */
  async companion(name, role) {
    const url = this.site.models[name] && this.site.models[name][role];
    if (!url) return null;
    const key = `${role} ${name}`;
    if (!this.companions.has(key)) {
      const loading = loadTensors(url, this.fileOf(name, role));
      loading.catch(() => this.companions.delete(key));
      this.companions.set(key, loading);
    }
    return this.companions.get(key);
  }

  /** A model's digit map (its "digit_map" file: points, digits, tiles, real_centres), fetched once; null if none. */
  async digitMap(name) {
    return this.companion(name, "digit_map");
  }

  /** Single samples of `seed` by tile (the CGAN's asking for digit tile % 10), as values n * 784. */
  async tiles(model, seed, tiles) {
    const g = await this.generator(model);
    const dim = g.model.latent_dim;
    const z = new Float32Array(tiles.length * dim);
    tiles.forEach((tile, i) => z.set(normals(seed, 1, dim, { start: tile }), i * dim));
    const labels = g.model.num_classes ? Int32Array.from(tiles, (t) => t % 10) : null;
    return g.run(z, labels);
  }

  /** The 2-D tab (showroom.toy): generated points and real points of the model's own target (Float32Array,
   * x y interleaved), the coverage of that target (with its name and mode centres), the critic map. */
  async toy({ model, seed, points }) {
    const g = await this.generator(model);
    const fake = g.run(normals(seed, points, g.model.latent_dim));
    const target = this.site.models[model].target;
    const table = this.site.playground.targets;
    const spec = table.targets[target.name];
    const real = sampleTarget(spec, seed, points, { points: target.points });
    const modes = targetModes(spec, target.points, table.max_modes);
    const coverage = modes
      ? { ...modeCoverage(fake, modes.centers, modes.std), target: target.name, centers: modes.centers }
      : { modes_captured: null, modes_total: null, high_quality_share: null, kl_to_uniform: null, target: target.name };
    return { fake, real, coverage, map: await this.criticMap(model) };
  }

  /** The shipped critic map of a 2-D model ({ resolution, limit, scores }), fetched once; null when it has none. */
  async criticMap(name) {
    const url = this.site.models[name] && this.site.models[name].critic_map;
    if (!url) return null;
    if (!this.maps.has(name)) {
      const loading = loadTensors(url, this.fileOf(name, "critic_map")).then((t) => ({
        scores: t.scores.data,
        resolution: t.scores.shape[0],
        limit: t.limit.data[0],
      }));
      loading.catch(() => this.maps.delete(name));
      this.maps.set(name, loading);
    }
    return this.maps.get(name);
  }
}
