// A GAN trained in the browser: the MLPs of gandemo/core/models.py (mlp.js: 2-D points, or MNIST digits with or
// without labels), the objectives of gandemo/core/objectives.py (read from site.objectives, the Python table as data)
// and the update of gandemo/core/training.gan_step, written out by hand on three matrix products (products.js:
// plain JavaScript loops for small ones, TensorFlow.js's wasm kernels for big ones). tests/test_browser_trainer.py
// holds it to gan_step, step by step.

import { JS_PRODUCTS, changed } from "./products.js";
import { MLP } from "./mlp.js";

/** torch.optim.Adam (no weight decay, eps 1e-8), the same arithmetic as its single-tensor update. */
export class Adam {
  constructor(params, { lr, betas }) {
    this.params = params;
    this.lr = lr;
    this.betas = betas;
    this.t = 0;
    this.m = params.map((p) => new Float32Array(p.length));
    this.v = params.map((p) => new Float32Array(p.length));
  }

  /** Fresh gradients, summed in float64: a gradient that cancels to zero (a WGAN critic's bias on units every
   * point activates) stays ~1e-17, far under eps, instead of float32 noise that Adam would scale up to a step.
   * (The same buffers each time, zeroed: a step's gradients are spent by its own update.) */
  zeroGrads() {
    if (!this.grads) this.grads = this.params.map((p) => new Float64Array(p.length));
    for (const g of this.grads) g.fill(0);
    return this.grads;
  }

  step(grads) {
    const [b1, b2] = this.betas;
    this.t += 1;
    const stepSize = this.lr / (1 - b1 ** this.t);
    const root2 = Math.sqrt(1 - b2 ** this.t);
    for (let k = 0; k < this.params.length; k++) {
      adamUpdate(this.params[k], grads[k], this.m[k], this.v[k], 1 - b1, b2, stepSize, root2);
      changed(this.params[k]); // (the products' copies of it are stale)
    }
  }
}

/** One tensor's Adam update (its own function: one shape of arrays, so the engine compiles one fast loop). */
function adamUpdate(p, g, m, v, c1, b2, stepSize, root2) {
  const c2 = 1 - b2;
  for (let i = 0; i < p.length; i++) {
    m[i] = m[i] + (g[i] - m[i]) * c1; // torch's lerp_
    v[i] = v[i] * b2 + c2 * g[i] * g[i];
    p[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / root2 + 1e-8);
  }
}

const softplus = (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const sigmoid = (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const mean = (values, f) => values.reduce((s, v) => s + f(v), 0) / values.length;

/** gandemo/core/losses.py by function name: each gives its loss and its gradient with respect to the scores. */
export const LOSSES = {
  gan_discriminator_loss: (r, f) => ({
    loss: mean(r, (v) => softplus(-v)) + mean(f, (v) => softplus(v)),
    dReal: r.map((v) => -sigmoid(-v) / r.length),
    dFake: f.map((v) => sigmoid(v) / f.length),
  }),
  gan_generator_loss: (f) => ({ loss: mean(f, (v) => softplus(-v)), dFake: f.map((v) => -sigmoid(-v) / f.length) }),
  wgan_critic_loss: (r, f) => ({
    loss: mean(f, (v) => v) - mean(r, (v) => v),
    dReal: r.map(() => -1 / r.length),
    dFake: f.map(() => 1 / f.length),
  }),
  wgan_generator_loss: (f) => ({ loss: -mean(f, (v) => v), dFake: f.map(() => -1 / f.length) }),
  lsgan_discriminator_loss: (r, f) => ({
    loss: 0.5 * mean(r, (v) => (v - 1) ** 2) + 0.5 * mean(f, (v) => v * v),
    dReal: r.map((v) => (v - 1) / r.length),
    dFake: f.map((v) => v / f.length),
  }),
  lsgan_generator_loss: (f) => ({ loss: 0.5 * mean(f, (v) => (v - 1) ** 2), dFake: f.map((v) => (v - 1) / f.length) }),
  hinge_discriminator_loss: (r, f) => ({
    loss: mean(r, (v) => Math.max(0, 1 - v)) + mean(f, (v) => Math.max(0, 1 + v)),
    dReal: r.map((v) => (1 - v > 0 ? -1 / r.length : 0)),
    dFake: f.map((v) => (1 + v > 0 ? 1 / f.length : 0)),
  }),
  hinge_generator_loss: (f) => ({ loss: -mean(f, (v) => v), dFake: f.map(() => -1 / f.length) }),
};

const DATA_DIMS = { "8gaussians": 2, mnist: 28 * 28 }; // models.DATA_SHAPES, flattened

/** A batch a draw gives: 2-D points (a Float32Array), or { images (in [-1, 1]), labels (null: none) }. */
function asBatch(value) {
  return value instanceof Float32Array ? { x: value, labels: null } : { x: value.images, labels: value.labels };
}

/** models.MLPGenerator's and models.MLPDiscriminator's networks for a config's "model" section. */
function buildNetworks(model, products = JS_PRODUCTS) {
  const dim = DATA_DIMS[model.data];
  if (model.arch !== "mlp" || !dim)
    throw new Error(`the browser trains MLPs on 2-D points or MNIST, not ${model.arch} on ${model.data}`);
  const pack = model.d_pack || 1;
  const classes = model.num_classes || 0;
  if (pack > 1 && classes) throw new Error("packing (d_pack > 1) is for unconditional models");
  const shared = { activation: model.activation, classes, embed: model.embed_dim ?? 10 };
  const generator = new MLP(
    {
      ...shared,
      inputs: model.latent_dim,
      hidden: model.g_hidden,
      outputs: dim,
      batchnorm: !!model.g_batchnorm,
      tanh: model.data === "mnist",
    },
    products,
  );
  const critic = new MLP(
    { ...shared, inputs: dim * pack, hidden: model.d_hidden, outputs: 1, dropout: model.d_dropout || 0 },
    products,
  );
  return { generator, critic, dim, pack };
}

/**
 * Both networks and their optimisers, trained as gandemo.core.training.gan_step trains them.
 * model: a config.json "model" section (arch "mlp"; data "8gaussians" or "mnist"; latent_dim, num_classes,
 * g_hidden, d_hidden, activation, g_batchnorm, d_dropout, embed_dim, d_pack); objective: an entry of
 * site.objectives; options: { g_lr, d_lr, critic_steps, gp_weight, batch_size }; products: products.js's.
 */
export class Trainer {
  constructor(model, objective, options, products = JS_PRODUCTS) {
    this.model = model;
    const networks = buildNetworks(model, products);
    this.generator = networks.generator;
    this.critic = networks.critic;
    this.dim = networks.dim; // a sample's numbers: 2, or 784 pixels
    this.pack = networks.pack;
    this.objective = objective;
    this.dLoss = LOSSES[objective.discriminator_loss];
    this.gLoss = LOSSES[objective.generator_loss];
    if (!this.dLoss || !this.gLoss) throw new Error(`objective ${objective.name}: unknown loss functions`);
    this.options = { ...options };
    this.optG = new Adam(this.generator.params(), { lr: options.g_lr, betas: objective.betas });
    this.optD = new Adam(this.critic.params(), { lr: options.d_lr, betas: objective.betas });
    if (options.batch_size % this.pack)
      throw new Error(`batch size must be a multiple of the critic's pack (${this.pack})`);
    this.step = 0;
  }

  /** Scores of n samples (n a multiple of the pack) in training, the critic's cache for backward. */
  judge(x, n, labels, draws) {
    if (this.critic.dropout && !(draws && draws.dropout)) throw new Error("a critic with dropout needs draws.dropout");
    const cache = this.critic.forward(x, n / this.pack, { labels, uniforms: draws && draws.dropout });
    return { scores: cache.out, cache };
  }

  makeFakes(z, n, labels) {
    const cache = this.generator.forward(z, n, { labels });
    return { fake: cache.out, cache };
  }

  /** Points mixed between real and fake, one mixing weight per sample (losses.gradient_penalty's x_hat). */
  mix(real, fake, n, alpha) {
    const mixed = new Float32Array(real.length);
    const dim = this.dim;
    for (let p = 0; p < n; p++)
      for (let k = 0; k < dim; k++) {
        const i = p * dim + k;
        mixed[i] = alpha[p] * real[i] + (1 - alpha[p]) * fake[i];
      }
    return mixed;
  }

  /** One critic update on a real and a fake batch (training.critic_update). */
  criticUpdate(real, fake, n, labels, draws) {
    const grads = this.optD.zeroGrads();
    const r = this.judge(real, n, labels, draws);
    const f = this.judge(fake, n, labels, draws);
    const d = this.dLoss(r.scores, f.scores);
    this.critic.backward(r.cache, Float32Array.from(d.dReal), grads);
    this.critic.backward(f.cache, Float32Array.from(d.dFake), grads);
    let loss = d.loss;
    const out = {};
    if (this.objective.gradient_penalty) {
      const mixed = this.mix(real, fake, n, draws.alphas(n));
      const { gp_weight: weight } = this.options;
      const options = { labels, uniforms: draws.dropout };
      const penalty = this.critic.penalty(mixed, n, this.dim, this.pack, weight, grads, options);
      loss += weight * penalty;
      out.gradient_penalty = penalty;
    }
    this.optD.step(grads);
    out.d_loss = loss;
    return out;
  }

  /** One generator update on fakes made from z (training.generator_update): the critic's weights stay. */
  generatorUpdate(made, n, labels, draws) {
    const f = this.judge(made.fake, n, labels, draws);
    const g = this.gLoss(f.scores);
    const dFake = this.critic.backward(f.cache, Float32Array.from(g.dFake), null);
    const grads = this.optG.zeroGrads();
    this.generator.backward(made.cache, dFake, grads);
    this.optG.step(grads);
    return { g_loss: g.loss };
  }

  /**
   * One training step, as gan_step (part "both"), or with one network frozen as the Playground does.
   * draws: { real(c, n) -> a batch (2-D points, or { images, labels }), latents(n, dim) -> z, alphas(n) -> mixing
   * weights, dropout(count) -> uniform numbers (a critic with dropout) }, consumed in gan_step's order.
   */
  train(draws, part = "both") {
    const { critic_steps: steps, batch_size: n } = this.options;
    const dim = this.model.latent_dim;
    const result = {};
    let made;
    let real;
    if (part !== "generator only") {
      for (let c = 0; c < steps; c++) {
        real = asBatch(draws.real(c, n));
        made = this.makeFakes(draws.latents(n, dim), n, real.labels);
        Object.assign(result, this.criticUpdate(real.x, made.fake, n, real.labels, draws));
      }
    }
    if (part === "discriminator only") {
      result.g_loss = this.gLoss(this.judge(made.fake, n, real.labels, draws).scores).loss;
    } else {
      if (part === "generator only") real = asBatch(draws.real(0, n));
      if (part === "generator only" || steps > 1) made = this.makeFakes(draws.latents(n, dim), n, real.labels);
      Object.assign(result, this.generatorUpdate(made, n, real.labels, draws));
      if (part === "generator only") {
        const scores = (x) => this.judge(x, n, real.labels, draws).scores;
        result.d_loss = this.dLoss(scores(real.x), scores(made.fake)).loss;
      }
    }
    this.step += 1;
    return result;
  }

  /** Generated samples for latents z (n of them; labels for a conditional generator), BatchNorm in eval mode. */
  generate(z, n, labels = null) {
    this.generator.training = false;
    try {
      return this.generator.forward(z, n, { labels }).out;
    } finally {
      this.generator.training = true;
    }
  }

  /** Both networks' state_dicts as [name, values, shape] (PyTorch's names; BatchNorm counters as BigInt64Array):
   * what a checkpoint's model.safetensors and discriminator.safetensors hold. */
  tensors() {
    return { generator: this.generator.tensors(), discriminator: this.critic.tensors() };
  }

  /** Start from saved tensors ({ name: { data } }, as checkpoint.js reads them); files name them in a message.
   * A folder without a discriminator (the shipped MNIST models) keeps this critic as it is. */
  load({ generator, discriminator = null }, files = { generator: "the generator", discriminator: "the critic" }) {
    this.generator.load(generator, files.generator);
    if (discriminator) this.critic.load(discriminator, files.discriminator);
  }

  /** Each of n points repeated pack times (x y interleaved), as MLPDiscriminator.point_scores feeds a packed critic. */
  packedCopies(points, n) {
    const copies = new Float32Array(points.length * this.pack);
    for (let p = 0; p < n; p++)
      for (let c = 0; c < this.pack; c++) copies.set(points.subarray(2 * p, 2 * p + 2), 2 * (p * this.pack + c));
    return copies;
  }

  /** One score per point (a packed critic judges a pack of copies of each point, as point_scores). */
  pointScores(points, n) {
    return this.critic.forward(this.pack === 1 ? points : this.packedCopies(points, n), n).out;
  }

  /** The direction the critic pushes each point (its score's gradient), n points. */
  pushes(points, n) {
    const cache = this.critic.forward(this.pack === 1 ? points : this.packedCopies(points, n), n);
    const d = this.critic.backward(cache, new Float32Array(n).fill(1), null);
    if (this.pack === 1) return d;
    const out = new Float32Array(2 * n); // each point's copies' gradients, summed
    for (let p = 0; p < n; p++)
      for (let c = 0; c < this.pack; c++) {
        out[2 * p] += d[2 * (p * this.pack + c)];
        out[2 * p + 1] += d[2 * (p * this.pack + c) + 1];
      }
    return out;
  }
}
