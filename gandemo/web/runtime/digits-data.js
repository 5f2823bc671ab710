// The real MNIST digits the browser trains on: the balanced subset train/digits_subset.py writes into web/data
// (NAME.json describes it; NAME.bin.gz holds the labels, then the images, as uint8), read with the page's own
// gzip (DecompressionStream), so nothing beyond the app's files is fetched.

import { boxMuller, philox4x32, seedKey } from "./random.js";

export const DIGITS_FILE = "mnist-digits.json";

/** @typedef {{ images: Uint8Array, labels: Uint8Array, count: number, size: number, info: any }} Digits */

/** @param {(url: string) => Promise<Response>} fetcher */
async function fetchOk(fetcher, url, what) {
  let response;
  try {
    response = await fetcher(url);
  } catch (error) {
    throw new Error(`could not fetch ${what} (${error.message})`);
  }
  if (!response.ok) throw new Error(`could not fetch ${what} (HTTP ${response.status})`);
  return response;
}

/** The bytes of a gzip stream, inflated by the platform. */
async function gunzip(response, what) {
  try {
    const inflated = response.body.pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(inflated).arrayBuffer());
  } catch (error) {
    throw new Error(`${what} is not a readable gzip file (${error.message})`);
  }
}

/**
 * The digits of the subset described by `base + DIGITS_FILE` (base: the data folder's address, ending in "/"):
 * { images (count * 28 * 28 pixels, 0-255), labels (0-9), count, size (pixels per image), info (the JSON) }.
 * @param {string} base
 * @param {(url: string) => Promise<Response>} [fetcher]
 * @returns {Promise<Digits>}
 */
export async function loadDigits(base, fetcher = (url) => fetch(url)) {
  const info = await (await fetchOk(fetcher, base + DIGITS_FILE, DIGITS_FILE)).json();
  const [height, width] = info.shape;
  const { count } = info;
  const size = height * width;
  const bytes = await gunzip(await fetchOk(fetcher, base + info.file, info.file), info.file);
  if (bytes.length !== count * (1 + size))
    throw new Error(`${info.file} holds ${bytes.length} bytes, not the ${count * (1 + size)} ${DIGITS_FILE} says`);
  const labels = bytes.subarray(0, count);
  if (labels.some((label) => label > 9)) throw new Error(`${info.file} holds a label above 9: it is not MNIST's`);
  return { images: bytes.subarray(count), labels, count, size, info };
}

const TWO_32 = 4294967296;
// the counter's stream words of the digits trainer's draws (portable_random lists every stream)
export const DIGIT_STREAMS = { latents: 3, alphas: 4, init: 5, batches: 7, dropout: 8 };

/**
 * Seeded draws for training on the digits, in the Trainer's `draws` shape: draw d of a stream takes counters
 * (d, i, 0, stream), as every portable draw; a batch is `n` digits picked uniformly (with replacement) from the
 * subset, pixels scaled to [-1, 1] as data.to_unit_range scales them; labels only when `conditional`.
 */
export class DigitDraws {
  constructor(digits, seed, conditional = false) {
    this.digits = digits;
    this.key = seedKey(seed);
    this.conditional = conditional;
    this.counts = Object.fromEntries(Object.keys(DIGIT_STREAMS).map((name) => [name, 0]));
  }

  /** `count` uniform numbers in [0, 1) from the next draw of `stream`, four to a counter. */
  uniforms(stream, count) {
    const d = this.counts[stream]++;
    const out = new Float32Array(count);
    for (let b = 0; 4 * b < count; b++) {
      const words = philox4x32([d, b, 0, DIGIT_STREAMS[stream]], this.key);
      for (let k = 0; k < 4 && 4 * b + k < count; k++) out[4 * b + k] = words[k] / TWO_32;
    }
    return out;
  }

  /** A batch of n real digits: { images (n x 784, in [-1, 1]), labels (Int32Array, or null) }. */
  real(_c, n) {
    const { images, labels, count, size } = this.digits;
    const picks = this.uniforms("batches", n);
    const out = new Float32Array(n * size);
    const chosen = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const at = Math.min(count - 1, Math.floor(picks[i] * count));
      chosen[i] = labels[at];
      for (let k = 0; k < size; k++) out[i * size + k] = Math.fround(images[at * size + k] / 127.5) - 1;
    }
    return { images: out, labels: this.conditional ? chosen : null };
  }

  /** n latents of `dim` standard normals (Box-Muller on the stream's words, as random.normals). */
  latents(n, dim) {
    const d = this.counts.latents++;
    const blocks = Math.ceil(dim / 4);
    const z = new Float32Array(n * dim);
    for (let i = 0; i < n; i++)
      for (let b = 0; b < blocks; b++) {
        const [x0, x1, x2, x3] = philox4x32([d, i * blocks + b, 0, DIGIT_STREAMS.latents], this.key);
        const values = [...boxMuller(x0, x1), ...boxMuller(x2, x3)];
        for (let k = 0; k < 4 && 4 * b + k < dim; k++) z[i * dim + 4 * b + k] = values[k];
      }
    return z;
  }

  alphas(n) {
    return this.uniforms("alphas", n);
  }

  /** The critic's dropout numbers (arrow function: the trainer calls it unbound). */
  dropout = (count) => this.uniforms("dropout", count);
}
