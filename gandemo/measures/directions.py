"""Latent directions found the GANSpace way (Härkönen et al., 2020): the principal components of a generator's
first layer's activations over many latents, carried back into latent space by linear regression. Moving a
latent along one of them changes its picture in one main way; which way is measured on the pictures (stroke
thickness, slant, width, ink), not guessed.

They are computed once per unconditional MNIST model (``python -m gandemo.evaluate``) and saved beside its
weights as ``directions.safetensors``: the unit directions (COUNT x latent size) and, in its metadata, what
each was measured to change. The app and the browser read that one file.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, safe_open, save_file
from torch import nn

from ..core.sampling import generate, latents

DIRECTIONS_NAME = "directions.safetensors"
COUNT = 5  # the directions a visitor gets a slider for
SPAN = 3.0  # sliders and strips run from -SPAN to +SPAN standard deviations of the latent along a direction
STRIP_STEPS = 7
MEASURES = {  # what each picture is measured by (see measure_images), in words
    "thickness": "stroke thickness",
    "slant": "slant",
    "width": "width",
    "ink": "ink",
}


def first_activation(generator: nn.Module) -> nn.Module:
    """The generator's first nonlinearity: its output is the 'early layer' GANSpace takes components of."""
    for module in generator.modules():
        if isinstance(module, (nn.ReLU, nn.LeakyReLU)):
            return module
    raise ValueError("this generator has no ReLU or LeakyReLU layer to take components of")


@torch.no_grad()
def find_directions(generator: nn.Module, *, n: int = 10_000, seed: int = 0, count: int = COUNT) -> torch.Tensor:
    """``count`` unit latent directions (count, latent size), the first the one of most variance."""
    if generator.config.num_classes:
        raise ValueError("latent directions are found for unconditional models only")
    z = latents(seed, n, generator.config.latent_dim)
    seen = []
    hook = first_activation(generator).register_forward_hook(lambda _m, _i, out: seen.append(out.flatten(1).cpu()))
    try:
        for start in range(0, n, 1000):
            generate(generator, z[start : start + 1000])
    finally:
        hook.remove()
    activations = torch.cat(seen).double()
    centred = activations - activations.mean(dim=0)
    _, _, components = torch.linalg.svd(centred, full_matrices=False)  # rows: principal components
    coordinates = centred @ components[:count].T  # (n, count)
    directions = torch.linalg.lstsq(coordinates, z.double()).solution  # z ~ coordinates @ directions
    directions = directions / directions.norm(dim=1, keepdim=True)
    signs = torch.sign(directions.gather(1, directions.abs().argmax(dim=1, keepdim=True)))  # (one sign per run)
    return (directions * signs).float()


def edit(z: torch.Tensor, directions: torch.Tensor, offsets) -> torch.Tensor:
    """``z`` moved by ``offsets[k]`` along direction k (in standard deviations of the latent, which is 1)."""
    shift = (torch.as_tensor(list(offsets), dtype=torch.float32)[:, None] * directions[: len(offsets)]).sum(dim=0)
    return z + shift


def measure_images(images: torch.Tensor) -> dict[str, np.ndarray]:
    """Per picture (in [-1, 1], (N, 1, 28, 28)): stroke thickness (twice the inked area over its boundary, in
    pixels), slant (the ink's shear: positive leans right), width (four standard deviations of the ink's
    horizontal spread, in pixels) and ink (its mean, 0-1)."""
    ink = ((images.double() + 1) / 2).clamp(0, 1)[:, 0]  # (N, 28, 28)
    mass = ink.sum(dim=(1, 2)).clamp_min(1e-9)
    ys, xs = torch.meshgrid(
        torch.arange(28.0, dtype=torch.float64), torch.arange(28.0, dtype=torch.float64), indexing="ij"
    )
    mx = (ink * xs).sum(dim=(1, 2)) / mass
    my = (ink * ys).sum(dim=(1, 2)) / mass
    dx, dy = xs - mx[:, None, None], ys - my[:, None, None]
    mu20 = (ink * dx * dx).sum(dim=(1, 2)) / mass
    mu02 = (ink * dy * dy).sum(dim=(1, 2)) / mass
    mu11 = (ink * dx * dy).sum(dim=(1, 2)) / mass
    inked = ink > 0.5
    padded = nn.functional.pad(inked.double(), (1, 1, 1, 1))
    inside = (padded[:, :-2, 1:-1] * padded[:, 2:, 1:-1] * padded[:, 1:-1, :-2] * padded[:, 1:-1, 2:]).bool()
    area = inked.sum(dim=(1, 2)).double()
    boundary = (inked & ~inside).sum(dim=(1, 2)).double().clamp_min(1)
    return {
        "thickness": (2 * area / boundary).numpy(),
        "slant": (-mu11 / mu02.clamp_min(1e-9)).numpy(),
        "width": (4 * mu20.sqrt()).numpy(),
        "ink": ink.mean(dim=(1, 2)).numpy(),
    }


@torch.no_grad()
def describe(
    generator: nn.Module, directions: torch.Tensor, classifier: nn.Module | None = None, *, n: int = 256, seed: int = 1
) -> list[dict]:
    """What moving along each direction changes, measured on ``n`` latents from -SPAN to +SPAN: the correlation
    of the offset with each measure of the pictures, and (with a classifier) the share of samples whose digit
    differs between the two ends."""
    z = latents(seed, n, generator.config.latent_dim)
    steps = torch.linspace(-SPAN, SPAN, STRIP_STEPS)
    found = []
    for direction in directions:
        moved = torch.cat([z + t * direction for t in steps])  # (STRIP_STEPS * n, dim), offset-major
        images = generate(generator, moved).cpu()
        offsets = steps.repeat_interleave(n).numpy()
        measured = measure_images(images)
        entry = {f"r_{name}": round(float(np.corrcoef(offsets, values)[0, 1]), 3) for name, values in measured.items()}
        if classifier is not None:
            device = next(classifier.parameters()).device
            ends = torch.cat([images[:n], images[-n:]]).to(device)
            digits = classifier.head(classifier.features(ends)).argmax(dim=1).cpu()
            entry["digit_changes"] = round(float((digits[:n] != digits[n:]).double().mean()), 3)
        entry["words"] = words(entry)
        found.append(entry)
    return found


def orient(directions: torch.Tensor, described: list[dict]) -> tuple[torch.Tensor, list[dict]]:
    """Each direction's sign flipped where needed so that moving towards + increases what it changes most."""
    directions, oriented = directions.clone(), []
    for k, entry in enumerate(described):
        top = max(MEASURES, key=lambda name: abs(entry[f"r_{name}"]))
        if entry[f"r_{top}"] < 0:
            directions[k] = -directions[k]
            entry = {key: -value if key.startswith("r_") else value for key, value in entry.items()}
        oriented.append({**entry, "words": words(entry)})
    return directions, oriented


def words(entry: dict) -> str:
    """One line a visitor reads beside the direction's slider, from its measurements."""
    ranked = sorted(MEASURES, key=lambda name: -abs(entry[f"r_{name}"]))
    shown = [name for name in ranked if abs(entry[f"r_{name}"]) >= 0.3][:2]
    if shown:
        r = ["correlation r", "r"]  # (named in full once)
        parts = [
            f"{'more' if entry[f'r_{name}'] > 0 else 'less'} {MEASURES[name]} ({r[k > 0]} = {entry[f'r_{name}']:+.2f})"
            if name != "slant"
            else f"leans {'right' if entry['r_slant'] > 0 else 'left'} ({r[k > 0]} = {entry['r_slant']:+.2f})"
            for k, name in enumerate(shown)
        ]
        text = "towards +: " + ", ".join(parts)
    else:
        text = "no single measure follows it (every correlation |r| < 0.3)"
    if "digit_changes" in entry:
        text += (
            f"; from -{SPAN:g} to +{SPAN:g} standard deviations (±{SPAN:g}σ) it changes the digit of "
            f"{100 * entry['digit_changes']:.0f}% of samples"
        )
    return text


def save_directions(folder: str | Path, directions: torch.Tensor, described: list[dict], *, n: int, seed: int) -> Path:
    """Write ``directions.safetensors`` into a checkpoint folder (atomically)."""
    path = Path(folder) / DIRECTIONS_NAME
    partial = path.with_suffix(".tmp")
    metadata = {"described": json.dumps(described), "samples": str(n), "seed": str(seed), "span": str(SPAN)}
    save_file({"directions": directions.contiguous()}, str(partial), metadata=metadata)
    partial.chmod(0o644)  # (readable by the server that serves it, like the weights)
    partial.replace(path)
    return path


def load_directions(folder: str | Path) -> tuple[torch.Tensor, list[dict]] | None:
    """A checkpoint folder's directions and what each changes, or None when it has none."""
    path = Path(folder) / DIRECTIONS_NAME
    if not path.is_file():
        return None
    try:
        tensors = load_file(str(path))
        with safe_open(str(path), framework="pt") as file:
            described = json.loads(file.metadata()["described"])
        directions = tensors["directions"]
    except Exception as error:  # (a corrupt file names itself)
        raise ValueError(f"{path} could not be read as latent directions: {error}") from None
    if directions.ndim != 2 or len(described) != len(directions):
        raise ValueError(f"{path} holds {tuple(directions.shape)} directions but describes {len(described)}")
    return directions, [{**entry, "words": words(entry)} for entry in described]  # (today's words for them)
