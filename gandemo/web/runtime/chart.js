// A loss chart's y-range without its spikes: gandemo/core/plots.py robust_limits, on the same rule (site data:
// plots.CLIP), so the Playground's live chart and the Training tab's charts clip alike.

/** The chart's y-range without its spikes (gandemo/core/plots.py robust_limits, the same CLIP rule), or null. */
export function robustLimits(values, { percentiles: [p1, p2], margin, spread, least }) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length < least) return null;
  const at = (p) => {
    const i = (p / 100) * (sorted.length - 1); // (numpy's linear interpolation)
    const k = Math.floor(i);
    return sorted[k] + (i - k) * ((sorted[k + 1] ?? sorted[k]) - sorted[k]);
  };
  const room = margin * Math.max(at(p2) - at(p1), 1e-9);
  const [low, high] = [at(p1) - room, at(p2) + room];
  return sorted[sorted.length - 1] - sorted[0] < spread * (high - low) ? null : [low, high];
}
