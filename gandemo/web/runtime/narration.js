// Live narration for the Playground: sentences on what the measurements taken every CHECK_EVERY steps show
// (runtime/playground.js), each said once or at most every so many steps. Its word for collapse is the alarm's
// (gandemo/core/explain.py TOY_ALARM, through runtime/coverage.js), so the two never disagree.

export const CHECK_EVERY = 25; // steps between measurements
const MAX_LINES = 40;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const pct = (share) => (100 * share).toFixed(0);

/** Python's "{:.3g}" / "{:.2g}" for the numbers the lines quote. */
export function significant(value, digits) {
  if (value === 0) return "0";
  const exponent = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(digits)))));
  if (exponent < -4 || exponent >= digits) {
    const [mantissa, power] = value.toExponential(digits - 1).split("e");
    const clean = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
    const sign = power[0] === "-" ? "-" : "+";
    return `${clean}e${sign}${power.replace(/^[+-]/, "").padStart(2, "0")}`;
  }
  const fixed = value.toFixed(Math.max(0, digits - 1 - exponent));
  return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
}

export class Narrator {
  constructor() {
    this.lines = []; // [step, text]
    this.seen = [];
    this.said = new Map();
    this.bestCovered = 0;
  }

  say(step, key, text, every = 0) {
    const last = this.said.get(key);
    if (last !== undefined && (every === 0 || step - last < every)) return;
    this.said.set(key, step);
    this.lines.push([step, text]);
    if (this.lines.length > MAX_LINES) this.lines.splice(0, this.lines.length - MAX_LINES);
  }

  /** m: { step, covered (or null), modes (or null), on_target, moved, gap, part, verdict ([level, words] or null) }. */
  observe(m) {
    const before = this.seen.length ? this.seen[this.seen.length - 1] : null;
    this.seen.push(m);
    if (this.seen.length > 12) this.seen.splice(0, this.seen.length - 12);
    if (m.part === "discriminator only" && (before === null || before.part !== m.part)) {
      this.say(
        m.step,
        "frozen-g",
        "Only the discriminator trains now: watch its map sharpen around the real points while the generated " +
          "ones stay put. Its gap between real and generated scores grows.",
        1,
      );
    }
    if (m.part === "generator only" && (before === null || before.part !== m.part)) {
      this.say(
        m.step,
        "frozen-d",
        "Only the generator trains now: its points climb the frozen map toward where the discriminator scores " +
          "highest, and may overshoot, since nothing moves the map to follow them.",
        1,
      );
    }
    if (m.covered !== null) this.coverage(m, before);
    this.onTarget(m);
    this.gap(m);
    this.lagging(m);
    this.standingStill(m);
  }

  coverage(m, before) {
    if (before === null) {
      this.say(
        m.step,
        "first",
        `The generated points cover ${m.covered} of ${m.modes} modes so far. Each training step, the ` +
          "discriminator learns where real points are, and the generator moves its points toward there.",
      );
    }
    if (m.covered === m.modes && this.bestCovered < m.modes) {
      this.say(
        m.step,
        "all",
        `All ${m.modes} modes captured. From here the points should tighten onto each mode ` +
          `(${pct(m.on_target)}% are close to real points now).`,
      );
    } else if (m.covered * 2 >= m.modes && m.modes > this.bestCovered * 2) {
      this.say(m.step, "half", `Half the modes captured: ${m.covered} of ${m.modes}.`);
    }
    this.bestCovered = Math.max(this.bestCovered, m.covered);
    this.collapse(m, before);
    if (this.bestCovered * 2 < m.modes) return;
    const recent = this.seen
      .slice(-8)
      .filter((s) => s.covered !== null)
      .map((s) => s.covered);
    const swing = m.modes >= 8 ? 2 : 1;
    let turns = 0;
    for (let i = 0; i + 2 < recent.length; i++) {
      const [a, b, c] = [recent[i], recent[i + 1], recent[i + 2]];
      if ((b - a) * (c - b) < 0 && Math.abs(b - a) >= swing && Math.abs(c - b) >= swing) turns += 1;
    }
    if (turns >= 3) {
      this.say(
        m.step,
        "oscillation",
        "The number of modes covered keeps rising and falling: the two networks chase each other around the " +
          "target instead of settling. Lower learning rates, more critic steps or a penalty damp this.",
        600,
      );
    }
  }

  /** The alarm turned to collapse: the points crowd together (not merely fewer modes captured this time). */
  collapse(m, before) {
    const level = (s) => (s && s.verdict ? s.verdict[0] : null);
    if (level(m) !== "collapse" || level(before) === "collapse") return;
    this.say(
      m.step,
      "collapse",
      `${m.verdict[1].charAt(0).toUpperCase()}${m.verdict[1].slice(1)}. The generator moved many points to the ` +
        "same places that fooled the discriminator; when it catches up, they jump on together.",
      400,
    );
  }

  onTarget(m) {
    const hint =
      m.covered !== null
        ? "The rest are stragglers between the modes, where the discriminator's map still slopes."
        : "Look at the gaps: thin parts of a shape are the last to be covered.";
    for (const [share, key] of [
      [0.5, "half-on"],
      [0.9, "most-on"],
    ]) {
      if (m.on_target >= share)
        this.say(m.step, key, `${pct(m.on_target)}% of the generated points now lie on the target. ${hint}`);
    }
  }

  lagging(m) {
    const recent = this.seen.slice(-3);
    if (m.part !== "both" || recent.length < 3) return;
    if (m.gap < 0) {
      this.say(
        m.step,
        "lagging",
        "The discriminator now scores the generated points above the real ones: it lags behind the generator, " +
          "whose points moved past what it learned. More discriminator steps per generator step let it catch up.",
        500,
      );
    }
    if (m.step >= 8 * CHECK_EVERY && recent.every((s) => s.moved > 0.5) && m.on_target < 0.5) {
      this.say(
        m.step,
        "restless",
        `The points travel far between looks (about ${m.moved.toFixed(1)} units every ${CHECK_EVERY} steps) but ` +
          "never settle: the generator follows directions the discriminator gave for where its points used to be.",
        500,
      );
    }
  }

  gap(m) {
    const earlier = this.seen.slice(0, -1).map((s) => Math.abs(s.gap));
    if (earlier.length >= 4) {
      const usual = median(earlier);
      if (Math.abs(m.gap) > Math.max(5 * usual, 2.0)) {
        this.say(
          m.step,
          "gap",
          `The discriminator's gap between real and generated scores jumped to ${significant(m.gap, 3)} (it was ` +
            `about ${significant(usual, 2)}): it now tells them apart easily, so its gradients get steep and the ` +
            "generator's moves large. A gradient penalty or a lower discriminator rate reins it in.",
          500,
        );
      }
    }
  }

  standingStill(m) {
    const still = this.seen.slice(-4);
    if (still.length < 4 || m.part === "discriminator only" || still.some((s) => s.part === "discriminator only"))
      return;
    if (still.slice(1).every((s) => s.moved < 0.003) && m.on_target < 0.9) {
      this.say(
        m.step,
        "still",
        `The generated points have barely moved for ${m.step - still[0].step} steps, yet only ` +
          `${pct(m.on_target)}% are on the target: the generator gets almost no gradient (the discriminator is ` +
          "saturated, or the learning rate too small).",
        1000,
      );
    }
  }

  /** The newest lines first, as [step, text]. */
  newest(count = 6) {
    return this.lines.slice(-count).reverse();
  }
}
