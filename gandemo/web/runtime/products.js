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

/** Back through a = x W^T + b: dx += d W, and (when gw) gw += d^T x, gb += column sums of d. */
function affineBack(d, x, n, ins, w, outs, gw, gb, dx) {
  for (let r = 0; r < n; r++) {
    const xo = r * ins;
    for (let o = 0; o < outs; o++) {
      const g = d[r * outs + o];
      if (g === 0) continue; // (ReLU zeroes many)
      const wo = o * ins;
      if (gw !== null) {
        if (gb !== null) gb[o] += g;
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
export const JS_PRODUCTS = { affine, affineBack, outerSum, name: "js" };

function addInto(target, values) {
  for (let i = 0; i < values.length; i++) target[i] += values[i];
}

/** The same three on a TensorFlow.js backend (`tf`, wasm set up); products under `from` multiply-adds stay in
 * JavaScript. A bias's gradient (a column sum) stays in float64 JavaScript: where it cancels to zero in exact
 * arithmetic (a WGAN critic's unit every point activates), float32 rounding would become a full Adam step. */
export function tfProducts(tf, from = WASM_FROM) {
  // (tf.tidy would walk a returned typed array element by element: the tensors are disposed by hand)
  // (the wasm backend's matMul runs transposed operands ~10x slower: they are transposed first, a copy)
  const product = (a, aShape, b, bShape, transposeA, transposeB) => {
    const made = [tf.tensor2d(a, aShape), tf.tensor2d(b, bShape)];
    const ta = transposeA ? tf.transpose(made[0]) : made[0];
    const tb = transposeB ? tf.transpose(made[1]) : made[1];
    const out = tf.matMul(ta, tb);
    const values = out.dataSync();
    tf.dispose([...made, ta, tb, out]);
    return values;
  };
  return {
    name: "wasm",
    affine(x, n, ins, w, outs, b, a) {
      if (n * ins * outs < from) return affine(x, n, ins, w, outs, b, a);
      const out = product(x, [n, ins], w, [outs, ins], false, true);
      for (let r = 0; r < n; r++) for (let o = 0; o < outs; o++) a[r * outs + o] = (b ? b[o] : 0) + out[r * outs + o];
    },
    affineBack(d, x, n, ins, w, outs, gw, gb, dx) {
      if (n * ins * outs < from) return affineBack(d, x, n, ins, w, outs, gw, gb, dx);
      const d32 = d instanceof Float32Array ? d : Float32Array.from(d);
      addInto(dx, product(d32, [n, outs], w, [outs, ins], false, false));
      if (gw === null) return;
      addInto(gw, product(d32, [n, outs], x, [n, ins], true, false));
      if (gb !== null) for (let r = 0; r < n; r++) for (let o = 0; o < outs; o++) gb[o] += d[r * outs + o];
    },
    outerSum(d, u, n, ins, outs, gw) {
      if (n * ins * outs < from) return outerSum(d, u, n, ins, outs, gw);
      addInto(gw, product(d, [n, outs], u, [n, ins], true, false));
    },
  };
}
