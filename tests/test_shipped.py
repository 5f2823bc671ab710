"""Every shipped checkpoint loads strictly and draws what it should: digits the shipped classifier reads
as digits (the right digit for the CGAN), points on the ring for the toys."""

from __future__ import annotations

import pytest
import torch

import gandemo
from gandemo.core.checkpoints import list_checkpoints
from gandemo.measures import metrics
from tests.conftest import ROOT

SHIPPED = ROOT / "checkpoints"
GENERATORS = sorted(
    n for n, c in list_checkpoints(SHIPPED).items() if isinstance(c, dict) and c.get("kind") != "classifier"
)


def test_the_shipped_folder_holds_every_recipe():
    assert set(GENERATORS) >= {"gan", "dcgan", "cgan", "wgan-gp", "toy-gan", "toy-wgan-gp"}


@pytest.fixture(scope="module")
def classifier():
    return gandemo.load_classifier(SHIPPED / "mnist-classifier", device="cpu")


@pytest.mark.parametrize("name", GENERATORS)
def test_each_shipped_generator_loads_and_samples_what_it_was_trained_on(name, classifier):
    generator = gandemo.load_generator(SHIPPED / name, device="cpu")
    if generator.config.data == "8gaussians":
        coverage = metrics.mode_coverage(gandemo.sample(generator, 1000, seed=0))
        assert coverage["modes_captured"] == 8 and coverage["high_quality_share"] > 0.8
        return
    labels = [i % 10 for i in range(100)] if generator.config.num_classes else None
    images = gandemo.sample(generator, 100, seed=0, labels=labels)
    assert images.shape == (100, 1, 28, 28) and images.min() >= -1 and images.max() <= 1
    with torch.no_grad():
        confidence, predicted = classifier(images).softmax(dim=1).max(dim=1)
    assert confidence.mean() > 0.8  # a trained generator's digits are legible; noise scores far lower
    assert len(set(predicted.tolist())) >= 9  # and not one digit over and over
    if labels is not None:
        assert (predicted == torch.tensor(labels)).float().mean() > 0.9  # the CGAN draws the digit asked for


@pytest.mark.parametrize("name", ["gan", "dcgan", "wgan-gp"])
def test_each_unconditional_mnist_model_ships_its_measured_directions_and_card_measures(name):
    from gandemo.measures import directions

    vectors, described = directions.load_directions(SHIPPED / name)
    assert vectors.shape == (directions.COUNT, gandemo.load_generator(SHIPPED / name).config.latent_dim)
    assert torch.allclose(vectors.norm(dim=1), torch.ones(directions.COUNT), atol=1e-5)
    assert all(entry["words"] and -1 <= entry["r_slant"] <= 1 for entry in described)
    card = (SHIPPED / name / "README.md").read_text()
    for key in ("precision", "recall", "density", "coverage", "per_digit_recall_real", "near_duplicate_share"):
        assert f"(`{key}`) |" in card  # each row names the config key it shows


@pytest.mark.parametrize("name", ["gan", "dcgan", "wgan-gp", "cgan"])
def test_each_mnist_model_ships_a_digit_map_on_real_digits_axes(name):
    from gandemo.measures import digit_map

    found = digit_map.load_digit_map(SHIPPED / name)
    assert found["points"].shape == (digit_map.MAP_SAMPLES, 2) and found["real_centres"].shape == (10, 2)
    assert set(found["digits"].tolist()) == set(range(10))
    # each digit's samples sit nearer their own real centre than the average other digit's
    for d in range(10):
        mine = found["points"][found["digits"] == d].mean(dim=0)
        distances = (found["real_centres"] - mine).norm(dim=1)
        assert distances[d] < distances.mean(), (name, d)
