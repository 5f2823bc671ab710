// Mode coverage of 2-D samples, as gandemo.metrics.mode_coverage defines it (VEEGAN / PacGAN): a sample is
// high quality within 3 std of its nearest mode; a mode is captured by one high-quality sample nearest to it;
// the KL divergence is that of the high-quality samples' mode histogram from uniform.

/** points: Float32Array (x, y interleaved); centers: [[x, y], ...]. */
export function modeCoverage(points, centers, std) {
  const n = points.length / 2;
  const counts = new Array(centers.length).fill(0);
  let good = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let nearest = 0;
    centers.forEach(([cx, cy], k) => {
      const d = Math.hypot(points[2 * i] - cx, points[2 * i + 1] - cy);
      if (d < best) [best, nearest] = [d, k];
    });
    if (best <= 3 * std) {
      good += 1;
      counts[nearest] += 1;
    }
  }
  const total = counts.reduce((a, b) => a + b, 0);
  const shares = counts.map((c) => (total ? c / total : 0));
  const kl = total ? shares.filter((s) => s > 0).reduce((sum, s) => sum + s * Math.log(s * centers.length), 0) : null;
  return {
    modes_captured: counts.filter((c) => c > 0).length,
    modes_total: centers.length,
    high_quality_share: n ? good / n : 0,
    kl_to_uniform: kl,
  };
}

/** The 2-D collapse alarm, as gandemo.explain.toy_verdict: [level, words] from a draw's coverage and the alarm's
 * table (site.coverage.alarm); best ({ captured, step }) is the most modes a run has captured so far. */
export function toyVerdict(coverage, alarm, best = null) {
  const { modes_total: total, modes_captured: captured, kl_to_uniform: kl } = coverage;
  if (!total || captured == null) return null;
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
  if (captured === total) {
    const level = kl != null && kl < alarm.uneven_kl ? "none" : "uneven";
    return [level, fill(alarm.words[level], { total, kl: kl == null ? "–" : kl.toFixed(2) })];
  }
  const level = captured <= alarm.collapse_share * total ? "collapse" : "partial";
  const shown = best && best.captured > captured ? fill(alarm.words.best, best) : "";
  return [level, fill(alarm.words[level], { captured, total, best: shown })];
}
