// A drawing or a picture made into an MNIST-style digit, as gandemo/measures/probe.py makes it (its numbers and
// sentences arrive in `rules`, site.probe): the ink's bounding box fitted into 20 x 20 keeping its aspect ratio
// (area-averaged), then placed in 28 x 28 with its centre of mass at the centre. Float64 throughout, as numpy.

/** A picture that cannot be read as a digit, with the one sentence that says why. */
export class ProbeError extends Error {}

/** Each pixel's ink in [0, 1] (probe.py darkness): its grey over white, against the border's mean. */
function darkness(rgba, width, height) {
  const grey = new Float64Array(width * height);
  for (let i = 0; i < grey.length; i++) {
    const [r, g, b, a] = [rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2], rgba[4 * i + 3]];
    const alpha = a / 255;
    grey[i] = ((0.299 * r + 0.587 * g + 0.114 * b) / 255) * alpha + (1 - alpha);
  }
  let sum = 0;
  let count = 0;
  const add = (y, x) => ((sum += grey[y * width + x]), count++);
  for (let x = 0; x < width; x++) add(0, x);
  for (let x = 0; x < width; x++) add(height - 1, x);
  for (let y = 1; y < height - 1; y++) add(y, 0);
  for (let y = 1; y < height - 1; y++) add(y, width - 1);
  if (sum / count > 0.5) for (let i = 0; i < grey.length; i++) grey[i] = 1 - grey[i];
  return grey;
}

const round = (x) => Math.floor(x + 0.5);

/** Output pixel j of `nOut` averages the input over [j, j + 1) * nIn / nOut: [{ start, weights }] per j. */
function areaWeights(nIn, nOut) {
  const scale = nIn / nOut;
  return Array.from({ length: nOut }, (_, j) => {
    const [start, end] = [j * scale, (j + 1) * scale];
    const first = Math.floor(start);
    const weights = [];
    for (let i = first; i < Math.min(nIn, Math.ceil(end)); i++)
      weights.push((Math.min(end, i + 1) - Math.max(start, i)) / scale);
    return { start: first, weights };
  });
}

/** The ink's bounding box [top, bottom, left, right) and how many pixels are ink; null for none. */
function inkBox(ink, width, height, threshold) {
  let [top, bottom, left, right, count] = [height, 0, width, 0, 0];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (ink[y * width + x] > threshold) {
        count++;
        [top, bottom] = [Math.min(top, y), Math.max(bottom, y + 1)];
        [left, right] = [Math.min(left, x), Math.max(right, x + 1)];
      }
  return count ? { top, bottom, left, right, count } : null;
}

/** The box (h x w at top, left of `ink`) area-averaged to fh x fw. */
function fit(ink, width, { top, left, h, w }, fh, fw) {
  const [wy, wx] = [areaWeights(h, fh), areaWeights(w, fw)];
  const rows = new Float64Array(h * fw); // each row narrowed first
  for (let y = 0; y < h; y++)
    wx.forEach(({ start, weights }, j) => {
      let total = 0;
      weights.forEach((k, i) => (total += k * ink[(top + y) * width + left + start + i]));
      rows[y * fw + j] = total;
    });
  const fitted = new Float64Array(fh * fw);
  wy.forEach(({ start, weights }, j) => {
    for (let x = 0; x < fw; x++) {
      let total = 0;
      weights.forEach((k, i) => (total += k * rows[(start + i) * fw + x]));
      fitted[j * fw + x] = total;
    }
  });
  return fitted;
}

/** The digit placed in the field with its centre of mass at the centre (kept whole inside the field). */
function centred(fitted, fh, fw, side) {
  let [mass, my, mx] = [0, 0, 0];
  for (let y = 0; y < fh; y++)
    for (let x = 0; x < fw; x++) {
      const v = fitted[y * fw + x];
      [mass, my, mx] = [mass + v, my + (y + 0.5) * v, mx + (x + 0.5) * v];
    }
  const y0 = Math.min(Math.max(round(side / 2 - my / mass), 0), side - fh);
  const x0 = Math.min(Math.max(round(side / 2 - mx / mass), 0), side - fw);
  const digit = new Float64Array(side * side);
  for (let y = 0; y < fh; y++) for (let x = 0; x < fw; x++) digit[(y0 + y) * side + x0 + x] = fitted[y * fw + x];
  return digit;
}

/** A picture's RGBA pixels as MNIST's digit (side * side values, ink in [0, 1]); a side x side picture is taken
 * as one already. Throws a ProbeError with the sentence for no ink or a filled shape. */
export function mnistStyle(rgba, width, height, rules) {
  const ink = darkness(rgba, width, height);
  const box = inkBox(ink, width, height, rules.ink);
  if (!box) throw new ProbeError(rules.sentences.empty);
  if (width === rules.side && height === rules.side) return ink;
  const [h, w] = [box.bottom - box.top, box.right - box.left];
  const longest = Math.max(width, height);
  if (box.count > rules.filled_share * h * w && Math.min(h, w) > rules.filled_side * longest)
    throw new ProbeError(rules.sentences.filled);
  const scale = rules.box / Math.max(h, w);
  const [fh, fw] = [Math.max(1, round(h * scale)), Math.max(1, round(w * scale))];
  const fitted = fit(ink, width, { top: box.top, left: box.left, h, w }, fh, fw);
  return centred(fitted, fh, fw, rules.side);
}
