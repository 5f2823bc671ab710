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

from benchmarks.tutorial import train_tutorial
from gandemo.core.data import load_mnist
from gandemo.core.device import bf16_autocast_supported
from train.batches import make_batches
from train.loop import Run, train
from train.recipes import RECIPES


def tutorial_loop(recipe, data_dir: Path, seconds: float) -> tuple[float, float]:
    """The tutorial loop (``benchmarks/tutorial.py``) with the recipe's own batch size and critic steps.

    Returns images/s and the share of the time spent fetching batches from the DataLoader, the most
    our in-memory batches can save."""
    run = train_tutorial(recipe, recipe.settings, seconds, data_dir=data_dir)
    return run.images / run.seconds, run.fetch_seconds / run.seconds


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
    parser.add_argument("--data-dir", type=Path, required=True, help="the four MNIST .gz files, flat or in MNIST/raw")
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
