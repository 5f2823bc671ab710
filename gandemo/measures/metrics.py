"""Sample-quality metrics: MNIST-classifier scores (Frechet distance, Inception Score, digit histogram,
label accuracy) and 8-Gaussian mode coverage (VEEGAN / PacGAN definitions)."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..core.data import RING_CENTERS, RING_STD

# A near-duplicate is a sample closer to another than 1% of real test digits are to theirs (the threshold's
# quantile; gandemo.evaluate and the Train on digits tab's alarm both use it).
DUPLICATE_QUANTILE = 0.01


@torch.no_grad()
def classifier_outputs(
    classifier: nn.Module, images: torch.Tensor, *, batch_size: int = 1000
) -> tuple[np.ndarray, np.ndarray]:
    """Penultimate features (N, F) and class probabilities (N, 10) for float images in [-1, 1]."""
    device = next(classifier.parameters()).device
    features, probs = [], []
    for i in range(0, len(images), batch_size):
        h = classifier.features(images[i : i + batch_size].to(device))
        features.append(h.double().cpu())
        probs.append(torch.softmax(classifier.head(h).double(), dim=1).cpu())
    return torch.cat(features).numpy(), torch.cat(probs).numpy()


def feature_stats(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return features.mean(axis=0), np.cov(features, rowvar=False)


def frechet_distance(stats_a: tuple[np.ndarray, np.ndarray], stats_b: tuple[np.ndarray, np.ndarray]) -> float:
    """||mu_a - mu_b||^2 + tr(S_a + S_b - 2 (S_a S_b)^(1/2)) (Heusel et al., 2017).

    tr((S_a S_b)^(1/2)) is computed as the trace of the square root of the symmetric
    S_a^(1/2) S_b S_a^(1/2), which has the same eigenvalues and needs no scipy.
    """
    (mu_a, cov_a), (mu_b, cov_b) = stats_a, stats_b
    values, vectors = np.linalg.eigh(cov_a)
    root_a = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
    middle = root_a @ cov_b @ root_a
    trace_root = np.sqrt(np.clip(np.linalg.eigvalsh((middle + middle.T) / 2), 0, None)).sum()
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_root)


def inception_score(probs: np.ndarray) -> float:
    """exp(E_x KL(p(y|x) || p(y))) with the MNIST classifier in place of Inception (one split)."""
    eps = 1e-12
    marginal = probs.mean(axis=0, keepdims=True)
    kl = (probs * (np.log(probs + eps) - np.log(marginal + eps))).sum(axis=1)
    return float(np.exp(kl.mean()))


def digit_histogram(probs: np.ndarray) -> list[float]:
    """Share of samples the classifier assigns to each digit."""
    counts = np.bincount(probs.argmax(axis=1), minlength=probs.shape[1])
    return (counts / counts.sum()).tolist()


def label_accuracy(probs: np.ndarray, labels: np.ndarray | torch.Tensor) -> float:
    """Share of samples classified as the digit they were generated for."""
    return float((probs.argmax(axis=1) == np.asarray(labels)).mean())


def _neighbourhood(centers: torch.Tensor, std: float) -> float:
    """A mode's neighbourhood radius: a quarter of the closest distance between two modes (3 std for one mode)."""
    if len(centers) < 2:
        return 3 * std
    gaps = torch.cdist(centers, centers).fill_diagonal_(float("inf"))
    return float(gaps.min()) / 4


def mode_coverage(points: torch.Tensor | np.ndarray, *, centers=RING_CENTERS, std: float = RING_STD) -> dict:
    """VEEGAN/PacGAN toy metrics for 2-D samples.

    A sample is high quality when it lies within 3 std of its nearest mode; a mode is captured
    when at least one high-quality sample is nearest to it; the KL divergence is that of the
    high-quality samples' mode histogram from uniform.

    For the collapse alarm (gandemo.core.explain.toy_verdict), also: ``near_share``, the share of samples within a
    mode's neighbourhood (a quarter of the closest distance between two modes), and ``modes_held``, the modes
    whose neighbourhood holds at least a quarter of an even split of those near samples.
    """
    points = torch.as_tensor(np.asarray(points), dtype=torch.float64)
    centers = torch.as_tensor(np.asarray(centers), dtype=torch.float64)
    distances = torch.cdist(points, centers)  # (N, modes)
    nearest_distance, nearest = distances.min(dim=1)
    good = nearest_distance <= 3 * std
    counts = torch.bincount(nearest[good], minlength=len(centers)).double()
    share = counts / counts.sum() if counts.sum() > 0 else counts
    nonzero = share > 0
    kl = float((share[nonzero] * torch.log(share[nonzero] * len(centers))).sum()) if nonzero.any() else None
    near_counts = torch.bincount(nearest[nearest_distance <= _neighbourhood(centers, std)], minlength=len(centers))
    return {
        "near_share": float(near_counts.sum()) / len(points) if len(points) else 0.0,
        "modes_held": int((near_counts > 0).logical_and(near_counts * len(centers) * 4 >= near_counts.sum()).sum()),
        "modes_captured": int((counts > 0).sum()),
        "modes_total": len(centers),
        "high_quality_share": float(good.double().mean()) if len(points) else 0.0,
        "kl_to_uniform": kl,
    }


def kth_neighbour_distances(features: torch.Tensor, k: int, chunk: int = 1024) -> torch.Tensor:
    """Each row's distance to its k-th nearest other row (the row itself, at distance 0, not counted)."""
    radii = [
        torch.cdist(features[i : i + chunk], features).topk(k + 1, largest=False).values[:, -1]
        for i in range(0, len(features), chunk)
    ]
    return torch.cat(radii)


def precision_recall_density_coverage(real: np.ndarray, fake: np.ndarray, *, k: int = 5, chunk: int = 1024) -> dict:
    """Improved precision and recall (Kynkäänniemi et al., 2019) and density and coverage (Naeem et al.,
    2020) of ``fake`` features against ``real`` ones, as the ``prdc`` package defines them: each sample's
    neighbourhood is the ball out to its k-th nearest neighbour of its own set.

    - precision: share of fakes inside some real neighbourhood (do the samples look real?)
    - recall: share of reals inside some fake neighbourhood (is every kind of real sample produced?)
    - density: how many real neighbourhoods hold each fake, over k (1 on average for real-like fakes)
    - coverage: share of real neighbourhoods that hold at least one fake

    Computed in float64 in row chunks, so 10,000 x 10,000 needs no 10,000^2 matrix."""
    real = torch.as_tensor(np.asarray(real), dtype=torch.float64)
    fake = torch.as_tensor(np.asarray(fake), dtype=torch.float64)
    if min(len(real), len(fake)) <= k:
        raise ValueError(f"precision and recall with k = {k} need more than {k} samples of each kind")
    real_radii = kth_neighbour_distances(real, k, chunk)
    fake_radii = kth_neighbour_distances(fake, k, chunk)
    fakes_inside = torch.zeros(len(fake), dtype=torch.float64)  # real neighbourhoods holding each fake
    recalled, covered = [], []
    for i in range(0, len(real), chunk):
        distances = torch.cdist(real[i : i + chunk], fake)  # (chunk of reals, fakes)
        inside_real = distances < real_radii[i : i + chunk, None]
        fakes_inside += inside_real.sum(dim=0)
        recalled.append((distances < fake_radii[None, :]).any(dim=1))
        covered.append(inside_real.any(dim=1))
    return {
        "precision": float((fakes_inside > 0).double().mean()),
        "recall": float(torch.cat(recalled).double().mean()),
        "density": float(fakes_inside.mean() / k),
        "coverage": float(torch.cat(covered).double().mean()),
    }


def nearest_other_distances(features: np.ndarray, *, chunk: int = 1024) -> np.ndarray:
    """Each sample's distance to its nearest other sample."""
    return kth_neighbour_distances(torch.as_tensor(np.asarray(features), dtype=torch.float64), 1, chunk).numpy()


def near_duplicate_share(features: np.ndarray, threshold: float) -> float:
    """Share of samples closer than ``threshold`` to another sample (copies, or nearly: a collapse's mark)."""
    return float((nearest_other_distances(features) < threshold).mean())


def digit_entropy(histogram) -> float:
    """The entropy of a digit histogram over its maximum, log 10: 1 when all ten are equally common, 0 when
    every sample is one digit."""
    shares = np.asarray(histogram, dtype=np.float64)
    shares = shares[shares > 0]
    return float(-(shares * np.log(shares)).sum() / np.log(10))
