"""The training tabs as a visitor opens them by link: steps/s and frames drawn per second while Play runs, in one
headless Chromium page of the app (its worker on one thread of this machine), one link after another.

    python -m benchmarks.tab_speed [--seconds 60] [--warmup 3] [--only NAME ...]

Steps/s: the view's step counter (data-step) over --seconds, after --warmup seconds of Play (the first steps
compile the backend's kernels). Frames/s: the pictures the page drew (data-frames) over the same time.
"""

from __future__ import annotations

import argparse
import time

from benchmarks.chromium import CHROMIUM, FLAGS
from benchmarks.server import app_process

# name: (link, the view's element id, its Play button, what says it is ready)
LINKS = {
    "Train on digits, defaults": ("?tab=digits", "digits", "#digits-play", "dataset.reading === '0'"),
    "Playground, defaults": ("?tab=playground", "playground", "#play", "dataset.frames !== undefined"),
    "Playground from toy-gan": ("?tab=playground&start=toy-gan", "playground", "#play", "dataset.modes === '8'"),
    "Playground from toy-wgan-gp": (
        "?tab=playground&start=toy-wgan-gp",
        "playground",
        "#play",
        "dataset.modes === '8'",
    ),
}


def counters(page, view: str) -> tuple[int, int]:
    marks = page.evaluate("(id) => ({ ...document.getElementById(id).dataset })", view)
    return int(marks.get("step") or 0), int(marks.get("frames") or 0)


def measure(browser, url: str, name: str, seconds: float, warmup: float) -> dict:
    link, view, play, ready = LINKS[name]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}{link}")
    page.wait_for_function(f"() => document.getElementById('{view}')?.{ready}", timeout=180_000)
    page.click(play)
    page.wait_for_timeout(warmup * 1000)
    (step0, frames0), t0 = counters(page, view), time.perf_counter()
    page.wait_for_timeout(seconds * 1000)
    (step1, frames1), t1 = counters(page, view), time.perf_counter()
    error = page.evaluate("(id) => document.getElementById(id).dataset.error || ''", view)
    page.close()
    return {"steps_per_s": (step1 - step0) / (t1 - t0), "frames_per_s": (frames1 - frames0) / (t1 - t0), "error": error}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tab_speed", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--only", nargs="*", choices=list(LINKS), help="these links only")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with app_process() as (_server, url), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        print(f"{'link':<32} {'steps/s':>8} {'frames/s':>9}")
        for name in args.only or LINKS:
            found = measure(browser, url, name, args.seconds, args.warmup)
            problem = f"  error: {found['error']}" if found["error"] else ""
            print(f"{name:<32} {found['steps_per_s']:8.2f} {found['frames_per_s']:9.2f}{problem}", flush=True)
        browser.close()


if __name__ == "__main__":
    main()
