"""The Playground's one-click experiments, as data the browser reads: each gives settings that show one classic
behaviour, two sentences on it, and what a learner should see by when (``expect``), which the browser test
holds each preset to (the sessions are seeded, so the numbers quoted are the ones a visitor sees).

``expect`` rules, read on the measurements taken every 25 steps up to ``by_step``: ``reaches`` (the last one is
at least ``value``), ``stays_under`` (every one is at most ``value``), ``swings`` (the largest minus the
smallest, after the first quarter, is at least ``value``); ``measure`` is ``modes`` (captured) or ``on_target``
(the share of generated points on the target). ``alarm``, read on the same measurements: the collapse alarm
(gandemo.core.explain.TOY_ALARM) ``reads`` one level on every one from ``from_step`` on, or ``shows`` each of
some levels at least once."""

from __future__ import annotations

from .settings import PLAYGROUND

DEFAULTS = {key: setting.default for key, setting in PLAYGROUND.items()}
BASE = {"objective": "wgan-gp", "target": "8 Gaussians", **DEFAULTS}

PRESETS: dict[str, dict] = {
    "WGAN-GP covers the ring": {
        "settings": {**BASE},
        "explanation": "The Wasserstein critic with a gradient penalty, trained five times per generator step, as "
        "in the paper's toy. Its smooth map pulls every point toward some mode: all 8 of 8 are covered by step "
        "1,000, and they stay.",
        "expect": {"by_step": 1000, "measure": "modes", "rule": "reaches", "value": 8},
        "alarm": {"reads": "none", "from_step": 700},
    },
    "Mode collapse: the plain GAN on the ring": {
        "settings": {**BASE, "objective": "gan", "critic": 1, "gp": 0.0},
        "explanation": "The original objective, with no penalty and no PacGAN trick. The generated points bunch "
        "onto a few modes and jump together to others: through step 1,000 they never hold more than 3 of the 8, "
        "because the discriminator only ever says where to go next.",
        "expect": {"by_step": 1000, "measure": "modes", "rule": "stays_under", "value": 3},
        "alarm": {"reads": "collapse", "from_step": 150},
    },
    "Learning rate too high: oscillation": {
        "settings": {**BASE, "objective": "gan", "critic": 1, "gp": 0.0, "g_lr": 5e-3, "d_lr": 5e-3},
        "explanation": "The plain GAN with learning rates five times higher. Each network overshoots the other's "
        "last move, so the points swing around the ring: by step 1,500 the modes covered have risen and fallen "
        "by 4 or more.",
        "expect": {"by_step": 1500, "measure": "modes", "rule": "swings", "value": 4},
        "alarm": {"shows": ["collapse", "none"]},
    },
    "Too few critic steps": {
        "settings": {**BASE, "critic": 1},
        "explanation": "WGAN-GP, but the critic trains once per generator step instead of five times. Its map lags "
        "behind the generator, so the points wander instead of settling: at most 2 of the 8 modes through step "
        "1,000 (the same settings with 5 critic steps cover all 8).",
        "expect": {"by_step": 1000, "measure": "modes", "rule": "stays_under", "value": 2},
        "alarm": {"reads": "collapse", "from_step": 200},
    },
    "Least squares on the swiss roll": {
        "settings": {**BASE, "objective": "lsgan", "target": "swiss roll", "critic": 1, "width": 64, "batch": 128},
        "explanation": "LSGAN pulls generated points toward the real ones in proportion to how wrong the "
        "discriminator finds them. A thin spiral is hard: the inner turns fill in last, and by step 2,000 about "
        "90% of the points lie on the roll.",
        "expect": {"by_step": 2000, "measure": "on_target", "rule": "reaches", "value": 0.85},
        "alarm": None,  # a spiral has no modes to count
    },
}


def table() -> dict:
    return PRESETS
