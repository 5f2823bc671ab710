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

const EMBED_BATCH = 256; // digits a batch when embedding many (the first layer's output is 100 KB a digit)

/** A runnable classifier: run(digit (784 values, ink in [0, 1])) -> Float32Array of 10 probabilities;
 * embed(values (n * 784, in [-1, 1]), n) -> Float32Array of n * 128 features (the metrics' feature space). */
export function buildClassifier(tf, config, tensors) {
  if (config.kind !== "classifier") throw new Error("its config does not describe a classifier");
  const [c1, c2] = [conv(tf, tensors, "body.0"), conv(tf, tensors, "body.3")];
  const [features, head] = [dense(tf, tensors, "body.8"), dense(tf, tensors, "head.1")];
  const block = (x, c) =>
    tf.maxPool(tf.fused.conv2d({ x, filter: c.w, bias: c.b, strides: 1, pad: "same", activation: "relu" }), 2, 2, 0);
  /** (n, 128) features of n square digits in [-1, 1] (the [-1, 1] of training). */
  const featuresOf = (values, n) => {
    const side = Math.sqrt(values.length / n); // (a square digit: MNIST's 28 x 28)
    const h = block(block(tf.tensor4d(values, [n, side, side, 1]), c1), c2); // (n, 7, 7, c2)
    const flat = tf.reshape(tf.transpose(h, [0, 3, 1, 2]), [n, -1]); // torch's (C, H, W) order
    return tf.fused.matMul({ a: flat, b: features.w, bias: features.b, activation: "relu" });
  };
  const probsOf = (f) => tf.softmax(tf.fused.matMul({ a: f, b: head.w, bias: head.b }));
  return {
    run(digit) {
      const result = tf.tidy(() =>
        probsOf(
          featuresOf(
            Float32Array.from(digit, (v) => v * 2 - 1),
            1,
          ),
        ),
      );
      const values = result.dataSync();
      result.dispose();
      return Float32Array.from(values);
    },
    /** n digits of 784 values in [-1, 1] (a generator's output): { features (n x F), probs (n x 10) }, as
     * gandemo.measures.metrics.classifier_outputs reads them. */
    read(digits, n) {
      const [f, p] = tf.tidy(() => {
        const h = featuresOf(digits, n);
        return [h, probsOf(h)];
      });
      const result = { features: Float32Array.from(f.dataSync()), probs: Float32Array.from(p.dataSync()) };
      tf.dispose([f, p]);
      return result;
    },
    embed(values, n) {
      const size = values.length / n;
      const out = new Float32Array(n * features.outs);
      for (let start = 0; start < n; start += EMBED_BATCH) {
        const count = Math.min(EMBED_BATCH, n - start);
        const result = tf.tidy(() => featuresOf(values.subarray(start * size, (start + count) * size), count));
        out.set(result.dataSync(), start * features.outs);
        result.dispose();
      }
      return out;
    },
  };
}
