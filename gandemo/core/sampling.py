"""Seeded sampling: per-tile latents, image grids, label sweeps and latent interpolation.

Tile ``i`` of a request with seed ``s`` draws its latent from its own counter of the portable generator
(``portable_random``: Philox4x32-10, written in Python and in the browser's JavaScript alike), so a tile
never changes when the grid grows, CPU, GPU and the browser agree, and no global random state is touched.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
import torch
from PIL import Image
from torch import nn

from . import inputs, portable_random
from .inputs import MAX_SEED  # noqa: F401  (where callers have always found it)
from .plots import image_grid


def check_seed(seed) -> int:
    """Seeds are whole numbers in [0, 2**63 - 1] (not text, in the library); anything else is a ValueError."""
    return inputs.seed(seed, text=False)


def tile_seed(seed: int, index: int) -> int:
    """A well-mixed 64-bit seed for stream ``index`` of ``seed`` (numpy's SeedSequence): training's own draws."""
    return int(np.random.SeedSequence([check_seed(seed), index]).generate_state(1, dtype=np.uint64)[0])


def latents(seed: int, n: int, dim: int, *, start: int = 0) -> torch.Tensor:
    """(n, dim) standard-normal latents on the CPU for tiles ``start .. start + n - 1`` (the portable scheme)."""
    return torch.from_numpy(portable_random.normals(check_seed(seed), n, dim, start=start))


def _labels_tensor(generator: nn.Module, n: int, labels) -> torch.Tensor | None:
    num_classes = generator.config.num_classes
    if labels is None:
        if num_classes:
            raise ValueError(f"this model is conditional: pass labels (digits 0-{num_classes - 1})")
        return None
    if not num_classes:
        raise ValueError("this model is unconditional: it takes no labels")
    values = [labels] * n if isinstance(labels, (int, np.integer)) else list(labels)
    if len(values) != n:
        raise ValueError(f"got {len(values)} labels for {n} samples")
    if any(isinstance(v, bool) or int(v) != v or not 0 <= v < num_classes for v in values):
        raise ValueError(f"labels must be whole numbers in 0-{num_classes - 1}")
    return torch.tensor([int(v) for v in values], dtype=torch.long)


def _device_of(module: nn.Module) -> torch.device:
    return next(module.parameters()).device


@torch.no_grad()
def generate(generator: nn.Module, z: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
    """Run ``generator`` on CPU latents (moved to its device); returns float32 samples on the CPU."""
    device = _device_of(generator)
    labels = labels.to(device) if labels is not None else None
    return generator(z.to(device), labels).float().cpu()


def sample(
    generator: nn.Module, n: int, *, seed: int = 0, labels: int | Sequence[int] | None = None, start: int = 0
) -> torch.Tensor:
    """``n`` samples (images in [-1, 1] of shape (n, 1, 28, 28), or (n, 2) points) for ``seed``.

    ``labels`` (conditional models only) is one digit for all samples or one per sample.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    label_tensor = _labels_tensor(generator, n, labels)
    return generate(generator, latents(seed, n, generator.config.latent_dim, start=start), label_tensor)


def grid(
    generator: nn.Module,
    *,
    rows: int = 8,
    cols: int = 8,
    seed: int = 0,
    labels: int | Sequence[int] | None = None,
    scale: int = 1,
) -> Image.Image:
    """A ``rows`` x ``cols`` PNG-ready grid of samples, tile ``r * cols + c`` drawn from ``(seed, r * cols + c)``."""
    if len(generator.config.data_shape) != 3:
        raise ValueError(
            f"grid draws image models, and this generator makes {generator.config.data_dim}-D points "
            f"(data {generator.config.data!r}): use gandemo.sample(generator, n, seed=...) for its (n, "
            f"{generator.config.data_dim}) points and gandemo.core.plots.toy_plot(None, points) to plot them"
        )
    if rows < 1 or cols < 1:
        raise ValueError(f"rows and cols must be >= 1, got {rows} x {cols}")
    return image_grid(sample(generator, rows * cols, seed=seed, labels=labels), cols=cols, scale=scale)


def label_sweep(generator: nn.Module, *, rows: int = 4, seed: int = 0, scale: int = 1) -> Image.Image:
    """Conditional models: each row one latent ("style"), columns the digits 0 .. num_classes - 1."""
    num_classes = generator.config.num_classes
    if not num_classes:
        raise ValueError("a label sweep needs a conditional model")
    if rows < 1:
        raise ValueError(f"rows must be >= 1, got {rows}")
    z = latents(seed, rows, generator.config.latent_dim).repeat_interleave(num_classes, dim=0)
    labels = torch.arange(num_classes).repeat(rows)
    return image_grid(generate(generator, z, labels), cols=num_classes, scale=scale)


def slerp(a: torch.Tensor, b: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Spherical interpolation (Shoemake 1985; White 2016, "Sampling Generative Networks")."""
    cos = (a / a.norm() * b / b.norm()).sum().clamp(-1.0, 1.0)
    omega = torch.arccos(cos)
    if omega.abs() < 1e-6:  # nearly parallel: lerp is exact enough and avoids dividing by ~0
        return torch.lerp(a, b, t[:, None])
    return (torch.sin((1 - t)[:, None] * omega) * a + torch.sin(t[:, None] * omega) * b) / torch.sin(omega)


def interpolate(
    generator: nn.Module,
    seed_a: int,
    seed_b: int,
    *,
    steps: int = 8,
    method: str = "slerp",
    label: int | None = None,
) -> torch.Tensor:
    """``steps`` samples on the path from seed A's first latent to seed B's (both ends included)."""
    if steps < 2:
        raise ValueError(f"steps must be >= 2, got {steps}")
    if method not in ("slerp", "lerp"):
        raise ValueError(f"method must be 'slerp' or 'lerp', got {method!r}")
    dim = generator.config.latent_dim
    a, b = latents(seed_a, 1, dim)[0], latents(seed_b, 1, dim)[0]
    t = torch.linspace(0, 1, steps)
    z = slerp(a, b, t) if method == "slerp" else torch.lerp(a, b, t[:, None])
    return generate(generator, z, _labels_tensor(generator, steps, label))


def frames_to_gif(frames: Sequence[Image.Image], *, duration_ms: int = 120, bounce: bool = True) -> bytes:
    """An endlessly looping animated GIF; ``bounce`` plays the frames forward then back."""
    frames = list(frames) + (list(frames)[-2:0:-1] if bounce else [])
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=duration_ms, loop=0)
    return buffer.getvalue()
