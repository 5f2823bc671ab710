"""Both objectives, and the gradient penalty against values worked out by hand."""

import math

import torch

from gandemo.core import losses


def test_gan_losses_match_the_sigmoid_cross_entropy_form():
    real, fake = torch.tensor([2.0, -1.0]), torch.tensor([0.5, -3.0])
    sigmoid = torch.sigmoid
    expected_d = -(torch.log(sigmoid(real)).mean() + torch.log(1 - sigmoid(fake)).mean())
    assert torch.allclose(losses.gan_discriminator_loss(real, fake), expected_d)
    assert torch.allclose(losses.gan_generator_loss(fake), -torch.log(sigmoid(fake)).mean())


def test_gan_losses_stay_finite_for_huge_logits():
    big = torch.tensor([1e4, -1e4])
    assert torch.isfinite(losses.gan_discriminator_loss(big, -big))
    assert torch.isfinite(losses.gan_generator_loss(-big))


def test_wgan_losses():
    real, fake = torch.tensor([3.0, 1.0]), torch.tensor([0.0, -2.0])
    assert losses.wgan_critic_loss(real, fake).item() == -3.0  # mean(fake) - mean(real) = -1 - 2
    assert losses.wgan_generator_loss(fake).item() == 1.0


def test_gradient_penalty_of_a_linear_critic_equals_the_hand_computed_value():
    # critic(x) = w . x has gradient w everywhere, so the penalty is (||w|| - 1)^2 whatever alpha is.
    w = torch.tensor([3.0, 4.0])  # ||w|| = 5

    def critic(x):
        return x @ w

    real, fake = torch.randn(6, 2), torch.randn(6, 2)
    penalty = losses.gradient_penalty(critic, real, fake, generator=torch.Generator().manual_seed(0))
    assert math.isclose(penalty.item(), 16.0, rel_tol=1e-6)  # (5 - 1)^2


def test_gradient_penalty_of_a_quadratic_critic_uses_the_interpolates():
    # critic(x) = 0.5 ||x||^2 has gradient x, so the penalty is (||x_hat|| - 1)^2 at x_hat = a*real + (1-a)*fake.
    real, fake = torch.tensor([[2.0, 0.0]]), torch.tensor([[0.0, 0.0]])
    g = torch.Generator().manual_seed(3)
    alpha = torch.rand((1, 1), generator=torch.Generator().manual_seed(3)).item()
    penalty = losses.gradient_penalty(lambda x: 0.5 * (x**2).sum(1), real, fake, generator=g)
    assert math.isclose(penalty.item(), (2 * alpha - 1) ** 2, rel_tol=1e-5)


def test_gradient_penalty_is_differentiable_for_the_critic_update():
    critic = torch.nn.Linear(2, 1)
    penalty = losses.gradient_penalty(lambda x: critic(x).squeeze(1), torch.randn(4, 2), torch.randn(4, 2))
    penalty.backward()
    assert critic.weight.grad is not None and critic.weight.grad.abs().sum() > 0


def test_lsgan_losses_are_squared_distances_to_their_targets():
    real, fake = torch.tensor([1.0, 3.0]), torch.tensor([0.0, 2.0])
    # D: 0.5 * mean((real - 1)^2) + 0.5 * mean(fake^2) = 0.5 * 2 + 0.5 * 2
    assert losses.lsgan_discriminator_loss(real, fake).item() == 2.0
    assert losses.lsgan_generator_loss(fake).item() == 0.5 * (1 + 1) / 2


def test_hinge_losses_ignore_samples_outside_the_margin():
    real, fake = torch.tensor([2.0, 0.5]), torch.tensor([-3.0, 0.0])
    assert losses.hinge_discriminator_loss(real, fake).item() == (0 + 0.5) / 2 + (0 + 1) / 2
    assert losses.hinge_generator_loss(fake).item() == 1.5


def test_every_objective_is_one_table_entry_that_trains_a_step():
    from gandemo.core.models import ModelConfig, build_discriminator, build_generator
    from gandemo.core.objectives import OBJECTIVES, get_objective
    from gandemo.core.training import gan_step

    assert {"gan", "gan-gp", "wgan-gp", "lsgan", "hinge"} <= set(OBJECTIVES)
    config = ModelConfig(arch="mlp", data="8gaussians", latent_dim=2, g_hidden=(8,), d_hidden=(8,))
    real = torch.randn(16, 2, generator=torch.Generator().manual_seed(0))
    for name, objective in OBJECTIVES.items():
        generator, discriminator = build_generator(config), build_discriminator(config)
        opt_g, opt_d = (torch.optim.Adam(m.parameters(), betas=objective.betas) for m in (generator, discriminator))
        before = [p.clone() for p in generator.parameters()]
        out = gan_step(
            generator, discriminator, opt_g, opt_d, lambda c: (real, None), objective=name,
            rng=torch.Generator().manual_seed(1),
        )  # fmt: skip
        assert torch.isfinite(out["d_loss"]) and torch.isfinite(out["g_loss"])
        assert ("gradient_penalty" in out) == objective.gradient_penalty
        assert any(not torch.equal(a, b) for a, b in zip(before, generator.parameters(), strict=True))
    try:
        get_objective("vanilla")
    except ValueError as error:
        assert "lsgan" in str(error) and "hinge" in str(error)
    else:
        raise AssertionError("an unknown objective must be refused")
