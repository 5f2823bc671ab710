"""The GAN objectives as one table: each entry says how the discriminator and the generator are scored,
whether a gradient penalty joins the discriminator's loss, its customary Adam betas and critic steps,
and what the discriminator's number means (for plot labels). Nothing else compares objective names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

from . import losses

# pieces of the formulas (LaTeX; D outputs a logit, so D(x) in the GAN lines means its sigmoid)
_GAN_D = r"\min_D\; -\mathbb{E}_x \log D(x) - \mathbb{E}_z \log(1 - D(G(z)))"
_GAN_G = r"\min_G\; -\mathbb{E}_z \log D(G(z))"
_SCORE_G = r"\min_G\; -\mathbb{E}_z D(G(z))"
_PENALTY = r" + \lambda\, \mathbb{E}_{\hat x} (\lVert \nabla D(\hat x) \rVert - 1)^2"


@dataclass(frozen=True)
class Objective:
    name: str
    title: str  # the method and its paper, for people
    discriminator_loss: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]  # (real scores, fake scores)
    generator_loss: Callable[[torch.Tensor], torch.Tensor]  # (fake scores)
    gradient_penalty: bool = False  # add gp_weight * E[(||grad D(x_hat)|| - 1)^2] to the discriminator's loss
    betas: tuple[float, float] = (0.5, 0.999)
    critic_steps: int = 1  # discriminator updates per generator update, as the paper trains it
    score_label: str = "discriminator logit"  # what the discriminator's output means
    formula: tuple[str, str] = ("", "")  # the discriminator's and the generator's loss, in LaTeX


OBJECTIVES: dict[str, Objective] = {
    o.name: o
    for o in [
        Objective(
            "gan",
            "non-saturating GAN (Goodfellow et al., 2014)",
            losses.gan_discriminator_loss,
            losses.gan_generator_loss,
            formula=(_GAN_D, _GAN_G),
        ),
        Objective(
            "gan-gp",
            "non-saturating GAN with a gradient penalty (Fedus et al., 2018)",
            losses.gan_discriminator_loss,
            losses.gan_generator_loss,
            gradient_penalty=True,
            formula=(_GAN_D + _PENALTY, _GAN_G),
        ),
        Objective(
            "wgan-gp",
            "Wasserstein GAN with gradient penalty (Gulrajani et al., 2017)",
            losses.wgan_critic_loss,
            losses.wgan_generator_loss,
            gradient_penalty=True,
            betas=(0.5, 0.9),
            critic_steps=5,
            score_label="critic score",
            formula=(r"\min_D\; \mathbb{E}_z D(G(z)) - \mathbb{E}_x D(x)" + _PENALTY, _SCORE_G),
        ),
        Objective(
            "lsgan",
            "least-squares GAN (Mao et al., 2017)",
            losses.lsgan_discriminator_loss,
            losses.lsgan_generator_loss,
            score_label="discriminator score (real 1, fake 0)",
            formula=(
                r"\min_D\; \tfrac12 \mathbb{E}_x (D(x) - 1)^2 + \tfrac12 \mathbb{E}_z D(G(z))^2",
                r"\min_G\; \tfrac12 \mathbb{E}_z (D(G(z)) - 1)^2",
            ),
        ),
        Objective(
            "hinge",
            "hinge GAN (Lim & Ye, 2017; Miyato et al., 2018)",
            losses.hinge_discriminator_loss,
            losses.hinge_generator_loss,
            betas=(0.5, 0.9),
            score_label="discriminator score (hinge at -1 and 1)",
            formula=(r"\min_D\; \mathbb{E}_x \max(0, 1 - D(x)) + \mathbb{E}_z \max(0, 1 + D(G(z)))", _SCORE_G),
        ),
    ]
}


def get_objective(name) -> Objective:
    """The table entry called ``name``, or a ValueError listing the known ones."""
    if not isinstance(name, str) or name not in OBJECTIVES:
        raise ValueError(f"unknown objective {name!r}: use {', '.join(OBJECTIVES)}")
    return OBJECTIVES[name]


def table() -> dict:
    """The table as plain data, for the browser's trainer (``web/runtime/trainer.js`` implements each loss
    function of :mod:`gandemo.core.losses` under its Python name)."""
    return {
        o.name: {
            "name": o.name,
            "title": o.title,
            "discriminator_loss": o.discriminator_loss.__name__,
            "generator_loss": o.generator_loss.__name__,
            "gradient_penalty": o.gradient_penalty,
            "betas": list(o.betas),
            "critic_steps": o.critic_steps,
            "score_label": o.score_label,
        }
        for o in OBJECTIVES.values()
    }
