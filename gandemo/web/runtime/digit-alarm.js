// The digit collapse alarm, live: what the classifier reads in a batch of samples (runtime/classifier.js read)
// as gandemo.measures.metrics measures it (the digit histogram, the near-duplicate share), and the verdict in
// the words of gandemo.core.explain.collapse_verdict, filled from the same table (site.digits.alarm:
// explain.DIGIT_ALARM). tests/test_browser_digits.py holds the two to the same sentences.

/** The share of samples the classifier assigns to each digit (metrics.digit_histogram): n rows of 10. */
export function digitHistogram(probs, n) {
  const counts = new Array(10).fill(0);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let d = 1; d < 10; d++) if (probs[10 * i + d] > probs[10 * i + best]) best = d;
    counts[best] += 1;
  }
  return counts.map((c) => c / n);
}

/** The share of samples read as the digit they were asked for (metrics.label_accuracy). */
export function labelAccuracy(probs, labels) {
  let right = 0;
  labels.forEach((label, i) => {
    let best = 0;
    for (let d = 1; d < 10; d++) if (probs[10 * i + d] > probs[10 * i + best]) best = d;
    if (best === label) right += 1;
  });
  return right / labels.length;
}

/** Each of n feature rows' distance to its nearest other row (metrics.nearest_other_distances). */
export function nearestOther(features, n) {
  const dim = features.length / n;
  const nearest = new Float64Array(n).fill(Infinity);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      let sq = 0;
      for (let k = 0; k < dim; k++) sq += (features[i * dim + k] - features[j * dim + k]) ** 2;
      nearest[i] = Math.min(nearest[i], sq);
      nearest[j] = Math.min(nearest[j], sq);
    }
  return nearest.map(Math.sqrt);
}

/** numpy's quantile (linear interpolation) of `values` at q. */
export function quantile(values, q) {
  const sorted = Float64Array.from(values).sort();
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

/** The share of rows closer than `threshold` to another (metrics.near_duplicate_share). */
export function nearDuplicateShare(features, n, threshold) {
  return nearestOther(features, n).filter((d) => d < threshold).length / n;
}

/** explain._percent: Python's "{:.1f}%" of 100 * value, whose exact ties (6.25%: 16 of 256) round to even. */
function percent(value) {
  const scaled = 1000 * value;
  if (Number.isInteger(2 * scaled) && !Number.isInteger(scaled)) {
    const down = Math.floor(scaled);
    return `${((down % 2 === 0 ? down : down + 1) / 10).toFixed(1)}%`;
  }
  return `${(100 * value).toFixed(1)}%`;
}
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));

/**
 * explain.collapse_verdict: [alarm, sentence] from { digit_histogram, near_duplicate_share,
 * near_duplicate_share_real }, or null when they were not measured. `alarm`: site.digits.alarm.
 */
export function digitVerdict(metrics, alarm) {
  const { digit_histogram: histogram, near_duplicate_share: duplicates } = metrics;
  if (!histogram || !histogram.length || duplicates == null) return null;
  const words = alarm.words;
  const problems = [];
  const missing = histogram.map((share, d) => [share, d]).filter(([share]) => share < alarm.missing_share);
  if (missing.length)
    problems.push(
      fill(words[missing.length === 1 ? "missing_one" : "missing_many"], {
        digits: missing.map(([, d]) => d).join(", "),
      }),
    );
  const top = histogram.indexOf(Math.max(...histogram));
  if (histogram[top] > alarm.dominant_share)
    problems.push(fill(words.dominant, { digit: top, share: percent(histogram[top]) }));
  if (duplicates > alarm.duplicate_share) problems.push(fill(words.duplicates, { share: percent(duplicates) }));
  if (problems.length) {
    const severe = missing.length > 0 || Math.max(duplicates, histogram[top]) > alarm.severe_share;
    return [true, problems.join("; ") + words[severe ? "severe" : "partial"]];
  }
  const real = metrics.near_duplicate_share_real;
  let copies = fill(words.copies, { share: percent(duplicates) });
  if (real) copies += fill(words.copies_real, { share: percent(real) });
  const rarest = percent(Math.min(...histogram));
  return [false, fill(words.none, { count: histogram.length, rarest, copies })];
}
