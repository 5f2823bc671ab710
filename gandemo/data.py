"""Training data: MNIST as one in-memory tensor (download or offline IDX folder), the 8-Gaussian ring,
and tiny fake data for tests."""

from __future__ import annotations

import gzip
import math
import os
from pathlib import Path

import numpy as np
import torch

MNIST_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
DEFAULT_DATA_DIR = Path(os.environ.get("GANDEMO_DATA", Path.home() / ".cache" / "gandemo"))

# The 8-Gaussian ring of the WGAN-GP paper's gan_toy.py: centres on a circle of radius 2,
# std 0.02, the whole set divided by 1.414, so radius sqrt(2) and std 0.02 / 1.414.
RING_RADIUS = 2.0 / 1.414
RING_STD = 0.02 / 1.414
RING_CENTERS = torch.tensor(
    [[RING_RADIUS * math.cos(k * math.pi / 4), RING_RADIUS * math.sin(k * math.pi / 4)] for k in range(8)]
)


class DataError(RuntimeError):
    """MNIST could not be found or read."""


def _read_idx(path: Path) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic = int.from_bytes(raw[:4], "big")
    if magic >> 8 != 0x08:  # 0x08: unsigned bytes; the low byte is the number of dimensions
        raise DataError(f"{path} is not an IDX file of unsigned bytes (magic {magic:#010x})")
    ndim = magic & 0xFF
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != math.prod(dims):
        raise DataError(f"{path} is truncated: expected {math.prod(dims)} values, found {data.size}")
    return data.reshape(dims)


def _find_idx_folder(data_dir: Path) -> Path | None:
    """The folder holding the four .gz files: data_dir itself or torchvision's MNIST/raw inside it."""
    for folder in (data_dir, data_dir / "MNIST" / "raw"):
        if all((folder / name).is_file() for pair in MNIST_FILES.values() for name in pair):
            return folder
    return None


def load_mnist(
    data_dir: str | Path | None = None, *, split: str = "train", download: bool = True
) -> tuple[torch.Tensor, torch.Tensor]:
    """MNIST as ``(images uint8 (N, 1, 28, 28), labels int64 (N,))``.

    Looks in ``data_dir`` (default ``~/.cache/gandemo``, or ``$GANDEMO_DATA``) for the four original
    IDX ``.gz`` files, flat or in torchvision's ``MNIST/raw`` layout; if they are not there and
    ``download`` is true, torchvision downloads them into that folder.
    """
    data_dir = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    folder = _find_idx_folder(data_dir)
    if folder is None and download:
        try:
            from torchvision.datasets import MNIST

            MNIST(str(data_dir), train=True, download=True)
            MNIST(str(data_dir), train=False, download=True)
        except Exception as error:  # network, disk or checksum failures all end the same way
            raise DataError(
                f"MNIST is not in {data_dir} and downloading it failed ({error}). "
                "Download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz from an MNIST mirror into "
                "one folder and pass it with --data-dir DIR."
            ) from error
        folder = _find_idx_folder(data_dir)
    if folder is None:
        raise DataError(
            f"MNIST is not in {data_dir}: put the four original IDX .gz files there "
            "(flat or in MNIST/raw) or allow downloading."
        )
    images_name, labels_name = MNIST_FILES[split]
    images = torch.from_numpy(_read_idx(folder / images_name).copy()).unsqueeze(1)
    labels = torch.from_numpy(_read_idx(folder / labels_name).astype(np.int64))
    if images.shape[1:] != (1, 28, 28) or len(images) != len(labels):
        raise DataError(f"{folder} holds MNIST files of unexpected shape {tuple(images.shape)}")
    return images, labels


def to_unit_range(images: torch.Tensor) -> torch.Tensor:
    """uint8 pixels [0, 255] -> float in [-1, 1], the generators' output range."""
    return images.float().div_(127.5).sub_(1.0)


def sample_8gaussians(n: int, *, generator: torch.Generator | None = None) -> torch.Tensor:
    """``n`` points from the ring of 8 Gaussians, shape (n, 2)."""
    modes = torch.randint(0, 8, (n,), generator=generator)
    noise = torch.randn(n, 2, generator=generator) * RING_STD
    return RING_CENTERS[modes] + noise


def fake_mnist(n: int = 64, *, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Tiny random MNIST-shaped data (uint8 images, labels 0-9) for tests and dry runs."""
    g = torch.Generator().manual_seed(seed)
    images = torch.randint(0, 256, (n, 1, 28, 28), generator=g, dtype=torch.uint8)
    return images, torch.arange(n) % 10
