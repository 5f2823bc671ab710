// A trainable MLP exactly as gandemo/core/models.py builds MLPGenerator and MLPDiscriminator: [label embedding
// joined to the input], per hidden width Linear, [BatchNorm1d from the second block], activation, [Dropout], then
// a Linear [and tanh]; its tensors named as PyTorch names them (join.embed.weight, net.K.weight, ...). Forward and
// backward run on three matrix products (products.js); the gradient penalty's gradient of a gradient is written
// out (an input gradient is linear in the weights once the activation and dropout masks are fixed, and the masks'
// own derivative is zero almost everywhere, as PyTorch's double backward treats them).

import { JS_PRODUCTS, changed } from "./products.js";
import * as L from "./layers.js";

/** Where each piece sits in the torch.nn.Sequential `net`, hence its name. */
function layout(hidden, { batchnorm, dropout }) {
  const at = [];
  let k = 0;
  hidden.forEach((_, i) => {
    const place = { linear: k++, norm: batchnorm && i > 0 ? k++ : null }; // no BatchNorm on the first block
    k += 1 + (dropout ? 1 : 0); // the activation, the dropout
    at.push(place);
  });
  at.push({ linear: k, norm: null });
  return at;
}

export class MLP {
  /**
   * inputs: the data's width (a packed critic's pack of samples); classes, embed: the label embedding (0: none);
   * batchnorm, dropout, tanh: as models.py's g_batchnorm, d_dropout and the MNIST generator's output.
   * products: the matrix products it runs on (products.js).
   */
  constructor(spec, products = JS_PRODUCTS) {
    const { inputs, hidden, outputs, activation, classes = 0, embed = 0 } = spec;
    this.products = products;
    if (!(activation in L.SLOPES)) throw new Error(`unknown activation ${activation}`);
    this.slope = L.SLOPES[activation];
    this.dropout = spec.dropout || 0;
    this.tanh = !!spec.tanh;
    this.inputs = inputs;
    this.embedDim = classes ? embed : 0;
    this.embed = classes ? new Float32Array(classes * embed) : null;
    this.classes = classes;
    this.places = layout(hidden, { batchnorm: !!spec.batchnorm, dropout: this.dropout > 0 });
    this.layers = [];
    this.norms = [];
    let width = inputs + this.embedDim;
    [...hidden, outputs].forEach((h, i) => {
      this.layers.push(L.linear(width, h));
      this.norms.push(this.places[i].norm === null ? null : L.batchNorm(h));
      width = h;
    });
    this.training = true; // BatchNorm's batch statistics (false: its running ones, as torch's eval mode)
    this.slots = this.paramSlots();
  }

  /** The index, in params(), of each layer's weight and bias, each BatchNorm's, and the embedding's. */
  paramSlots() {
    const slots = { embed: null, layers: [], norms: [] };
    let k = 0;
    if (this.embed) slots.embed = k++;
    this.layers.forEach((_, i) => {
      slots.layers.push([k, k + 1]);
      k += 2;
      slots.norms.push(this.norms[i] ? [k, k + 1] : null);
      if (this.norms[i]) k += 2;
    });
    return slots;
  }

  /** The trainable tensors as models.py names them: [name, Float32Array, shape], in params() order. */
  named() {
    const out = this.embed ? [["join.embed.weight", this.embed, [this.classes, this.embedDim]]] : [];
    this.layers.forEach((layer, i) => {
      const { linear, norm } = this.places[i];
      out.push([`net.${linear}.weight`, layer.weight, [layer.outs, layer.ins]]);
      out.push([`net.${linear}.bias`, layer.bias, [layer.outs]]);
      if (norm !== null) {
        out.push([`net.${norm}.weight`, this.norms[i].weight, [layer.outs]]);
        out.push([`net.${norm}.bias`, this.norms[i].bias, [layer.outs]]);
      }
    });
    return out;
  }

  /** BatchNorm's running statistics and counters, as the state_dict names them (the counter an int64 scalar). */
  buffers() {
    const out = [];
    this.norms.forEach((norm, i) => {
      if (!norm) return;
      const k = this.places[i].norm;
      out.push([`net.${k}.running_mean`, norm.runningMean, [norm.width]]);
      out.push([`net.${k}.running_var`, norm.runningVar, [norm.width]]);
      out.push([`net.${k}.num_batches_tracked`, BigInt64Array.of(BigInt(norm.tracked)), []]);
    });
    return out;
  }

  /** Every tensor of the state_dict (what a saved model.safetensors holds). */
  tensors() {
    return [...this.named(), ...this.buffers()];
  }

  params() {
    return this.named().map(([, values]) => values);
  }

  /** PyTorch's default init: a Linear's weight and bias uniform in +-1/sqrt(in) from `uniform(n)`; an
   * Embedding's weight standard normal from `normal(n)`; a BatchNorm's scale 1 and shift 0. */
  initialise(uniform, normal = null) {
    for (const layer of this.layers) {
      const bound = 1 / Math.sqrt(layer.ins);
      for (const values of [layer.weight, layer.bias]) {
        const u = uniform(values.length);
        for (let i = 0; i < values.length; i++) values[i] = (2 * u[i] - 1) * bound;
        changed(values);
      }
    }
    if (this.embed) {
      if (!normal) throw new Error("a network with a label embedding needs normal numbers to start from");
      this.embed.set(normal(this.embed.length));
    }
  }

  /** Copy the tensors saved under models.py's names (tensors: { name: { data, shape } }); a counter saved as
   * int64 (which the reader leaves unread) keeps its count. */
  load(tensors, file) {
    for (const [name, values, shape] of this.tensors()) {
      const t = tensors[name];
      if (values instanceof BigInt64Array) {
        if (!t) throw new Error(`${file}: ${name} is missing: the network does not match its config`);
        continue;
      }
      if (!t || !t.data || t.data.length !== values.length) {
        throw new Error(
          `${file}: ${name} is missing or is not of shape [${shape}]: the network does not match its config`,
        );
      }
      values.set(t.data);
      changed(values);
    }
  }

  /** The input row of the first layer: x, or x with its labels' embeddings (n rows). */
  joined(x, n, labels) {
    if (!this.embed) return x;
    if (!labels) throw new Error("this network is conditional: pass one label per sample");
    return L.joinLabels(x, n, this.inputs, this.embed, this.embedDim, labels);
  }

  /**
   * Forward pass of n rows of x (with their labels when conditional); `uniforms(count)` gives the dropout's
   * numbers (left out: no dropout, as in eval mode). Keeps what backward needs: { out, inputs, masks, norms, n }.
   */
  forward(x, n, { labels = null, uniforms = null } = {}) {
    const inputs = [];
    const masks = []; // per hidden layer: d(block output)/d(pre-activation), the activation's slope x dropout
    const norms = [];
    let h = this.joined(x, n, labels);
    this.layers.forEach((layer, l) => {
      const a = new Float32Array(n * layer.outs);
      this.products.affine(h, n, layer.ins, layer.weight, layer.outs, layer.bias, a);
      inputs.push(h);
      if (l === this.layers.length - 1) {
        h = this.tanh ? L.tanhForward(a) : a;
        return;
      }
      norms.push(this.norms[l] ? L.normForward(this.norms[l], a, n, this.training, a) : null);
      const drop = this.dropout && uniforms ? L.dropoutMask(uniforms(a.length), this.dropout) : null;
      const mask = new Float64Array(a.length);
      for (let i = 0; i < a.length; i++) {
        mask[i] = (a[i] > 0 ? 1 : this.slope) * (drop ? drop[i] : 1); // torch: the slope where x <= 0
        a[i] *= mask[i];
      }
      masks.push(mask);
      h = a;
    });
    return { out: h, inputs, masks, norms, n, labels };
  }

  /** Backward pass: adds d(loss)/d(weights) into `grads` (or skips them when null) and returns d(loss)/d(x). */
  backward(cache, dOut, grads) {
    const { inputs, masks, norms, n, labels } = cache;
    const top = this.layers.length - 1;
    let d = this.tanh ? L.tanhBackward(cache.out, dOut) : dOut;
    for (let l = top; l >= 0; l--) {
      const { ins, outs, weight } = this.layers[l];
      if (l < top) {
        const mask = masks[l];
        for (let i = 0; i < d.length; i++) d[i] *= mask[i];
        if (norms[l]) {
          const [gw, gb] = grads ? this.slots.norms[l].map((k) => grads[k]) : [null, null];
          d = L.normBackward(this.norms[l], norms[l], d, gw, gb);
        }
      }
      const [gw, gb] = grads ? this.slots.layers[l].map((k) => grads[k]) : [null, null];
      const dx = new Float32Array(n * ins);
      this.products.affineBack(d, inputs[l], n, ins, weight, outs, gw, gb, dx);
      d = dx;
    }
    if (!this.embed) return d;
    return L.splitLabels(d, n, this.inputs, this.embedDim, labels, grads ? grads[this.slots.embed] : null);
  }

  /**
   * The gradient penalty weight * mean_i (||d score / d x_i|| - 1)^2 over points x (n points of `dim`
   * coordinates, packed `pack` to a row; labels and dropout numbers as forward takes them), adding its gradient
   * with respect to the weights into `grads`. Returns the penalty (unweighted).
   */
  penalty(x, points, dim, pack, weight, grads, options = {}) {
    if (this.norms.some((norm) => norm)) throw new Error("a critic with BatchNorm cannot take a gradient penalty");
    const rows = points / pack;
    const { masks } = this.forward(x, rows, options);
    const deltas = this.scoreGradients(masks, rows);
    const g = deltas.pop(); // d score / d (input row), embeddings included
    const width = this.layers[0].ins;
    let total = 0;
    const u = new Float32Array(g.length); // d penalty / d (input row)
    for (let p = 0; p < points; p++) {
      const base = Math.floor(p / pack) * width + (p % pack) * dim; // (a row: its pack of points, then labels)
      let sq = 0;
      for (let k = 0; k < dim; k++) sq += g[base + k] ** 2;
      const norm = Math.sqrt(sq);
      total += (norm - 1) ** 2;
      const scale = norm > 0 ? ((2 * weight) / points) * ((norm - 1) / norm) : 0;
      for (let k = 0; k < dim; k++) u[base + k] = scale * g[base + k];
    }
    if (grads) this.penaltyBack(deltas, masks, u, rows, grads);
    return total / points;
  }

  /** Forward through the "backward network" of one score per row: delta[l] = d score / d a_l for each hidden
   * layer l, then (last) d score / d (input row). */
  scoreGradients(masks, rows) {
    const top = this.layers[this.layers.length - 1];
    let g = new Float32Array(rows * top.ins);
    for (let r = 0; r < rows; r++) g.set(top.weight, r * top.ins);
    const deltas = [];
    for (let l = this.layers.length - 2; l >= 0; l--) {
      const { ins, outs, weight } = this.layers[l];
      const delta = g.map((v, i) => v * masks[l][i]);
      deltas[l] = delta;
      const below = new Float32Array(rows * ins);
      this.products.affineBack(delta, null, rows, ins, weight, outs, null, null, below);
      g = below;
    }
    deltas.push(g);
    return deltas;
  }

  /** Back through the chain g[l] = (g[l+1] * mask) W from u = d penalty / d (input row): weights only (biases,
   * BatchNorm and embeddings reach the input gradient only through the masks). */
  penaltyBack(deltas, masks, u, rows, grads) {
    const last = this.layers.length - 1;
    for (let l = 0; l < last; l++) {
      const { ins, outs, weight } = this.layers[l];
      this.products.outerSum(deltas[l], u, rows, ins, outs, grads[this.slots.layers[l][0]]);
      const up = new Float32Array(rows * outs); // d P / d g_l = (u W^T) * mask
      this.products.affine(u, rows, ins, weight, outs, null, up);
      for (let i = 0; i < up.length; i++) up[i] *= masks[l][i];
      u = up;
    }
    const gTop = grads[this.slots.layers[last][0]];
    const ins = this.layers[last].ins;
    for (let r = 0; r < rows; r++) for (let i = 0; i < ins; i++) gTop[i] += u[r * ins + i];
  }
}
