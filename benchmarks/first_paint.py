"""First paint: how long a fresh page takes to show its first MNIST grid (drawn by the server or the browser),
this checkout beside another commit (default: the one before the visitor's-first-ten-minutes work), both
served at once and visited in turn by the same Chromium.

    python -m benchmarks.first_paint [--baseline REF] [--visits 15]

Each visit is a new page; the time is ``performance.now()`` (milliseconds since navigation) when the grid is
on screen, recorded in the page itself. Prints each app's median and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
from pathlib import Path

from benchmarks.chromium import CHROMIUM, FLAGS
from benchmarks.server import ROOT, app_process

RECORD_FIRST_GRID = """
window.__gridLoaded = null;
const look = () => {  // a browser-drawn grid counts its draws; a server-drawn one is an img that has loaded
  const grid = document.querySelector('#grid'), img = grid && grid.querySelector('img');
  const shown = grid && (grid.dataset.drawn || (img && img.complete && img.naturalWidth));
  if (shown) window.__gridLoaded = performance.now(); else requestAnimationFrame(look);
};
requestAnimationFrame(look);
"""


def visit(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.add_init_script(RECORD_FIRST_GRID)
    page.goto(url)
    page.wait_for_function("window.__gridLoaded !== null", timeout=60_000)
    loaded = page.evaluate("window.__gridLoaded")
    page.close()
    return loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="69822c3", help="the git commit to compare with")
    parser.add_argument("--visits", type=int, default=15)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        baseline = Path(scratch) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", str(baseline), args.baseline], cwd=ROOT, check=True)
        try:
            with (
                app_process(cwd=baseline) as (_, old_url),
                app_process() as (_, new_url),
                sync_playwright() as playwright,
            ):
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
                times = {"baseline": [], "this checkout": []}
                for url in (old_url, new_url):  # one warm-up visit each (first imports, first compile)
                    visit(browser, url)
                for _ in range(args.visits):  # in turn, so both see the same machine
                    times["baseline"].append(visit(browser, old_url))
                    times["this checkout"].append(visit(browser, new_url))
                browser.close()
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT, check=False)
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"first MNIST grid on screen, median of {args.visits} fresh pages each:")
    for name, values in times.items():
        print(f"  {name:14s} {medians[name]:7.0f} ms  (min {min(values):.0f}, max {max(values):.0f})")
    print(f"  ratio this checkout / baseline ({args.baseline}): {medians['this checkout'] / medians['baseline']:.2f}")


if __name__ == "__main__":
    main()
