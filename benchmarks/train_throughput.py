"""Training throughput: our loop vs the tutorial-style loop, side by side in one process.

For each MNIST recipe, both loops train the same models with the same objective and batch size;
the tutorial loop reads MNIST through a torchvision DataLoader with ``ToTensor()`` + ``Normalize``
applied per image (num_workers=0, as in the widely copied PyTorch-GAN scripts), ours indexes one
in-memory tensor. Prints real images consumed per second and the ratio; where the CPU has native
bfloat16, also our loop with ``--amp`` (bf16 autocast). "data share" is the share of the tutorial
loop's time spent fetching batches: the most that in-memory batches alone can save.

    python -m benchmarks.train_throughput --data-dir DIR [--seconds 20] [--recipes gan dcgan]
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from gandemo import losses
from gandemo.data import load_mnist
from gandemo.device import bf16_autocast_supported
from gandemo.models import build_discriminator, build_generator
from train.batches import make_batches
from train.loop import Run, train
from train.recipes import RECIPES


def tutorial_loop(recipe, data_dir: Path, seconds: float) -> tuple[float, float]:
    """The common tutorial shape: DataLoader + per-image transforms, Adam, alternating updates.

    Returns images/s and the share of the time spent fetching batches from the DataLoader, the most
    our in-memory batches can save."""
    model, s = recipe.model, recipe.settings
    torch.manual_seed(0)
    generator, discriminator = build_generator(model), build_discriminator(model)
    opt_g = torch.optim.Adam(generator.parameters(), lr=s.g_lr, betas=(s.beta1, s.beta2))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=s.d_lr, betas=(s.beta1, s.beta2))
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
    dataset = datasets.MNIST(str(data_dir), train=True, download=True, transform=transform)  # offline: unpacks the .gz
    loader = DataLoader(dataset, batch_size=s.batch_size, shuffle=True, drop_last=True)
    wgan = s.objective == "wgan-gp"
    images, start, i, fetching = 0, time.perf_counter(), 0, 0.0
    while time.perf_counter() - start < seconds:
        batches = iter(loader)
        while True:
            fetch = time.perf_counter()
            real, labels = next(batches, (None, None))
            fetching += time.perf_counter() - fetch
            if real is None:
                break
            labels = labels if model.num_classes else None
            fake = generator(torch.randn(len(real), model.latent_dim), labels)
            real_scores, fake_scores = discriminator(real, labels), discriminator(fake.detach(), labels)
            if wgan:
                penalty = losses.gradient_penalty(discriminator, real, fake, labels=labels)
                d_loss = losses.wgan_critic_loss(real_scores, fake_scores) + s.gp_weight * penalty
            else:
                d_loss = losses.gan_discriminator_loss(real_scores, fake_scores)
            opt_d.zero_grad()
            d_loss.backward()
            opt_d.step()
            images += len(real)
            i += 1
            if i % s.critic_steps == 0:
                if wgan:  # a fresh batch for the generator after the critic's steps
                    fake = generator(torch.randn(len(real), model.latent_dim), labels)
                fake_scores = discriminator(fake, labels)
                g_loss = losses.wgan_generator_loss(fake_scores) if wgan else losses.gan_generator_loss(fake_scores)
                opt_g.zero_grad()
                g_loss.backward()
                opt_g.step()
            if time.perf_counter() - start >= seconds:
                break
    elapsed = time.perf_counter() - start
    return images / elapsed, fetching / elapsed


def our_loop(recipe, batches, seconds: float, *, amp: bool = False) -> float:
    """gandemo's train(): images/s over about ``seconds`` of steps, without the per-run fixed costs."""
    s = dataclasses.replace(recipe.settings, amp=amp)
    with tempfile.TemporaryDirectory() as tmp:

        def run(steps: int) -> float:
            settings = dataclasses.replace(s, steps=steps, sample_every=10**9, checkpoint_every=10**9)
            folder = Path(tmp) / f"run{steps}"
            start = time.perf_counter()
            train(
                recipe.model,
                settings,
                Run(folder, folder / "state"),
                recipe=recipe.name,
                device=torch.device("cpu"),
                batches=batches,
                progress=False,
            )
            return time.perf_counter() - start

        # train() also builds the networks, recalibrates BatchNorm and writes the checkpoint folder: time a
        # short and a long run and count only the difference, the steady rate (the tutorial loop's setup is
        # not timed either); the first run also warms up the kernels. The faster of the two short runs is
        # kept: a short run slowed by a neighbouring job would shrink the difference and inflate the rate
        probe = 20
        short = min(run(probe), run(probe))
        steps = max(2 * probe, int(seconds / (short / probe)))
        return (steps - probe) * s.batch_size * s.critic_steps / (run(steps) - short)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data-dir", type=Path, required=True, help="folder with MNIST/raw/*.gz (torchvision's layout)"
    )
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--recipes", nargs="+", default=["gan", "dcgan", "cgan", "wgan-gp"])
    args = parser.parse_args()
    images, labels = load_mnist(args.data_dir, download=False)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {args.seconds:.0f} s per loop\n")
    amp = bf16_autocast_supported(torch.device("cpu"))
    header = f"{'recipe':10s} {'tutorial img/s':>15s} {'data share':>11s} {'gandemo img/s':>14s} {'ratio':>7s}"
    print(header + (f" {'gandemo --amp img/s':>20s} {'ratio':>7s}" if amp else "  (no native bf16: --amp not run)"))
    for name in args.recipes:
        recipe = RECIPES[name]
        batches = make_batches(recipe.model, torch.device("cpu"), seed=0, data_dir=args.data_dir)
        tutorial, data_share = tutorial_loop(recipe, args.data_dir, args.seconds)
        ours = our_loop(recipe, batches, args.seconds)
        line = f"{name:10s} {tutorial:15.0f} {data_share:11.0%} {ours:14.0f} {ours / tutorial:6.2f}x"
        if amp:
            ours_amp = our_loop(recipe, batches, args.seconds, amp=True)
            line += f" {ours_amp:20.0f} {ours_amp / tutorial:6.2f}x"
        print(line, flush=True)
    del images, labels


if __name__ == "__main__":
    main()
