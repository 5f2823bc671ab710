"""A discriminator for a finished MNIST generator: ``python -m train.discriminator gan`` trains a fresh one, with
the recipe's objective, network and optimiser settings (read from the checkpoint's config.json), against the final
generator held fixed, on real MNIST; then writes ``discriminator.safetensors``, records how it was made under
``config.json``'s ``"discriminator"`` (and the card), with the spread of its scores on real test digits and on
the generator's own samples, which is what makes one score mean something (``gandemo.measures.verdict``).

The MNIST runs kept no discriminator (only the generator's weight average was saved), and the discriminator
from the end of training judged the raw generator, not the averaged one shipped: a fresh one judging the
shipped generator answers the page's question ("does this model find the drawing real?") for that generator.
"""

from __future__ import annotations

import argparse
import platform
import shlex
import time
from pathlib import Path

import torch

from gandemo.core.checkpoints import (
    DISCRIMINATOR_NAME,
    _safetensors_bytes,
    atomic_write,
    load_checkpoint,
    update_config,
)
from gandemo.core.data import add_data_arguments, exit_on_user_error, load_mnist
from gandemo.core.device import resolve_device
from gandemo.core.models import build_discriminator
from gandemo.core.training import critic_warmup
from gandemo.measures.verdict import score_spreads

from .batches import MNISTBatches

DEFAULT_STEPS = 3000  # critic updates: a fresh discriminator's real/fake accuracy levels off by then
SPREAD_N = 1000  # real test digits and samples whose scores make the spreads


def train_discriminator(checkpoint, images, labels, *, steps: int, batch_size: int, seed: int) -> torch.nn.Module:
    """A fresh discriminator (initialised from ``seed``) after ``steps`` critic updates against the fixed generator."""
    training, model = checkpoint.config["training"], checkpoint.generator.config
    torch.manual_seed(seed)  # the initial weights and the dropout masks
    discriminator = build_discriminator(model).train()
    objective = training.get("objective", "gan")
    betas = (training.get("beta1", 0.5), training.get("beta2", 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=training.get("d_lr", 2e-4), betas=betas)
    batches = MNISTBatches(images, labels, torch.device("cpu"), seed, conditional=model.num_classes > 0)
    rng = torch.Generator().manual_seed(seed)
    critic_warmup(
        checkpoint.generator,
        discriminator,
        opt_d,
        lambda k: batches(k, batch_size, rng),
        steps,
        objective=objective,
        gp_weight=training.get("gp_weight", 10.0),
        seed=seed,
    )
    return discriminator.eval()


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m train.discriminator", description=__doc__.split("\n\n")[0])
    parser.add_argument("checkpoint", help="a checkpoint name under checkpoints/ or a folder")
    parser.add_argument("--steps", type=int, default=DEFAULT_STEPS, help="critic updates")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (torch.set_num_threads)")
    add_data_arguments(parser)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    folder = Path(args.checkpoint)
    folder = folder if folder.is_dir() else Path("checkpoints") / args.checkpoint
    checkpoint = load_checkpoint(folder, device=resolve_device("cpu"))
    images, labels = load_mnist(args.data_dir)
    start = time.perf_counter()
    discriminator = train_discriminator(
        checkpoint, images, labels, steps=args.steps, batch_size=args.batch_size, seed=args.seed
    )
    wall = time.perf_counter() - start
    atomic_write(folder / DISCRIMINATOR_NAME, _safetensors_bytes(discriminator))
    test_images, test_labels = load_mnist(args.data_dir, split="test")
    spreads = score_spreads(checkpoint.generator, discriminator, test_images, test_labels, n=SPREAD_N, seed=args.seed)
    flags = [f"--steps {args.steps}", f"--batch-size {args.batch_size}", f"--seed {args.seed}"]
    record = {
        "made": "trained after the generator: a fresh discriminator against the final (frozen) generator",
        "command": f"python -m train.discriminator {shlex.quote(folder.name)} {' '.join(flags)}",
        "objective": checkpoint.objective,
        "steps": args.steps,
        "batch_size": args.batch_size,
        "seed": args.seed,
        "wall_time_s": round(wall, 1),
        "hardware": f"{platform.machine()}, {args.threads} CPU thread{'s' * (args.threads > 1)}",
        "torch_version": torch.__version__,
        **spreads,
    }
    update_config(folder, discriminator=record)
    print(f"{folder.name}: {args.steps} critic updates in {wall:.1f} s; {record['scores']['words']}", flush=True)
    return record


if __name__ == "__main__":
    exit_on_user_error(main)
