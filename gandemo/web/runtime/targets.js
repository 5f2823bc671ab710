// The 2-D targets (site.targets: gandemo/core/targets.py's table) and their sampler, as gandemo/core/targets.py
// specifies it: point i of draw d takes the Philox words of counter (d, i, 0, 2) under the seed's key.

import { boxMuller, philox4x32, seedKey } from "./random.js";

export const TARGET = 2;
const TWO_32 = 4294967296;

/** (n, 2) points of target `spec` (an entry of the table) as a Float32Array, x y interleaved; `points` are the
 * visitor's own ([[x, y], ...]) for the "points" kind. */
export function sampleTarget(spec, seed, n, { draw = 0, points = null, out = null } = {}) {
  const key = typeof seed === "object" ? seed : seedKey(seed);
  const result = out || new Float32Array(2 * n);
  const { kind, std } = spec;
  const centers = kind === "mixture" ? spec.centers : kind === "points" ? points : null;
  if (kind === "points" && !(points && points.length)) {
    throw new Error("the target 'your points' has no points yet: click on the plot, or upload a CSV of x,y");
  }
  for (let i = 0; i < n; i++) {
    const [x0, x1, x2, x3] = philox4x32([draw, i, 0, TARGET], key);
    const [dx, dy] = boxMuller(x2, x3);
    let x;
    let y;
    if (centers) {
      [x, y] = centers[Math.floor((x0 * centers.length) / TWO_32)]; // exact: x0 * k < 2**53
    } else if (kind === "moons") {
      const t = (x0 / TWO_32) * Math.PI;
      const upper = x1 / TWO_32 < 0.5;
      x = ((upper ? Math.cos(t) : 1 - Math.cos(t)) - 0.5) * spec.scale;
      y = ((upper ? Math.sin(t) : 0.5 - Math.sin(t)) - 0.25) * spec.scale;
    } else if (kind === "roll") {
      const t = 1.5 * Math.PI * (1 + (2 * x0) / TWO_32);
      x = t * Math.cos(t) * spec.scale;
      y = t * Math.sin(t) * spec.scale;
    } else {
      throw new Error(`unknown target kind ${kind}`);
    }
    result[2 * i] = x + std * dx;
    result[2 * i + 1] = y + std * dy;
  }
  return result;
}

/** Mode centres and std of a mixture target, or of the visitor's points when there are few; else null. */
export function targetModes(spec, points, maxModes) {
  if (spec.kind === "mixture") return { centers: spec.centers, std: spec.std };
  if (spec.kind === "points" && points && points.length > 0 && points.length <= maxModes)
    return { centers: points, std: spec.std };
  return null;
}

/** One field as a number (Python's float(): a number, inf or nan; quotes around it allowed), else null. */
function asFloat(text) {
  const t = text
    .replace(/^(["'])(.*)\1$/, "$2")
    .trim()
    .toLowerCase()
    .replace(/^([+-]?)inf(inity)?$/, "$1Infinity");
  if (/^[+-]?nan$/.test(t)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$|^[+-]?Infinity$/.test(t)) return null;
  return Number(t);
}

/** A first line of names (x,y or "x";"y"): no field of it reads as a number. */
const isHeader = (values) => values.every((v) => v === null);

/** One line's x,y, checked: two numbers, finite, within [-maxValue, maxValue] (so scaling cannot overflow). */
function readRow(line, number, { name, maxValue }) {
  const fields = line
    .replace(/[;\t]/g, ",")
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  if (!fields.length) return null;
  const values = fields.map(asFloat);
  if (number === 1 && isHeader(values)) return null;
  if (fields.length !== 2 || values.some((v) => v === null)) {
    throw new Error(`${name}, line ${number}: expected two numbers x,y, got '${line.trim().slice(0, 40)}'`);
  }
  if (!values.every(Number.isFinite)) throw new Error(`${name}, line ${number}: x and y must be finite numbers`);
  if (values.some((v) => Math.abs(v) > maxValue)) {
    const bound = maxValue.toLocaleString("en-US");
    throw new Error(
      `${name}, line ${number}: x and y must be from -${bound} to ${bound}, got '${line.trim().slice(0, 40)}'`,
    );
  }
  return values;
}

/**
 * A visitor's CSV of x,y rows (a first line of names is allowed; commas, semicolons or tabs; quoted numbers) as
 * [[x, y], ...] inside the plot: points outside [-limit, limit]^2 are scaled (keeping the shape) and centred to
 * fit. Values past `maxValue` (gandemo/core/targets.py's MAX_VALUE) are refused. Errors name the line.
 */
export function parsePoints(text, { maxPoints, limit, maxValue = 1e6, name = "points file" }) {
  const rows = [];
  const lines = String(text).split(/\r\n|\r|\n/);
  for (let number = 1; number <= lines.length; number++) {
    const values = readRow(lines[number - 1], number, { name, maxValue });
    if (values === null) continue;
    rows.push(values);
    if (rows.length > maxPoints)
      throw new Error(`${name} has more than ${maxPoints.toLocaleString("en-US")} points; use fewer`);
  }
  if (!rows.length) throw new Error(`${name} holds no x,y rows`);
  let peak = 0;
  for (const [x, y] of rows) peak = Math.max(peak, Math.abs(x), Math.abs(y));
  if (peak > limit) {
    const centre = [0, 1].map((k) => (Math.max(...rows.map((r) => r[k])) + Math.min(...rows.map((r) => r[k]))) / 2);
    const spread = Math.max(1e-9, ...rows.map(([x, y]) => Math.max(Math.abs(x - centre[0]), Math.abs(y - centre[1]))));
    return rows.map(([x, y]) => [((x - centre[0]) * limit) / spread, ((y - centre[1]) * limit) / spread]);
  }
  return rows;
}

/** The visitor's points as a link's text (gandemo/core/targets.py's link_text): x_y_x_y..., each rounded to
 * `decimals`; null when there are more than `maxLinkPoints` (too many for a link). */
export function pointsLinkText(points, { max_link_points: most, link_decimals: decimals }) {
  if (points.length > most) return null;
  const word = (v) => String(Number(v.toFixed(decimals)) + 0); // (+ 0: no "-0")
  return points.map(([x, y]) => `${word(x)}_${word(y)}`).join("_");
}

/** A link's points text as [[x, y], ...] (gandemo/core/targets.py's read_link_points, its sentences). */
export function readLinkPoints(text, { max_link_points: most, limit, link_too_many: tooMany }) {
  const t = String(text ?? "").trim();
  if (t === tooMany)
    throw new RangeError(`the sender's own target had more points than a link holds (${most}): draw your own`);
  const words = t ? t.split("_") : [];
  if (words.length % 2 || words.length > 2 * most)
    throw new RangeError(`points must be up to ${most} x_y pairs joined by _, like 0.5_1_-1.2_0`);
  const values = words.map((word, i) => {
    const value = asFloat(word.trim());
    if (value === null) throw new RangeError(`points: '${word.slice(0, 20)}' (number ${i + 1}) is not a number`);
    if (!Number.isFinite(value) || value < -limit || value > limit) {
      throw new RangeError(
        `each of the points' coordinates must be from ${-limit} to ${limit}, got ${word.slice(0, 20)}`,
      );
    }
    return value;
  });
  return values.flatMap((v, i) => (i % 2 ? [] : [[v, values[i + 1]]]));
}
