"""Architectures build from their config alone and give the shapes the rest of gandemo relies on."""

import dataclasses

import pytest
import torch

from gandemo.core.models import Dropout, ModelConfig, build_discriminator, build_generator
from tests.conftest import TINY_CONFIGS
from train.recipes import RECIPES


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_every_recipe_architecture_has_the_right_shapes(name):
    config = RECIPES[name].model
    generator, discriminator = build_generator(config), build_discriminator(config)
    z = torch.randn(4, config.latent_dim)
    labels = torch.tensor([0, 5, 9, 1]) if config.num_classes else None
    samples = generator(z, labels)
    assert samples.shape == (4, *config.data_shape)
    assert discriminator(samples, labels).shape == (4 // config.d_pack,)
    if config.data == "mnist":
        assert samples.min() >= -1 and samples.max() <= 1


def test_the_mlp_gan_has_the_cgan_networks_without_labels():
    gan, cgan = RECIPES["gan"].model, RECIPES["cgan"].model
    assert dataclasses.replace(cgan, num_classes=0) == gan
    generator = build_generator(gan)
    widths = [m.out_features for m in generator.modules() if isinstance(m, torch.nn.Linear)]
    assert widths == [128, 256, 512, 1024, 784] and generator.net[0].in_features == 100


def test_wgan_gp_critic_has_no_batchnorm():
    critic = build_discriminator(RECIPES["wgan-gp"].model)
    assert not any(isinstance(m, torch.nn.modules.batchnorm._BatchNorm) for m in critic.modules())


def test_conditional_models_demand_labels_and_unconditional_refuse_them():
    cgan, gan = build_generator(TINY_CONFIGS["cgan"]), build_generator(TINY_CONFIGS["gan"])
    with pytest.raises(ValueError, match="conditional"):
        cgan(torch.randn(2, 8))
    with pytest.raises(ValueError, match="unconditional"):
        gan(torch.randn(2, 8), torch.tensor([1, 2]))


def test_config_round_trips_through_a_dict_and_rejects_unknowns():
    config = RECIPES["cgan"].model
    assert ModelConfig.from_dict(config.to_dict()) == config
    with pytest.raises(ValueError, match="unknown architecture"):
        ModelConfig.from_dict({**config.to_dict(), "arch": "transformer"})
    with pytest.raises(ValueError, match="unknown model settings"):
        ModelConfig.from_dict({**config.to_dict(), "colour": "blue"})


def test_packed_discriminator_judges_packs_and_single_points():
    config = ModelConfig(data="8gaussians", latent_dim=2, activation="relu", g_hidden=(8,), d_hidden=(8,), d_pack=4)
    discriminator = build_discriminator(config)
    assert discriminator(torch.randn(12, 2)).shape == (3,)  # 12 samples = 3 packs of 4
    assert discriminator.point_scores(torch.randn(5, 2)).shape == (5,)
    with pytest.raises(ValueError, match="unconditional"):
        build_discriminator(ModelConfig(num_classes=10, d_pack=2))


def test_dcgan_discriminator_dropout_leaves_other_models_weight_names_alone():
    plain = build_discriminator(dataclasses.replace(RECIPES["dcgan"].model, d_dropout=0.0))
    assert list(plain.state_dict())[:2] == ["net.0.weight", "net.0.bias"] and "net.2.weight" in plain.state_dict()
    dropped = build_discriminator(dataclasses.replace(RECIPES["dcgan"].model, d_dropout=0.3))
    assert sum(isinstance(m, torch.nn.Dropout) for m in dropped.modules()) == 3  # after both convs and the fc layer
    assert [p.shape for p in dropped.parameters()] == [p.shape for p in plain.parameters()]
    dropped.eval()  # dropout off: the same weights give the same scores
    dropped.load_state_dict(dict(zip(dropped.state_dict(), plain.state_dict().values(), strict=True)))
    x = torch.randn(3, 1, 28, 28)
    torch.testing.assert_close(dropped(x), plain.eval()(x))


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_dropout_keeps_each_unit_with_probability_1_minus_p_and_scales_it(dtype):
    dropout = Dropout(0.3)
    x = torch.rand(64, 8, 14, 14, dtype=dtype).add_(0.5).to(memory_format=torch.channels_last).requires_grad_()
    torch.manual_seed(1)
    y = dropout(x)
    assert y.dtype == dtype and y.is_contiguous(memory_format=torch.channels_last)
    kept = y != 0
    assert abs(kept.float().mean().item() - 0.7) < 0.0072  # 5 standard deviations over 100,352 units
    torch.testing.assert_close(y[kept], (x / 0.7)[kept])
    y.sum().backward()  # the gradient flows through the kept units only, with the same scale
    torch.testing.assert_close(x.grad, kept.to(dtype) / 0.7)
    torch.manual_seed(1)
    assert torch.equal(dropout(x), y)  # the mask comes from the seeded global RNG, so resumed runs match
    assert torch.equal(dropout.eval()(x), x)
    with pytest.raises(ValueError, match="d_dropout"):
        ModelConfig(d_dropout=1.0).validate()


def test_dcgan_fully_connected_layers_are_added_only_when_asked():
    base = ModelConfig(arch="dcgan", latent_dim=8, g_hidden=(8, 4), d_hidden=(4, 8))
    plain_g, plain_d = build_generator(base), build_discriminator(base)
    wide = dataclasses.replace(base, g_fc=32, d_fc=16)
    generator, discriminator = build_generator(wide), build_discriminator(wide)
    assert [m.out_features for m in generator.modules() if isinstance(m, torch.nn.Linear)] == [32, 8 * 7 * 7]
    assert [m.out_features for m in discriminator.modules() if isinstance(m, torch.nn.Linear)] == [16, 1]
    assert generator(torch.randn(3, 8)).shape == (3, 1, 28, 28)
    assert discriminator(torch.randn(3, 1, 28, 28)).shape == (3,)
    # models saved before the option existed keep their weight names
    assert "project.0.weight" in plain_g.state_dict() and "project.3.weight" not in plain_g.state_dict()
    assert "net.6.weight" in plain_d.state_dict()
    with pytest.raises(ValueError, match="dcgan"):
        ModelConfig(arch="mlp", g_fc=8).validate()
