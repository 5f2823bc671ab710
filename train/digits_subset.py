"""``python -m train.digits_subset``: the balanced subset of MNIST's training digits that the browser trains on,
written from the four IDX files into ``gandemo/web/data`` (served by the app and copied into the static edition).

The draw is portable and seeded: every training image ``i`` gets the first word of Philox4x32 at counter
``(0, i, 0, 6)`` under the seed's key (``gandemo.core.portable_random``; stream 6 is this draw's); each digit keeps
its ``per_class`` images with the smallest words, and the kept images are stored in the order of their words
(so any run of them is a shuffled mix of digits). The same files give the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
from pathlib import Path

import numpy as np

from gandemo.core.checkpoints import atomic_write
from gandemo.core.data import add_data_arguments, exit_on_user_error, load_mnist
from gandemo.core.portable_random import philox4x32, seed_key

OUT = Path(__file__).resolve().parents[1] / "gandemo" / "web" / "data"
NAME = "mnist-digits"  # NAME.json describes NAME.bin.gz
STREAM = 6  # the counter's stream word of this draw (portable_random lists the others)
SEED = 0
PER_CLASS = 1000
CREDIT = (
    "MNIST is by Yann LeCun, Corinna Cortes and Christopher J.C. Burges (LeCun, Bottou, Bengio and Haffner, "
    '"Gradient-based learning applied to document recognition", Proc. IEEE 86(11), 1998), used under CC BY-SA 3.0.'
)


def choose(labels: np.ndarray, *, seed: int, per_class: int) -> np.ndarray:
    """Indices of ``per_class`` images of each digit, drawn by the portable generator, in the order of their draws."""
    n = len(labels)
    counter = np.zeros((n, 4), np.uint64)
    counter[:, 1] = np.arange(n)
    counter[:, 3] = STREAM
    words = philox4x32(counter, seed_key(seed))[:, 0].astype(np.int64)
    kept = []
    for digit in range(10):
        (mine,) = np.nonzero(labels == digit)
        if len(mine) < per_class:
            raise ValueError(f"MNIST's training set holds only {len(mine)} images of {digit}, fewer than {per_class}")
        kept.append(mine[np.lexsort((mine, words[mine]))[:per_class]])  # smallest words; ties by index
    kept = np.concatenate(kept)
    return kept[np.lexsort((kept, words[kept]))]


def subset(images: np.ndarray, labels: np.ndarray, *, seed: int, per_class: int) -> tuple[bytes, dict]:
    """The payload (``count`` label bytes, then ``count`` 28 × 28 images, row-major uint8) and its description."""
    chosen = choose(labels, seed=seed, per_class=per_class)
    payload = labels[chosen].astype(np.uint8).tobytes() + images[chosen].astype(np.uint8).tobytes()
    info = {
        "file": f"{NAME}.bin.gz",
        "count": len(chosen),
        "per_class": per_class,
        "shape": [28, 28],
        "layout": "count label bytes (0-9), then count images of 28 x 28 uint8 pixels (0 black, 255 white), row-major",
        "seed": seed,
        "draw": f"Philox4x32-10 word 0 at counter (0, i, 0, {STREAM}) per training image i; smallest per digit",
        "source": "MNIST training set (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz)",
        "command": f"python -m train.digits_subset --seed {seed} --per-class {per_class}",
        "sha256": hashlib.sha256(payload).hexdigest(),  # of the decompressed payload
        "credit": CREDIT,
    }
    return payload, info


def write(payload: bytes, info: dict, out: Path) -> Path:
    """The gzip file (no name, no time in its header, so the same payload gives the same bytes) and its JSON."""
    packed = gzip.compress(payload, compresslevel=9, mtime=0)
    atomic_write(out / info["file"], packed)
    atomic_write(out / f"{NAME}.json", json.dumps({**info, "bytes": len(packed)}, indent=2) + "\n")
    return out / info["file"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m train.digits_subset", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--per-class", type=int, default=PER_CLASS)
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the files (default: gandemo/web/data)")
    add_data_arguments(parser)
    args = parser.parse_args(argv)
    images, labels = load_mnist(args.data_dir, split="train", download=args.data_dir is None)
    payload, info = subset(images.numpy()[:, 0], labels.numpy(), seed=args.seed, per_class=args.per_class)
    path = write(payload, info, args.out)
    print(f"{path}: {info['count']} digits, {path.stat().st_size} bytes")


if __name__ == "__main__":
    exit_on_user_error(main)
