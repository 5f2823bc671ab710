// The pieces of gandemo/core/models.py's MLPs besides their matrix products, forward and backward, as PyTorch
// computes them: the label embedding _LabelJoin concatenates to the input, BatchNorm1d (train mode: the batch's
// statistics, the running ones updated as torch does; eval mode: the running ones), the activations, dropout
// (its masks from seeded uniform numbers, kept where u >= p as models.Dropout keeps them) and the output tanh.

export const SLOPES = { relu: 0, leaky_relu: 0.2 }; // the negative slope of each activation in models.py
const EPS = 1e-5; // torch.nn.BatchNorm1d's defaults
const MOMENTUM = 0.1;

/** A torch.nn.Linear's weight (out, in), row-major, and bias (out). */
export function linear(ins, outs) {
  return { ins, outs, weight: new Float32Array(outs * ins), bias: new Float32Array(outs) };
}

/** A torch.nn.BatchNorm1d of `width` features, as freshly built. */
export function batchNorm(width) {
  return {
    width,
    weight: new Float32Array(width).fill(1),
    bias: new Float32Array(width),
    runningMean: new Float32Array(width),
    runningVar: new Float32Array(width).fill(1),
    tracked: 0, // num_batches_tracked
  };
}

/** Rows of x (n, ins) with each row's label embedding after them (n, ins + embedDim): _LabelJoin. */
export function joinLabels(x, n, ins, embed, embedDim, labels) {
  const width = ins + embedDim;
  const out = new Float32Array(n * width);
  for (let r = 0; r < n; r++) {
    out.set(x.subarray(r * ins, (r + 1) * ins), r * width);
    const label = labels[r];
    out.set(embed.subarray(label * embedDim, (label + 1) * embedDim), r * width + ins);
  }
  return out;
}

/** Back through joinLabels: each row's embedding gradient into its label's row of `grad` (when given); returns
 * the gradient of x alone (n, ins). */
export function splitLabels(d, n, ins, embedDim, labels, grad) {
  const width = ins + embedDim;
  const dx = new Float32Array(n * ins);
  for (let r = 0; r < n; r++) {
    dx.set(d.subarray(r * width, r * width + ins), r * ins);
    if (!grad) continue;
    const at = labels[r] * embedDim;
    for (let k = 0; k < embedDim; k++) grad[at + k] += d[r * width + ins + k];
  }
  return dx;
}

/**
 * BatchNorm1d forward over n rows of a (n, width), in place into `out`; `train` uses (and updates the running
 * statistics with) the batch's mean and biased variance, as torch does. Returns what backward needs.
 */
export function normForward(norm, a, n, train, out) {
  const { width, weight, bias, runningMean, runningVar } = norm;
  const mean = new Float64Array(width);
  const invStd = new Float64Array(width);
  if (train) {
    const variance = new Float64Array(width);
    for (let r = 0; r < n; r++) for (let j = 0; j < width; j++) mean[j] += a[r * width + j];
    for (let j = 0; j < width; j++) mean[j] /= n;
    for (let r = 0; r < n; r++) for (let j = 0; j < width; j++) variance[j] += (a[r * width + j] - mean[j]) ** 2;
    for (let j = 0; j < width; j++) {
      variance[j] /= n;
      invStd[j] = 1 / Math.sqrt(variance[j] + EPS);
      runningMean[j] = (1 - MOMENTUM) * runningMean[j] + MOMENTUM * mean[j];
      runningVar[j] = (1 - MOMENTUM) * runningVar[j] + MOMENTUM * ((variance[j] * n) / Math.max(n - 1, 1));
    }
    norm.tracked += 1;
  } else {
    for (let j = 0; j < width; j++) [mean[j], invStd[j]] = [runningMean[j], 1 / Math.sqrt(runningVar[j] + EPS)];
  }
  const normed = new Float64Array(n * width); // (float64: see normBackward)
  for (let r = 0; r < n; r++)
    for (let j = 0; j < width; j++) {
      const i = r * width + j;
      normed[i] = (a[i] - mean[j]) * invStd[j];
      out[i] = weight[j] * normed[i] + bias[j];
    }
  return { normed, invStd, train, n };
}

/** Back through normForward: adds the scale's and shift's gradients (gw, gb, when given); returns d(input). */
export function normBackward(norm, cache, d, gw, gb) {
  const { width, weight } = norm;
  const { normed, invStd, train, n } = cache;
  const sum = new Float64Array(width);
  const dot = new Float64Array(width);
  for (let r = 0; r < n; r++)
    for (let j = 0; j < width; j++) {
      sum[j] += d[r * width + j];
      dot[j] += d[r * width + j] * normed[r * width + j];
    }
  if (gw) for (let j = 0; j < width; j++) [gw[j], gb[j]] = [gw[j] + dot[j], gb[j] + sum[j]];
  // float64: the Linear before a BatchNorm gets a bias gradient (this, summed over the batch) that is zero in
  // exact arithmetic; float32 rounding would leave noise that Adam scales up to a full step
  const dx = new Float64Array(n * width);
  for (let r = 0; r < n; r++)
    for (let j = 0; j < width; j++) {
      const i = r * width + j;
      const scale = weight[j] * invStd[j];
      dx[i] = train ? (scale / n) * (n * d[i] - sum[j] - normed[i] * dot[j]) : scale * d[i];
    }
  return dx;
}

/** Dropout's multipliers for `count` values from as many uniform numbers: 0 where u < p, else 1 / (1 - p). */
export function dropoutMask(uniforms, p) {
  const scale = Math.fround(1 / (1 - p));
  return uniforms.map((u) => (u >= p ? scale : 0));
}

/** tanh in place, and its derivative's use in backward: d *= 1 - y^2. */
export function tanhForward(a) {
  for (let i = 0; i < a.length; i++) a[i] = Math.tanh(a[i]);
  return a;
}

export function tanhBackward(y, d) {
  const out = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i] * (1 - y[i] * y[i]);
  return out;
}
