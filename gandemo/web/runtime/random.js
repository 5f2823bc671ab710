// Portable seeded random numbers: the scheme specified in gandemo/core/portable_random.py, in JavaScript.
// Philox4x32-10 keyed by the seed, one counter per tile, Box-Muller normals in float64 rounded to float32.
// A seed follows check.js's one rule (gandemo/core/inputs.py's); tests hold the two languages equal.

import * as check from "./check.js";

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const TWO_32 = 4294967296;
export const LATENTS = 0;

/** High 32 bits of a * b for 32-bit unsigned a, b, exactly (every partial product fits a double). */
function mulhi(a, b) {
  const low16 = a * (b & 0xffff); // < 2**48
  const high16 = a * (b >>> 16); // < 2**48
  const carry = low16 + (high16 % 65536) * 65536; // < 2**49
  return (Math.floor(high16 / 65536) + Math.floor(carry / TWO_32)) >>> 0;
}

/** Philox4x32-10 of the counter [c0, c1, c2, c3] under the key [k0, k1]: four 32-bit words. */
export function philox4x32(counter, key, rounds = 10) {
  // (no arrays inside the rounds: the trainer draws millions of words a minute)
  let c0 = counter[0] >>> 0;
  let c1 = counter[1] >>> 0;
  let c2 = counter[2] >>> 0;
  let c3 = counter[3] >>> 0;
  let k0 = key[0] >>> 0;
  let k1 = key[1] >>> 0;
  for (let r = 0; r < rounds; r++) {
    if (r) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulhi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  return [c0, c1, c2, c3];
}

/** The seed as the key [low 32 bits, high 32 bits]; a clear error for anything but a whole number in range. */
export function seedKey(seed) {
  const big = BigInt(check.seed(seed));
  return [Number(big & 0xffffffffn), Number(big >> 32n)];
}

/** Two standard normals (float64) from two 32-bit words, as gandemo/core/portable_random.py's box_muller. */
export function boxMuller(x0, x1) {
  const u1 = (x0 + 0.5) / TWO_32;
  const theta = 2 * Math.PI * (x1 / TWO_32);
  const r = Math.sqrt(-2 * Math.log(u1));
  return [r * Math.cos(theta), r * Math.sin(theta)];
}

/** (n, dim) standard normals as a Float32Array, row i being tile start + i's latent for seed. */
export function normals(seed, n, dim, { start = 0 } = {}) {
  const key = seedKey(seed);
  const blocks = Math.ceil(dim / 4);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    for (let b = 0; b < blocks; b++) {
      const [x0, x1, x2, x3] = philox4x32([b, start + i, 0, LATENTS], key);
      const values = [...boxMuller(x0, x1), ...boxMuller(x2, x3)];
      for (let k = 0; k < 4 && 4 * b + k < dim; k++) out[i * dim + 4 * b + k] = values[k];
    }
  }
  return out;
}
