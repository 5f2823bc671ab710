"""``python -m gandemo.evaluate FOLDER``: measure a generator checkpoint and record the numbers in its
config.json and model card.

MNIST models are scored on 10,000 samples drawn by :func:`gandemo.sample` (the app's own function,
eval mode) with our MNIST classifier; the 2-D toys on 2,500 samples with the mode-coverage metrics.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch

from . import metrics
from .checkpoints import CONFIG_NAME, load_checkpoint, load_classifier, update_config, write_critic_map
from .data import exit_on_user_error, load_mnist, to_unit_range
from .sampling import sample


def sample_in_chunks(generator, n: int, *, seed: int, labels=None, chunk: int = 1000) -> torch.Tensor:
    parts = []
    for start in range(0, n, chunk):
        size = min(chunk, n - start)
        part_labels = None if labels is None else labels[start : start + size]
        parts.append(sample(generator, size, seed=seed, labels=part_labels, start=start))
    return torch.cat(parts)


def evaluate_mnist(generator, classifier, *, n: int = 10_000, seed: int = 0, data_dir=None, real=None) -> dict:
    """Frechet distance and classifier IS, each beside real data's, digit histogram, label accuracy."""
    if real is None:
        train_x, _ = load_mnist(data_dir)
        test_x, _ = load_mnist(data_dir, split="test")
        real = (train_x, test_x)
    train_x, test_x = real
    test_features, test_probs = metrics.classifier_outputs(classifier, to_unit_range(test_x[:n]))
    test_stats = metrics.feature_stats(test_features)
    train_stats = metrics.feature_stats(metrics.classifier_outputs(classifier, to_unit_range(train_x[:n]))[0])
    labels = np.arange(n) % generator.config.num_classes if generator.config.num_classes else None
    samples = sample_in_chunks(generator, n, seed=seed, labels=None if labels is None else labels.tolist())
    features, probs = metrics.classifier_outputs(classifier, samples)
    histogram = metrics.digit_histogram(probs)
    result = {
        "samples": n,
        "frechet_distance": metrics.frechet_distance(metrics.feature_stats(features), test_stats),
        "frechet_distance_real_floor": metrics.frechet_distance(train_stats, test_stats),
        "inception_score": metrics.inception_score(probs),
        # the same score for the real test images: the ceiling this classifier puts on IS
        "inception_score_real_test": metrics.inception_score(test_probs),
        "digit_histogram": [round(v, 4) for v in histogram],
        "min_digit_share": round(min(histogram), 4),
    }
    result["frechet_ratio_to_floor"] = result["frechet_distance"] / result["frechet_distance_real_floor"]
    if labels is not None:
        result["label_accuracy"] = metrics.label_accuracy(probs, labels)
    return result


def evaluate_toy(generator, *, n: int = 2_500, seed: int = 0) -> dict:
    return {"samples": n, **metrics.mode_coverage(sample(generator, n, seed=seed))}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m gandemo.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("folder", help="checkpoint folder or Hub repo id")
    parser.add_argument("--classifier", default="checkpoints/mnist-classifier")
    parser.add_argument("--samples", type=int, help="default: 10000 for MNIST, 2500 for the toy")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--no-write", action="store_true", help="print only; leave config.json as it is")
    args = parser.parse_args(argv)
    checkpoint = load_checkpoint(args.folder, device=args.device)
    generator = checkpoint.generator
    if generator.config.data == "mnist":
        classifier = load_classifier(args.classifier, device=args.device)
        result = evaluate_mnist(generator, classifier, n=args.samples or 10_000, seed=args.seed, data_dir=args.data_dir)
    else:
        result = evaluate_toy(generator, n=args.samples or 2_500, seed=args.seed)
        critic = checkpoint.discriminator()
        if critic is not None and not args.no_write:  # the map every viewer is shown, computed once here
            write_critic_map(checkpoint.folder, critic)
    for key, value in result.items():
        shown = f"{value:.4f}" if isinstance(value, float) else value
        print(f"{key:28s} {shown}")
    if not args.no_write:
        rounded = {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}
        update_config(checkpoint.folder, metrics=rounded)
        print(f"metrics written to {checkpoint.folder / CONFIG_NAME}")
    return result


if __name__ == "__main__":
    exit_on_user_error(main)
