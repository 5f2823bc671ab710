// The MNIST classifier (gandemo/models.py MNISTClassifier, eval mode: its dropouts do nothing) built from its
// config and weights with TensorFlow.js: two 3 x 3 convolutions, each with ReLU and 2 x 2 max pooling, a
// 128-feature layer and ten logits; run() gives the ten digits' probabilities.

import { dense, tensorOf } from "./networks.js";

/** A torch Conv2d's weight (out, in, kh, kw) as tf's filter (kh, kw, in, out), and its bias. */
function conv(tf, tensors, prefix) {
  const weight = tensorOf(tensors, `${prefix}.weight`, [-1, -1, 3, 3]);
  const w = tf.tidy(() => tf.transpose(tf.tensor4d(weight.data, weight.shape), [2, 3, 1, 0]));
  return { w, b: tf.tensor1d(tensorOf(tensors, `${prefix}.bias`).data) };
}

/** A runnable classifier: run(digit (784 values, ink in [0, 1])) -> Float32Array of 10 probabilities. */
export function buildClassifier(tf, config, tensors) {
  if (config.kind !== "classifier") throw new Error("its config does not describe a classifier");
  const [c1, c2] = [conv(tf, tensors, "body.0"), conv(tf, tensors, "body.3")];
  const [features, head] = [dense(tf, tensors, "body.8"), dense(tf, tensors, "head.1")];
  const block = (x, c) =>
    tf.maxPool(tf.fused.conv2d({ x, filter: c.w, bias: c.b, strides: 1, pad: "same", activation: "relu" }), 2, 2, 0);
  /** (n, 28, 28, 1) in [-1, 1] -> the penultimate features (n, F) and the probabilities (n, 10), as tensors. */
  const outputs = (x) => {
    const h = block(block(x, c1), c2); // (n, 7, 7, c2)
    const flat = tf.reshape(tf.transpose(h, [0, 3, 1, 2]), [x.shape[0], -1]); // torch's (C, H, W) order
    const f = tf.fused.matMul({ a: flat, b: features.w, bias: features.b, activation: "relu" });
    return [f, tf.softmax(tf.fused.matMul({ a: f, b: head.w, bias: head.b }))];
  };
  return {
    run(digit) {
      const side = Math.sqrt(digit.length); // (a square digit: MNIST's 28 x 28)
      const result = tf.tidy(
        () =>
          outputs(
            tf.tensor4d(
              Float32Array.from(digit, (v) => v * 2 - 1),
              [1, side, side, 1],
            ),
          )[1],
      ); // (the [-1, 1] of training)
      const values = result.dataSync();
      result.dispose();
      return Float32Array.from(values);
    },
    /** n digits of 784 values in [-1, 1] (a generator's output): { features (n x F), probs (n x 10) }, as
     * gandemo.measures.metrics.classifier_outputs reads them. */
    read(digits, n) {
      const [f, p] = tf.tidy(() => outputs(tf.tensor4d(digits, [n, 28, 28, 1])));
      const result = { features: Float32Array.from(f.dataSync()), probs: Float32Array.from(p.dataSync()) };
      tf.dispose([f, p]);
      return result;
    },
  };
}
