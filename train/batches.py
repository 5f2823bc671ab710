"""Where the training loop's batches come from: MNIST held in memory as one tensor on the training device,
or fresh points from the 8-Gaussian ring."""

from __future__ import annotations

import torch

import gandemo.core.data
from gandemo.core.data import load_mnist, sample_8gaussians, to_unit_range
from gandemo.core.models import ModelConfig
from gandemo.core.sampling import tile_seed


class MNISTBatches:
    """The whole set as one tensor on the device; batch k is a slice of epoch k's seeded permutation,
    so any batch can be recomputed from (seed, k) alone and a resumed run sees the same data."""

    def __init__(self, images: torch.Tensor, labels: torch.Tensor, device: torch.device, seed: int, conditional: bool):
        self.images = to_unit_range(images).to(device)
        self.conditional = conditional
        self.labels = labels.to(device)
        self.seed = seed
        self._epoch, self._perm = -1, None

    def __call__(self, k: int, batch_size: int, rng: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        n = len(self.images)
        per_epoch = max(1, n // batch_size)
        epoch, j = divmod(k, per_epoch)
        if epoch != self._epoch:
            g = torch.Generator().manual_seed(tile_seed(self.seed, epoch))
            self._epoch, self._perm = epoch, torch.randperm(n, generator=g).to(self.images.device)
        index = self._perm[j * batch_size : (j + 1) * batch_size]
        return self.images[index], self.labels[index] if self.conditional else None


class RingBatches:
    """Fresh points from the 8-Gaussian ring for every batch."""

    def __init__(self, device: torch.device):
        self.device = device

    def __call__(self, k: int, batch_size: int, rng: torch.Generator) -> tuple[torch.Tensor, None]:
        return sample_8gaussians(batch_size, generator=rng).to(self.device), None


def make_batches(model: ModelConfig, device, *, seed: int, data_dir=None, fake_data: int = 0, limit: int = 0):
    if model.data == "8gaussians":
        return RingBatches(device)
    images, labels = gandemo.core.data.fake_mnist(fake_data, seed=seed) if fake_data else load_mnist(data_dir)
    if limit:
        images, labels = images[:limit], labels[:limit]
    return MNISTBatches(images, labels, device, seed, conditional=model.num_classes > 0)
