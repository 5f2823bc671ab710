// A Playground session with no page around it: the trainer, its seeded draws, the fixed noise and real points
// it is shown and measured on, the loss history, the narration, and the checkpoint it saves. The widget
// (widgets/playground.js) draws it; tests and benchmarks drive it directly.

import { Trainer } from "./trainer.js";
import { Narrator, CHECK_EVERY } from "./narration.js";
import { boxMuller, normals, philox4x32, seedKey } from "./random.js";
import { sampleTarget, targetModes } from "./targets.js";
import { modeCoverage, toyVerdict } from "./coverage.js";

export const SHOWN = 1000; // generated and real points on the plot (the measures use the first 500)
export const MAX_STEPS = 20000; // per session, as the server's was: press Reset for more
export const MAX_HISTORY = 4000; // loss entries kept (every other one is dropped when full)
const TWO_32 = 4294967296;
const STREAMS = { latents: 3, alphas: 4, init: 5 }; // counter words of the training draws (targets take 2)

/** Seeded draws for training: draw d of a stream takes counter (d, i, 0, stream), as every portable draw. */
export class Draws {
  constructor(seed) {
    this.key = seedKey(seed);
    this.counts = { latents: 0, alphas: 0, init: 0, real: 1 }; // real draw 0 is the points on the plot
  }

  words(stream, n) {
    const d = this.counts[stream]++;
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = philox4x32([d, i, 0, STREAMS[stream]], this.key);
    return out;
  }

  latents(n, dim = 2) {
    const z = new Float32Array(n * dim);
    const d = this.counts.latents++;
    for (let i = 0; i < n; i++)
      for (let b = 0; b * 4 < dim; b++) {
        const [x0, x1, x2, x3] = philox4x32([d, i * Math.ceil(dim / 4) + b, 0, STREAMS.latents], this.key);
        const values = [...boxMuller(x0, x1), ...boxMuller(x2, x3)];
        for (let k = 0; k < 4 && 4 * b + k < dim; k++) z[i * dim + 4 * b + k] = values[k];
      }
    return z;
  }

  uniforms(stream, n) {
    return Float32Array.from(this.words(stream, n), ([x0]) => x0 / TWO_32);
  }

  alphas(n) {
    return this.uniforms("alphas", n);
  }
}

/** What a shipped model was trained with that its session goes on with: its objective, critic steps and penalty
 * weight (the toy-gan recipe runs 1 critic step and toy-wgan-gp a penalty of 0.1, not the Playground's defaults). */
function asTrained(training, tables) {
  const kept = {};
  if (!training || !tables.objectives[training.objective]) return kept;
  kept.objective = training.objective;
  if (Number.isInteger(training.critic_steps) && training.critic_steps >= 1) kept.critic = training.critic_steps;
  if (Number.isFinite(training.gp_weight) && training.gp_weight >= 0) kept.gp = training.gp_weight;
  return kept;
}

/**
 * settings: { objective, target, width, depth, g_lr, d_lr, critic, gp, batch, seed, points } (checked already);
 * tables: { objectives, targets } from the site; start: null or { name, config, generator, critic } (tensors)
 * with files: { generator, critic }, what a message calls their files; products: the trainer's matrix products
 * (products.js; plain JavaScript when left out).
 */
export class Session {
  constructor(settings, tables, start = null, products = undefined) {
    // (one settings object from here on: a shipped start's recorded ones replace what the controls asked)
    const s = (this.settings = { ...settings, ...(start ? asTrained(start.config.training, tables) : {}) });
    this.tables = tables;
    this.run = null; // this run's best so far, for the collapse alarm (see verdict)
    const targets = tables.targets;
    this.target = targets.targets[s.target];
    this.points = s.target === targets.your_points ? s.points : null;
    this.start = start ? start.name : null;
    let model;
    if (start) {
      model = { ...start.config.model };
    } else {
      const hidden = Array(s.depth).fill(s.width);
      model = {
        arch: "mlp",
        data: "8gaussians",
        latent_dim: 2,
        activation: "relu",
        g_hidden: hidden,
        d_hidden: hidden,
        d_pack: 1,
      };
    }
    this.model = model;
    this.objective = tables.objectives[s.objective];
    let batch = s.batch;
    const pack = model.d_pack || 1;
    if (batch % pack) batch += pack - (batch % pack); // a packing critic judges whole packs
    const options = {
      g_lr: s.g_lr,
      d_lr: s.d_lr,
      critic_steps: s.critic,
      gp_weight: s.gp,
      batch_size: batch,
    };
    this.trainer = new Trainer(model, this.objective, options, products);
    this.draws = new Draws(s.seed);
    if (start) {
      this.trainer.generator.load(start.generator, start.files.generator);
      this.trainer.critic.load(start.critic, start.files.critic);
    } else {
      this.trainer.generator.initialise((n) => this.draws.uniforms("init", n));
      this.trainer.critic.initialise((n) => this.draws.uniforms("init", n));
    }
    this.fixedZ = normals(s.seed, SHOWN, model.latent_dim); // the 2-D tab's latents for this seed
    this.real = this.sampleReal(SHOWN, 0);
    this.modes = targetModes(this.target, this.points, targets.max_modes);
    this.narrator = new Narrator();
    this.history = { step: [], d_loss: [], g_loss: [] };
    this.part = "both";
    this.lastFake = null;
    this.seconds = 0;
    this.measure();
  }

  get step() {
    return this.trainer.step;
  }

  sampleReal(n, draw) {
    return sampleTarget(this.target, this.settings.seed, n, { draw, points: this.points });
  }

  /** `count` training steps (fewer at the session's limit); returns the last step's losses. */
  train(count = 1) {
    const started = performance.now();
    const draws = {
      real: (_c, n) => this.sampleReal(n, this.draws.counts.real++),
      latents: (n) => this.draws.latents(n, this.model.latent_dim),
      alphas: (n) => this.draws.alphas(n),
    };
    let out = null;
    for (let i = 0; i < count && this.step < MAX_STEPS; i++) {
      out = this.trainer.train(draws, this.part);
      if (!Number.isFinite(out.d_loss) || !Number.isFinite(out.g_loss)) {
        this.error = `training diverged at step ${this.step} (a loss is ${out.d_loss} / ${out.g_loss}): lower the learning rates and press Reset`;
        break;
      }
      this.record(out);
      if (this.step % CHECK_EVERY === 0) this.measure();
    }
    this.seconds += (performance.now() - started) / 1000;
    return out;
  }

  record(out) {
    const h = this.history;
    h.step.push(this.step);
    h.d_loss.push(out.d_loss);
    h.g_loss.push(out.g_loss);
    if (h.step.length > MAX_HISTORY) for (const key of Object.keys(h)) h[key] = h[key].filter((_, i) => i % 2 === 1);
  }

  /** The generated points for the fixed noise (x, y interleaved). */
  fake() {
    return this.trainer.generate(this.fixedZ, SHOWN);
  }

  coverage(fake = this.fake()) {
    return this.modes ? modeCoverage(fake, this.modes.centers, this.modes.std) : null;
  }

  /** The measurements the narration reads (as the server's Playground._measure took them). */
  measure() {
    const fake = this.trainer.generate(this.fixedZ.subarray(0, 500 * this.model.latent_dim), 500);
    const cover = this.modes ? modeCoverage(fake, this.modes.centers, this.modes.std) : null;
    const covered = cover ? cover.modes_captured : null;
    const tolerance = (3 * this.target.std) ** 2; // (squared distances: no square roots in the hot loop)
    const real = this.real;
    let on = 0;
    for (let i = 0; i < 500; i++) {
      const [x, y] = [fake[2 * i], fake[2 * i + 1]];
      for (let j = 0; j < SHOWN; j++) {
        const [dx, dy] = [x - real[2 * j], y - real[2 * j + 1]];
        if (dx * dx + dy * dy <= tolerance) {
          on += 1;
          break;
        }
      }
    }
    let moved = 0;
    if (this.lastFake) {
      for (let i = 0; i < 500; i++)
        moved += Math.hypot(fake[2 * i] - this.lastFake[2 * i], fake[2 * i + 1] - this.lastFake[2 * i + 1]);
      moved /= 500;
    }
    this.lastFake = fake;
    const pack = this.trainer.pack;
    const meanScore = (points) => {
      const s = this.trainer.critic.forward(points, 500 / pack).out;
      return s.reduce((a, b) => a + b, 0) / s.length;
    };
    const gap = meanScore(this.real.subarray(0, 1000)) - meanScore(fake);
    const m = {
      step: this.step,
      covered,
      modes: this.modes ? this.modes.centers.length : null,
      on_target: on / 500,
      moved,
      gap,
      part: this.part,
    };
    m.verdict = this.verdict(cover);
    this.measurements = (this.measurements || []).concat([m]).slice(-2000);
    this.narrator.observe(m);
    return m;
  }

  /** The collapse alarm on a measurement's coverage, against this run's best so far (null: no modes, or no table). */
  verdict(cover) {
    if (!cover || !this.tables.alarm) return null;
    const run = (this.run ||= { step: 0, near: 0, held: 0, held_step: 0 });
    run.step = this.step;
    run.near = Math.max(run.near, cover.near_share);
    if (cover.modes_held > run.held) Object.assign(run, { held: cover.modes_held, held_step: this.step });
    return toyVerdict(cover, this.tables.alarm, run);
  }

  /** What a checkpoint folder holds: its config (with the target), the generator's and the critic's weights. */
  checkpoint(version) {
    const s = this.settings;
    // what gandemo.core.models.ModelConfig needs of a 2-D MLP; every other field keeps its Python default
    const { latent_dim, g_hidden, d_hidden, activation } = this.model;
    const model = {
      arch: "mlp",
      data: "8gaussians",
      latent_dim,
      g_hidden,
      d_hidden,
      activation,
      d_pack: this.trainer.pack,
    };
    const target = { name: s.target, ...(this.points ? { points: this.points } : {}) };
    const config = {
      kind: "generator",
      recipe: `toy-${s.objective}`,
      description: `Trained in the gandemo Playground, in a web browser, on ${s.target}${this.start ? ` (from ${this.start})` : ""}.`,
      model,
      target,
      training: {
        objective: s.objective,
        steps: this.step,
        batch_size: this.trainer.options.batch_size,
        g_lr: this.trainer.options.g_lr,
        d_lr: this.trainer.options.d_lr,
        beta1: this.objective.betas[0],
        beta2: this.objective.betas[1],
        critic_steps: s.critic,
        gp_weight: s.gp,
        seed: s.seed,
        start_from: this.start || "scratch",
        command: "gandemo app: Playground tab (in the browser)",
        wall_time_s: Math.round(this.seconds * 10) / 10,
        device: "browser",
      },
      gandemo_version: version,
    };
    const cover = this.coverage();
    if (cover) config.metrics = { samples: SHOWN, ...cover };
    return { config, generator: this.trainer.generator.named(), critic: this.trainer.critic.named() };
  }
}
