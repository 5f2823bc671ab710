"""Seeds: per-tile latents, grid-size independence, no global RNG, label sweeps, interpolation, plots."""

import io

import numpy as np
import pytest
import torch
from PIL import Image

import gandemo
import gandemo.core.plots
import gandemo.core.sampling
from gandemo.core.data import RING_CENTERS, sample_8gaussians
from gandemo.core.plots import toy_plot
from tests.conftest import TINY_CONFIGS, make_checkpoint


@pytest.fixture
def generator(tiny_checkpoint):
    return gandemo.load_generator(tiny_checkpoint, device="cpu")


@pytest.fixture
def cgan(tmp_path):
    return gandemo.load_generator(make_checkpoint(tmp_path / "cgan", "cgan"), device="cpu")


def test_first_tiles_of_a_bigger_grid_equal_the_smaller_grid(generator):
    big, small = gandemo.sample(generator, 64, seed=7), gandemo.sample(generator, 16, seed=7)
    assert torch.equal(big[:16], small)
    assert torch.equal(gandemo.sample(generator, 4, seed=7, start=16), big[16:20])


def test_same_seed_same_images_different_seed_different_images(generator):
    assert torch.equal(gandemo.sample(generator, 8, seed=1), gandemo.sample(generator, 8, seed=1))
    assert not torch.equal(gandemo.sample(generator, 8, seed=1), gandemo.sample(generator, 8, seed=2))


def test_sampling_never_touches_the_global_rng(generator):
    torch.manual_seed(123)
    before = torch.get_rng_state()
    gandemo.sample(generator, 8, seed=5)
    gandemo.grid(generator, rows=2, cols=2, seed=5)
    assert torch.equal(torch.get_rng_state(), before)


def test_latents_are_identical_whatever_the_global_rng_and_device(generator, tiny_checkpoint):
    torch.manual_seed(0)
    a = gandemo.latents(9, 4, 8)
    torch.manual_seed(99)
    b = gandemo.latents(9, 4, 8)
    assert torch.equal(a, b) and a.device.type == "cpu"
    if torch.cuda.is_available():  # the same latent reaches the GPU: it is drawn on the CPU first
        cuda = gandemo.load_generator(tiny_checkpoint, device="cuda")
        assert torch.allclose(gandemo.sample(cuda, 4, seed=9), gandemo.sample(generator, 4, seed=9), atol=1e-4)


@pytest.mark.parametrize("bad", [-1, 2**63, 1.5, "7", True])
def test_bad_seeds_are_rejected(generator, bad):
    with pytest.raises(ValueError, match="seed"):
        gandemo.sample(generator, 1, seed=bad)


def test_grid_is_a_png_ready_image_of_the_right_size(generator):
    image = gandemo.grid(generator, rows=3, cols=5, seed=0, scale=2)
    assert image.size == (2 * (5 * 30 + 2), 2 * (3 * 30 + 2))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    assert Image.open(buffer).size == image.size


def test_conditional_sampling_and_label_checks(cgan, generator):
    x = gandemo.sample(cgan, 10, seed=7, labels=list(range(10)))
    assert x.shape == (10, 1, 28, 28)
    assert torch.equal(gandemo.sample(cgan, 3, seed=7, labels=4), gandemo.sample(cgan, 3, seed=7, labels=[4, 4, 4]))
    with pytest.raises(ValueError, match="labels"):
        gandemo.sample(cgan, 2, seed=0)
    with pytest.raises(ValueError, match="0-9"):
        gandemo.sample(cgan, 1, seed=0, labels=[10])
    with pytest.raises(ValueError, match="unconditional"):
        gandemo.sample(generator, 1, seed=0, labels=[1])


def test_label_sweep_rows_share_a_style_and_columns_are_digits(cgan):
    sweep = gandemo.label_sweep(cgan, rows=3, seed=2)
    assert sweep.size == (10 * 30 + 2, 3 * 30 + 2)
    z = gandemo.latents(2, 3, cgan.config.latent_dim)
    row1 = gandemo.core.sampling.generate(cgan, z[1:2].repeat(10, 1), torch.arange(10))
    expected = gandemo.core.plots.image_grid(row1, cols=10)
    assert np.array_equal(np.asarray(sweep)[30:62], np.asarray(expected)[0:32])


@pytest.mark.parametrize("method", ["slerp", "lerp"])
def test_interpolation_starts_and_ends_at_the_two_seeds(generator, method):
    frames = gandemo.interpolate(generator, 3, 8, steps=6, method=method)
    assert frames.shape == (6, 1, 28, 28)
    assert torch.allclose(frames[0], gandemo.sample(generator, 1, seed=3)[0], atol=1e-5)
    assert torch.allclose(frames[-1], gandemo.sample(generator, 1, seed=8)[0], atol=1e-5)


def test_slerp_keeps_the_norm_of_unit_vectors():
    a, b = torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])
    path = gandemo.core.sampling.slerp(a, b, torch.linspace(0, 1, 5))
    assert torch.allclose(path.norm(dim=1), torch.ones(5), atol=1e-6)


def test_gif_has_every_frame(generator):
    frames = [gandemo.core.plots.image_grid(f[None], cols=1) for f in gandemo.interpolate(generator, 0, 1, steps=4)]
    gif = Image.open(io.BytesIO(gandemo.frames_to_gif(frames)))
    assert gif.format == "GIF" and gif.n_frames == 6  # 4 forward + 2 back


def test_toy_plot_renders_points_over_the_critic_map():
    critic = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1), torch.nn.Flatten(0))
    real = sample_8gaussians(200, generator=torch.Generator().manual_seed(0))
    image = toy_plot(real, real + 0.1, critic=critic, centers=RING_CENTERS, title="test")
    assert image.mode == "RGB" and min(image.size) > 300
    assert (
        len(np.unique(np.asarray(image.resize((64, 64))).reshape(-1, 3), axis=0)) > 20
    )  # a real picture, not a blank canvas


def test_toy_generator_gives_points(tmp_path):
    toy = gandemo.load_generator(make_checkpoint(tmp_path / "toy", "toy-gan"), device="cpu")
    assert gandemo.sample(toy, 5, seed=0).shape == (5, 2)
    assert TINY_CONFIGS["toy-gan"].data == "8gaussians"


def test_a_grid_of_a_2d_model_says_what_to_call_instead(tmp_path):
    toy = gandemo.load_generator(make_checkpoint(tmp_path / "toy", "toy-gan"), device="cpu")
    with pytest.raises(ValueError, match="grid draws image models") as refused:
        gandemo.grid(toy, rows=2, cols=2, seed=0)
    message = str(refused.value)
    assert "2-D points" in message and "gandemo.sample(generator, n, seed=...)" in message
    assert "gandemo.core.plots.toy_plot(None, points)" in message
    assert toy_plot(None, gandemo.sample(toy, 20, seed=0)).mode == "RGB"  # what it points to works


def test_device_helper():
    assert gandemo.resolve_device("cpu").type == "cpu"
    assert gandemo.resolve_device("auto").type in ("cpu", "cuda", "mps")
    with pytest.raises(ValueError, match="unknown device"):
        gandemo.resolve_device("tpu")
