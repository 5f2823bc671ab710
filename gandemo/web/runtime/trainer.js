// A 2-D GAN trained in the browser: the MLPs of gandemo/core/models.py, the objectives of gandemo/core/objectives.py
// (read from site.objectives, the Python table as data) and the update of gandemo/core/training.gan_step, written out
// by hand on three matrix products (products.js: plain JavaScript loops for small ones, TensorFlow.js's wasm
// kernels for big ones); the gradient penalty's gradient of a gradient is written out too (a ReLU MLP's input
// gradient is linear in its weights once the activation masks are fixed, and the masks' own derivative is zero
// almost everywhere, as PyTorch's double backward treats them). tests/test_browser_trainer.py holds it to gan_step, step by step.

import { JS_PRODUCTS, changed } from "./products.js";

const SLOPES = { relu: 0, leaky_relu: 0.2 }; // the negative slope of each activation in gandemo/core/models.py

/** A torch.nn.Linear's weight (out, in), row-major, and bias (out). */
function linear(ins, outs) {
  return { ins, outs, weight: new Float32Array(outs * ins), bias: new Float32Array(outs) };
}

/** An MLP as models.py builds it for 2-D data: Linear + activation per hidden width, then a Linear. */
export class MLP {
  /** products: the matrix products it runs on (products.js). */
  constructor({ inputs, hidden, outputs, activation }, products = JS_PRODUCTS) {
    this.products = products;
    if (!(activation in SLOPES)) throw new Error(`unknown activation ${activation}`);
    this.slope = SLOPES[activation];
    this.layers = [];
    let width = inputs;
    for (const h of [...hidden, outputs]) {
      this.layers.push(linear(width, h));
      width = h;
    }
  }

  get inputs() {
    return this.layers[0].ins;
  }

  /** Each tensor as gandemo/core/models.py names it (net.0.weight, ...): [name, Float32Array, shape]. */
  named() {
    const out = [];
    this.layers.forEach((layer, i) => {
      out.push([`net.${2 * i}.weight`, layer.weight, [layer.outs, layer.ins]]);
      out.push([`net.${2 * i}.bias`, layer.bias, [layer.outs]]);
    });
    return out;
  }

  params() {
    return this.named().map(([, values]) => values);
  }

  /** PyTorch's default init of a Linear: weight and bias uniform in +-1/sqrt(in), drawn from `uniform(n)`. */
  initialise(uniform) {
    for (const layer of this.layers) {
      const bound = 1 / Math.sqrt(layer.ins);
      for (const values of [layer.weight, layer.bias]) {
        const u = uniform(values.length);
        for (let i = 0; i < values.length; i++) values[i] = (2 * u[i] - 1) * bound;
        changed(values);
      }
    }
  }

  /** Copy the weights saved under models.py's names (tensors: { name: { data, shape } }). */
  load(tensors, file) {
    for (const [name, values, shape] of this.named()) {
      const t = tensors[name];
      if (!t || !t.data || t.data.length !== values.length) {
        throw new Error(
          `${file}: ${name} is missing or is not of shape [${shape}]: the network does not match its config`,
        );
      }
      values.set(t.data);
      changed(values);
    }
  }

  /** Forward pass of n rows of x; keeps what backward needs. Returns { out, inputs, pre }. */
  forward(x, n) {
    const inputs = [];
    const pre = [];
    let h = x;
    this.layers.forEach((layer, l) => {
      const { ins, outs, weight, bias } = layer;
      const a = new Float32Array(n * outs);
      this.products.affine(h, n, ins, weight, outs, bias, a);
      inputs.push(h);
      if (l === this.layers.length - 1) {
        h = a;
      } else {
        pre.push(a);
        const act = new Float32Array(a.length);
        for (let i = 0; i < a.length; i++) act[i] = a[i] > 0 ? a[i] : this.slope * a[i];
        h = act;
      }
    });
    return { out: h, inputs, pre, n };
  }

  /** Backward pass: adds d(loss)/d(weights) into `grads` (or skips them when null) and returns d(loss)/d(x). */
  backward(cache, dOut, grads) {
    const { inputs, pre, n } = cache;
    let d = dOut;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const { ins, outs, weight } = this.layers[l];
      if (l < this.layers.length - 1) {
        const a = pre[l];
        for (let i = 0; i < d.length; i++) if (!(a[i] > 0)) d[i] *= this.slope; // torch: the slope where x <= 0
      }
      const dx = new Float32Array(n * ins);
      this.products.affineBack(
        d,
        inputs[l],
        n,
        ins,
        weight,
        outs,
        grads ? grads[2 * l] : null,
        grads ? grads[2 * l + 1] : null,
        dx,
      );
      d = dx;
    }
    return d;
  }

  /**
   * The gradient penalty weight * mean_i (||d score / d x_i|| - 1)^2 over points x (n points of `dim`
   * coordinates, packed `pack` to a row), adding its gradient with respect to the weights into `grads`.
   * Returns the penalty (unweighted).
   */
  penalty(x, points, dim, pack, weight, grads) {
    const rows = points / pack;
    const cache = this.forward(x, rows);
    const L = this.layers.length - 1; // hidden layers 0..L-1, output layer L
    const masks = cache.pre.map((a) => a.map((v) => (v > 0 ? 1 : this.slope)));
    // forward through the "backward network": delta[l] = d score / d a_l, g[l] = d score / d h_{l-1} (g[0]: input)
    const deltas = new Array(L);
    const top = this.layers[L];
    let g = new Float32Array(rows * top.ins);
    for (let r = 0; r < rows; r++) g.set(top.weight, r * top.ins);
    for (let l = L - 1; l >= 0; l--) {
      const { ins, outs, weight: w } = this.layers[l];
      const delta = g.map((v, i) => v * masks[l][i]);
      deltas[l] = delta;
      const below = new Float32Array(rows * ins);
      this.products.affineBack(delta, null, rows, ins, w, outs, null, null, below);
      g = below;
    }
    // the penalty on each point's own gradient (its `dim` coordinates inside the packed row)
    let total = 0;
    const u0 = new Float32Array(g.length);
    for (let p = 0; p < points; p++) {
      let sq = 0;
      for (let k = 0; k < dim; k++) sq += g[p * dim + k] ** 2;
      const norm = Math.sqrt(sq);
      total += (norm - 1) ** 2;
      const scale = norm > 0 ? ((2 * weight) / points) * ((norm - 1) / norm) : 0;
      for (let k = 0; k < dim; k++) u0[p * dim + k] = scale * g[p * dim + k];
    }
    if (!grads) return total / points;
    // back through the chain g[l] = (g[l+1] * mask) W: weights only (the biases reach it only through masks)
    let u = u0;
    for (let l = 0; l < L; l++) {
      const { ins, outs, weight: w } = this.layers[l];
      this.products.outerSum(deltas[l], u, rows, ins, outs, grads[2 * l]);
      const up = new Float32Array(rows * outs); // d P / d g_l = (u W^T) * mask
      this.products.affine(u, rows, ins, w, outs, null, up);
      for (let i = 0; i < up.length; i++) up[i] *= masks[l][i];
      u = up;
    }
    const gTop = grads[2 * L];
    for (let r = 0; r < rows; r++) for (let i = 0; i < top.ins; i++) gTop[i] += u[r * top.ins + i];
    return total / points;
  }
}

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
   * point activates) stays ~1e-17, far under eps, instead of float32 noise that Adam would scale up to a step. */
  zeroGrads() {
    return this.params.map((p) => new Float64Array(p.length));
  }

  step(grads) {
    const [b1, b2] = this.betas;
    this.t += 1;
    const stepSize = this.lr / (1 - b1 ** this.t);
    const root2 = Math.sqrt(1 - b2 ** this.t);
    this.params.forEach((p, k) => {
      const [g, m, v] = [grads[k], this.m[k], this.v[k]];
      for (let i = 0; i < p.length; i++) {
        m[i] = m[i] + (g[i] - m[i]) * (1 - b1); // torch's lerp_
        v[i] = v[i] * b2 + (1 - b2) * g[i] * g[i];
        p[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / root2 + 1e-8);
      }
      changed(p); // (the products' copies of it are stale)
    });
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

/**
 * Both networks and their optimisers, trained as gandemo.core.training.gan_step trains them.
 * model: { latent_dim, g_hidden, d_hidden, activation, d_pack }; objective: an entry of site.objectives;
 * options: { g_lr, d_lr, critic_steps, gp_weight, batch_size }; products: the matrix products (products.js).
 */
export class Trainer {
  constructor(model, objective, options, products = JS_PRODUCTS) {
    this.model = model;
    this.dim = 2;
    this.pack = model.d_pack || 1;
    this.generator = new MLP(
      {
        inputs: model.latent_dim,
        hidden: model.g_hidden,
        outputs: 2,
        activation: model.activation,
      },
      products,
    );
    const critic = { inputs: 2 * this.pack, hidden: model.d_hidden, outputs: 1, activation: model.activation };
    this.critic = new MLP(critic, products);
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

  /** Scores of n points (n a multiple of the pack), the critic's cache for backward. */
  judge(points, n) {
    const cache = this.critic.forward(points, n / this.pack);
    return { scores: cache.out, cache };
  }

  makeFakes(z, n) {
    const cache = this.generator.forward(z, n);
    return { fake: cache.out, cache };
  }

  /** One critic update on a real and a fake batch (training.critic_update). */
  criticUpdate(real, fake, n, draws) {
    const grads = this.optD.zeroGrads();
    const r = this.judge(real, n);
    const f = this.judge(fake, n);
    const d = this.dLoss(r.scores, f.scores);
    this.critic.backward(r.cache, Float32Array.from(d.dReal), grads);
    this.critic.backward(f.cache, Float32Array.from(d.dFake), grads);
    let loss = d.loss;
    const out = {};
    if (this.objective.gradient_penalty) {
      const alpha = draws.alphas(n);
      const mixed = new Float32Array(real.length);
      for (let p = 0; p < n; p++)
        for (let k = 0; k < this.dim; k++) {
          const i = p * this.dim + k;
          mixed[i] = alpha[p] * real[i] + (1 - alpha[p]) * fake[i];
        }
      const penalty = this.critic.penalty(mixed, n, this.dim, this.pack, this.options.gp_weight, grads);
      loss += this.options.gp_weight * penalty;
      out.gradient_penalty = penalty;
    }
    this.optD.step(grads);
    out.d_loss = loss;
    return out;
  }

  /** One generator update on fakes made from z (training.generator_update): the critic's weights stay. */
  generatorUpdate(z, made, n) {
    const f = this.judge(made.fake, n);
    const g = this.gLoss(f.scores);
    const dFake = this.critic.backward(f.cache, Float32Array.from(g.dFake), null);
    const grads = this.optG.zeroGrads();
    this.generator.backward(made.cache, dFake, grads);
    this.optG.step(grads);
    return { g_loss: g.loss };
  }

  /**
   * One training step, as gan_step (part "both"), or with one network frozen as the Playground does.
   * draws: { real(c) -> points, latents(n) -> z, alphas(n) -> mixing weights }, consumed in gan_step's order.
   */
  train(draws, part = "both") {
    const { critic_steps: steps, batch_size: n } = this.options;
    const result = {};
    let made;
    let z;
    let real;
    if (part !== "generator only") {
      for (let c = 0; c < steps; c++) {
        real = draws.real(c, n);
        z = draws.latents(n);
        made = this.makeFakes(z, n);
        Object.assign(result, this.criticUpdate(real, made.fake, n, draws));
      }
    }
    if (part === "discriminator only") {
      result.g_loss = this.gLoss(this.judge(made.fake, n).scores).loss;
    } else {
      if (part === "generator only") {
        real = draws.real(0, n);
        z = draws.latents(n);
        made = this.makeFakes(z, n);
      } else if (steps > 1) {
        z = draws.latents(n);
        made = this.makeFakes(z, n);
      }
      Object.assign(result, this.generatorUpdate(z, made, n));
      if (part === "generator only") {
        result.d_loss = this.dLoss(this.judge(real, n).scores, this.judge(made.fake, n).scores).loss;
      }
    }
    this.step += 1;
    return result;
  }

  /** Generated points for latents z (n of them). */
  generate(z, n) {
    return this.generator.forward(z, n).out;
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
