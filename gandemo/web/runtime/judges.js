// An MNIST model's discriminator (gandemo/core/models.py MLPDiscriminator or DCGANDiscriminator, eval mode: its
// dropouts do nothing) built with TensorFlow.js from its config and discriminator weights, and a score placed
// among the spreads its checkpoint keeps (gandemo/measures/verdict.py: the config's "discriminator").

import { dense, tensorOf } from "./networks.js";

const LEAKY = 0.2; // models.py: LeakyReLU(0.2), the DCGAN's always, an MLP's unless its activation is relu

/** The Linear layers' and convolutions' prefixes ("net.0", ...) in network order, by the weights' shapes. */
function layersOf(tensors) {
  return Object.keys(tensors)
    .filter((k) => /^net\.\d+\.weight$/.test(k))
    .map((k) => ({ prefix: k.slice(0, -".weight".length), rank: tensors[k].shape.length }))
    .sort((a, b) => Number(a.prefix.split(".")[1]) - Number(b.prefix.split(".")[1]));
}

/** A Conv2d(cin, cout, 4, 2, 1) as tf's filter (kh, kw, in, out) and a bias. */
function conv(tf, tensors, prefix) {
  const weight = tensorOf(tensors, `${prefix}.weight`, [-1, -1, 4, 4]);
  const w = tf.tidy(() => tf.transpose(tf.tensor4d(weight.data, weight.shape), [2, 3, 1, 0]));
  return { w, b: tf.tensor1d(tensorOf(tensors, `${prefix}.bias`).data) };
}

/** The network after its input: (x (1, 784) or (1, 28, 28, 1)) -> (1, 1) score. */
function body(tf, model, tensors) {
  const layers = layersOf(tensors);
  const convs = layers.filter((l) => l.rank === 4).map((l) => conv(tf, tensors, l.prefix));
  const linears = layers.filter((l) => l.rank === 2).map((l) => dense(tf, tensors, l.prefix));
  const act = model.arch === "mlp" && model.activation === "relu" ? "relu" : "leakyrelu";
  const pad = [
    [0, 0],
    [1, 1],
    [1, 1],
    [0, 0],
  ];
  return (x) => {
    for (const c of convs)
      x = tf.fused.conv2d({ x, filter: c.w, bias: c.b, strides: 2, pad, activation: act, leakyreluAlpha: LEAKY });
    if (convs.length) x = tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [1, -1]); // torch's (C, H, W) order
    linears.forEach((l, i) => {
      const last = i === linears.length - 1;
      x = tf.fused.matMul({ a: x, b: l.w, bias: l.b, activation: last ? "linear" : act, leakyreluAlpha: LEAKY });
    });
    return x;
  };
}

/** A runnable discriminator: score(digit (784 values, ink in [0, 1]), label | null) -> its raw output. */
export function buildDiscriminator(tf, config, tensors) {
  const model = config.model;
  if (!model || model.data !== "mnist") throw new Error("its config does not describe an MNIST model");
  if (Object.keys(tensors).some((k) => k.endsWith("running_mean")))
    throw new Error("a discriminator with BatchNorm is not built in the page");
  const net = body(tf, model, tensors);
  const embed = model.num_classes ? tensorOf(tensors, "join.embed.weight", [model.num_classes, -1]) : null;
  return {
    score(digit, label = null) {
      const result = tf.tidy(() => {
        const pixels = Float32Array.from(digit, (v) => v * 2 - 1); // (the [-1, 1] of training)
        let x = model.arch === "dcgan" ? tf.tensor4d(pixels, [1, 28, 28, 1]) : tf.tensor2d(pixels, [1, 784]);
        if (embed) {
          const row = embed.data.subarray(label * embed.shape[1], (label + 1) * embed.shape[1]);
          x = tf.concat([x, tf.tensor2d(row, [1, embed.shape[1]])], 1);
        }
        return net(x);
      });
      const value = result.dataSync()[0];
      result.dispose();
      return value;
    },
  };
}

/** Where `value` falls among `points` (0%, 5%, ..., 100% quantiles), in percent (verdict.py percentile). */
export function percentile(value, points) {
  if (value <= points[0]) return 0;
  for (let k = 0; k < points.length - 1; k++) {
    const [low, high] = [points[k], points[k + 1]];
    if (value < high) return (100 * (k + (high > low ? (value - low) / (high - low) : 0))) / (points.length - 1);
  }
  return 100;
}
