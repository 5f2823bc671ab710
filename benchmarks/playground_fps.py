"""The Playground, trained in the visitor's browser (this checkout) beside the server's Playground (a commit
before it moved: default 9704a8f), on one machine: training steps per second and plot updates per second as
each page saw them, and the server's CPU-seconds per minute, for one page and for several pages playing at once.

    python -m benchmarks.playground_fps [--baseline REF] [--pages 1 4] [--seconds 15]

Each page opens the Playground by link (the settings named below), presses Play and plays for --seconds.
Steps/s: the step counter's rise over that time. Plot updates/s: the browser Playground counts its draws
(data-frames); the server's is counted as the plot image's new pictures (a MutationObserver on its src).
Both apps run in their own process; on one machine the pages' browsers share its cores with the server.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from benchmarks.chromium import CHROMIUM, FLAGS
from benchmarks.server import app_process, cpu_seconds, worktree

BASELINE = "9704a8f"  # the last commit whose Playground trained on the server
SETTINGS = {  # what each row's link sets (the apps' defaults differ: both are measured)
    "browser defaults (32 x 2, batch 64, 5 critic steps)": "",
    "server defaults (128 x 3, batch 256, 5 critic steps)": "&width=128&depth=3&batch=256&g_lr=0.0001&d_lr=0.0001",
}
SERVER_DEFAULTS = {  # the baseline's own defaults, and the browser's through a link
    "browser defaults (32 x 2, batch 64, 5 critic steps)": "&width=32&depth=2&batch=64&g_lr=0.001&d_lr=0.001",
    "server defaults (128 x 3, batch 256, 5 critic steps)": "",
}
# the step counter and the count of plot updates, on either app's page
PROBE = """() => {
  const view = document.getElementById('playground');
  if (view && view.dataset.frames !== undefined)
    return { step: Number(view.dataset.step || 0), updates: Number(view.dataset.frames || 0) };
  const stats = document.querySelector('#playground-stats');
  const match = stats && /step (\\d+)/.exec(stats.innerText);
  const img = document.querySelector('#playground-plot img');
  if (img && !window.__updates) {
    window.__updates = 0;
    new MutationObserver(() => (window.__updates += 1)).observe(img, { attributes: true, attributeFilter: ['src'] });
  }
  return { step: match ? Number(match[1]) : 0, updates: window.__updates || 0 };
}"""


async def open_page(browser, url: str, query: str):
    page = await browser.new_page(viewport={"width": 1400, "height": 1000})
    await page.goto(f"{url}?tab=playground{query}")
    await page.wait_for_function(
        "() => (document.getElementById('playground')?.dataset.frames) || "
        "document.querySelector('#playground-plot img')?.complete",
        timeout=60_000,
    )
    await page.wait_for_timeout(1000)
    return page


async def phase(browser, url: str, pid: int, query: str, pages: int, seconds: float) -> dict:
    opened = [await open_page(browser, url, query) for _ in range(pages)]
    for page in opened:
        await page.evaluate(PROBE)  # (starts the server page's counter)
        await page.click("#play")
    await asyncio.sleep(2)  # past the start-up: sessions opened, code compiled
    before = [await page.evaluate(PROBE) for page in opened]
    started, cpu = time.perf_counter(), cpu_seconds(pid)
    await asyncio.sleep(seconds)
    after = [await page.evaluate(PROBE) for page in opened]
    elapsed, cpu = time.perf_counter() - started, cpu_seconds(pid) - cpu
    for page in opened:
        await page.close()
    steps = [(a["step"] - b["step"]) / elapsed for a, b in zip(after, before, strict=True)]
    updates = [(a["updates"] - b["updates"]) / elapsed for a, b in zip(after, before, strict=True)]
    return {"steps": statistics.median(steps), "updates": statistics.median(updates), "cpu": 60 * cpu / elapsed}


async def measure(apps: dict, args) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        say(f"{'app':38s} {'settings':52s} {'pages':>5s} {'steps/s':>8s} {'updates/s':>9s} {'server CPU-s/min':>16s}")
        for pages in args.pages:
            for label in SETTINGS:
                for name, (url, pid, queries) in apps.items():
                    r = await phase(browser, url, pid, queries[label], pages, args.seconds)
                    say(f"{name:38s} {label:52s} {pages:5d} {r['steps']:8.1f} {r['updates']:9.1f} {r['cpu']:16.1f}")
        await browser.close()


def say(line: str) -> None:
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default=BASELINE, help="a commit whose Playground trains on the server")
    parser.add_argument("--pages", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    with worktree(args.baseline) as baseline:
        with app_process(cwd=baseline) as (old, old_url), app_process() as (new, new_url):
            apps = {
                "this checkout (trains in the browser)": (new_url, new.pid, SETTINGS),
                f"{args.baseline} (trains on the server)": (old_url, old.pid, SERVER_DEFAULTS),
            }
            say(f"{args.seconds:.0f} s per phase, after 2 s of warm-up; medians over the pages")
            asyncio.run(measure(apps, args))


if __name__ == "__main__":
    main()
