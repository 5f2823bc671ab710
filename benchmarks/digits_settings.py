"""Which settings let the Train on digits tab's default networks learn fastest from scratch: PyTorch's own
``gan_step`` (the step the page is held to) on the digits the browser ships, one thread, scored by our classifier
(IS, the rarest digit's share) on 1,000 fixed latents after 500 ... 3,000 steps.

    python -m benchmarks.digits_settings [--steps 3000] [--only NAME ...]

It answers "how many steps to digits" per setting; the page's steps/s (benchmarks/digits_speed.py) turn that into
minutes. The draws are seeded, so a rerun gives the same numbers on this torch version.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

import numpy as np
import torch

from gandemo.core.checkpoints import load_classifier
from gandemo.core.models import ModelConfig, build_discriminator, build_generator
from gandemo.core.objectives import get_objective
from gandemo.core.training import gan_step
from gandemo.measures.metrics import classifier_outputs, inception_score
from gandemo.ui import browser, digits

CHECKPOINTS = Path(__file__).resolve().parents[1] / "checkpoints"
MARKS = (500, 1000, 1500, 2000, 3000, 4000, 5000)
VARIANTS = {  # name: (model changes, objective, generator lr, discriminator lr)
    "gan 2e-4": ({}, "gan", 2e-4, 2e-4),
    "gan 5e-4": ({}, "gan", 5e-4, 5e-4),
    "gan 1e-3": ({}, "gan", 1e-3, 1e-3),
    "gan, BatchNorm 2e-4": ({"g_batchnorm": True}, "gan", 2e-4, 2e-4),
    "gan, BatchNorm 5e-4": ({"g_batchnorm": True}, "gan", 5e-4, 5e-4),
    "lsgan 2e-4": ({}, "lsgan", 2e-4, 2e-4),
    "hinge 5e-4": ({}, "hinge", 5e-4, 5e-4),
    "cgan 2e-4": ({"num_classes": 10}, "gan", 2e-4, 2e-4),
    "cgan 5e-4": ({"num_classes": 10}, "gan", 5e-4, 5e-4),
    "cgan 1e-3": ({"num_classes": 10}, "gan", 1e-3, 1e-3),
    "gan 2e-3": ({}, "gan", 2e-3, 2e-3),
    "gan G 1e-3, D 2e-3": ({}, "gan", 1e-3, 2e-3),
    "gan G 2e-3, D 1e-3": ({}, "gan", 2e-3, 1e-3),
    "gan, BatchNorm 1e-3": ({"g_batchnorm": True}, "gan", 1e-3, 1e-3),
    "gan, D dropout 0.3, 1e-3": ({"d_dropout": 0.3}, "gan", 1e-3, 1e-3),
    "cgan 2e-3": ({"num_classes": 10}, "gan", 2e-3, 2e-3),
    "lsgan 1e-3": ({}, "lsgan", 1e-3, 1e-3),
    "cgan, BatchNorm 1e-3": ({"num_classes": 10, "g_batchnorm": True}, "gan", 1e-3, 1e-3),
    "gan, BatchNorm 2e-3": ({"g_batchnorm": True}, "gan", 2e-3, 2e-3),
    "cgan, BatchNorm 2e-3": ({"num_classes": 10, "g_batchnorm": True}, "gan", 2e-3, 2e-3),
    "cgan, BatchNorm G 2e-3, D 1e-3": ({"num_classes": 10, "g_batchnorm": True}, "gan", 2e-3, 1e-3),
    "gan, BatchNorm G 2e-3, D 1e-3": ({"g_batchnorm": True}, "gan", 2e-3, 1e-3),
    "gan, one 256 layer, 1e-3": ({"g_hidden": [256], "d_hidden": [256]}, "gan", 1e-3, 1e-3),
    "cgan, one 256 layer, 1e-3": ({"g_hidden": [256], "d_hidden": [256], "num_classes": 10}, "gan", 1e-3, 1e-3),
}


def shipped_digits() -> tuple[torch.Tensor, torch.Tensor]:
    """The browser's digits (train.digits_subset's layout): images in [-1, 1] and labels."""
    data = browser.WEB / "data"
    info = json.loads((data / "mnist-digits.json").read_text())
    raw = gzip.decompress((data / info["file"]).read_bytes())
    n = info["count"]
    labels = torch.from_numpy(np.frombuffer(raw[:n], np.uint8).astype(np.int64))
    pixels = np.frombuffer(raw[n:], np.uint8).reshape(n, 1, 28, 28).astype(np.float32)
    return torch.from_numpy(pixels) / 127.5 - 1, labels


def run(variant: tuple, data, classifier, steps: int, batch: int = 64, seed: int = 0) -> tuple[float, list[str]]:
    changes, objective, g_lr, d_lr = variant
    images, labels = data
    config = ModelConfig.from_dict({**digits.BROWSER_MLP, **changes})
    torch.manual_seed(seed)  # (the networks' initial weights)
    g, d = build_generator(config), build_discriminator(config)
    betas = get_objective(objective).betas
    opt_g = torch.optim.Adam(g.parameters(), g_lr, betas=betas)
    opt_d = torch.optim.Adam(d.parameters(), d_lr, betas=betas)
    rng, pick = torch.Generator().manual_seed(1 + seed), torch.Generator().manual_seed(2 + seed)
    z = torch.randn(1000, config.latent_dim, generator=torch.Generator().manual_seed(9))
    asked = torch.arange(1000) % 10 if config.num_classes else None

    def next_batch(_):
        i = torch.randint(0, len(images), (batch,), generator=pick)
        return images[i], (labels[i] if config.num_classes else None)

    start, scores = time.perf_counter(), []
    for step in range(1, steps + 1):
        gan_step(g, d, opt_g, opt_d, next_batch, objective=objective, rng=rng)
        if step in MARKS:
            g.eval()
            with torch.no_grad():
                samples = g(z, asked) if asked is not None else g(z)
            g.train()
            probs = classifier_outputs(classifier, samples)[1]
            share = np.bincount(probs.argmax(1), minlength=10).min() / len(probs)
            scores.append(f"IS {inception_score(probs):.2f}, rarest {share:.1%}")
    return steps / (time.perf_counter() - start), scores


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.digits_settings", description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--only", nargs="*", choices=list(VARIANTS), help="these settings only")
    parser.add_argument("--seed", type=int, default=0, help="the weights' and the draws' seed (0: the table's)")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    data, classifier = shipped_digits(), load_classifier(CHECKPOINTS / browser.CLASSIFIER, device="cpu")
    marks = [m for m in MARKS if m <= args.steps]
    print("| settings | steps/s | " + " | ".join(f"step {m:,}" for m in marks) + " |")
    print("| --- | ---: | " + " | ".join("---" for _ in marks) + " |")
    for name in args.only or VARIANTS:
        rate, scores = run(VARIANTS[name], data, classifier, args.steps, seed=args.seed)
        print(f"| {name} | {rate:.0f} | " + " | ".join(scores) + " |", flush=True)


if __name__ == "__main__":
    main()
