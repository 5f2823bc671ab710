"""Training data: MNIST as one in-memory tensor (download or offline IDX folder), the 8-Gaussian ring,
and tiny fake data for tests."""

from __future__ import annotations

import argparse
import gzip
import logging
import math
import os
import shutil
import sys
import zlib
from pathlib import Path

import numpy as np
import torch

MNIST_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
DATA_VARIABLE = "GANDEMO_DATA"  # where MNIST is, unless a command says --data-dir
DEFAULT_DATA_DIR = Path(os.environ.get(DATA_VARIABLE, Path.home() / ".cache" / "gandemo"))
log = logging.getLogger(__name__)

# The 8-Gaussian ring of the WGAN-GP paper's gan_toy.py: centres on a circle of radius 2,
# std 0.02, the whole set divided by 1.414, so radius sqrt(2) and std 0.02 / 1.414.
RING_RADIUS = 2.0 / 1.414
RING_STD = 0.02 / 1.414
RING_CENTERS = torch.tensor(
    [[RING_RADIUS * math.cos(k * math.pi / 4), RING_RADIUS * math.sin(k * math.pi / 4)] for k in range(8)]
)


class DataError(RuntimeError):
    """MNIST could not be found or read."""


def exit_on_user_error(main):
    """Run a command's ``main``: a data or checkpoint problem ends it with one line on stderr and exit code 2."""
    from .checkpoints import CheckpointError

    try:
        return main()
    except (DataError, CheckpointError) as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


class _ShowDetails(argparse.Action):
    """``--verbose``: log records (why a download failed, for one) go to stderr."""

    def __call__(self, parser, namespace, values, option_string=None):
        logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
        logging.getLogger("gandemo").setLevel(logging.INFO)
        setattr(namespace, self.dest, True)


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags of every command that reads MNIST: where its files are, and ``--verbose``."""
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="folder holding the four MNIST IDX .gz files (default: $GANDEMO_DATA or "
        "~/.cache/gandemo, downloaded there if missing)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action=_ShowDetails,
        nargs=0,
        default=False,
        help="log the details, such as why a download failed",
    )


def _read_idx(path: Path, shape: tuple[int, ...]) -> np.ndarray:
    """An IDX file of unsigned bytes whose dimensions after the first are ``shape``."""
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read()
    except EOFError:
        raise DataError(f"{path} is truncated: its gzip stream ends early (download it again)") from None
    except (OSError, zlib.error) as error:  # gzip.BadGzipFile is an OSError
        raise DataError(f"{path} is not a readable gzip file ({error})") from None
    magic = int.from_bytes(raw[:4], "big") if len(raw) >= 4 else 0
    if magic >> 8 != 0x08 or len(raw) < 4 + 4 * (magic & 0xFF):  # 0x08: unsigned bytes; low byte: dimensions
        raise DataError(f"{path} is not an IDX file of unsigned bytes (its header reads {raw[:4].hex() or 'nothing'})")
    ndim = magic & 0xFF
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    if tuple(dims[1:]) != shape:
        expected = "x".join(map(str, ("N", *shape)))
        raise DataError(f"{path} holds an array of shape {'x'.join(map(str, dims))}, expected {expected}")
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != math.prod(dims):
        raise DataError(f"{path} is truncated: expected {math.prod(dims)} values, found {data.size}")
    return data.reshape(dims)


def _download(data_dir: Path) -> None:
    """torchvision's download into ``data_dir``; on failure, remove the folders it created (and their partial files)."""
    created = [p for p in (data_dir, data_dir / "MNIST", data_dir / "MNIST" / "raw") if not p.exists()]
    try:
        from torchvision.datasets import MNIST

        MNIST(str(data_dir), train=True, download=True)
        MNIST(str(data_dir), train=False, download=True)
    except Exception as error:  # network, disk or checksum failures all end the same way
        if created:
            shutil.rmtree(created[0], ignore_errors=True)
        log.info("downloading MNIST into %s failed: %s", data_dir, error)  # the detail, for --verbose and logs
        names = [name for pair in MNIST_FILES.values() for name in pair]
        raise DataError(
            f"MNIST is not in {data_dir} (nor in {data_dir / 'MNIST' / 'raw'}) and downloading it failed: put "
            f"{', '.join(names[:-1])} and {names[-1]} in one folder and pass it with --data-dir DIR "
            "(--verbose says why the download failed)."
        ) from None


def _find_idx_folder(data_dir: Path) -> Path | None:
    """The folder holding the four .gz files: data_dir itself or torchvision's MNIST/raw inside it."""
    for folder in (data_dir, data_dir / "MNIST" / "raw"):
        if all((folder / name).is_file() for pair in MNIST_FILES.values() for name in pair):
            return folder
    return None


def mnist_at_hand(data_dir: str | Path | None = None) -> bool:
    """Whether the four MNIST files are in ``data_dir`` (default as :func:`load_mnist`'s), so no download is needed."""
    return _find_idx_folder(Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR) is not None


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
        _download(data_dir)
        folder = _find_idx_folder(data_dir)
    if folder is None:
        raise DataError(
            f"MNIST is not in {data_dir}: put the four original IDX .gz files there "
            "(flat or in MNIST/raw) or allow downloading."
        )
    images_name, labels_name = MNIST_FILES[split]
    images = torch.from_numpy(_read_idx(folder / images_name, (28, 28)).copy()).unsqueeze(1)
    labels = torch.from_numpy(_read_idx(folder / labels_name, ()).astype(np.int64))
    if len(images) != len(labels):
        raise DataError(f"{folder}: {images_name} holds {len(images)} images but {labels_name} {len(labels)} labels")
    if labels.numel() and labels.max() > 9:
        raise DataError(f"{folder / labels_name} holds labels above 9: it is not an MNIST label file")
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
