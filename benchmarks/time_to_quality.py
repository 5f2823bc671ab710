"""Time to quality: what ``python -m train RECIPE --minutes N`` reaches on this machine, beside the same
budget of the tutorial-style loop (``benchmarks/tutorial.py``) training the same networks, both scored like
the shipped models (``gandemo.evaluate``: our MNIST classifier, 10,000 samples; mode coverage for the toys).

    python -m benchmarks.time_to_quality --data-dir DIR [--recipes gan cgan] [--loops ours tutorial]
                                         [--minutes 10] [--toy-minutes 2]

Each run trains in its own process, one after another (run nothing else meanwhile: the budget is wall
time). Prints one row per recipe and loop with the issue's bars: Fréchet distance at most 5x the real-vs-real floor,
the CGAN's label accuracy at least 95%, every digit at least 5% of samples; the toys 8/8 modes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.server import ROOT

MNIST_RECIPES = ("gan", "dcgan", "cgan", "wgan-gp")
TOY_RECIPES = ("toy-gan", "toy-wgan-gp")


def train_and_score(recipe: str, loop: str, minutes: float, data_dir: Path | None, scratch: Path) -> dict:
    """Train ``recipe`` in ``loop`` (ours: ``python -m train``; tutorial) for ``minutes``, then score it."""
    out = scratch / f"{loop}-{recipe}"
    data = ["--data-dir", str(data_dir)] if data_dir else []
    if loop == "ours":
        command = [sys.executable, "-m", "train", recipe, "--minutes", str(minutes), "--out", str(out)]
        command += ["--run-dir", str(scratch / f"run-{recipe}")]
    else:
        command = [sys.executable, "-m", "benchmarks.tutorial", recipe, "--minutes", str(minutes), "--out", str(out)]
    subprocess.run(command + data, cwd=ROOT, check=True, env={**os.environ, "TQDM_DISABLE": "1"})
    score = [sys.executable, "-m", "gandemo.evaluate", str(out)] + data
    subprocess.run(score, cwd=ROOT, check=True, capture_output=True)
    config = json.loads((out / "config.json").read_text())
    return {"recipe": recipe, "loop": loop, **config["training"], "minutes": minutes, **config["metrics"]}


def row(result: dict) -> str:
    steps, wall = result["steps"], result["wall_time_s"] / 60
    if "modes_captured" in result:
        ok = result["modes_captured"] == result["modes_total"]
        scores = (
            f"{result['modes_captured']}/{result['modes_total']} modes, {100 * result['high_quality_share']:.1f}% HQ"
        )
    else:
        ratio = result["frechet_ratio_to_floor"]
        ok = ratio <= 5 and result["min_digit_share"] >= 0.05 and result.get("label_accuracy", 1) >= 0.95
        scores = f"FD {result['frechet_distance']:.2f} ({ratio:.2f}x floor), IS {result['inception_score']:.2f}, "
        scores += f"rarest digit {100 * result['min_digit_share']:.1f}%"
        if "label_accuracy" in result:
            scores += f", label accuracy {100 * result['label_accuracy']:.1f}%"
    return (
        f"| {result['recipe']} | {result['loop']} | {result['minutes']:g} | {wall:.1f} | {steps:,} | {scores} "
        f"| {'yes' if ok else 'no'} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipes", nargs="+", default=[*MNIST_RECIPES, *TOY_RECIPES])
    parser.add_argument("--minutes", type=float, default=10.0, help="budget of each MNIST recipe")
    parser.add_argument("--toy-minutes", type=float, default=2.0, help="budget of each 2-D toy recipe")
    parser.add_argument("--data-dir", type=Path, help="the four MNIST .gz files (else downloaded)")
    parser.add_argument(
        "--loops", nargs="+", choices=["ours", "tutorial"], default=["ours", "tutorial"], help="which training loops"
    )
    args = parser.parse_args()
    print("| recipe | loop | budget (min) | wall (min) | steps | scores | meets the bar |")
    print("| --- | --- | ---: | ---: | ---: | --- | --- |")
    with tempfile.TemporaryDirectory() as scratch:
        for recipe in args.recipes:
            minutes = args.toy_minutes if recipe in TOY_RECIPES else args.minutes
            for loop in args.loops:
                print(row(train_and_score(recipe, loop, minutes, args.data_dir, Path(scratch))), flush=True)


if __name__ == "__main__":
    main()
