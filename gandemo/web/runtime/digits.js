// A Train on digits session with no page around it: an MNIST MLP GAN (or CGAN) trained on the shipped subset of
// real digits (runtime/digits-data.js), its seeded draws, the fixed latents of its grid, the loss history, the
// classifier's readings of fresh samples (histogram, near-duplicates, the collapse alarm), the narration and the
// checkpoint it saves. The worker (runtime/digits-worker.js) runs it; the widget (widgets/digits.js) draws it.

import { Trainer } from "./trainer.js";
import { Draws, MAX_HISTORY } from "./playground.js";
import { boxMuller, normals, philox4x32 } from "./random.js";
import {
  digitHistogram,
  digitVerdict,
  labelAccuracy,
  nearDuplicateShare,
  nearestOther,
  quantile,
} from "./digit-alarm.js";

const READ_START = 1 << 20; // the readings' latents: sample numbers from here on (the grid takes the first ones)
const REAL_READINGS = 8; // readings of real digits the near-duplicate threshold pools
const STREAMS = { dropout: 7, embed: 8 }; // counter words of this tab's own draws (the Playground's take 3-5)
const TWO_32 = 4294967296;

/** The Playground's seeded draws, and the two a digits model adds: dropout's uniforms, a label embedding's normals. */
class DigitDraws extends Draws {
  constructor(seed) {
    super(seed);
    this.more = { dropout: 0, embed: 0 };
  }

  /** n words from `stream`: draw d takes counters (d, i, 0, stream), four words each. */
  block(stream, n) {
    const d = this.more[stream]++;
    const out = new Uint32Array(Math.ceil(n / 4) * 4);
    for (let i = 0; 4 * i < n; i++) out.set(philox4x32([d, i, 0, STREAMS[stream]], this.key), 4 * i);
    return out.subarray(0, n);
  }

  dropout(n) {
    return Float32Array.from(this.block("dropout", n), (w) => w / TWO_32);
  }

  normals(n) {
    const words = this.block("embed", 2 * n);
    return Float32Array.from({ length: n }, (_, i) => boxMuller(words[2 * i], words[2 * i + 1])[0]);
  }
}

/** Pixels 0-255 as the networks see them, in [-1, 1] (gandemo.core.data's transform). */
function unitRange(bytes) {
  return Float32Array.from(bytes, (v) => v / 127.5 - 1);
}

/**
 * settings: { objective, g_lr, d_lr, critic, gp, batch, seed } (checked already); choice: an entry of
 * site.digits.models ({ model, start }); tables: site.digits with `objectives`; data: the loaded subset
 * (digits-data.js); start: null or { name, config, generator, file } for a shipped model; classifier: its
 * read() (classifier.js); products: the trainer's matrix products (products.js).
 */
export class DigitsSession {
  constructor({ settings, choice, tables, data, start = null, classifier, products }) {
    this.settings = { ...settings };
    this.tables = tables;
    this.data = data;
    this.classifier = classifier;
    this.start = start ? start.name : null;
    this.model = { ...choice.model };
    this.conditional = Boolean(this.model.num_classes);
    this.objective = tables.objectives[settings.objective];
    const options = {
      g_lr: settings.g_lr,
      d_lr: settings.d_lr,
      critic_steps: settings.critic,
      gp_weight: settings.gp,
      batch_size: settings.batch,
    };
    this.trainer = new Trainer(this.model, this.objective, options, products);
    this.draws = new DigitDraws(settings.seed);
    const [uniform, normal] = [(n) => this.draws.uniforms("init", n), (n) => this.draws.normals(n)];
    this.trainer.generator.initialise(uniform, normal);
    this.trainer.critic.initialise(uniform, normal); // (a shipped folder keeps no discriminator: a fresh one)
    if (start) this.trainer.load({ generator: start.generator }, { generator: start.file, discriminator: "" });
    const { grid } = tables.sizes;
    this.rows = this.conditional ? 10 : grid; // a CGAN's grid: one row per digit
    this.gridLabels = this.conditional ? Array.from({ length: 10 * grid }, (_, i) => Math.floor(i / grid)) : null;
    this.gridZ = normals(settings.seed, this.rows * grid, this.model.latent_dim);
    this.batches = 0; // real batches drawn: the subset is already shuffled, so batch k is its k-th run
    this.readings = 0;
    this.history = { step: [], d_loss: [], g_loss: [] };
    this.measurements = [];
    this.part = "both";
    this.seconds = 0;
    this.threshold = this.realThreshold();
  }

  get step() {
    return this.trainer.step;
  }

  /** The subset's next `n` digits (and labels), wrapping round. */
  realBatch(n) {
    const { images, labels, count, size } = this.data;
    const x = new Float32Array(n * size);
    const y = this.conditional ? new Int32Array(n) : null;
    for (let i = 0; i < n; i++) {
      const k = (this.batches * n + i) % count;
      x.set(unitRange(images.subarray(k * size, (k + 1) * size)), i * size);
      if (y) y[i] = labels[k];
    }
    this.batches += 1;
    return { images: x, labels: y };
  }

  /** `count` training steps; stops with this.error set at a loss that is not a number. */
  train(count = 1) {
    const started = performance.now();
    const draws = {
      real: (_c, n) => this.realBatch(n),
      latents: (n) => this.draws.latents(n, this.model.latent_dim),
      alphas: (n) => this.draws.alphas(n),
      dropout: (n) => this.draws.dropout(n),
    };
    for (let i = 0; i < count; i++) {
      const out = this.trainer.train(draws, this.part);
      if (!Number.isFinite(out.d_loss) || !Number.isFinite(out.g_loss)) {
        this.error =
          `training diverged at step ${this.step}: a loss is ${out.d_loss} / ${out.g_loss}. ` +
          "Lower the learning rates (or choose another objective) and press Reset";
        break;
      }
      this.record(out);
    }
    this.seconds += (performance.now() - started) / 1000;
  }

  record(out) {
    const h = this.history;
    h.step.push(this.step);
    h.d_loss.push(out.d_loss);
    h.g_loss.push(out.g_loss);
    if (h.step.length > MAX_HISTORY) for (const key of Object.keys(h)) h[key] = h[key].filter((_, i) => i % 2 === 1);
  }

  /** The grid's digits now (rows x grid, 784 values each in [-1, 1]). */
  grid() {
    return this.trainer.generate(this.gridZ, this.gridZ.length / this.model.latent_dim, this.gridLabels);
  }

  /** The near-duplicate threshold, as gandemo.evaluate sets it (the quantile of real digits' distances to their
   * nearest other) at the size of a reading: pooled over REAL_READINGS readings of real digits (one alone would put
   * a 1% quantile on two or three distances), the last runs of the subset. Also real digits' own share. */
  realThreshold() {
    const { read } = this.tables.sizes;
    const { images, count, size } = this.data;
    const nearest = [];
    for (let k = 1; k <= REAL_READINGS; k++) {
      const real = unitRange(images.subarray((count - k * read) * size, (count - (k - 1) * read) * size));
      nearest.push(nearestOther(this.classifier.read(real, read).features, read));
    }
    const threshold = quantile(
      nearest.flatMap((d) => Array.from(d)),
      this.tables.alarm.duplicate_quantile,
    );
    this.realDuplicates = nearest[0].filter((d) => d < threshold).length / read;
    return threshold;
  }

  /** What the classifier reads in fresh samples: the histogram, near-duplicates, the alarm and the narration's. */
  measure() {
    const { read } = this.tables.sizes;
    const z = normals(this.settings.seed, read, this.model.latent_dim, { start: READ_START + read * this.readings });
    this.readings += 1;
    const labels = this.conditional ? Array.from({ length: read }, (_, i) => i % 10) : null;
    const samples = this.trainer.generate(z, read, labels);
    const { features, probs } = this.classifier.read(samples, read);
    const metrics = {
      digit_histogram: digitHistogram(probs, read),
      near_duplicate_share: nearDuplicateShare(features, read, this.threshold),
      near_duplicate_share_real: this.realDuplicates,
    };
    const alarm = this.tables.alarm;
    const early = this.step < alarm.early_steps;
    const m = {
      step: this.step,
      histogram: metrics.digit_histogram,
      duplicates: metrics.near_duplicate_share,
      top_share: Math.max(...metrics.digit_histogram),
      label_accuracy: labels ? labelAccuracy(probs, labels) : null,
      verdict: early ? null : digitVerdict(metrics, alarm),
      part: this.part,
    };
    this.measurements = this.measurements.concat([m]).slice(-500);
    return m;
  }

  /** What a checkpoint folder holds: its config (trained in a browser, for how many steps, on which subset) and
   * the generator's and discriminator's weights, named as gandemo/core/models.py names them. */
  checkpoint(version) {
    const s = this.settings;
    const subset = this.data.info;
    const from = this.start ? ` (fine-tuned from ${this.start})` : "";
    const last = this.measurements[this.measurements.length - 1];
    const config = {
      kind: "generator",
      recipe: this.conditional ? "cgan" : "gan",
      description:
        `Trained in the gandemo Train on digits tab, in a web browser, for ${this.step} steps${from}, on the ` +
        `${subset.count.toLocaleString("en-US")}-digit balanced subset of MNIST's training digits ` +
        `(${subset.per_class} of each digit; ${subset.command}).`,
      model: this.model,
      training: {
        objective: s.objective,
        steps: this.step,
        batch_size: this.trainer.options.batch_size,
        g_lr: s.g_lr,
        d_lr: s.d_lr,
        beta1: this.objective.betas[0],
        beta2: this.objective.betas[1],
        critic_steps: s.critic,
        gp_weight: s.gp,
        seed: s.seed,
        start_from: this.start || "scratch",
        data: { subset: subset.file, count: subset.count, per_class: subset.per_class, sha256: subset.sha256 },
        images_seen: this.batches * this.trainer.options.batch_size,
        command: "gandemo app: Train on digits tab (in the browser)",
        wall_time_s: Math.round(this.seconds * 10) / 10,
        device: "browser",
      },
      gandemo_version: version,
    };
    if (last)
      config.browser_reading = { step: last.step, digit_histogram: last.histogram, samples: this.tables.sizes.read };
    const { generator, discriminator } = this.trainer.tensors();
    return { config, generator, critic: discriminator };
  }
}
