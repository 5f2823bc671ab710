// Live narration for the Train on digits tab: sentences on what the classifier reads in each batch of fresh
// samples (runtime/digits.js measure), each said once or when it changes. Its word for collapse is the alarm's
// (gandemo/core/explain.py DIGIT_ALARM, through runtime/digit-alarm.js), so the two never disagree.

const MAX_LINES = 40;
const pct = (share) => `${Math.round(100 * share)}%`;

export class DigitNarrator {
  /** alarm: site.digits.alarm; conditional: the generator is told which digit to draw. */
  constructor(alarm, conditional) {
    this.alarm = alarm;
    this.conditional = conditional;
    this.lines = []; // [step, text]
    this.before = null;
    this.said = new Set();
  }

  say(step, text, key = null) {
    if (key !== null) {
      if (this.said.has(key)) return;
      this.said.add(key);
    }
    this.lines.push([step, text]);
    if (this.lines.length > MAX_LINES) this.lines.splice(0, this.lines.length - MAX_LINES);
  }

  newest(n) {
    return this.lines.slice(-n).reverse();
  }

  /** m: a reading ({ step, histogram, top_share, duplicates, label_accuracy, verdict, part }). */
  observe(m) {
    const before = this.before;
    this.before = m;
    const top = m.histogram.indexOf(m.top_share);
    if (m.step === 0) {
      this.say(
        0,
        `Before any training the classifier reads digit ${top} in ${pct(m.top_share)} of samples: ` +
          "they are noise, and it has to call them something.",
        "start",
      );
      return;
    }
    if (m.part !== "both" && (!before || before.part !== m.part))
      this.say(
        m.step,
        m.part === "discriminator only"
          ? "Only the discriminator trains now: the grid stays still while it learns to tell it from real digits."
          : "Only the generator trains now: it chases a discriminator that no longer moves.",
      );
    const beforeTop = before ? before.histogram.indexOf(before.top_share) : -1;
    if (top !== beforeTop || !before || Math.abs(m.top_share - before.top_share) >= 0.1) {
      const was = before ? ` (it was ${pct(before.histogram[top])})` : "";
      this.say(m.step, `Digit ${top} is now ${pct(m.top_share)} of samples${was}, the commonest.`);
    }
    const rarest = Math.min(...m.histogram);
    if (rarest >= this.alarm.missing_share)
      this.say(
        m.step,
        `All ten digits now appear: the rarest, digit ${m.histogram.indexOf(rarest)}, is ` +
          `${pct(rarest)} of samples.`,
        "all-ten",
      );
    this.collapse(m, before);
    if (this.conditional && m.label_accuracy !== null) {
      const level = Math.floor(10 * m.label_accuracy); // (said at each new tenth: 30%, 40%, ...)
      if (level >= 2)
        this.say(
          m.step,
          `The classifier reads the digit each sample was asked for in ${pct(m.label_accuracy)} ` +
            "of samples (chance: 10%): the generator is learning the labels.",
          `labels-${level}`,
        );
    }
  }

  /** The alarm's word, each time it turns on or off. */
  collapse(m, before) {
    const was = before && before.verdict ? before.verdict[0] : null;
    if (!m.verdict || m.verdict[0] === was) return;
    this.say(
      m.step,
      m.verdict[0]
        ? `Collapse alarm: ${m.verdict[1]}. The generator repeats a few kinds of sample; the discriminator will ` +
            "push it elsewhere, often onto another few."
        : `The alarm is off: ${m.verdict[1]}.`,
    );
  }
}
