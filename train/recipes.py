"""The recipe table: each recipe is an architecture + an objective + a dataset + hyperparameters."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from gandemo.core.models import ModelConfig


@dataclass(frozen=True)
class Settings:
    """Training hyperparameters; every field is also a command-line flag (``--g-lr 1e-4``)."""

    objective: str = "gan"  # a name in gandemo.core.objectives.OBJECTIVES: gan, gan-gp, wgan-gp, lsgan or hinge
    steps: int = 10_000  # generator updates
    minutes: float = 0.0  # > 0: train for this wall-clock budget instead; the schedule is fitted to it
    batch_size: int = 128
    g_lr: float = 2e-4
    d_lr: float = 2e-4
    beta1: float = 0.5  # Adam betas of the DCGAN paper unless a recipe says otherwise
    beta2: float = 0.999
    critic_steps: int = 1  # discriminator updates per generator update
    critic_warmup: int = 0  # critic-only updates before the first generator update (for a fresh critic, --init-from)
    gp_weight: float = 10.0  # WGAN-GP penalty weight (paper: 10 on images, 0.1 on the toy)
    lr_decay: bool = False  # linear decay of both learning rates to 0 over the run
    lr_decay_start: int = 0  # with lr_decay: constant rates until this step, then the linear decay to 0
    top_k: float = 1.0  # share of each batch's fakes, scored best by the discriminator, that trains the generator
    top_k_start: int = 0  # with top_k < 1: every generator update uses all fakes until this step
    ema_decay: float = 0.999  # exponential moving average of the generator's weights; 0 disables
    seed: int = 0
    sample_every: int = 0  # fixed-noise timeline grid every N steps (0: about 24 over the run)
    checkpoint_every: int = 500  # resumable state every N steps
    channels_last: bool = True  # convolutional models: NHWC weights, 1.2-1.4x faster steps on our CPU
    amp: bool = False  # bfloat16 autocast for the forward passes (CUDA, and CPUs with native bf16)


@dataclass(frozen=True)
class Recipe:
    name: str
    description: str
    model: ModelConfig
    settings: Settings = field(default_factory=Settings)


# 3 hidden ReLU layers as in the paper's gan_toy.py (which uses 512); 400 trains ~1.6x faster on a CPU
TOY_MODEL = ModelConfig(
    arch="mlp", data="8gaussians", latent_dim=2, activation="relu", g_hidden=(400,) * 3, d_hidden=(400,) * 3
)

# the gan's and the cgan's networks: a 4-layer generator with BatchNorm, a discriminator with dropout
MNIST_MLP = ModelConfig(
    arch="mlp",
    latent_dim=100,
    g_hidden=(128, 256, 512, 1024),
    d_hidden=(512, 512, 512),
    g_batchnorm=True,
    d_dropout=0.4,
)

# the dcgan's and the wgan-gp's networks, with InfoGAN's fully connected layers (the dcgan adds dropout)
MNIST_CONV = ModelConfig(
    arch="dcgan", latent_dim=64, g_hidden=(128, 64), d_hidden=(64, 128), d_norm="none", g_fc=256, d_fc=1024
)

# The IS and FD figures in the comments below were read on the first metrics classifier (6 epochs, real test
# images IS 9.62); the shipped one (20 epochs, real 9.81) reads every model higher: see README's Results.
RECIPES: dict[str, Recipe] = {
    r.name: r
    for r in [
        Recipe(
            "gan",
            "An MLP GAN (Goodfellow et al., 2014), non-saturating loss: the cgan recipe's networks without labels.",
            # 2x256 layers without BatchNorm or dropout (the original shape) stalled at IS 6.2 with 3.5% for the
            # rarest digit; these reach IS 8.5, FD 3x the floor and every digit >= 8.4% at 25,000 steps, and keep
            # creeping up with a slow weight average: 8.74 at 35,000, 8.84 at 50,000, 9.01 at 100,000
            MNIST_MLP,
            Settings(steps=100_000, batch_size=128, ema_decay=0.9999),
        ),
        Recipe(
            "dcgan",
            "A DCGAN (Radford et al., 2015) for 28x28 digits, with InfoGAN's fully connected layers; "
            "its discriminator uses dropout, not BatchNorm.",
            # without the fully connected layers (generator 256, discriminator 1024) the convolutional networks drew
            # scribbles with plausible strokes: IS 7.2, FD 18x the floor after 20,000 steps; with them, IS 8.0 and
            # FD 7.5x after 6,000; IS 8.58 at 25,000 and 8.66 at 36,000 at constant rates (8.64 at 49,500). Top-k
            # training from 36,000: 8.70 / FD 4.0x at 39,000; then the linear decay: 8.74 / FD 3.4x at 45,000
            dataclasses.replace(MNIST_CONV, d_dropout=0.3),
            Settings(
                steps=45_000,
                batch_size=128,
                top_k=0.5,
                top_k_start=36_000,
                lr_decay=True,
                lr_decay_start=39_000,
                ema_decay=0.9999,
                amp=True,
            ),
        ),
        Recipe(
            "cgan",
            "A label-conditioned MLP GAN (Mirza & Osindero, 2014): pick the digit.",
            dataclasses.replace(MNIST_MLP, num_classes=10),
            Settings(steps=25_000, batch_size=128),  # label accuracy: 96.7% at 10,000 steps, 98.3% at 25,000
        ),
        Recipe(
            "wgan-gp",
            "WGAN-GP (Gulrajani et al., 2017): the dcgan's networks, a critic without dropout and a gradient penalty.",
            # the earlier 64/32-channel networks without fully connected layers: IS 7.1, FD 19x after 14,000 steps;
            # these, at batch 64 and rates 1e-4 (about 1.5 h on a 2-core CPU): IS 8.1, FD 4.4x after 8,500 steps at
            # constant rates, then IS 8.4, FD 2.9x at 14,000 after the decay. Read on the shipped classifier from here
            # on: that run scores 8.69, FD 4.3x; batches of 512 at 3e-4 learn far more per step: 8.61, FD 4.4x after
            # 1,773 steps at constant rates, and 8.97, FD 2.5x after 4,000 (4.4 min on an H100; about 2.7 h on a
            # 2-core CPU). The shipped one stretches this schedule to 4,500 steps (8.99) and then resumes it for 800
            # more with the rates restarted at 1e-4 (9.01, FD 2.2x): its card gives both commands
            MNIST_CONV,
            Settings(
                objective="wgan-gp",
                steps=4_000,
                batch_size=512,
                g_lr=3e-4,
                d_lr=3e-4,
                beta1=0.5,
                beta2=0.9,
                critic_steps=5,
                gp_weight=10.0,
                lr_decay=True,
                lr_decay_start=2_200,
                top_k=0.5,
                top_k_start=1_800,
                ema_decay=0.9999,
                amp=True,
            ),
        ),
        Recipe(
            "toy-gan",
            "The plain GAN objective on the ring of 8 Gaussians, with a PacGAN-2 discriminator (Lin et al., 2018).",
            # packing 2 samples per discriminator input is what stops the collapse: without it, 7/8 modes, KL 1.05
            dataclasses.replace(TOY_MODEL, d_pack=2),
            Settings(
                steps=10_000, batch_size=256, g_lr=1e-4, d_lr=1e-4, beta1=0.5, beta2=0.9, lr_decay=True, ema_decay=0.0
            ),
        ),
        Recipe(
            "toy-wgan-gp",
            "WGAN-GP on the ring of 8 Gaussians, as in the paper's toy experiment (penalty weight 0.1).",
            TOY_MODEL,
            Settings(
                objective="wgan-gp",
                steps=16_000,
                batch_size=256,
                # at 1e-4 the generator keeps ~5% of samples on bridges between modes (93% after 14,000 steps);
                # 3e-4 with the linear decay pulls them in: 98.1% after 16,000
                g_lr=3e-4,
                d_lr=3e-4,
                beta1=0.5,
                beta2=0.9,
                critic_steps=5,
                gp_weight=0.1,
                lr_decay=True,
                ema_decay=0.0,  # on the toy, averaging blurs the sharp mode boundaries
            ),
        ),
    ]
}


# With --minutes on a CPU, these replace the recipe's settings (flags given on the command line win). Their
# steps only set proportions: the run's length comes from the clock, and the rate decay and top-k start at
# the same shares of it. Shorter runs want a faster-forgetting average and the decay at the end of the time.
# bfloat16 (where the CPU has it; else float32, said once) buys steps: in 10 minutes here the cgan took 24,547
# steps (FD 4.3x the floor) against 14,938 in float32 (5.2x).
FAST_CPU: dict[str, dict] = {
    # the gan, without labels, wants a longer average: FD 6.1x the floor in 10 minutes with 0.9995, 7.1x with 0.999
    "gan": dict(steps=100, ema_decay=0.9995, lr_decay=True, lr_decay_start=60, amp=True),
    "cgan": dict(steps=100, ema_decay=0.999, lr_decay=True, lr_decay_start=60, amp=True),
    # batches of 64 take 5,043 steps in 10 minutes here (FD 17x the floor), batches of 128 3,096 (25x)
    "dcgan": dict(steps=100, batch_size=64, ema_decay=0.999, lr_decay=True, lr_decay_start=60, top_k_start=50),
    # batches of 512 with five critic steps learn most per step but manage ~30 steps a minute here; in 10
    # minutes, batch 64 with 5 critic steps reached FD 40x the floor, with 2 critic steps at 5e-4 17x
    "wgan-gp": dict(
        steps=100,
        batch_size=64,
        critic_steps=2,
        g_lr=5e-4,
        d_lr=5e-4,
        ema_decay=0.999,
        lr_decay_start=50,
        top_k_start=40,
    ),
    "toy-gan": dict(steps=100),
    "toy-wgan-gp": dict(steps=100),
}
