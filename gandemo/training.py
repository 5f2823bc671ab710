"""One GAN update (critic steps, then a generator step), shared by the offline trainer and the app's
live playground so both train with exactly the same code."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import torch
from torch import nn

from . import losses


def gan_step(
    generator: nn.Module,
    discriminator: nn.Module,
    opt_g: torch.optim.Optimizer,
    opt_d: torch.optim.Optimizer,
    next_batch: Callable[[int], tuple[torch.Tensor, torch.Tensor | None]],
    *,
    objective: str = "gan",
    critic_steps: int = 1,
    gp_weight: float = 10.0,
    top_k: float = 1.0,
    rng: torch.Generator,
    autocast: contextlib.AbstractContextManager | None = None,
) -> dict[str, torch.Tensor]:
    """``critic_steps`` discriminator updates on ``next_batch(c)``, then one generator update.

    With ``top_k`` < 1 the generator's loss uses only that share of the fakes (at least one) that the
    discriminator scores as most real (top-k training, Sinha et al., 2020): the worst samples' gradients
    point at whichever mode is nearest, not at a better sample. All noise comes from ``rng`` (a CPU
    generator), so a step is reproducible from its seed alone.
    Returns the last losses as tensors (call ``.item()`` only when you log them).
    """
    autocast = autocast or contextlib.nullcontext()
    device = next(generator.parameters()).device
    latent_dim = generator.config.latent_dim
    if objective not in ("gan", "gan-gp", "wgan-gp"):
        raise ValueError(f"unknown objective {objective!r}: use gan, gan-gp or wgan-gp")
    wgan = objective == "wgan-gp"
    result: dict[str, torch.Tensor] = {}
    for c in range(critic_steps):
        real, labels = next_batch(c)
        z = torch.randn(len(real), latent_dim, generator=rng).to(device)
        # with one critic step, one generator pass serves both updates (as pytorch/examples dcgan)
        with torch.set_grad_enabled(critic_steps == 1), autocast:
            fake = generator(z, labels)
        with autocast:
            real_scores, fake_scores = discriminator(real, labels), discriminator(fake.detach(), labels)
            if wgan:
                d_loss = losses.wgan_critic_loss(real_scores, fake_scores)
            else:
                d_loss = losses.gan_discriminator_loss(real_scores, fake_scores)
            if objective.endswith("-gp"):  # gan-gp: the same penalty on the GAN loss (Fedus et al., 2018)
                penalty = losses.gradient_penalty(discriminator, real, fake, labels=labels, generator=rng)
                d_loss = d_loss + gp_weight * penalty
                result["gradient_penalty"] = penalty.detach()
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
    discriminator.requires_grad_(False)
    with autocast:
        if critic_steps > 1:
            z = torch.randn(len(real), latent_dim, generator=rng).to(device)
            fake = generator(z, labels)
        fake_scores = discriminator(fake, labels)
        if top_k < 1:  # a share of the scores, so a packing discriminator (one score per pack) works alike
            fake_scores = fake_scores.flatten().topk(max(1, round(top_k * fake_scores.numel()))).values
        g_loss = losses.wgan_generator_loss(fake_scores) if wgan else losses.gan_generator_loss(fake_scores)
    discriminator.requires_grad_(True)
    opt_g.zero_grad(set_to_none=True)
    g_loss.backward()
    opt_g.step()
    result["d_loss"], result["g_loss"] = d_loss.detach(), g_loss.detach()
    return result


@torch.no_grad()
def recalibrate_batchnorm(generator: nn.Module, *, batches: int = 100, batch_size: int = 256, seed: int = 0) -> None:
    """Recompute a generator's BatchNorm statistics from its own weights, over freshly drawn latents.

    A weight-averaged (EMA) generator otherwise carries the live generator's running statistics,
    which belong to other weights (as in SWA's ``update_bn``). Each statistic becomes the plain
    average over ``batches`` batches; labels, for conditional models, are drawn uniformly.
    """
    norms = [m for m in generator.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return
    config, device = generator.config, next(generator.parameters()).device
    momenta = [m.momentum for m in norms]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # cumulative average
    was_training = generator.training
    generator.train()
    rng = torch.Generator().manual_seed(seed)
    for _ in range(batches):
        z = torch.randn(batch_size, config.latent_dim, generator=rng).to(device)
        labels = (
            torch.randint(config.num_classes, (batch_size,), generator=rng).to(device) if config.num_classes else None
        )
        generator(z, labels)
    for m, momentum in zip(norms, momenta, strict=True):
        m.momentum = momentum
    generator.train(was_training)
