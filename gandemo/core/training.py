"""One GAN update (critic steps, then a generator step): the offline trainer's, and the one the browser's
Playground (``web/runtime/trainer.js``) is held to, step by step, by ``tests/test_browser_trainer.py``."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import torch
from torch import nn

from . import losses
from .objectives import Objective, get_objective
from .sampling import tile_seed


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
    objective = get_objective(objective)
    result: dict[str, torch.Tensor] = {}
    for c in range(critic_steps):
        real, labels = next_batch(c)
        # with one critic step, one generator pass serves both updates (as pytorch/examples dcgan)
        fake = make_fakes(generator, len(real), labels, rng, keep_graph=critic_steps == 1, autocast=autocast)
        result.update(critic_update(discriminator, opt_d, real, fake, labels, objective, gp_weight, rng, autocast))
    if critic_steps > 1:
        fake = make_fakes(generator, len(real), labels, rng, keep_graph=True, autocast=autocast)
    result.update(generator_update(discriminator, opt_g, fake, labels, objective, top_k=top_k, autocast=autocast))
    return result


def generator_update(
    discriminator: nn.Module,
    opt_g: torch.optim.Optimizer,
    fake: torch.Tensor,
    labels: torch.Tensor | None,
    objective: Objective | str,
    *,
    top_k: float = 1.0,
    autocast: contextlib.AbstractContextManager | None = None,
) -> dict[str, torch.Tensor]:
    """One generator update on ``fake`` (made with its graph kept), judged by the frozen discriminator."""
    objective = objective if isinstance(objective, Objective) else get_objective(objective)
    discriminator.requires_grad_(False)
    try:
        with autocast or contextlib.nullcontext():
            fake_scores = discriminator(fake, labels)
            if top_k < 1:  # a share of the scores, so a packing discriminator (one score per pack) works alike
                fake_scores = fake_scores.flatten().topk(max(1, round(top_k * fake_scores.numel()))).values
            g_loss = objective.generator_loss(fake_scores)
    finally:
        discriminator.requires_grad_(True)
    opt_g.zero_grad(set_to_none=True)
    g_loss.backward()
    opt_g.step()
    return {"g_loss": g_loss.detach()}


def make_fakes(generator, n: int, labels, rng: torch.Generator, *, keep_graph: bool, autocast) -> torch.Tensor:
    device = next(generator.parameters()).device
    z = torch.randn(n, generator.config.latent_dim, generator=rng).to(device)
    with torch.set_grad_enabled(keep_graph), autocast:
        return generator(z, labels)


def critic_update(
    discriminator: nn.Module,
    opt_d: torch.optim.Optimizer,
    real: torch.Tensor,
    fake: torch.Tensor,
    labels: torch.Tensor | None,
    objective: Objective | str,
    gp_weight: float,
    rng: torch.Generator,
    autocast: contextlib.AbstractContextManager,
) -> dict[str, torch.Tensor]:
    """One discriminator/critic update on a real and a fake batch; returns its loss (and penalty)."""
    objective = objective if isinstance(objective, Objective) else get_objective(objective)
    result = {}
    with autocast:
        real_scores, fake_scores = discriminator(real, labels), discriminator(fake.detach(), labels)
        d_loss = objective.discriminator_loss(real_scores, fake_scores)
        if objective.gradient_penalty:
            penalty = losses.gradient_penalty(discriminator, real, fake, labels=labels, generator=rng)
            d_loss = d_loss + gp_weight * penalty
            result["gradient_penalty"] = penalty.detach()
    opt_d.zero_grad(set_to_none=True)
    d_loss.backward()
    opt_d.step()
    result["d_loss"] = d_loss.detach()
    return result


def critic_warmup(
    generator: nn.Module,
    discriminator: nn.Module,
    opt_d: torch.optim.Optimizer,
    next_batch: Callable[[int], tuple[torch.Tensor, torch.Tensor | None]],
    updates: int,
    *,
    objective: str,
    gp_weight: float,
    seed: int,
    autocast: contextlib.AbstractContextManager | None = None,
) -> None:
    """``updates`` critic-only updates against a fixed generator: a fresh critic learns to judge a
    trained generator before it steers it (fine-tuning from ``--init-from``). Update i draws its
    noise from a generator seeded with ``(seed, i)``."""
    autocast = autocast or contextlib.nullcontext()
    for i in range(updates):
        rng = torch.Generator().manual_seed(tile_seed(seed, i))
        real, labels = next_batch(i)
        fake = make_fakes(generator, len(real), labels, rng, keep_graph=False, autocast=autocast)
        critic_update(discriminator, opt_d, real, fake, labels, objective, gp_weight, rng, autocast)


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
