"""The tutorial-style training loop the benchmarks hold ours against.

It has the shape of the widely copied PyTorch-GAN scripts: a torchvision DataLoader applying
``ToTensor()`` + ``Normalize`` to each image (num_workers=0), Adam, one discriminator update and one
generator update in turn (five critic updates per generator update for WGAN-GP), float32, no weight
average, no rate schedule, sampling the final weights. It trains our networks, so a comparison
measures the training, not the architecture.

    python -m benchmarks.tutorial RECIPE --minutes 10 --out FOLDER [--data-dir DIR]

writes a checkpoint folder that ``python -m gandemo.evaluate`` scores like any other.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from gandemo.core import losses
from gandemo.core.checkpoints import save_checkpoint
from gandemo.core.data import DEFAULT_DATA_DIR, MNIST_FILES, sample_8gaussians
from gandemo.core.device import hardware_description
from gandemo.core.models import build_discriminator, build_generator
from train.recipes import RECIPES, Recipe, Settings

# PyTorch-GAN's defaults (gan.py, dcgan.py, cgan.py, wgan_gp.py): batch 64, Adam 2e-4 with betas
# (0.5, 0.999), 5 critic updates and penalty weight 10 for WGAN-GP. The 2-D toys keep their recipe's
# batch, rates and critic updates, which are those of the WGAN-GP paper's gan_toy.py.
TUTORIAL_MNIST = dict(batch_size=64, g_lr=2e-4, d_lr=2e-4, beta1=0.5, beta2=0.999, gp_weight=10.0)


def tutorial_settings(recipe: Recipe) -> Settings:
    """What a tutorial would train the recipe's networks with."""
    s = recipe.settings
    if recipe.model.data == "mnist":
        s = dataclasses.replace(s, **TUTORIAL_MNIST, critic_steps=5 if s.objective == "wgan-gp" else 1)
    return dataclasses.replace(s, lr_decay=False, top_k=1.0, ema_decay=0.0, amp=False)


@dataclass
class TutorialRun:
    generator: torch.nn.Module
    steps: int  # generator updates
    images: int  # real images (or 2-D points) the discriminator saw
    seconds: float
    fetch_seconds: float  # time spent waiting for the DataLoader


def torchvision_root(data_dir: Path, scratch: Path) -> Path:
    """The folder to give torchvision's MNIST: links in ``scratch`` to the .gz files if ``data_dir`` holds
    them flat (our own layout), else ``data_dir`` itself."""
    names = [name for pair in MNIST_FILES.values() for name in pair]
    if not all((data_dir / name).is_file() for name in names):
        return data_dir  # torchvision's own layout, or nothing yet: torchvision downloads into data_dir/MNIST/raw
    raw = scratch / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for name in names:
        (raw / name).symlink_to((data_dir / name).resolve())
    return scratch


def _mnist_batches(data_dir: Path, batch_size: int, seed: int, scratch: Path):
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
    # download=True unpacks the .gz files; it downloads nothing when they are there
    dataset = datasets.MNIST(torchvision_root(data_dir, scratch), train=True, download=True, transform=transform)
    loader = DataLoader(
        dataset, batch_size=batch_size, shuffle=True, drop_last=True, generator=torch.Generator().manual_seed(seed)
    )
    return _epochs(loader)


def _epochs(loader):
    while True:
        yield from loader


def _toy_batches(batch_size: int, seed: int):
    rng = torch.Generator().manual_seed(seed)
    while True:
        yield sample_8gaussians(batch_size, generator=rng), None


def train_tutorial(recipe: Recipe, s: Settings, seconds: float, *, data_dir: Path | None = None) -> TutorialRun:
    """Train the recipe's networks with settings ``s`` in the tutorial's loop for ``seconds`` of wall time."""
    if s.objective not in ("gan", "wgan-gp"):
        raise ValueError(f"the tutorial loop trains the gan and wgan-gp objectives, not {s.objective!r}")
    model, seed = recipe.model, s.seed
    with torch.random.fork_rng():  # the networks' initial weights, from the seed
        torch.manual_seed(seed)
        generator, discriminator = build_generator(model), build_discriminator(model)
    opt_g = torch.optim.Adam(generator.parameters(), lr=s.g_lr, betas=(s.beta1, s.beta2))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=s.d_lr, betas=(s.beta1, s.beta2))
    noise = torch.Generator().manual_seed(seed + 1)
    wgan = s.objective == "wgan-gp"
    with tempfile.TemporaryDirectory() as scratch:  # the dataset is read into memory before the clock starts
        batches = (
            _mnist_batches(Path(data_dir or DEFAULT_DATA_DIR), s.batch_size, seed, Path(scratch))
            if model.data == "mnist"
            else _toy_batches(s.batch_size, seed)
        )
    steps = images = updates = 0
    fetching, start = 0.0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fetch = time.perf_counter()
        real, labels = next(batches)
        fetching += time.perf_counter() - fetch
        labels = labels if model.num_classes else None
        fake = generator(torch.randn(len(real), model.latent_dim, generator=noise), labels)
        real_scores, fake_scores = discriminator(real, labels), discriminator(fake.detach(), labels)
        if wgan:
            penalty = losses.gradient_penalty(discriminator, real, fake, labels=labels, generator=noise)
            d_loss = losses.wgan_critic_loss(real_scores, fake_scores) + s.gp_weight * penalty
        else:
            d_loss = losses.gan_discriminator_loss(real_scores, fake_scores)
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        images, updates = images + len(real), updates + 1
        if updates % s.critic_steps == 0:
            if wgan:  # a fresh batch for the generator after the critic's updates
                fake = generator(torch.randn(len(real), model.latent_dim, generator=noise), labels)
            fake_scores = discriminator(fake, labels)
            g_loss = losses.wgan_generator_loss(fake_scores) if wgan else losses.gan_generator_loss(fake_scores)
            opt_g.zero_grad()
            g_loss.backward()
            opt_g.step()
            steps += 1
    generator.eval()
    return TutorialRun(generator, steps, images, time.perf_counter() - start, fetching)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Train a recipe's networks in the tutorial-style loop.")
    parser.add_argument("recipe", choices=sorted(RECIPES))
    parser.add_argument("--minutes", type=float, default=10.0, help="wall-clock budget")
    parser.add_argument("--out", type=Path, required=True, help="checkpoint folder to write")
    parser.add_argument("--data-dir", type=Path, help="the four MNIST .gz files, flat or in MNIST/raw")
    args = parser.parse_args(argv)
    recipe = RECIPES[args.recipe]
    s = tutorial_settings(recipe)
    run = train_tutorial(recipe, s, 60 * args.minutes, data_dir=args.data_dir)
    training = {**dataclasses.asdict(s), "steps": run.steps, "minutes": args.minutes}
    training |= {"images_seen": run.images, "wall_time_s": round(run.seconds, 1)}
    training["hardware"] = hardware_description(torch.device("cpu"))
    config = {"kind": "generator", "recipe": f"{recipe.name} (tutorial loop)", "model": recipe.model.to_dict()}
    save_checkpoint(args.out, run.generator, {**config, "training": training})
    print(f"{recipe.name}, tutorial loop: {run.steps:,} steps in {run.seconds / 60:.1f} min, {args.out}")


if __name__ == "__main__":
    main()
