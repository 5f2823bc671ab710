"""The Draw a digit tab's per-model measures on the shipped checkpoints: a discriminator trained briefly after the
generator (``python -m train.discriminator``) is written, loaded strictly and recorded in config.json and the card;
a score is placed on the spreads; an inversion finds a generator's own sample again."""

from __future__ import annotations

import shutil

import pytest
import torch

from gandemo.core.checkpoints import load_checkpoint
from gandemo.core.sampling import latents
from gandemo.measures import inversion, verdict
from tests.conftest import ROOT

SHIPPED = ROOT / "checkpoints"


def test_a_score_is_placed_among_the_quantiles():
    points = [0.0, 1.0, 2.0, 4.0, 8.0]  # 0%, 25%, 50%, 75%, 100%
    assert verdict.percentile(-1.0, points) == 0.0 and verdict.percentile(9.0, points) == 100.0
    assert verdict.percentile(3.0, points) == pytest.approx(62.5)
    assert verdict.percentile(1.0, [0.0, 1.0, 1.0, 2.0, 3.0]) == pytest.approx(50.0)  # (a tie: past it)
    assert verdict.quantiles(range(101)) == [float(v) for v in range(0, 101, 5)]


def test_a_discriminator_trained_after_the_generator_is_shipped_and_recorded(tmp_path, mnist_dir):
    from train.discriminator import main

    if not (SHIPPED / "gan" / "model.safetensors").is_file():
        pytest.skip("the shipped gan checkpoint is not here")
    folder = tmp_path / "gan"
    shutil.copytree(SHIPPED / "gan", folder)
    (folder / "discriminator.safetensors").unlink(missing_ok=True)
    record = main([str(folder), "--steps", "3", "--data-dir", str(mnist_dir)])
    checkpoint = load_checkpoint(folder, device="cpu")
    assert checkpoint.discriminator() is not None  # strict: every tensor's name, shape and dtype
    assert (
        checkpoint.config["discriminator"]["command"]
        == "python -m train.discriminator gan --steps 3 --batch-size 128 --seed 0"
    )
    spread = record["scores"]
    assert spread["n"] == 1000 and len(spread["real"]) == len(spread["samples"]) == verdict.QUANTILES + 1
    assert spread["real"] == sorted(spread["real"])
    card = (folder / "README.md").read_text()
    assert "## Discriminator" in card and "python -m train.discriminator gan" in card


def test_inversion_finds_a_generators_own_sample_again():
    if not (SHIPPED / "gan" / "model.safetensors").is_file():
        pytest.skip("the shipped gan checkpoint is not here")
    generator = load_checkpoint(SHIPPED / "gan", device="cpu").generator
    with torch.no_grad():
        sample = (generator(latents(7, 1, generator.config.latent_dim)).flatten(1) + 1) / 2
    found = inversion.invert_many(generator, sample, None)[0]
    assert found["distance"] < 0.05  # (two unrelated digits: about 0.3)
    assert len(found["z"]) == generator.config.latent_dim and len(found["picture"]) == 784
