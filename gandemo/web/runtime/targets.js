// The 2-D targets (site.targets: gandemo/targets.py's table) and their sampler, as gandemo/targets.py
// specifies it: point i of draw d takes the Philox words of counter (d, i, 0, 2) under the seed's key.

import { philox4x32, seedKey } from "./random.js";

export const TARGET = 2;
const TWO_32 = 4294967296;

function boxMuller(x0, x1) {
  const u1 = (x0 + 0.5) / TWO_32;
  const theta = 2 * Math.PI * (x1 / TWO_32);
  const r = Math.sqrt(-2 * Math.log(u1));
  return [r * Math.cos(theta), r * Math.sin(theta)];
}

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
  if (spec.kind === "points" && points && points.length > 0 && points.length <= maxModes) return { centers: points, std: spec.std };
  return null;
}
