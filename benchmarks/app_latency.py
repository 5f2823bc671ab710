"""App latency: /generate through gradio_client vs the bare generator, cold start vs bare imports,
and the server's peak memory.

    python -m benchmarks.app_latency [--checkpoints checkpoints] [--calls 30]

For each MNIST model: median and 95th-percentile latency of an 8x8 ``/generate`` call, next to the
median time of the bare generator forward pass on the same 64 latents in this process,
and their ratio (the app's overhead). Cold start is process start to the first served image, beside
``python -c "import gradio, torch"`` alone.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch

import gandemo
from gandemo.service.showroom import Showroom

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checkpoints", default=str(ROOT / "checkpoints"))
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}

    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import gradio, torch"], check=True, env=env)
    bare_imports = time.perf_counter() - start

    from gradio_client import Client

    showroom = Showroom(args.checkpoints, device="cpu")
    models = showroom.names("mnist")
    port = free_port()
    start = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "app.py", "--checkpoints", args.checkpoints, "--port", str(port), "--device", "cpu"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = None
        while client is None:
            try:
                client = Client(f"http://127.0.0.1:{port}/", verbose=False)
            except Exception:
                if server.poll() is not None:
                    raise SystemExit("the app exited during start-up") from None
                time.sleep(0.05)
        digit = "all digits"
        client.predict(models[0], 0, 8, 8, digit, api_name="/generate")
        cold_start = time.perf_counter() - start
        print(f"cold start to first image: {cold_start:.2f} s; `import gradio, torch` alone: {bare_imports:.2f} s")
        print(f"ratio: {cold_start / bare_imports:.2f}x\n")
        print(f"{'model':10s} {'median ms':>10s} {'p95 ms':>8s} {'generator ms':>13s} {'overhead':>9s}")
        for name in models:
            generator = showroom.model(name)
            labels = [i % 10 for i in range(64)] if generator.config.num_classes else None
            label_tensor = torch.tensor(labels) if labels else None
            bare = []
            for seed in range(args.calls):
                z = gandemo.latents(seed, 64, generator.config.latent_dim)
                t = time.perf_counter()
                with torch.no_grad():
                    generator(z, label_tensor)
                bare.append(time.perf_counter() - t)
            served = []
            for seed in range(args.calls):
                t = time.perf_counter()
                client.predict(name, seed, 8, 8, "0" if labels else digit, api_name="/generate")
                served.append(time.perf_counter() - t)
            median, bare_median = statistics.median(served), statistics.median(bare)
            print(
                f"{name:10s} {1000 * median:10.1f} {1000 * percentile(served, 0.95):8.1f} "
                f"{1000 * bare_median:13.1f} {median / bare_median:8.1f}x"
            )
        print(f"\nserver peak memory (VmHWM): {peak_rss_mib(server.pid):.0f} MiB")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
