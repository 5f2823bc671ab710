"""Is a generator copying its training data? The data-copying statistic C_T of Meehan, Chaudhuri and
Dasgupta (AISTATS 2020), in the MNIST classifier's feature space.

The training digits' features are cut into cells by k-means. In each cell, the distances from real test digits
to their nearest training digit (in that cell) are compared with the distances from generated samples to theirs
by a Mann-Whitney U test, z-scored: a sample that copies a training digit sits closer to it than a fresh real
digit does, so its z is well below 0; one that underfits sits farther, well above 0. C_T averages the cells' z,
weighted by the share of test digits in each, over the cells holding more than ``tau`` of the samples (the
paper's 20 samples of 10,000): C_T far below 0 says copying, far above 0 underfitting, near 0 neither.
"""

from __future__ import annotations

import numpy as np
import torch

CELLS = 50  # k-means cells, as in the paper's MNIST experiments
MIN_SAMPLES = 20  # a cell counts when it holds more than this many generated samples (the paper's tau = 20 / m)
KMEANS_STEPS = 50


def _as_tensor(x) -> torch.Tensor:
    return torch.as_tensor(np.asarray(x), dtype=torch.float64)


def kmeans(points, k: int = CELLS, *, seed: int = 0, steps: int = KMEANS_STEPS) -> torch.Tensor:
    """(k, F) centres: k-means++ starts drawn from a generator seeded with ``seed``, then Lloyd steps."""
    points = _as_tensor(points)
    if len(points) < k:
        raise ValueError(f"k-means with {k} cells needs at least {k} points, got {len(points)}")
    draw = torch.Generator().manual_seed(seed)
    centres = [points[torch.randint(len(points), (1,), generator=draw)].squeeze(0)]
    nearest = ((points - centres[0]) ** 2).sum(dim=1)
    for _ in range(1, k):
        chosen = torch.multinomial(nearest / nearest.sum(), 1, generator=draw)
        centres.append(points[chosen].squeeze(0))
        nearest = torch.minimum(nearest, ((points - centres[-1]) ** 2).sum(dim=1))
    centres = torch.stack(centres)
    for _ in range(steps):
        cells = assign(points, centres)
        sums = torch.zeros_like(centres).index_add_(0, cells, points)
        counts = torch.bincount(cells, minlength=k).double()
        moved = torch.where(counts[:, None] > 0, sums / counts.clamp(min=1)[:, None], centres)
        if torch.equal(moved, centres):
            break
        centres = moved
    return centres


def assign(points, centres: torch.Tensor, *, chunk: int = 8192) -> torch.Tensor:
    """Each point's cell: the index of its nearest centre."""
    points = _as_tensor(points)
    return torch.cat([torch.cdist(points[i : i + chunk], centres).argmin(dim=1) for i in range(0, len(points), chunk)])


def nearest_distances(points, reference, *, chunk: int = 2048) -> np.ndarray:
    """Each point's distance to its nearest row of ``reference``."""
    points, reference = _as_tensor(points), _as_tensor(reference)
    parts = [torch.cdist(points[i : i + chunk], reference).min(dim=1).values for i in range(0, len(points), chunk)]
    return torch.cat(parts).numpy() if parts else np.zeros(0)


def _ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, ties given their average rank."""
    order = np.argsort(values, kind="stable")
    _, inverse, counts = np.unique(values[order], return_inverse=True, return_counts=True)
    average = np.cumsum(counts) - (counts - 1) / 2
    ranks = np.empty(len(values))
    ranks[order] = average[inverse]
    return ranks


def mann_whitney_z(generated: np.ndarray, test: np.ndarray) -> float:
    """The z-score of the Mann-Whitney U of ``generated`` against ``test`` under the null of one distribution:
    negative when generated values tend to be smaller."""
    m, n = len(generated), len(test)
    u = _ranks(np.concatenate([generated, test]))[:m].sum() - m * (m + 1) / 2
    return float((u - m * n / 2) / np.sqrt(m * n * (m + n + 1) / 12))


def data_copying(train, test, generated, *, k: int = CELLS, min_samples: int = MIN_SAMPLES, seed: int = 0) -> dict:
    """C_T of ``generated`` features against ``train`` and ``test`` features, and each cell's view: its z (None
    where too few samples fall in it to count), its test digits and its samples."""
    train, test, generated = _as_tensor(train), _as_tensor(test), _as_tensor(generated)
    centres = kmeans(train, k, seed=seed)
    cells = {name: assign(x, centres) for name, x in (("train", train), ("test", test), ("generated", generated))}
    found, weighted, weights = [], 0.0, 0.0
    for cell in range(k):
        inside = {name: (c == cell).nonzero().squeeze(1) for name, c in cells.items()}
        n_test, n_generated = len(inside["test"]), len(inside["generated"])
        z = None
        if n_generated > min_samples and n_test > 0 and len(inside["train"]) > 0:
            reference = train[inside["train"]]
            z = mann_whitney_z(
                nearest_distances(generated[inside["generated"]], reference),
                nearest_distances(test[inside["test"]], reference),
            )
            weighted += n_test / len(test) * z
            weights += n_test / len(test)
        found.append({"z": None if z is None else round(z, 3), "test": n_test, "generated": n_generated})
    return {
        "C_T": weighted / weights if weights else None,
        "cells_counted": sum(c["z"] is not None for c in found),
        "cells": found,
    }
