"""Live narration for the Playground: short lines, written when a measurement of the session changes in a
way a learner should notice (modes captured rising or falling, the critic's gap blowing up, the generator
standing still), each saying what is happening and why."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

CHECK_EVERY = 25  # steps between measurements
MAX_LINES = 40


@dataclass(frozen=True)
class Measurement:
    """What the session measured at one step, on its fixed noise and fixed real sample."""

    step: int
    covered: int | None  # modes captured (mixture targets), else None
    modes: int | None
    on_target: float  # share of generated points close to some real point
    moved: float  # mean distance the generated points moved since the last measurement
    gap: float  # mean critic score of real points minus that of generated points
    part: str  # what trains: "both", "discriminator only" or "generator only"


@dataclass
class Narrator:
    lines: list[tuple[int, str]] = field(default_factory=list)
    _seen: list[Measurement] = field(default_factory=list)
    _said: dict[str, int] = field(default_factory=dict)  # what was said last, at which step
    _best_covered: int = 0

    def _say(self, step: int, key: str, text: str, *, every: int = 0) -> None:
        """Add a line, unless the same kind of line was said within ``every`` steps (0: only once)."""
        last = self._said.get(key)
        if last is not None and (every == 0 or step - last < every):
            return
        self._said[key] = step
        self.lines.append((step, text))
        del self.lines[:-MAX_LINES]

    def observe(self, m: Measurement) -> None:
        before = self._seen[-1] if self._seen else None
        self._seen.append(m)
        del self._seen[:-12]
        if m.part == "discriminator only" and (before is None or before.part != m.part):
            self._say(
                m.step,
                "frozen-g",
                "Only the discriminator trains now: watch its map sharpen around the real points while the "
                "generated ones stay put. Its gap between real and generated scores grows.",
                every=1,  # (each time it is switched on)
            )
        if m.part == "generator only" and (before is None or before.part != m.part):
            self._say(
                m.step,
                "frozen-d",
                "Only the generator trains now: its points climb the frozen map toward where the discriminator "
                "scores highest, and may overshoot, since nothing moves the map to follow them.",
                every=1,  # (each time it is switched on)
            )
        if m.covered is not None:
            self._coverage(m, before)
        self._on_target(m)
        self._gap(m)
        self._lagging(m)
        self._standing_still(m)

    def _coverage(self, m: Measurement, before: Measurement | None) -> None:
        if before is None:
            self._say(
                m.step,
                "first",
                f"The generated points cover {m.covered} of {m.modes} modes so far. Each training step, the "
                "discriminator learns where real points are, and the generator moves its points toward there.",
            )
        if m.covered == m.modes and self._best_covered < m.modes:
            self._say(
                m.step,
                "all",
                f"All {m.modes} modes captured. From here the points should tighten onto each mode "
                f"({100 * m.on_target:.0f}% are close to real points now).",
            )
        elif m.covered * 2 >= m.modes > self._best_covered * 2:
            self._say(m.step, "half", f"Half the modes captured: {m.covered} of {m.modes}.")
        self._best_covered = max(self._best_covered, m.covered)
        if self._best_covered * 2 < m.modes:  # still finding the modes: ups and downs mean little yet
            return
        recent = [s.covered for s in self._seen[-8:] if s.covered is not None]
        peak = max(recent)
        if m.covered <= peak - 2:
            self._say(
                m.step,
                "collapse",
                f"Modes captured fell from {peak} to {m.covered}: mode collapse. The generator moved many points "
                "to the same places that fooled the discriminator; when it catches up, they jump on together.",
                every=400,
            )
        swing = 2 if m.modes >= 8 else 1
        turns = sum(
            1
            for a, b, c in zip(recent, recent[1:], recent[2:], strict=False)
            if (b - a) * (c - b) < 0 and abs(b - a) >= swing and abs(c - b) >= swing
        )
        if turns >= 3:
            self._say(
                m.step,
                "oscillation",
                "The number of modes covered keeps rising and falling: the two networks chase each other around "
                "the target instead of settling. Lower learning rates, more critic steps or a penalty damp this.",
                every=600,
            )

    def _on_target(self, m: Measurement) -> None:
        hint = (
            "The rest are stragglers between the modes, where the discriminator's map still slopes."
            if m.covered is not None
            else "Look at the gaps: thin parts of a shape are the last to be covered."
        )
        for share, key in ((0.5, "half-on"), (0.9, "most-on")):
            if m.on_target >= share:
                share_text = f"{100 * m.on_target:.0f}% of the generated points now lie on the target."
                self._say(m.step, key, f"{share_text} {hint}")

    def _lagging(self, m: Measurement) -> None:
        recent = self._seen[-3:]
        if m.part != "both" or len(recent) < 3:
            return
        if m.gap < 0:
            self._say(
                m.step,
                "lagging",
                "The discriminator now scores the generated points above the real ones: it lags behind the "
                "generator, whose points moved past what it learned. More discriminator steps per generator step "
                "let it catch up.",
                every=500,
            )
        if m.step >= 8 * CHECK_EVERY and all(s.moved > 0.5 for s in recent) and m.on_target < 0.5:
            self._say(
                m.step,
                "restless",
                f"The points travel far between looks (about {m.moved:.1f} units every {CHECK_EVERY} steps) but "
                "never settle: the generator follows directions the discriminator gave for where its points used "
                "to be.",
                every=500,
            )

    def _gap(self, m: Measurement) -> None:
        earlier = [abs(s.gap) for s in self._seen[:-1]]
        if len(earlier) >= 4:
            usual = statistics.median(earlier)
            if abs(m.gap) > max(5 * usual, 2.0):
                self._say(
                    m.step,
                    "gap",
                    f"The discriminator's gap between real and generated scores jumped to {m.gap:.3g} (it was "
                    f"about {usual:.2g}): it now tells them apart easily, so its gradients get steep and the "
                    "generator's moves large. A gradient penalty or a lower discriminator rate reins it in.",
                    every=500,
                )

    def _standing_still(self, m: Measurement) -> None:
        still = self._seen[-4:]
        if len(still) < 4 or m.part == "discriminator only" or any(s.part == "discriminator only" for s in still):
            return
        if all(s.moved < 0.003 for s in still[1:]) and m.on_target < 0.9:
            self._say(
                m.step,
                "still",
                f"The generated points have barely moved for {m.step - still[0].step} steps, yet only "
                f"{100 * m.on_target:.0f}% are on the target: the generator gets almost no gradient (the "
                "discriminator is saturated, or the learning rate too small).",
                every=1000,
            )

    def markdown(self, newest: int = 6) -> str:
        if not self.lines:
            return "_Narration appears here while the session trains._"
        return "\n".join(f"- **step {step}**: {text}" for step, text in reversed(self.lines[-newest:]))
