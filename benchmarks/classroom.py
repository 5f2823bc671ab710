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
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.chromium import CHROMIUM, FLAGS
from benchmarks.server import ROOT, app_process

# the picture on the MNIST tab, as a string that changes when a new one is on screen: a browser-drawn view
# counts its draws in data-drawn; the server-drawn one changes its img's src
SIGNATURE = """() => { const g = document.querySelector('#grid'); if (!g) return null;
  if (g.dataset.drawn) return 'drawn:' + g.dataset.drawn;
  const img = g.querySelector('img'); return img && img.complete && img.naturalWidth ? img.src : null; }"""
FIRST_VISIT = """() => { const entries = [...performance.getEntriesByType('navigation'),
  ...performance.getEntriesByType('resource')];
  return { bytes: entries.reduce((s, e) => s + (e.encodedBodySize || 0), 0), files: entries.length }; }"""


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


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


async def visitor(browser, url: str, seconds: float, first_seed: int, waits: list, pictures: list) -> None:
    page = await browser.new_page(viewport={"width": 1400, "height": 1000})
    await page.goto(url)
    await page.wait_for_function(f"({SIGNATURE})() !== null", timeout=180_000)
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
        pictures.append(1)
        await page.wait_for_timeout(300)
    await page.close()


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


async def phase(browser, url: str, pid: int, visitors: int, seconds: float) -> dict:
    waits, pictures = [], []
    pages_ready = time.perf_counter()
    cpu_before = cpu_seconds(pid)
    await asyncio.gather(*(visitor(browser, url, seconds, 1000 * i, waits, pictures) for i in range(visitors)))
    elapsed, cpu = time.perf_counter() - pages_ready, cpu_seconds(pid) - cpu_before
    waits.sort()
    return {
        "cpu_per_visitor_minute": cpu / (visitors * elapsed / 60),
        "pictures_per_s": len(pictures) / elapsed,
        "median_s": statistics.median(waits) if waits else float("nan"),
        "p95_s": waits[int(0.95 * (len(waits) - 1))] if waits else float("nan"),
    }


async def measure(urls: dict, pids: dict, visitor_counts: list[int], seconds: float, models: list, moves: int):
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        firsts = {name: await first_visit(browser, url) for name, url in urls.items()}
        by_model = {(name, m): await per_model(browser, url, m, moves) for m in models for name, url in urls.items()}
        results = {}
        for n in visitor_counts:
            for name, url in urls.items():
                results[(name, n)] = await phase(browser, url, pids[name], n, seconds)
        await browser.close()
    return firsts, by_model, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default=None, help="the git commit to compare with")
    parser.add_argument("--visitors", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--models", nargs="+", default=["gan", "dcgan", "cgan", "wgan-gp"])
    parser.add_argument("--moves", type=int, default=20, help="seed moves per model, one visitor")
    args = parser.parse_args()
    baseline_ref = args.baseline or default_baseline()
    with tempfile.TemporaryDirectory() as scratch:
        baseline = Path(scratch) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", str(baseline), baseline_ref], cwd=ROOT, check=True)
        try:
            with app_process(cwd=baseline) as (old, old_url), app_process() as (new, new_url):
                urls = {"baseline": old_url, "this checkout": new_url}
                pids = {"baseline": old.pid, "this checkout": new.pid}
                measured = measure(urls, pids, args.visitors, args.seconds, args.models, args.moves)
                firsts, by_model, results = asyncio.run(measured)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT, check=False)
    print(f"baseline: {baseline_ref}; {args.seconds:.0f} s per phase; seed moves about every 0.3 s per visitor")
    for name, first in firsts.items():
        print(
            f"first visit, {name}: {first['bytes'] / 1e6:.2f} MB in {first['files']} files, "
            f"first picture after {first['first_picture_s']:.2f} s"
        )
    print(f"one visitor, median seed-to-picture of {args.moves} moves (8 x 8 grid):")
    for m in args.models:
        old, new = by_model[("baseline", m)], by_model[("this checkout", m)]
        print(f"  {m:8s} server-drawn {old * 1000:5.0f} ms, browser-drawn {new * 1000:5.0f} ms, ratio {new / old:.2f}")
    print(
        f"{'app':14s} {'visitors':>8s} {'server CPU-s per visitor-min':>29s} {'pictures/s':>11s} "
        f"{'median':>8s} {'p95':>8s}"
    )
    for (name, n), r in results.items():
        print(
            f"{name:14s} {n:8d} {r['cpu_per_visitor_minute']:29.2f} {r['pictures_per_s']:11.1f} "
            f"{r['median_s'] * 1000:6.0f}ms {r['p95_s'] * 1000:6.0f}ms"
        )


if __name__ == "__main__":
    main()
