// The real MNIST digits the browser trains on: the balanced subset train/digits_subset.py writes into web/data
// (NAME.json describes it; NAME.bin.gz holds the labels, then the images, as uint8), read with the page's own
// gzip (DecompressionStream), so nothing beyond the app's files is fetched.

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
