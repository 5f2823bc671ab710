// Mode coverage of 2-D samples, as gandemo.measures.metrics.mode_coverage defines it (VEEGAN / PacGAN): a sample is
// high quality within 3 std of its nearest mode; a mode is captured by one high-quality sample nearest to it;
// the KL divergence is that of the high-quality samples' mode histogram from uniform.

/** A mode's neighbourhood radius: a quarter of the closest distance between two modes (3 std for one mode). */
function neighbourhood(centers, std) {
  let closest = Infinity;
  centers.forEach(([ax, ay], a) =>
    centers.forEach(([bx, by], b) => {
      if (a < b) closest = Math.min(closest, Math.hypot(ax - bx, ay - by));
    }),
  );
  return centers.length < 2 ? 3 * std : closest / 4;
}

/**
 * points: Float32Array (x, y interleaved); centers: [[x, y], ...]. Also near_share (samples within a mode's
 * neighbourhood) and modes_held (neighbourhoods holding a quarter of an even split of those), for the alarm.
 * @param {Float32Array} points @param {number[][]} centers @param {number} std
 */
export function modeCoverage(points, centers, std) {
  const n = points.length / 2;
  const counts = new Array(centers.length).fill(0);
  const near = new Array(centers.length).fill(0);
  const radius = neighbourhood(centers, std);
  let good = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let nearest = 0;
    centers.forEach(([cx, cy], k) => {
      const d = Math.hypot(points[2 * i] - cx, points[2 * i + 1] - cy);
      if (d < best) [best, nearest] = [d, k];
    });
    if (best <= radius) near[nearest] += 1;
    if (best <= 3 * std) {
      good += 1;
      counts[nearest] += 1;
    }
  }
  const total = counts.reduce((a, b) => a + b, 0);
  const nearTotal = near.reduce((a, b) => a + b, 0);
  const shares = counts.map((c) => (total ? c / total : 0));
  const kl = total ? shares.filter((s) => s > 0).reduce((sum, s) => sum + s * Math.log(s * centers.length), 0) : null;
  return {
    near_share: n ? nearTotal / n : 0,
    modes_held: near.filter((c) => c > 0 && c * centers.length * 4 >= nearTotal).length,
    modes_captured: counts.filter((c) => c > 0).length,
    modes_total: centers.length,
    high_quality_share: n ? good / n : 0,
    kl_to_uniform: kl,
  };
}

/** The alarm's level, as gandemo.core.explain._toy_level. */
function toyLevel(coverage, alarm, run) {
  const { modes_total: total, modes_held: held, near_share: near } = coverage;
  if (held <= alarm.collapse_share * total) {
    const young = run != null && run.step < alarm.early_steps;
    return young || Math.max(near, run ? run.near : 0) < alarm.early_near ? "early" : "collapse";
  }
  if (near < alarm.settle_near) return "learning";
  if (held === total) return "none";
  return coverage.modes_captured === total ? "uneven" : "partial";
}

/**
 * The 2-D collapse alarm, as gandemo.core.explain.toy_verdict: [level, words] from a draw's coverage and the alarm's
 * table (site.coverage.alarm); run ({ step, near, held, held_step }) is a training run's step now, the largest
 * near share it has had and the most modes it has held (at held_step).
 * @param {{modes_total: ?number, modes_held: ?number, near_share: number, modes_captured: number}} coverage
 * @param {object} alarm @param {?{step: number, near: number, held: number, held_step: number}} [run]
 * @returns {?[string, string]}
 */
export function toyVerdict(coverage, alarm, run = null) {
  const { modes_total: total, modes_held: held } = coverage;
  if (!total || held == null) return null;
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
  const level = toyLevel(coverage, alarm, run);
  const best = run && run.held > held ? fill(alarm.words.best, { held: run.held, step: run.held_step }) : "";
  const near = Math.floor(100 * coverage.near_share + 0.5);
  return [level, fill(alarm.words[level], { total, held, thin: total - held, near, best })];
}

/** The alarm's colour for a level: "on" (collapse), "warn" or "off". @param {string} level @param {object} alarm */
export function toyTone(level, alarm) {
  return alarm.tones[level] || "off";
}
