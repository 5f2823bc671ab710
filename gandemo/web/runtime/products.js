// The matrix products a dense layer's training runs on, two ways: typed-array loops in plain JavaScript (their
// sums in float64, then rounded), and TensorFlow.js's wasm backend (SIMD kernels, float32 sums), which is many
// times faster on big products but pays a fixed cost per call (copies in and out of its memory). Each product
// picks its way by its own size: wasm from WASM_FROM multiply-adds up, measured where the two times cross
// (python -m benchmarks.trainer_speed --rule). Weights stay torch's (out, in) row-major Float32Arrays in both.

/** Multiply-adds from which one product runs faster on the wasm backend than in plain JavaScript. */
export const WASM_FROM = 16384;

/** a (n, outs) = x (n, ins) W^T + b, W (outs, ins) row-major as torch keeps it; four sums at a time. */
function affine(x, n, ins, w, outs, b, a) {
  for (let r = 0; r < n; r++) {
    const xo = r * ins;
    for (let o = 0; o < outs; o++) {
      const wo = o * ins;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let i = 0;
      for (; i + 3 < ins; i += 4) {
        s0 += x[xo + i] * w[wo + i];
        s1 += x[xo + i + 1] * w[wo + i + 1];
        s2 += x[xo + i + 2] * w[wo + i + 2];
        s3 += x[xo + i + 3] * w[wo + i + 3];
      }
      for (; i < ins; i++) s0 += x[xo + i] * w[wo + i];
      a[r * outs + o] = (b ? b[o] : 0) + (s0 + s1 + (s2 + s3));
    }
  }
}

/** gb += the column sums of d (n, outs): a bias's gradient, in float64 on both paths (see tfProducts). */
function columnSums(d, n, outs, gb) {
  for (let r = 0; r < n; r++) for (let o = 0; o < outs; o++) gb[o] += d[r * outs + o];
}

/** Back through a = x W^T + b: dx += d W, and (when gw) gw += d^T x, gb += column sums of d. */
function affineBack(d, x, n, ins, w, outs, gw, gb, dx) {
  if (gb !== null) columnSums(d, n, outs, gb);
  for (let r = 0; r < n; r++) {
    const xo = r * ins;
    for (let o = 0; o < outs; o++) {
      const g = d[r * outs + o];
      if (g === 0) continue; // (ReLU zeroes many)
      const wo = o * ins;
      if (gw !== null) {
        for (let i = 0; i < ins; i++) {
          gw[wo + i] += g * x[xo + i];
          dx[xo + i] += g * w[wo + i];
        }
      } else {
        for (let i = 0; i < ins; i++) dx[xo + i] += g * w[wo + i];
      }
    }
  }
}

/** gw += d^T u for d (n, outs), u (n, ins): the weights' share of a product d W. */
function outerSum(d, u, n, ins, outs, gw) {
  for (let r = 0; r < n; r++) {
    const uo = r * ins;
    for (let o = 0; o < outs; o++) {
      const g = d[r * outs + o];
      if (g === 0) continue;
      const wo = o * ins;
      for (let i = 0; i < ins; i++) gw[wo + i] += g * u[uo + i];
    }
  }
}

/** The loops in plain JavaScript. */
export const JS_PRODUCTS = { affine, affineBack, outerSum };

// Each weight array's version: whoever changes a weight array in place (Adam's step, a load) calls changed(), so a
// copy the wasm backend holds of it is made again before its next product, and reused until then.
const versions = new WeakMap();

/** Say that `values` (a weight array the products may have copied) changed in place. */
export function changed(values) {
  versions.set(values, (versions.get(values) || 0) + 1);
}

/** The backend's copies of each weight array, (outs, ins) and transposed, kept until the array changes. */
function weightCopies(tf) {
  const copies = new WeakMap(); // values -> { version, plain, transposed }
  // (an array dropped with its network frees its copies in the backend's memory)
  const freed = new FinalizationRegistry((/** @type {any[]} */ tensors) => tf.dispose(tensors));
  return (w, outs, ins, transposed) => {
    const version = versions.get(w) || 0;
    let entry = copies.get(w);
    if (!entry || entry.version !== version) {
      if (entry) (tf.dispose(entry.tensors), freed.unregister(entry));
      entry = { version, tensors: [], plain: null, transposed: null };
      copies.set(w, entry);
      freed.register(w, entry.tensors, entry);
    }
    const key = transposed ? "transposed" : "plain";
    if (entry[key] === null) {
      const plain = tf.tensor2d(w, [outs, ins]);
      entry[key] = transposed ? tf.transpose(plain) : plain;
      if (transposed) plain.dispose();
      entry.tensors.push(entry[key]);
    }
    return entry[key];
  };
}

/** d (n, outs) transposed, in float32: the left operand of a weights' gradient d^T x. */
function transposed32(d, n, outs) {
  const t = new Float32Array(n * outs);
  for (let r = 0; r < n; r++) for (let o = 0; o < outs; o++) t[o * n + r] = d[r * outs + o];
  return t;
}

// (one function per kind of target: a loop that sees both kinds runs several times slower)
function addTo64(target, values) {
  for (let i = 0; i < values.length; i++) target[i] += values[i];
}

function addTo32(target, values) {
  for (let i = 0; i < values.length; i++) target[i] += values[i];
}

const addInto = (target, values) => (target instanceof Float64Array ? addTo64 : addTo32)(target, values);

/** The same three on a TensorFlow.js backend (`tf`, wasm set up); products under `from` multiply-adds stay in
 * JavaScript. A bias's gradient (a column sum) stays in float64 JavaScript: where it cancels to zero in exact
 * arithmetic (a WGAN critic's unit every point activates), float32 rounding would become a full Adam step. The
 * weights stay in the backend until they change (changed()); its matMul runs transposed operands ~10x slower than
 * plain ones and prepares its right operand once per tensor, so each product's right operand is a kept weight
 * copy (W or W^T) or a fresh batch, and a gradient's d^T is transposed here, while copied in. */
export function tfProducts(tf, from = WASM_FROM) {
  // (tf.tidy would walk a returned typed array element by element: the tensors are disposed by hand)
  const weights = weightCopies(tf);
  const tensor = (values, shape) =>
    tf.tensor2d(values instanceof Float32Array ? values : Float32Array.from(values), shape);
  /** The values of `out`, read in place from the wasm backend's memory where it exposes them (no copy), else copied. */
  const values = (out) => {
    const backend = tf.backend();
    const held = backend.wasm && backend.dataIdMap && backend.dataIdMap.get(out.dataId);
    if (!held || out.dtype !== "float32") return out.dataSync();
    return new Float32Array(backend.wasm.HEAPU8.buffer, held.memoryOffset, out.size);
  };
  /** use(a times b), a (rows, inner), b a kept tensor or values of shape (inner, b.length / inner) copied in. */
  const product = (a, rows, inner, b, use) => {
    const made = [tensor(a, [rows, inner])];
    if (!(b instanceof tf.Tensor)) made.push(tensor(b, [inner, b.length / inner]));
    const out = tf.matMul(made[0], made[1] || b);
    try {
      use(values(out)); // (before anything else runs in the backend: its memory may move)
    } finally {
      tf.dispose([...made, out]);
    }
  };
  return {
    affine(x, n, ins, w, outs, b, a) {
      if (n * ins * outs < from) return affine(x, n, ins, w, outs, b, a);
      product(x, n, ins, weights(w, outs, ins, true), (out) => {
        if (!b) return a.set(out);
        for (let r = 0; r < n; r++) for (let o = 0; o < outs; o++) a[r * outs + o] = b[o] + out[r * outs + o];
      });
    },
    affineBack(d, x, n, ins, w, outs, gw, gb, dx) {
      if (n * ins * outs < from) return affineBack(d, x, n, ins, w, outs, gw, gb, dx);
      product(d, n, outs, weights(w, outs, ins, false), (out) => addInto(dx, out));
      if (gw === null) return;
      product(transposed32(d, n, outs), outs, n, x, (out) => addInto(gw, out));
      if (gb !== null) columnSums(d, n, outs, gb);
    },
    outerSum(d, u, n, ins, outs, gw) {
      if (n * ins * outs < from) return outerSum(d, u, n, ins, outs, gw);
      product(transposed32(d, n, outs), outs, n, u, (out) => addInto(gw, out));
    },
  };
}
