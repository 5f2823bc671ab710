"""Metrics against cases with known answers, and the evaluate command on a tiny checkpoint."""

import json

import numpy as np
import pytest
import torch

import gandemo
from gandemo.core.checkpoints import update_config
from gandemo.core.data import RING_CENTERS, fake_mnist, sample_8gaussians
from gandemo.evaluate import evaluate_mnist
from gandemo.evaluate import main as evaluate_main
from gandemo.measures import metrics
from tests.conftest import ROOT, make_checkpoint


def test_frechet_distance_known_values():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(5000, 4))
    stats = metrics.feature_stats(a)
    assert metrics.frechet_distance(stats, stats) == pytest.approx(0, abs=1e-8)
    # N(0, I) vs N(m, 4I) in d dims: |m|^2 + d (1 + 4 - 2*2) = |m|^2 + d
    mu, cov = np.zeros(4), np.eye(4)
    assert metrics.frechet_distance((mu, cov), (mu + 1, 4 * cov)) == pytest.approx(4 + 4)


def test_inception_score_extremes():
    confident_uniform = np.eye(10)[np.arange(1000) % 10]
    assert metrics.inception_score(confident_uniform) == pytest.approx(10, rel=1e-6)
    collapsed = np.eye(10)[np.zeros(1000, dtype=int)]
    assert metrics.inception_score(collapsed) == pytest.approx(1, rel=1e-6)
    assert metrics.digit_histogram(collapsed)[0] == 1.0
    assert metrics.label_accuracy(confident_uniform, np.arange(1000) % 10) == 1.0


def test_mode_coverage_of_real_data_and_of_a_collapsed_generator():
    real = sample_8gaussians(2500, generator=torch.Generator().manual_seed(0))
    result = metrics.mode_coverage(real)
    assert result["modes_captured"] == 8
    assert 0.975 < result["high_quality_share"] < 1.0  # chi-square(2) inside 3 std: 98.9%
    assert result["kl_to_uniform"] < 0.01
    collapsed = RING_CENTERS[:1].repeat(100, 1)
    result = metrics.mode_coverage(collapsed)
    assert result["modes_captured"] == 1 and result["kl_to_uniform"] == pytest.approx(np.log(8))
    assert metrics.mode_coverage(torch.zeros(10, 2))["high_quality_share"] == 0.0


def test_evaluate_mnist_reports_every_metric(tmp_path):
    from train.__main__ import main as train_main

    train_main(["classifier", "--fake-data", "64", "--epochs", "1", "--out", str(tmp_path / "classifier")])
    classifier = gandemo.load_classifier(tmp_path / "classifier", device="cpu")
    cgan = gandemo.load_generator(make_checkpoint(tmp_path / "cgan", "cgan"), device="cpu")
    real = (fake_mnist(300), fake_mnist(300, seed=1))
    result = evaluate_mnist(cgan, classifier, n=300, real=real)
    for key in (
        "frechet_distance",
        "frechet_distance_real_floor",
        "inception_score",
        "inception_score_real_test",
        "min_digit_share",
    ):
        assert np.isfinite(result[key])
    assert len(result["digit_histogram"]) == 10 and 0 <= result["label_accuracy"] <= 1
    for name in ("precision", "recall", "density", "coverage"):
        for key in (name, f"{name}_real"):
            assert np.isfinite(result[key]) and len(result[f"per_digit_{key}"]) == 10
    for key in ("digit_entropy", "digit_entropy_real", "near_duplicate_share", "near_duplicate_share_real"):
        assert 0 <= result[key] <= 1


def test_precision_recall_density_coverage_are_the_prdc_packages():
    """Our chunked float64 computation against the reference implementation (clovaai's prdc), on the same
    features: overlapping, shifted and collapsed sets."""
    prdc = pytest.importorskip("prdc")
    rng = np.random.default_rng(0)
    real = rng.normal(size=(700, 16)).astype(np.float32)
    fakes = {
        "similar": rng.normal(size=(600, 16)).astype(np.float32),
        "shifted": (rng.normal(size=(650, 16)) * 1.3 + 0.4).astype(np.float32),
        "collapsed": (real[:1] + 0.01 * rng.normal(size=(300, 16))).astype(np.float32),
    }
    for name, fake in fakes.items():
        expected = prdc.compute_prdc(real, fake, nearest_k=5)
        found = metrics.precision_recall_density_coverage(real, fake, k=5, chunk=128)
        for key, value in expected.items():
            assert found[key] == pytest.approx(float(value), abs=1e-9), (name, key)
    with pytest.raises(ValueError, match="need more than 5 samples"):
        metrics.precision_recall_density_coverage(real[:5], real, k=5)


def test_digit_entropy_and_near_duplicates():
    assert metrics.digit_entropy([0.1] * 10) == pytest.approx(1.0)
    assert metrics.digit_entropy([1.0] + [0.0] * 9) == 0.0
    points = np.array([[0.0, 0.0], [0.0, 0.001], [5.0, 5.0], [9.0, 0.0]])
    assert metrics.near_duplicate_share(points, 0.01) == 0.5


def test_evaluate_command_writes_metrics_into_config_and_card(tmp_path, mnist_dir, capsys):
    from train.__main__ import main as train_main

    train_main(["classifier", "--fake-data", "64", "--epochs", "1", "--out", str(tmp_path / "classifier")])
    folder = make_checkpoint(tmp_path / "gan", "gan")
    argv = [str(folder), "--classifier", str(tmp_path / "classifier"), "--samples", "500"]
    evaluate_main([*argv, "--data-dir", str(mnist_dir), "--device", "cpu"])
    out = capsys.readouterr().out
    assert "frechet_distance_real_floor" in out and "inception_score" in out
    config = gandemo.read_config(folder)
    assert config["metrics"]["samples"] == 500
    assert "inception_score" in (folder / "README.md").read_text()
    # beside them: the latent directions (unconditional models) and the digit map, each described
    assert out.count("direction ") >= 5 and "latent directions written to" in out and "digit map written to" in out
    assert (folder / "directions.safetensors").is_file() and (folder / "digit_map.safetensors").is_file()


def test_evaluate_toy(tmp_path):
    folder = make_checkpoint(tmp_path / "toy", "toy-gan")
    result = evaluate_main([str(folder), "--samples", "300", "--device", "cpu"])
    assert result["samples"] == 300 and 0 <= result["modes_captured"] <= 8
    assert gandemo.read_config(folder)["metrics"]["modes_total"] == 8


def test_evaluate_scores_a_2d_model_on_the_target_it_learned(tmp_path):
    """A Playground save records its target: evaluate counts that target's modes, or none where it has none."""
    folder = make_checkpoint(tmp_path / "toy", "toy-gan")
    update_config(folder, target={"name": "25 Gaussians"})
    assert evaluate_main([str(folder), "--samples", "300", "--device", "cpu"])["modes_total"] == 25
    update_config(folder, target={"name": "two moons"})
    assert evaluate_main([str(folder), "--samples", "300", "--device", "cpu"]) == {"samples": 300}
    assert gandemo.read_config(folder)["metrics"] == {"samples": 300}


def test_a_collapsed_generator_trips_the_alarm_and_the_shipped_models_do_not(mnist_dir):
    """A real generator made to draw one real "1" for every latent (its last layer ignores its input) is
    called a collapse; every shipped MNIST model's recorded measurements are not."""
    from gandemo.core import explain
    from gandemo.core.data import load_mnist, to_unit_range

    classifier = gandemo.load_classifier(ROOT / "checkpoints" / "mnist-classifier", device="cpu")
    generator = gandemo.load_generator(ROOT / "checkpoints" / "gan", device="cpu")
    test = load_mnist(mnist_dir, split="test")
    one = to_unit_range(test[0][test[1] == 1][:1]).flatten().clamp(-0.999, 0.999)
    last = [m for m in generator.modules() if isinstance(m, torch.nn.Linear)][-1]
    with torch.no_grad():
        last.weight.zero_()
        last.bias.copy_(torch.atanh(one))
    result = evaluate_mnist(generator, classifier, n=1000, real=(load_mnist(mnist_dir), test))
    alarm, words = explain.collapse_verdict(result)
    assert alarm and "digit 1 is 100.0% of samples" in words and "100.0% of samples are near-copies" in words
    assert words.endswith("mode collapse") and result["recall"] < 0.05
    for name in ("gan", "dcgan", "cgan", "wgan-gp"):
        config = json.loads((ROOT / "checkpoints" / name / "config.json").read_text())
        alarm, words = explain.collapse_verdict(config["metrics"])
        assert not alarm and words.startswith("all 10 digits"), (name, words)
