"""Soak: rounds of mixed requests against one app process; prints its memory and temporary files as it goes.

    python -m benchmarks.soak [--rounds 5] [--requests 800] [--warmup 100] [--checkpoints checkpoints]

The app runs in its own process with a fresh temporary folder (``TMPDIR``), so every file it or
Gradio writes while serving is counted. The requests call every endpoint, about a third of them with one
bad value (of any type, in any position) that the app must refuse. After ``--warmup`` requests, a report
line after each round of ``--requests`` gives the server's resident memory (RSS), its growth since the
warm-up and over the round, and the files under that folder (the app deletes a file handed to a visitor
``--cache-age`` seconds after making it).
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.server import ROOT, app_process, rss_mib
from gandemo.core.checkpoints import list_checkpoints

BAD_SHARE = 0.35  # of the calls carry one bad value
BAD_VALUES = [None, "abc", "8", "", [1], {"a": 1}, True, -1, 10**30, 1.5, "../../etc/passwd", "nope", 17, 0]


def count_files(folder: Path) -> tuple[int, float]:
    """Files under ``folder`` and their total size in MiB."""
    sizes = [p.stat().st_size for p in folder.rglob("*") if p.is_file()]
    return len(sizes), sum(sizes) / 2**20


def good_call(rng: random.Random, configs: dict, mnist: list, toys: list) -> tuple[str, tuple]:
    """One valid call, shaped like visitors': mostly grids and toy plots."""
    roll, seed = rng.random(), rng.randrange(10**6)
    conditional = [n for n in mnist if configs[n]["model"].get("num_classes")]
    unconditional = [n for n in mnist if n not in conditional]
    if roll < 0.4 and mnist:
        name = rng.choice(mnist)
        digit = str(rng.randrange(10)) if name in conditional else "all digits"
        return "/generate", (name, seed, rng.randint(1, 16), rng.randint(1, 16), digit)
    if roll < 0.7 and toys:
        return "/toy", (rng.choice(toys), seed, rng.choice([500, 2500, 10_000]))
    if roll < 0.76 and mnist:
        return "/compare", (seed,)
    if roll < 0.82 and mnist:
        name = rng.choice(mnist)
        digit = "3" if name in conditional else None
        return "/interpolate", (name, seed, seed + 1, rng.randint(2, 16), rng.choice(["slerp", "lerp"]), digit)
    if roll < 0.88 and unconditional:
        offsets = [round(rng.uniform(-3, 3), 1) for _ in range(5)]
        return "/directions", (rng.choice(unconditional), seed, rng.randrange(64), *offsets)
    if roll < 0.94 and mnist:
        return "/timeline", (rng.choice(mnist), rng.randrange(4))
    return "/training", (rng.choice(mnist + toys),)


def mixed_requests(checkpoints: Path, seed: int = 0, bad_share: float = BAD_SHARE):
    """An endless, seeded mix of the app's public calls: ``(endpoint, args, bad)``; a bad call is a valid one
    with one argument swapped for a value the app refuses (or, rarely, happens to accept)."""
    configs = {
        n: c
        for n, c in list_checkpoints(checkpoints).items()
        if isinstance(c, dict) and c.get("kind", "generator") == "generator"
    }
    mnist = [n for n, c in configs.items() if c["model"].get("data", "mnist") == "mnist"]
    toys = [n for n, c in configs.items() if c["model"].get("data") == "8gaussians"]
    rng = random.Random(seed)
    while True:
        endpoint, args = good_call(rng, configs, mnist, toys)
        if rng.random() < bad_share:
            args = list(args)
            args[rng.randrange(len(args))] = rng.choice(BAD_VALUES)
            yield endpoint, tuple(args), True
        else:
            yield endpoint, args, False


def soak(
    checkpoints: Path,
    *,
    requests: int,
    warmup: int,
    rounds: int = 1,
    only: str | None = None,
    cache_age_s: int = 60,
    reports: int | None = None,
    env: dict | None = None,
    out=print,
):
    """Serve ``checkpoints`` and send ``warmup`` + ``rounds`` x ``requests`` mixed calls; returns the report
    rows (``reports`` per run, by default one at the end of each round)."""
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    temp = Path(tempfile.mkdtemp(prefix="gandemo-soak-"))
    downloads = temp / "client"
    rows = []
    total = rounds * requests
    every = max(1, total // reports) if reports else requests

    def call(client) -> bool:
        endpoint, args, bad = next(calls)
        try:
            client.predict(*args, api_name=endpoint)
        except AppError:
            if not bad:
                raise
            return True
        return False

    try:
        server_env = {"TMPDIR": str(temp / "server"), **(env or {})}
        (temp / "server").mkdir()
        options = ("--checkpoints", str(checkpoints), "--device", "cpu", "--cache-age", str(cache_age_s))
        with app_process(*options, env=server_env) as (server, url):
            client = Client(url, verbose=False, download_files=str(downloads))
            calls = (c for c in mixed_requests(checkpoints) if only in (None, c[0]))
            for _ in range(warmup):
                call(client)
            shutil.rmtree(downloads, ignore_errors=True)
            base = last = rss_mib(server.pid)
            out(f"RSS after the warm-up ({warmup} requests): {base:.0f} MiB")
            out(
                f"{'requests':>8s} {'refused':>7s} {'RSS MiB':>8s} {'growth':>7s} {'step':>6s} "
                f"{'temp files':>10s} {'temp MiB':>8s} {'s':>6s}"
            )
            start, refused = time.perf_counter(), 0
            for i in range(1, total + 1):
                refused += call(client)
                if i % every == 0 or i == total:
                    shutil.rmtree(downloads, ignore_errors=True)  # the client's copies, not the server's
                    rss = rss_mib(server.pid)
                    files, size = count_files(temp / "server")
                    row = {"requests": i, "rss": rss, "growth": rss - base, "step": rss - last, "files": files}
                    rows.append({**row, "size": size, "refused": refused})
                    out(
                        f"{i:8d} {refused:7d} {rss:8.0f} {rss - base:+7.0f} {rss - last:+6.0f} {files:10d} "
                        f"{size:8.1f} {time.perf_counter() - start:6.0f}"
                    )
                    last = rss
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    if rows:
        growth = [row["growth"] for row in rows]
        most = max(row["files"] for row in rows)
        out(
            f"RSS growth after the warm-up: {growth[-1]:+.0f} MiB at the end, {max(growth):+.0f} MiB at most; "
            f"at most {most} temporary files"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checkpoints", type=Path, default=ROOT / "checkpoints")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=800, help="requests per round")
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--only", metavar="ENDPOINT", help="send only this endpoint's calls, e.g. /toy")
    parser.add_argument("--cache-age", type=int, default=60, help="the app's --cache-age (seconds)")
    args = parser.parse_args()
    soak(
        args.checkpoints,
        requests=args.requests,
        rounds=args.rounds,
        warmup=args.warmup,
        only=args.only,
        cache_age_s=args.cache_age,
    )


if __name__ == "__main__":
    main()
