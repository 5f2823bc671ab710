"""A map of how a model lays out the ten digits: a few thousand samples' classifier features projected onto the
two principal axes of real test digits' features (the same axes for every model, so maps compare), each point
coloured by the digit the classifier reads. Saved beside the weights as ``digit_map.safetensors``: the points,
their digits, the tiles they were drawn from (the browser draws their thumbnails itself, from the same
latents) and where real digits of each class sit on the same axes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from torch import nn

from ..core.data import to_unit_range
from ..core.sampling import sample
from . import metrics

DIGIT_MAP_NAME = "digit_map.safetensors"
MAP_SAMPLES = 2000
MAP_SEED = 0  # the map's samples are tiles 0 .. MAP_SAMPLES - 1 of this seed (the CGAN's ask for digit i % 10)


def real_axes(real_features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The mean and the two principal axes (2, F) of real digits' features, each oriented by a fixed rule."""
    mean = real_features.mean(axis=0)
    _, _, rows = np.linalg.svd(real_features - mean, full_matrices=False)
    axes = rows[:2]
    return mean, axes * np.sign(axes[np.arange(2), np.abs(axes).argmax(axis=1)])[:, None]


def digit_map(generator: nn.Module, classifier: nn.Module, real_images: torch.Tensor, real_digits) -> dict:
    """The map's tensors: MAP_SAMPLES samples against real digits (uint8 images and their labels)."""
    labels = [i % 10 for i in range(MAP_SAMPLES)] if generator.config.num_classes else None
    samples = sample(generator, MAP_SAMPLES, seed=MAP_SEED, labels=labels)
    features, probs = metrics.classifier_outputs(classifier, samples)
    real_features, _ = metrics.classifier_outputs(classifier, to_unit_range(real_images))
    real_digits = np.asarray(real_digits)
    mean, axes = real_axes(real_features)
    real_points = (real_features - mean) @ axes.T
    centres = np.stack([real_points[real_digits == d].mean(axis=0) for d in range(10)])
    return {
        "points": torch.from_numpy((features - mean) @ axes.T).float(),
        "digits": torch.from_numpy(probs.argmax(axis=1)).to(torch.int32),
        "tiles": torch.arange(MAP_SAMPLES, dtype=torch.int32),
        "real_centres": torch.from_numpy(centres).float(),
    }


def save_digit_map(folder: str | Path, tensors: dict[str, torch.Tensor]) -> Path:
    path = Path(folder) / DIGIT_MAP_NAME
    partial = path.with_suffix(".tmp")
    save_file({k: v.contiguous() for k, v in tensors.items()}, str(partial), metadata={"seed": str(MAP_SEED)})
    partial.chmod(0o644)
    partial.replace(path)
    return path


def load_digit_map(folder: str | Path) -> dict[str, torch.Tensor] | None:
    path = Path(folder) / DIGIT_MAP_NAME
    if not path.is_file():
        return None
    try:
        return load_file(str(path))
    except Exception as error:
        raise ValueError(f"{path} could not be read as a digit map: {error}") from None
