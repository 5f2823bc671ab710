"""Soak: many mixed requests against one app process; prints its memory and temporary files as it goes.

    python -m benchmarks.soak [--requests 1000] [--warmup 100] [--checkpoints checkpoints]

The app runs in its own process with a fresh temporary folder (``TMPDIR``), so every file it or
Gradio writes while serving is counted. After ``--warmup`` requests, each report line gives the
server's resident memory (RSS) and its growth since the warm-up, and the files under that folder
(the app deletes a file handed to a visitor ``--cache-age`` seconds after making it).
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.server import ROOT, app_process, rss_mib
from gandemo.checkpoints import list_checkpoints


def count_files(folder: Path) -> tuple[int, float]:
    """Files under ``folder`` and their total size in MiB."""
    sizes = [p.stat().st_size for p in folder.rglob("*") if p.is_file()]
    return len(sizes), sum(sizes) / 2**20


def mixed_requests(checkpoints: Path, seed: int = 0):
    """An endless, seeded mix of the app's public calls, shaped like visitors': mostly grids and toy plots."""
    configs = {
        n: c
        for n, c in list_checkpoints(checkpoints).items()
        if isinstance(c, dict) and c.get("kind", "generator") == "generator"
    }
    mnist = [n for n, c in configs.items() if c["model"].get("data", "mnist") == "mnist"]
    toys = [n for n, c in configs.items() if c["model"].get("data") == "8gaussians"]
    rng = random.Random(seed)
    while True:
        roll = rng.random()
        seed = rng.randrange(10**6)
        if roll < 0.45 and mnist:
            name = rng.choice(mnist)
            digit = str(rng.randrange(10)) if configs[name]["model"].get("num_classes") else "all digits"
            yield "/generate", (name, seed, rng.randint(1, 16), rng.randint(1, 16), digit)
        elif roll < 0.8 and toys:
            yield "/toy", (rng.choice(toys), seed, rng.choice([500, 2500, 10_000]))
        elif roll < 0.87 and mnist:
            yield "/compare", (seed,)
        elif roll < 0.94 and mnist:
            name = rng.choice(mnist)
            digit = "3" if configs[name]["model"].get("num_classes") else None
            yield "/interpolate", (name, seed, seed + 1, rng.randint(2, 16), "slerp", digit)
        else:
            yield "/training", (rng.choice(mnist + toys),)


def soak(
    checkpoints: Path,
    *,
    requests: int,
    warmup: int,
    only: str | None = None,
    cache_age_s: int = 60,
    reports: int = 10,
    env: dict | None = None,
    out=print,
):
    """Serve ``checkpoints`` and send ``warmup`` + ``requests`` mixed calls; returns the report rows."""
    from gradio_client import Client

    temp = Path(tempfile.mkdtemp(prefix="gandemo-soak-"))
    downloads = temp / "client"
    rows = []
    try:
        server_env = {"TMPDIR": str(temp / "server"), **(env or {})}
        (temp / "server").mkdir()
        options = ("--checkpoints", str(checkpoints), "--device", "cpu", "--cache-age", str(cache_age_s))
        with app_process(*options, env=server_env) as (server, url):
            client = Client(url, verbose=False, download_files=str(downloads))
            calls = (call for call in mixed_requests(checkpoints) if only in (None, call[0]))
            for _ in range(warmup):
                endpoint, args = next(calls)
                client.predict(*args, api_name=endpoint)
            shutil.rmtree(downloads, ignore_errors=True)
            base = rss_mib(server.pid)
            out(f"{'requests':>8s} {'RSS MiB':>8s} {'growth':>7s} {'temp files':>10s} {'temp MiB':>8s} {'s':>6s}")
            start = time.perf_counter()
            every = max(1, requests // reports)
            for i in range(1, requests + 1):
                endpoint, args = next(calls)
                client.predict(*args, api_name=endpoint)
                if i % every == 0 or i == requests:
                    shutil.rmtree(downloads, ignore_errors=True)  # the client's copies, not the server's
                    rss = rss_mib(server.pid)
                    files, size = count_files(temp / "server")
                    row = {"requests": i, "rss": rss, "growth": rss - base, "files": files, "size": size}
                    rows.append(row)
                    out(
                        f"{i:8d} {rss:8.0f} {rss - base:+7.0f} {files:10d} {size:8.1f} "
                        f"{time.perf_counter() - start:6.0f}"
                    )
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
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--only", metavar="ENDPOINT", help="send only this endpoint's calls, e.g. /toy")
    parser.add_argument("--cache-age", type=int, default=60, help="the app's --cache-age (seconds)")
    args = parser.parse_args()
    soak(args.checkpoints, requests=args.requests, warmup=args.warmup, only=args.only, cache_age_s=args.cache_age)


if __name__ == "__main__":
    main()
