"""Inversion: the latent (and, for a conditional model, the label) whose picture is closest to a digit, found by
Adam on z from several seeded restarts, the way ``web/runtime/inversion.js`` finds it in the page. Both start
from the portable latents (``core.portable_random``), so both run the same procedure; hundreds of Adam steps
in two float32 libraries do not stay bit-equal, so the two agree closely, not exactly.

``python -m gandemo.measures.inversion gan`` writes the spread of inversion distances of real test digits and
of the model's own samples into config.json's ``"inversion"``, so a drawing's distance means something.

The distance is the root-mean-square difference of the pictures with ink in [0, 1] (0: the same picture,
about 0.3: two unrelated digits). A conditional model tries the classifier's three likeliest digits."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch

from ..core.checkpoints import load_checkpoint, load_classifier, update_config
from ..core.data import add_data_arguments, exit_on_user_error, load_mnist
from ..core.sampling import latents
from .verdict import quantiles

RESTARTS = 4  # Adam runs from different seeded latents; the closest result wins
STEPS = 150  # Adam steps per run
LR = 0.1  # Adam's step size on z
BETAS = (0.9, 0.999)
EPS = 1e-8
LABELS_TRIED = 3  # a conditional model tries the classifier's likeliest digits, this many
SEED = 0


def table() -> dict:
    """The procedure's numbers, which the page's copy (runtime/inversion.js) reads."""
    return {
        "restarts": RESTARTS,
        "steps": STEPS,
        "lr": LR,
        "betas": list(BETAS),
        "eps": EPS,
        "seed": SEED,
        "labels_tried": LABELS_TRIED,
    }


def invert_many(
    generator,
    targets: torch.Tensor,
    labels: list[list[int]] | None,
    *,
    seed: int = SEED,
    restarts: int = RESTARTS,
    steps: int = STEPS,
    lr: float = LR,
) -> list[dict]:
    """Invert each of ``targets`` (M, 784, ink in [0, 1]) at once; ``labels[m]``: the digits tried for target m
    (a conditional generator; the same number for every target). Returns per target {distance, label, z, picture}."""
    dim, m = generator.config.latent_dim, len(targets)
    tried = len(labels[0]) if labels else 1
    starts = latents(seed, restarts, dim)  # (R, dim): every target and label starts from the same R latents
    z = starts.repeat(m * tried, 1).clone().requires_grad_(True)  # rows: target-major, then label, then restart
    x = (targets.float() * 2 - 1).repeat_interleave(tried * restarts, 0)
    row_labels = None
    if labels:
        row_labels = torch.tensor([d for per in labels for d in per for _ in range(restarts)], dtype=torch.long)
    generator.requires_grad_(False)
    mom, var = torch.zeros_like(z), torch.zeros_like(z)
    for t in range(1, steps + 1):
        loss = ((generator(z, row_labels).flatten(1) - x) ** 2).mean(1).sum()
        (grad,) = torch.autograd.grad(loss, z)
        with torch.no_grad():
            mom.mul_(BETAS[0]).add_(grad, alpha=1 - BETAS[0])
            var.mul_(BETAS[1]).addcmul_(grad, grad, value=1 - BETAS[1])
            step = (mom / (1 - BETAS[0] ** t)) / ((var / (1 - BETAS[1] ** t)).sqrt() + EPS)
            z.sub_(lr * step)
    with torch.no_grad():
        pictures = generator(z, row_labels).flatten(1)
        distances = (((pictures - x) ** 2).mean(1).sqrt() / 2).view(m, tried * restarts)
    best = distances.argmin(1)
    results = []
    for i in range(m):
        row = i * tried * restarts + int(best[i])
        results.append(
            {
                "distance": float(distances[i, best[i]]),
                "label": None if row_labels is None else int(row_labels[row]),
                "z": z[row].detach().tolist(),
                "picture": ((pictures[row] + 1) / 2).clamp(0, 1).tolist(),
            }
        )
    return results


def likeliest(probabilities, k: int = LABELS_TRIED) -> list[int]:
    """The ``k`` likeliest digits, likeliest first (ties: the smaller digit first, as the page sorts)."""
    order = sorted(range(len(probabilities)), key=lambda d: (-probabilities[d], d))
    return order[:k]


def distance_spreads(generator, classifier, test_images, *, n: int, seed: int) -> dict:
    """Quantiles of the inversion distances of the first ``n`` real test digits and of ``n`` samples."""
    from ..core.data import to_unit_range
    from . import metrics

    conditional = generator.config.num_classes > 0
    real = test_images[:n].float().div(255).flatten(1)
    with torch.no_grad():
        labels = torch.arange(n) % 10 if conditional else None
        fakes = generator(latents(seed + 1, n, generator.config.latent_dim), labels).flatten(1)
    fakes = ((fakes + 1) / 2).clamp(0, 1)
    spreads = {}
    for name, pictures in (("real", real), ("samples", fakes)):
        tried = None
        if conditional:
            _, probabilities = metrics.classifier_outputs(
                classifier, to_unit_range(pictures.mul(255).view(-1, 1, 28, 28))
            )
            tried = [likeliest(p.tolist()) for p in probabilities]
        found = []
        for i in range(0, n, 50):
            found += invert_many(
                generator, pictures[i : i + 50], None if tried is None else tried[i : i + 50], seed=seed
            )
        spreads[name] = [r["distance"] for r in found]
    words = (
        f"median inversion distance {np.median(spreads['real']):.3f} for {n} real test digits, "
        f"{np.median(spreads['samples']):.3f} for {n} of its own samples (RMS of ink in [0, 1])"
    )
    return {
        "n": n,
        "seed": seed,
        "real": quantiles(spreads["real"]),
        "samples": quantiles(spreads["samples"]),
        "median_real": round(float(np.median(spreads["real"])), 4),
        "median_samples": round(float(np.median(spreads["samples"])), 4),
        "words": words,
        **table(),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m gandemo.measures.inversion", description=__doc__.split("\n\n")[1])
    parser.add_argument("checkpoint", help="a checkpoint name under checkpoints/ or a folder")
    parser.add_argument("--n", type=int, default=200, help="real test digits and samples inverted")
    parser.add_argument("--classifier", default="checkpoints/mnist-classifier")
    parser.add_argument("--threads", type=int, default=1)
    add_data_arguments(parser)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    folder = Path(args.checkpoint)
    folder = folder if folder.is_dir() else Path("checkpoints") / args.checkpoint
    checkpoint = load_checkpoint(folder, device="cpu")
    classifier = load_classifier(args.classifier, device="cpu")
    test_images, _ = load_mnist(args.data_dir, split="test")
    start = time.perf_counter()
    record = distance_spreads(checkpoint.generator, classifier, test_images, n=args.n, seed=SEED)
    record["wall_time_s"] = round(time.perf_counter() - start, 1)
    record["command"] = f"python -m gandemo.measures.inversion {folder.name} --n {args.n}"
    update_config(folder, inversion=record)
    print(f"{folder.name}: {record['words']} ({record['wall_time_s']} s)", flush=True)
    return record


if __name__ == "__main__":
    exit_on_user_error(main)
