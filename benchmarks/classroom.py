"""A class scrubbing seeds: N visitors as headless Chromium pages, each moving the MNIST tab's seed about every
0.3 s for a fixed time, this checkout beside another commit (default: the last one that drew every picture
on the server), one after the other on the same machine.

    python -m benchmarks.classroom [--baseline REF] [--visitors 1 10 30] [--seconds 30]

For each app and N it prints the server's CPU-seconds per visitor-minute (from /proc: the app process's
user + system time over the phase), pictures per second, and the median and 95th percentile seed-to-picture
time as the pages saw it (from setting the seed to the new picture being on screen). Before the phases, one
fresh page of each app reports what a first visit downloads and how long until its first picture.

On one machine the visitors' browsers share the server's cores: with 30 pages the browsers themselves are
most of the load, which a real class (30 laptops) would not put on the server.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import time

from benchmarks.chromium import CHROMIUM, FLAGS
from benchmarks.server import ROOT, app_process, cpu_seconds, worktree

# the picture on the MNIST tab, as a string that changes when a new one is on screen: a browser-drawn view
# counts its draws in data-drawn; the server-drawn one changes its img's src
SIGNATURE = """() => { const g = document.querySelector('#grid'); if (!g) return null;
  if (g.dataset.drawn) return 'drawn:' + g.dataset.drawn;
  const img = g.querySelector('img'); return img && img.complete && img.naturalWidth ? img.src : null; }"""
FIRST_VISIT = """() => { const entries = [...performance.getEntriesByType('navigation'),
  ...performance.getEntriesByType('resource')];
  return { bytes: entries.reduce((s, e) => s + (e.encodedBodySize || 0), 0), files: entries.length }; }"""


def default_baseline() -> str:
    """The commit before the browser runtime arrived."""
    added = subprocess.run(
        ["git", "log", "--diff-filter=A", "--format=%H", "--", "gandemo/web/runtime/index.js"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return f"{added[-1]}^" if added else "HEAD"


async def seed_box(page):
    return page.get_by_label("seed", exact=True).first


async def first_visit(browser, url: str) -> dict:
    page = await browser.new_page(viewport={"width": 1400, "height": 1000})
    started = time.perf_counter()
    await page.goto(url)
    await page.wait_for_function(f"({SIGNATURE})() !== null", timeout=120_000)
    shown_s = time.perf_counter() - started
    await page.wait_for_timeout(1500)  # let the rest of the page's files arrive
    sizes = await page.evaluate(FIRST_VISIT)
    await page.close()
    return {"first_picture_s": shown_s, **sizes}


async def open_visitor(browser, url: str):
    """A visitor's page with its first picture on screen (pages open one at a time, as a class trickles in)."""
    page = await browser.new_page(viewport={"width": 1400, "height": 1000})
    await page.goto(url)
    await page.wait_for_function(f"({SIGNATURE})() !== null", timeout=300_000)
    return page


async def scrub(page, seconds: float, first_seed: int, waits: list) -> None:
    """Move the seed about every 0.3 s for ``seconds``, timing each picture."""
    box = await seed_box(page)
    deadline, seed = time.perf_counter() + seconds, first_seed
    while time.perf_counter() < deadline:
        before = await page.evaluate(SIGNATURE)
        seed += 1
        started = time.perf_counter()
        await box.fill(str(seed))
        await box.press("Enter")
        try:
            await page.wait_for_function(f"(old) => ({SIGNATURE})() !== old", arg=before, timeout=30_000)
        except Exception:
            continue  # a picture that never came: counted as no picture
        waits.append(time.perf_counter() - started)
        await page.wait_for_timeout(300)


async def per_model(browser, url: str, model: str, moves: int) -> float:
    """One visitor on ``model``: the median seed-to-picture time of ``moves`` seed changes."""
    page = await browser.new_page(viewport={"width": 1400, "height": 1000})
    await page.goto(f"{url}?tab=generate&model={model}")
    await page.wait_for_function(f"({SIGNATURE})() !== null", timeout=180_000)
    await page.wait_for_timeout(1000)  # the link's model replaces the first one shown
    box, waits = await seed_box(page), []
    for seed in range(1, moves + 1):
        before = await page.evaluate(SIGNATURE)
        started = time.perf_counter()
        await box.fill(str(seed))
        await box.press("Enter")
        await page.wait_for_function(f"(old) => ({SIGNATURE})() !== old", arg=before, timeout=30_000)
        waits.append(time.perf_counter() - started)
        await page.wait_for_timeout(300)
    await page.close()
    return statistics.median(waits)


async def idle_rate(pid: int, seconds: float) -> float:
    """The server's CPU-seconds per second with no visitor at all (its own timers and threads)."""
    before = cpu_seconds(pid)
    await asyncio.sleep(seconds)
    return (cpu_seconds(pid) - before) / seconds


async def phase(browser, url: str, pid: int, visitors: int, seconds: float, idle: float) -> dict:
    pages = [await open_visitor(browser, url) for _ in range(visitors)]
    waits = []
    started, cpu_before = time.perf_counter(), cpu_seconds(pid)
    await asyncio.gather(*(scrub(page, seconds, 1000 * i, waits) for i, page in enumerate(pages)))
    elapsed, cpu = time.perf_counter() - started, cpu_seconds(pid) - cpu_before
    for page in pages:
        await page.close()
    waits.sort()
    return {
        "cpu_per_visitor_minute": cpu / (visitors * elapsed / 60),
        "above_idle": (cpu - idle * elapsed) / (visitors * elapsed / 60),
        "pictures_per_s": len(waits) / elapsed,
        "median_s": statistics.median(waits) if waits else float("nan"),
        "p95_s": waits[int(0.95 * (len(waits) - 1))] if waits else float("nan"),
    }


async def measure(urls: dict, pids: dict, args) -> None:
    """Every measurement, printed as it is made (a long run that stops early still says what it found)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        for name, url in urls.items():
            first = await first_visit(browser, url)
            say(
                f"first visit, {name}: {first['bytes'] / 1e6:.2f} MB in {first['files']} files, "
                f"first picture after {first['first_picture_s']:.2f} s"
            )
        idle = {name: await idle_rate(pids[name], args.seconds) for name in urls}
        for name, rate in idle.items():
            say(f"server idle, {name}: {60 * rate:.2f} CPU-s per minute with no visitor")
        say(f"one visitor, median seed-to-picture of {args.moves} moves (8 x 8 grid):")
        for model in args.models:
            old, new = [await per_model(browser, url, model, args.moves) for url in urls.values()]
            say(f"  {model:8s} server {old * 1000:5.0f} ms, browser {new * 1000:5.0f} ms, ratio {new / old:.2f}")
        columns = ("server CPU-s per visitor-min", "above idle", "pictures/s", "median", "p95")
        widths = (29, 11, 11, 8, 8)
        say(f"{'app':14s} {'visitors':>8s} " + " ".join(f"{c:>{w}s}" for c, w in zip(columns, widths, strict=True)))
        for n in args.visitors:
            for name, url in urls.items():
                r = await phase(browser, url, pids[name], n, args.seconds, idle[name])
                say(
                    f"{name:14s} {n:8d} {r['cpu_per_visitor_minute']:29.2f} {r['above_idle']:11.2f} "
                    f"{r['pictures_per_s']:11.1f} "
                    f"{r['median_s'] * 1000:6.0f}ms {r['p95_s'] * 1000:6.0f}ms"
                )
        await browser.close()


def say(line: str) -> None:
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default=None, help="the git commit to compare with")
    parser.add_argument("--visitors", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--models", nargs="+", default=["gan", "dcgan", "cgan", "wgan-gp"])
    parser.add_argument("--moves", type=int, default=20, help="seed moves per model, one visitor")
    args = parser.parse_args()
    baseline_ref = args.baseline or default_baseline()
    with worktree(baseline_ref) as baseline:
        with app_process(cwd=baseline) as (old, old_url), app_process() as (new, new_url):
            urls = {"baseline": old_url, "this checkout": new_url}
            pids = {"baseline": old.pid, "this checkout": new.pid}
            say(f"baseline: {baseline_ref}; {args.seconds:.0f} s per phase; a seed move about every 0.3 s")
            asyncio.run(measure(urls, pids, args))


if __name__ == "__main__":
    main()
