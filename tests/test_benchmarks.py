"""The tutorial-style loop that benchmarks/time_to_quality.py holds our training against."""

import dataclasses

import pytest
import torch

from benchmarks.tutorial import main, torchvision_root, train_tutorial, tutorial_settings
from gandemo.core.checkpoints import load_checkpoint, read_config
from train.recipes import RECIPES


def test_tutorial_settings_are_the_tutorials_not_ours():
    wgan, gan = tutorial_settings(RECIPES["wgan-gp"]), tutorial_settings(RECIPES["gan"])
    assert (wgan.batch_size, wgan.critic_steps, wgan.g_lr, wgan.beta2, wgan.gp_weight) == (64, 5, 2e-4, 0.999, 10.0)
    assert (gan.batch_size, gan.critic_steps) == (64, 1)
    for s in (wgan, gan):
        assert not s.lr_decay and s.top_k == 1.0 and s.ema_decay == 0.0 and not s.amp
    toy = tutorial_settings(RECIPES["toy-wgan-gp"])  # the toys keep the paper's gan_toy.py settings
    assert (toy.batch_size, toy.critic_steps, toy.gp_weight) == (256, 5, 0.1)


def test_tutorial_loop_trains_the_recipe_networks_for_the_time_given():
    """It reports what benchmarks/time_to_quality.py compares (how much it does in the time is the benchmark's to
    measure, not this test's): it stops once its budget is spent, never before, and counts whole updates."""
    recipe = RECIPES["toy-wgan-gp"]
    run = train_tutorial(recipe, tutorial_settings(recipe), 1.0)
    assert isinstance(run.seconds, float) and run.seconds >= 1.0 and 0.0 <= run.fetch_seconds <= run.seconds
    critic_updates, rest = divmod(run.images, 256)  # (a busy machine may manage only a few in the second)
    assert critic_updates >= 1 and rest == 0
    assert run.steps == critic_updates // 5  # five critic batches per generator update
    assert not run.generator.training and run.generator.config == recipe.model


def test_tutorial_loop_refuses_objectives_it_does_not_have():
    recipe = RECIPES["toy-gan"]
    with pytest.raises(ValueError, match="lsgan"):
        train_tutorial(recipe, dataclasses.replace(tutorial_settings(recipe), objective="lsgan"), 1.0)


def test_torchvision_root_links_flat_files_and_leaves_other_folders(tmp_path):
    flat, scratch = tmp_path / "flat", tmp_path / "scratch"
    flat.mkdir()
    assert torchvision_root(flat, scratch) == flat  # nothing there: torchvision downloads into it
    names = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz"]
    for name in [*names, "t10k-labels-idx1-ubyte.gz"]:
        (flat / name).write_bytes(b"x")
    assert torchvision_root(flat, scratch) == scratch
    assert (scratch / "MNIST" / "raw" / names[0]).resolve() == (flat / names[0]).resolve()


def test_tutorial_command_writes_a_checkpoint_evaluate_reads(tmp_path, mnist_dir):
    main(["cgan", "--minutes", "0.02", "--out", str(tmp_path / "out"), "--data-dir", str(mnist_dir)])
    checkpoint = load_checkpoint(tmp_path / "out", device="cpu")
    assert checkpoint.generator.config == RECIPES["cgan"].model
    training = read_config(tmp_path / "out")["training"]
    assert training["steps"] > 0 and training["batch_size"] == 64 and training["images_seen"] >= 64
    labels = torch.arange(10)
    assert checkpoint.generator(torch.zeros(10, 100), labels).shape == (10, 1, 28, 28)
