"""What a per-digit precision or recall bar misses (gandemo/measures/misses.py): on real MNIST features, its counts
are exactly the bars' shares, the pictures kept are the farthest misses of the bar's digit, and evaluate writes
them beside the weights without touching the recorded numbers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch

from gandemo.core.checkpoints import load_checkpoint, load_classifier
from gandemo.core.data import load_mnist, to_unit_range
from gandemo.evaluate import PRDC_K, _sampled, main, prdc_by_digit
from gandemo.measures import metrics, misses

ROOT = Path(__file__).resolve().parents[1]
N = 600


@pytest.fixture(scope="module")
def features(mnist_dir):
    """Real test digits' and the shipped gan's samples' classifier features, with their digits."""
    classifier = load_classifier(ROOT / "checkpoints" / "mnist-classifier", device="cpu")
    test_x, test_y = load_mnist(mnist_dir, split="test")
    real = metrics.classifier_outputs(classifier, to_unit_range(test_x[:N]))[0]
    drawn = _sampled(load_checkpoint(ROOT / "checkpoints" / "gan", device="cpu").generator, classifier, N, 0)
    return real, np.asarray(test_y[:N]), drawn, test_x[:N]


def test_the_misses_are_exactly_what_the_per_digit_bars_leave_out(features):
    real, real_digits, drawn, _ = features
    bars = prdc_by_digit(real, real_digits, drawn["features"], drawn["digits"], k=PRDC_K)
    found = misses.per_digit_misses(real, real_digits, drawn["features"], drawn["digits"], k=PRDC_K, shown=5)
    for digit in range(10):
        precision, recall = bars["per_digit_precision"][digit], bars["per_digit_recall"][digit]
        if precision is None:
            assert found["outside_counts"][digit] == found["uncovered_counts"][digit] == 0
            continue
        assert 1 - found["outside_counts"][digit] / found["fakes"][digit] == pytest.approx(precision, abs=5e-5)
        assert 1 - found["uncovered_counts"][digit] / found["reals"][digit] == pytest.approx(recall, abs=5e-5)
    assert sum(found["outside_counts"]) > 0 and sum(found["uncovered_counts"]) > 0
    assert found["fakes"] == np.bincount(drawn["digits"], minlength=10).tolist()


def test_the_pictures_kept_are_the_farthest_misses_of_their_digit(features):
    real, real_digits, drawn, _ = features
    fake, fake_digits = np.asarray(drawn["features"]), np.asarray(drawn["digits"])
    found = misses.per_digit_misses(real, real_digits, fake, fake_digits, k=PRDC_K, shown=3)
    digit = int(np.argmax(found["outside_counts"]))
    kept = [i for i in found["outside"] if fake_digits[i] == digit]
    assert len(kept) == min(3, found["outside_counts"][digit])
    real_d = torch.as_tensor(real[real_digits == digit], dtype=torch.float64)
    radii = metrics.kth_neighbour_distances(real_d, PRDC_K)
    at = np.flatnonzero(fake_digits == digit)
    inside, ratio = misses.reach(torch.as_tensor(fake[at], dtype=torch.float64), real_d, radii)
    outside_ratios = sorted((float(r) for r, i in zip(ratio, inside, strict=True) if not i), reverse=True)
    assert [float(ratio[list(at).index(i)]) for i in kept] == outside_ratios[: len(kept)]
    assert min(outside_ratios) >= 1  # a miss lies past every neighbourhood's radius


def test_evaluate_writes_the_misses_beside_the_weights_and_keeps_the_numbers(tmp_path, mnist_dir):
    folder = tmp_path / "gan"
    shutil.copytree(ROOT / "checkpoints" / "gan", folder, ignore=shutil.ignore_patterns("misses.safetensors"))
    before = json.loads((folder / "config.json").read_text())
    main([str(folder), "--only", "misses", "--samples", str(N), "--data-dir", str(mnist_dir), "--device", "cpu"])
    assert json.loads((folder / "config.json").read_text()) == before
    tensors = misses.load_misses(folder)
    test_x, _ = load_mnist(mnist_dir, split="test")
    index = tensors["uncovered_test_index"].long()
    assert len(index) and (tensors["uncovered_pictures"] == test_x[index].reshape(len(index), 784)).all()
    assert tensors["outside_pictures"].shape == (len(tensors["outside_tiles"]), 784)
    assert int(tensors["fakes"].sum()) == N and int(tensors["reals"].sum()) == N
    (folder / misses.MISSES_NAME).write_bytes(b"\x08" + bytes(20))
    with pytest.raises(ValueError, match=r"gan/misses\.safetensors could not be read"):
        misses.load_misses(folder)
