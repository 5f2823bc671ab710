// Is it copying? In the static edition the page itself searches the training digits it ships (web/data, the
// balanced subset the browser trains on) in the MNIST classifier's features, as gandemo/service/neighbours.py
// searches all 60,000 on the server: each sample's nearest training digits and, for scale, how far a real digit
// typically sits from its nearest other training digit.

import { loadDigits } from "./digits-data.js";

const SCALE_DIGITS = 1000; // digits whose nearest other digit sets the scale (their median distance)

/** Squared norms of n rows of `width` values. */
function squaredNorms(features, n, width) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let j = 0; j < width; j++) total += features[i * width + j] ** 2;
    out[i] = total;
  }
  return out;
}

/** The k nearest rows of `index` (each query's {index, distance}, nearest first); `skipSelf` leaves out row i
 * for query i (a training digit is not its own neighbour). Distances by |a|^2 + |b|^2 - 2 a.b, as one product. */
export function nearestRows(tf, index, queries, n, k, skipSelf = false) {
  const { features, norms, count, width } = index;
  const products = tf.tidy(() =>
    tf.matMul(tf.tensor2d(queries, [n, width]), tf.tensor2d(features, [count, width]), false, true),
  );
  const dots = products.dataSync();
  products.dispose();
  const own = squaredNorms(queries, n, width);
  return Array.from({ length: n }, (_, q) => {
    const best = [];
    for (let i = 0; i < count; i++) {
      if (skipSelf && i === q) continue;
      const d = Math.sqrt(Math.max(0, own[q] + norms[i] - 2 * dots[q * count + i]));
      if (best.length < k || d < best[best.length - 1].distance) {
        best.push({ index: i, distance: d });
        best.sort((a, b) => a.distance - b.distance);
        if (best.length > k) best.pop();
      }
    }
    return best;
  });
}

/** The shipped digits' index: their features (embedded once with `classifier`), pixels, labels and scale. */
export async function buildIndex(tf, classifier, base) {
  const digits = await loadDigits(base);
  const values = Float32Array.from(digits.images, (v) => v / 127.5 - 1); // (the [-1, 1] of training)
  const features = classifier.embed(values, digits.count);
  const width = features.length / digits.count;
  const index = { ...digits, features, width, norms: squaredNorms(features, digits.count, width), scale: 0 };
  const few = Math.min(SCALE_DIGITS, digits.count);
  const nearestOther = nearestRows(tf, index, features.subarray(0, few * width), few, 1, true);
  const sorted = nearestOther.map(([first]) => first.distance).sort((a, b) => a - b);
  index.scale = (sorted[(few - 1) >> 1] + sorted[few >> 1]) / 2;
  return index;
}

/** Each sample's (values n * 784 in [-1, 1]) `k` nearest shipped digits, as the server's /neighbours answers. */
export function searchIndex(tf, classifier, index, samples, n, k) {
  const found = nearestRows(tf, index, classifier.embed(samples, n), n, k);
  const size = index.size;
  return {
    neighbours: found.map((row) =>
      row.map(({ index: i, distance }) => ({
        index: i,
        digit: index.labels[i],
        distance,
        image: index.images.subarray(i * size, (i + 1) * size),
      })),
    ),
    typical_distance: index.scale,
    searched: `Searched in your browser: the ${index.count.toLocaleString("en-US")} MNIST training digits this page ships (${index.count / 10} of each digit, a subset of the 60,000), in the features of the classifier that scores the models; the scale is a shipped digit's distance to its nearest other one.`,
  };
}
