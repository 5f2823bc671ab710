"""The data-copying statistic C_T (gandemo/measures/copying.py): its parts against their definitions, and on real
MNIST a generator that copies training digits called a copier, one drawing fresh real digits not."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from torch import nn

import gandemo
from gandemo.core.checkpoints import model_card
from gandemo.evaluate import evaluate_copying
from gandemo.measures import copying

ROOT = Path(__file__).resolve().parents[1]


def test_mann_whitney_z_counts_pairs_as_its_definition_does():
    """U = pairs (generated, test) with generated > test, ties counting a half; z from its null mean and spread."""
    draw = np.random.default_rng(0)
    generated, test = draw.integers(0, 6, 40).astype(float), draw.integers(0, 8, 55).astype(float)
    u = (generated[:, None] > test[None, :]).sum() + 0.5 * (generated[:, None] == test[None, :]).sum()
    m, n = len(generated), len(test)
    assert copying.mann_whitney_z(generated, test) == pytest.approx((u - m * n / 2) / np.sqrt(m * n * (m + n + 1) / 12))
    assert copying.mann_whitney_z(test * 0, test + 1) < -5  # all smaller: far below 0


def test_kmeans_finds_separated_clusters_and_is_seeded():
    draw = np.random.default_rng(1)
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    points = np.concatenate([c + draw.normal(size=(100, 2)) for c in centres])
    found = copying.kmeans(points, 3, seed=0)
    cells = copying.assign(points, found).numpy()
    assert sorted(np.bincount(cells).tolist()) == [100, 100, 100]
    assert torch.equal(found, copying.kmeans(points, 3, seed=0))
    with pytest.raises(ValueError, match="at least 3 points"):
        copying.kmeans(points[:2], 3)


class Replayer(nn.Module):
    """A generator that draws digits from ``images`` (uint8): its latent's first value picks one, the rest add
    noise of ``noise`` (in [-1, 1] units)."""

    def __init__(self, images: torch.Tensor, noise: float):
        super().__init__()
        self.images, self.noise = images.float() / 127.5 - 1, noise
        self.config = SimpleNamespace(latent_dim=1 + 28 * 28, num_classes=0, data="mnist")
        self.anchor = nn.Parameter(torch.zeros(1))  # (where sampling finds the device)

    def forward(self, z, labels=None):
        index = (z[:, 0].abs() * 1e6).long() % len(self.images)
        return (self.images[index] + self.noise * z[:, 1:].reshape(-1, 1, 28, 28)).clamp(-1, 1)


def test_a_generator_copying_training_digits_is_called_a_copier_and_fresh_digits_are_not(mnist_dir):
    """C_T far below 0 for a generator replaying training digits plus faint noise; near 0 for one drawing real
    digits the training set does not hold (what a model that generalises perfectly would draw)."""
    from gandemo.core.data import load_mnist

    classifier = gandemo.load_classifier(ROOT / "checkpoints" / "mnist-classifier", device="cpu")
    train_x, train_y = load_mnist(mnist_dir)
    real = ((train_x[:10_000], train_y[:10_000]), load_mnist(mnist_dir, split="test"))
    copier = evaluate_copying(Replayer(train_x[:10_000], 0.02), classifier, n=2000, real=real)["data_copying"]
    fresh = evaluate_copying(Replayer(train_x[20_000:30_000], 0.02), classifier, n=2000, real=real)["data_copying"]
    assert copier["C_T"] < -5, copier["C_T"]
    assert abs(fresh["C_T"]) < 3, fresh["C_T"]
    assert len(copier["cells"]) == copying.CELLS and copier["cells_counted"] >= 20
    assert sum(cell["test"] for cell in copier["cells"]) == 2000
    counted = [cell["z"] for cell in copier["cells"] if cell["z"] is not None]
    assert max(counted) < 0  # every cell counted says copying
    config = {"kind": "generator", "recipe": "gan", "model": {"data": "mnist"}, "metrics": {"data_copying": fresh}}
    card = model_card(config)
    assert f"| {round(fresh['C_T'], 4):.4g} |" in card and "well below 0" in card


def test_every_shipped_mnist_model_records_its_data_copying_statistic():
    for name in ("gan", "cgan", "dcgan", "wgan-gp"):
        metrics = json.loads((ROOT / "checkpoints" / name / "config.json").read_text())["metrics"]
        found = metrics["data_copying"]
        assert isinstance(found["C_T"], float) and len(found["cells"]) == copying.CELLS, name
        assert "Data-copying statistic C_T" in (ROOT / "checkpoints" / name / "README.md").read_text(), name
