"""What a per-digit precision or recall bar is about, so the MNIST tab's chart answers clicks.

Precision and recall (``metrics.precision_recall_density_coverage``, per digit as ``gandemo.evaluate`` measures
them) count two kinds of miss: a *sample outside* lies in no real digit's neighbourhood (it does not look like
any real digit of its class), and a *real digit uncovered* lies in no sample's neighbourhood (the model never
draws anything like it). For each digit this keeps how many of each there are and the pictures of the farthest
ones, saved beside the weights as ``misses.safetensors``: "recall 0.58 for sixes" becomes a page of the sixes
the model never draws.

A miss's *reach* is its smallest distance to a neighbourhood's centre over that neighbourhood's radius: a point
is inside iff some distance is under the radius, so the misses are the points whose reach is 1 or more, and the
larger the reach the farther outside. The shares of points inside are the per-digit precision and recall."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors

from ..core.checkpoints import atomic_write
from .metrics import kth_neighbour_distances

MISSES_NAME = "misses.safetensors"
SHOWN = 20  # pictures kept per digit and kind, the farthest outside first (about 300 KB a model)


def reach(points: torch.Tensor, centres: torch.Tensor, radii: torch.Tensor, chunk: int = 1024):
    """For each point: (inside some centre's ball, its smallest distance-over-radius to a centre)."""
    inside, ratio = [], []
    for i in range(0, len(points), chunk):
        distances = torch.cdist(points[i : i + chunk], centres)
        inside.append((distances < radii[None, :]).any(dim=1))
        ratio.append((distances / radii.clamp_min(1e-12)[None, :]).min(dim=1).values)
    return torch.cat(inside), torch.cat(ratio)


def _farthest(outside: torch.Tensor, ratio: torch.Tensor, shown: int) -> list[int]:
    """The positions of the misses, the farthest first (ties: the earlier first), at most ``shown``."""
    misses = torch.nonzero(outside).flatten().tolist()
    return sorted(misses, key=lambda i: (-float(ratio[i]), i))[:shown]


def per_digit_misses(real, real_digits, fake, fake_digits, *, k: int, shown: int = SHOWN) -> dict:
    """Per digit 0-9, as ``prdc_by_digit`` groups them: the samples outside the real digits' neighbourhoods and
    the real digits outside every sample's ({counts, positions among all fakes / reals, the farthest first}).
    A digit with too few of either to have k neighbours counts none (its bars are missing too)."""
    real = torch.as_tensor(np.asarray(real), dtype=torch.float64)
    fake = torch.as_tensor(np.asarray(fake), dtype=torch.float64)
    real_digits, fake_digits = np.asarray(real_digits), np.asarray(fake_digits)
    found = {"outside_counts": [], "outside": [], "uncovered_counts": [], "uncovered": [], "fakes": [], "reals": []}
    for digit in range(10):
        real_at = np.flatnonzero(real_digits == digit)
        fake_at = np.flatnonzero(fake_digits == digit)
        found["reals"].append(len(real_at))
        found["fakes"].append(len(fake_at))
        if min(len(real_at), len(fake_at)) <= k:
            found["outside_counts"].append(0)
            found["uncovered_counts"].append(0)
            continue
        real_d, fake_d = real[real_at], fake[fake_at]
        inside, ratio = reach(fake_d, real_d, kth_neighbour_distances(real_d, k))
        found["outside_counts"].append(int((~inside).sum()))
        found["outside"] += [int(fake_at[i]) for i in _farthest(~inside, ratio, shown)]
        covered, ratio = reach(real_d, fake_d, kth_neighbour_distances(fake_d, k))
        found["uncovered_counts"].append(int((~covered).sum()))
        found["uncovered"] += [int(real_at[i]) for i in _farthest(~covered, ratio, shown)]
    return found


def misses_tensors(found: dict, fake_pictures, fake_digits, real_pictures, real_digits) -> dict[str, torch.Tensor]:
    """The file's tensors: counts per digit, and each kept miss's picture (uint8, 784), digit and position.
    ``fake_pictures``: samples in [-1, 1]; ``real_pictures``: uint8 digits."""
    outside, uncovered = found["outside"], found["uncovered"]
    fakes = torch.as_tensor(fake_pictures)[outside].reshape(len(outside), 784).float()
    reals = torch.as_tensor(real_pictures)[uncovered].reshape(len(uncovered), 784)
    ints = lambda values: torch.tensor(values, dtype=torch.int32).reshape(-1)  # noqa: E731
    return {
        "outside_pictures": ((fakes.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8),
        "outside_digits": ints([int(fake_digits[i]) for i in outside]),
        "outside_tiles": ints(outside),
        "outside_counts": ints(found["outside_counts"]),
        "fakes": ints(found["fakes"]),
        "uncovered_pictures": reals.to(torch.uint8),
        "uncovered_digits": ints([int(real_digits[i]) for i in uncovered]),
        "uncovered_test_index": ints(uncovered),
        "uncovered_counts": ints(found["uncovered_counts"]),
        "reals": ints(found["reals"]),
    }


def save_misses(folder: str | Path, tensors: dict[str, torch.Tensor], *, seed: int, k: int) -> Path:
    path = Path(folder) / MISSES_NAME
    data = {name: value.contiguous() for name, value in tensors.items()}
    atomic_write(path, save_safetensors(data, metadata={"seed": str(seed), "k": str(k)}))
    return path


def load_misses(folder: str | Path) -> dict[str, torch.Tensor] | None:
    path = Path(folder) / MISSES_NAME
    if not path.is_file():
        return None
    try:
        return load_safetensors(path.read_bytes())
    except Exception as error:
        raise ValueError(f"{path} could not be read as a model's misses: {error}") from None
