"""``python -m gandemo.evaluate FOLDER``: measure a generator checkpoint and record the numbers in its
config.json and model card.

MNIST models are scored on 10,000 samples drawn by :func:`gandemo.sample` (the app's own function,
eval mode) with our MNIST classifier; the 2-D toys on 2,500 samples with the mode-coverage metrics.
"""

from __future__ import annotations

import argparse

import numpy as np
import torch

from .core import targets
from .core.checkpoints import (
    CONFIG_NAME,
    load_checkpoint,
    load_classifier,
    read_config,
    update_config,
    write_critic_map,
)
from .core.data import add_data_arguments, exit_on_user_error, load_mnist, to_unit_range
from .core.sampling import sample
from .measures import copying, digit_map, directions, metrics, misses


def sample_in_chunks(generator, n: int, *, seed: int, labels=None, chunk: int = 1000) -> torch.Tensor:
    parts = []
    for start in range(0, n, chunk):
        size = min(chunk, n - start)
        part_labels = None if labels is None else labels[start : start + size]
        parts.append(sample(generator, size, seed=seed, labels=part_labels, start=start))
    return torch.cat(parts)


PRDC_K = 5  # neighbours, as in Naeem et al. (2020) and the prdc package's examples
PRDC = ("precision", "recall", "density", "coverage")


def prdc_by_digit(real, real_digits, fake, fake_digits, k: int = PRDC_K) -> dict:
    """Precision, recall, density and coverage overall and for each digit 0-9 (None where a digit has too
    few samples to have k neighbours)."""
    found = metrics.precision_recall_density_coverage(real, fake, k=k)
    for name in PRDC:
        found[f"per_digit_{name}"] = []
    for digit in range(10):
        real_d, fake_d = real[real_digits == digit], fake[fake_digits == digit]
        enough = min(len(real_d), len(fake_d)) > k
        scores = metrics.precision_recall_density_coverage(real_d, fake_d, k=k) if enough else {}
        for name in PRDC:
            value = scores.get(name)
            found[f"per_digit_{name}"].append(None if value is None else round(value, 4))
    return found


def data_copying(classifier, train_images, test_features, sample_features, *, seed: int = 0) -> dict:
    """Meehan et al.'s C_T of the samples' features against all ``train_images`` (uint8) and the test digits'
    features, rounded for config.json (its cells' k-means starts drawn from ``seed``)."""
    train_features = metrics.classifier_outputs(classifier, to_unit_range(train_images))[0]
    found = copying.data_copying(train_features, test_features, sample_features, seed=seed)
    return {**found, "C_T": None if found["C_T"] is None else round(found["C_T"], 4)}


def _sampled(generator, classifier, n: int, seed: int) -> dict:
    """The ``n`` samples every MNIST measure scores (tiles 0 .. n - 1 of ``seed``; the CGAN's ask for digit
    i % 10), their classifier features and probabilities, and the digit each is counted under per digit."""
    labels = np.arange(n) % generator.config.num_classes if generator.config.num_classes else None
    samples = sample_in_chunks(generator, n, seed=seed, labels=None if labels is None else labels.tolist())
    features, probs = metrics.classifier_outputs(classifier, samples)
    # per digit: the CGAN's samples by the digit asked for, the others' by the digit the classifier sees
    digits = labels if labels is not None else probs.argmax(axis=1)
    return {"samples": samples, "features": features, "probs": probs, "labels": labels, "digits": digits}


def evaluate_copying(generator, classifier, *, n: int = 10_000, seed: int = 0, real) -> dict:
    """The data-copying statistic alone (``--only data_copying``): the same ``n`` samples and test digits as
    :func:`evaluate_mnist`'s, so it adds C_T to a card's numbers without measuring the others again."""
    (train_x, _), (test_x, _) = real
    test_features = metrics.classifier_outputs(classifier, to_unit_range(test_x[:n]))[0]
    features = _sampled(generator, classifier, n, seed)["features"]
    return {"data_copying": data_copying(classifier, train_x, test_features, features, seed=seed)}


def write_misses(generator, classifier, folder, *, n: int = 10_000, seed: int = 0, real_test, drawn=None) -> None:
    """What each per-digit precision and recall bar is about (``measures/misses.py``), from the same ``n``
    samples and test digits as :func:`evaluate_mnist`'s figures, written beside the weights."""
    test_x, test_y = real_test
    test_features = metrics.classifier_outputs(classifier, to_unit_range(test_x[:n]))[0]
    drawn = drawn or _sampled(generator, classifier, n, seed)  # (evaluate's own samples, where it passes them)
    test_digits = np.asarray(test_y[:n])
    found = misses.per_digit_misses(test_features, test_digits, drawn["features"], drawn["digits"], k=PRDC_K)
    tensors = misses.misses_tensors(found, drawn["samples"], drawn["digits"], test_x[:n], test_digits)
    path = misses.save_misses(folder, tensors, seed=seed, k=PRDC_K)
    print(f"samples outside real digits, per digit: {found['outside_counts']}")
    print(f"real digits no sample covers, per digit: {found['uncovered_counts']}")
    print(f"the farthest of each written to {path}")


def evaluate_mnist(
    generator, classifier, *, n: int = 10_000, seed: int = 0, data_dir=None, real=None, drawn=None
) -> dict:
    """Frechet distance and classifier IS, each beside real data's, digit histogram, label accuracy; precision,
    recall, density and coverage overall and per digit beside real training digits' against the test digits;
    and what the collapse alarm reads (digit entropy, near-duplicates), beside real test digits'."""
    if real is None:
        real = (load_mnist(data_dir), load_mnist(data_dir, split="test"))
    (train_x, train_y), (test_x, test_y) = real
    test_features, test_probs = metrics.classifier_outputs(classifier, to_unit_range(test_x[:n]))
    test_stats = metrics.feature_stats(test_features)
    train_features = metrics.classifier_outputs(classifier, to_unit_range(train_x[:n]))[0]
    train_stats = metrics.feature_stats(train_features)
    drawn = drawn or _sampled(generator, classifier, n, seed)
    features, probs, labels, fake_digits = drawn["features"], drawn["probs"], drawn["labels"], drawn["digits"]
    histogram = metrics.digit_histogram(probs)
    test_digits, train_digits = np.asarray(test_y[:n]), np.asarray(train_y[:n])
    scores = prdc_by_digit(test_features, test_digits, features, fake_digits)
    floor = prdc_by_digit(test_features, test_digits, train_features, train_digits)
    # a near-duplicate: closer to another sample than all but 1% of real test digits are to theirs
    test_nearest = metrics.nearest_other_distances(test_features)
    threshold = float(np.quantile(test_nearest, metrics.DUPLICATE_QUANTILE))
    result = {
        "samples": n,
        "frechet_distance": metrics.frechet_distance(metrics.feature_stats(features), test_stats),
        "frechet_distance_real_floor": metrics.frechet_distance(train_stats, test_stats),
        "inception_score": metrics.inception_score(probs),
        # the same score for the real test images: the ceiling this classifier puts on IS
        "inception_score_real_test": metrics.inception_score(test_probs),
        "digit_histogram": [round(v, 4) for v in histogram],
        "min_digit_share": round(min(histogram), 4),
        **scores,
        **{f"{key}_real": value for key, value in floor.items()},
        "digit_entropy": metrics.digit_entropy(histogram),
        "digit_entropy_real": metrics.digit_entropy(metrics.digit_histogram(test_probs)),
        "near_duplicate_share": metrics.near_duplicate_share(features, threshold),
        "near_duplicate_share_real": float((test_nearest < threshold).mean()),
        "data_copying": data_copying(classifier, train_x, test_features, features, seed=seed),
    }
    result["frechet_ratio_to_floor"] = result["frechet_distance"] / result["frechet_distance_real_floor"]
    if labels is not None:
        result["label_accuracy"] = metrics.label_accuracy(probs, labels)
    return result


def evaluate_toy(generator, *, n: int = 2_500, seed: int = 0, target: dict | None = None) -> dict:
    """Mode coverage of ``n`` samples on the model's own target (``targets.of_config``; the 8-Gaussian ring when
    none is given); a target with no modes to count (two moons, ...) records the sample count alone."""
    found = targets.modes(target["name"], target["points"]) if target else None
    if target and found is None:
        return {"samples": n}
    shape = {"centers": found[0], "std": found[1]} if found else {}
    return {"samples": n, **metrics.mode_coverage(sample(generator, n, seed=seed), **shape)}


def write_companions(checkpoint, classifier, real_test, *, n: int, seed: int, write: bool, drawn=None) -> None:
    """What the app shows beside an MNIST model's scores: its digit map (on real test digits' axes), what each
    per-digit bar misses and, for an unconditional model, its latent directions with what each changes; printed,
    and written unless not."""
    generator = checkpoint.generator
    if write:
        test_x, test_y = real_test
        size = 2 * digit_map.MAP_SAMPLES
        found = digit_map.digit_map(generator, classifier, test_x[:size], test_y[:size])
        print(f"digit map written to {digit_map.save_digit_map(checkpoint.folder, found)}")
        write_misses(generator, classifier, checkpoint.folder, n=n, seed=seed, real_test=real_test, drawn=drawn)
    if generator.config.num_classes:
        return
    vectors = directions.find_directions(generator, n=n, seed=seed)
    vectors, described = directions.orient(vectors, directions.describe(generator, vectors, classifier))
    for k, entry in enumerate(described, 1):
        print(f"direction {k}: {entry['words']}")
    if write:
        path = directions.save_directions(checkpoint.folder, vectors, described, n=n, seed=seed)
        print(f"latent directions written to {path}")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m gandemo.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("folder", help="checkpoint folder or Hub repo id")
    parser.add_argument("--classifier", default="checkpoints/mnist-classifier")
    parser.add_argument("--samples", type=int, help="default: 10000 for MNIST, 2500 for the toy")
    parser.add_argument("--seed", type=int, default=0)
    add_data_arguments(parser)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--no-write", action="store_true", help="print only; leave config.json as it is")
    parser.add_argument(
        "--only",
        choices=["data_copying", "misses"],
        help="MNIST: measure this alone and add it to the recorded numbers, leaving the others as they are",
    )
    args = parser.parse_args(argv)
    checkpoint = load_checkpoint(args.folder, device=args.device)
    generator = checkpoint.generator
    if generator.config.data == "mnist":
        classifier = load_classifier(args.classifier, device=args.device)
        real = (load_mnist(args.data_dir), load_mnist(args.data_dir, split="test"))  # (read once, used twice)
        n = args.samples or 10_000
        if args.only == "misses":  # (a companion file: the recorded numbers stay as they are)
            write_misses(generator, classifier, checkpoint.folder, n=n, seed=args.seed, real_test=real[1])
            return {}
        if args.only:
            result = evaluate_copying(generator, classifier, n=n, seed=args.seed, real=real)
        else:
            drawn = _sampled(generator, classifier, n, args.seed)  # (scored, and the misses kept: sampled once)
            result = evaluate_mnist(generator, classifier, n=n, seed=args.seed, real=real, drawn=drawn)
            write = not args.no_write
            write_companions(checkpoint, classifier, real[1], n=n, seed=args.seed, write=write, drawn=drawn)
    else:
        target = targets.of_config(checkpoint.config)  # (a Playground save may have learned another)
        result = evaluate_toy(generator, n=args.samples or 2_500, seed=args.seed, target=target)
        critic = checkpoint.discriminator()
        if critic is not None and not args.no_write:  # the map every viewer is shown, computed once here
            write_critic_map(checkpoint.folder, critic)
    for key, value in result.items():
        value = value.get("C_T") if isinstance(value, dict) else value  # (C_T's cells are in config.json)
        shown = f"{value:.4f}" if isinstance(value, float) else value
        print(f"{key:28s} {shown}")
    if not args.no_write:
        rounded = {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}
        kept = (read_config(checkpoint.folder).get("metrics") or {}) if args.only else {}
        update_config(checkpoint.folder, metrics={**kept, **rounded})
        print(f"metrics written to {checkpoint.folder / CONFIG_NAME}")
    return result


if __name__ == "__main__":
    exit_on_user_error(main)
