"""The Train on digits tab's default model, measured as a visitor runs it: Play from scratch in one headless Chromium
page of the app, Save after each of --minutes, and score each saved model with ``python -m gandemo.evaluate``
(IS, FD, the rarest digit's share, the collapse verdict), beside the steps/s the page reached.

    python -m benchmarks.digits_quality [--minutes 1 3] [--samples 10000] [--data-dir MNIST]

The page trains in its worker on one thread of this machine; the numbers are as noisy as the machine is busy.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import zipfile
from pathlib import Path

from benchmarks.chromium import CHROMIUM, FLAGS
from benchmarks.server import app_process
from gandemo.core.explain import collapse_verdict
from gandemo.evaluate import main as evaluate_main


def mark(page, key: str) -> str:
    return page.evaluate("(key) => document.getElementById('digits').dataset[key] ?? ''", key)


def save(page, out: Path) -> Path:
    """Save the model the page holds now; the unzipped folder."""
    with page.expect_download(timeout=120_000) as download:
        page.click("#digits-save")
    archive = out / download.value.suggested_filename
    download.value.save_as(archive)
    with zipfile.ZipFile(archive) as z:
        z.extractall(out)
    return out / archive.stem


def play(url: str, minutes: list[float], out: Path) -> list[dict]:
    """Play from scratch; at each of `minutes`, the step, steps/s so far and the saved folder."""
    from playwright.sync_api import sync_playwright

    found = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.goto(f"{url}?tab=digits")
        page.wait_for_function("() => document.getElementById('digits')?.dataset.reading === '0'", timeout=180_000)
        page.click("#digits-play")
        started = time.perf_counter()
        for minute in sorted(minutes):
            time.sleep(max(0.0, started + 60 * minute - time.perf_counter()))
            step, seconds = int(mark(page, "step") or 0), time.perf_counter() - started
            folder = save(page, out / f"{minute:g}min")
            found.append({"minutes": minute, "step": step, "steps_per_s": step / seconds, "folder": folder})
            print(f"{minute:g} min: step {step}, {step / seconds:.2f} steps/s", flush=True)
        browser.close()
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.digits_quality", description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, nargs="+", default=[1, 3])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--data-dir", default=None, help="the MNIST folder gandemo.evaluate reads")
    parser.add_argument("--out", type=Path, default=None, help="keep the saved models here")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="digits-quality-"))
    with app_process() as (_server, url):
        runs = play(url, args.minutes, out)
    for run in runs:
        extra = ["--data-dir", args.data_dir] if args.data_dir else []
        metrics = evaluate_main([str(run["folder"]), "--samples", str(args.samples), "--device", "cpu", *extra])
        verdict = collapse_verdict(metrics)
        run.update(
            inception_score=round(metrics["inception_score"], 2),
            frechet_distance=round(metrics["frechet_distance"], 1),
            min_digit_share=metrics["min_digit_share"],
            verdict=verdict[1] if verdict else None,
            folder=str(run["folder"]),
        )
        print(json.dumps(run), flush=True)


if __name__ == "__main__":
    main()
