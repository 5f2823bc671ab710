"""Dropout masks: gandemo's ``Dropout`` (``torch.rand``) vs ``nn.Dropout`` (``bernoulli_``) on the CPU.

For each recipe whose discriminator uses dropout, times one training step (``gan_step``) with the
recipe's networks and batch size, once with each kind of dropout, alternating in rounds so both
see the same machine load; prints the median step time of each and the ratio, float32 and, where
the CPU has native bfloat16, under ``--amp``. The data is a fixed random batch: only the step counts.

    python -m benchmarks.dropout [--rounds 5] [--steps 10] [--recipes gan dcgan cgan]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
from torch import nn

from gandemo.core.device import bf16_autocast_supported
from gandemo.core.models import Dropout, build_discriminator, build_generator
from gandemo.core.training import gan_step
from train.recipes import RECIPES


def _trainer(recipe, *, torch_dropout: bool, amp: bool):
    model, s = recipe.model, recipe.settings
    torch.manual_seed(0)
    generator, discriminator = build_generator(model), build_discriminator(model)
    if torch_dropout:
        for module in discriminator.modules():
            if isinstance(module, Dropout):
                module.__class__ = nn.Dropout
    if s.channels_last and model.arch == "dcgan":
        generator = generator.to(memory_format=torch.channels_last)
        discriminator = discriminator.to(memory_format=torch.channels_last)
    opt_g = torch.optim.Adam(generator.parameters(), lr=s.g_lr, betas=(s.beta1, s.beta2), fused=True)
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=s.d_lr, betas=(s.beta1, s.beta2), fused=True)
    autocast = torch.autocast("cpu", dtype=torch.bfloat16, enabled=amp)
    real = torch.rand(s.batch_size, *model.data_shape, generator=torch.Generator().manual_seed(0)) * 2 - 1
    labels = torch.arange(s.batch_size) % model.num_classes if model.num_classes else None

    def step(i: int) -> None:
        gan_step(
            generator,
            discriminator,
            opt_g,
            opt_d,
            lambda c: (real, labels),
            objective=s.objective,
            critic_steps=s.critic_steps,
            gp_weight=s.gp_weight,
            rng=torch.Generator().manual_seed(i),
            autocast=autocast,
        )

    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=10, help="training steps per round and kind")
    parser.add_argument("--recipes", nargs="+", default=[n for n, r in RECIPES.items() if r.model.d_dropout])
    args = parser.parse_args()
    precisions = [False, True] if bf16_autocast_supported(torch.device("cpu")) else [False]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; median ms per training step\n")
    print(f"{'recipe':8s} {'precision':9s} {'nn.Dropout':>11s} {'gandemo':>8s} {'speed-up':>9s}")
    for name in args.recipes:
        for amp in precisions:
            steps = {
                kind: _trainer(RECIPES[name], torch_dropout=kind == "torch", amp=amp) for kind in ["torch", "ours"]
            }
            times: dict[str, list[float]] = {kind: [] for kind in steps}
            for step in steps.values():  # warm-up: first calls allocate and pick kernels
                step(0)
            for r in range(args.rounds):
                for kind, step in steps.items():
                    start = time.perf_counter()
                    for i in range(args.steps):
                        step(r * args.steps + i)
                    times[kind].append((time.perf_counter() - start) / args.steps * 1000)
            torch_ms, ours_ms = statistics.median(times["torch"]), statistics.median(times["ours"])
            precision = "bf16" if amp else "float32"
            print(f"{name:8s} {precision:9s} {torch_ms:11.1f} {ours_ms:8.1f} {torch_ms / ours_ms:8.2f}x", flush=True)


if __name__ == "__main__":
    main()
