"""A discriminator's verdict on one digit, placed on two spreads so the number means something: its scores on
real test digits and on its own generator's samples, kept as quantiles in the checkpoint's config.json
(``"discriminator"``, written by ``python -m train.discriminator``). ``web/runtime/judges.js`` places a score
the same way, reading the same quantiles.

A conditional discriminator judges a digit together with a label: real test digits with their own, samples with
the label they were drawn for, and a drawing with the classifier's top guess."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from ..core.checkpoints import DISCRIMINATOR_NAME
from ..core.data import to_unit_range
from ..core.sampling import latents

QUANTILES = 20  # the spreads keep the 0%, 5%, ..., 100% points


def judged(folder, config: dict) -> bool:
    """Whether a checkpoint folder ships a discriminator with its spreads (a folder saved from the browser keeps
    the weights without them): the models the Draw a digit tab judges and inverts, in the page and from Python."""
    return (Path(folder) / DISCRIMINATOR_NAME).is_file() and "scores" in (config.get("discriminator") or {})


def quantiles(values) -> list[float]:
    """The 0%, 5%, ..., 100% points of ``values`` (numpy's linear interpolation), rounded for the JSON."""
    points = np.quantile(np.asarray(values, dtype=np.float64), np.linspace(0, 1, QUANTILES + 1))
    return [round(float(v), 5) for v in points]


def percentile(value: float, points: list[float]) -> float:
    """Where ``value`` falls among ``points`` (the quantiles), in percent: 0 below the least, 100 above the
    greatest, linear between neighbouring quantiles (``judges.js`` percentile reads the same way)."""
    if value <= points[0]:
        return 0.0
    for k in range(len(points) - 1):
        low, high = points[k], points[k + 1]
        if value < high:
            share = (value - low) / (high - low) if high > low else 0.0
            return 100.0 * (k + share) / (len(points) - 1)
    return 100.0


@torch.no_grad()
def scores(discriminator: nn.Module, images: torch.Tensor, labels: torch.Tensor | None) -> np.ndarray:
    """The discriminator's raw outputs (logits or critic scores) on ``images`` in [-1, 1], in chunks."""
    out = [
        discriminator(images[i : i + 500], None if labels is None else labels[i : i + 500])
        for i in range(0, len(images), 500)
    ]
    return torch.cat(out).double().numpy()


@torch.no_grad()
def score_spreads(generator, discriminator, test_images, test_labels, *, n: int, seed: int) -> dict:
    """The quantiles of the discriminator's scores on the first ``n`` real test digits and on ``n`` samples
    (portable latents of ``seed``; a conditional model's sample i drawn for digit i mod 10)."""
    conditional = generator.config.num_classes > 0
    real = to_unit_range(test_images[:n])
    real_labels = test_labels[:n] if conditional else None
    labels = torch.arange(n) % 10 if conditional else None
    fakes = torch.cat(
        [
            generator(
                latents(seed, min(500, n - i), generator.config.latent_dim, start=i),
                None if labels is None else labels[i : i + 500],
            )
            for i in range(0, n, 500)
        ]
    )
    real_scores, fake_scores = scores(discriminator, real, real_labels), scores(discriminator, fakes, labels)
    median_real, median_fake = float(np.median(real_scores)), float(np.median(fake_scores))
    words = f"median score {median_real:.3g} on real test digits, {median_fake:.3g} on its generator's samples"
    return {
        "scores": {
            "n": n,
            "seed": seed,
            "real": quantiles(real_scores),
            "samples": quantiles(fake_scores),
            "words": words,
        }
    }


def verdict(discriminator: nn.Module, spread: dict, digit: np.ndarray, label: int | None) -> dict:
    """One digit's score (``digit``: 28 x 28 ink in [0, 1]) and its percentiles among real digits and samples."""
    image = torch.from_numpy(np.asarray(digit, dtype=np.float32).reshape(1, 1, 28, 28) * 2 - 1)
    labels = None if label is None else torch.tensor([label])
    score = float(scores(discriminator, image, labels)[0])
    return {
        "score": score,
        "real_percentile": percentile(score, spread["real"]),
        "sample_percentile": percentile(score, spread["samples"]),
    }
