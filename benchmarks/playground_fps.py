"""Playground smoothness: training steps/s and plot updates/s while playing, seen from a real browser.

    python -m benchmarks.playground_fps [--seconds 10] [--objective wgan-gp] [--screenshots DIR]

Launches the app, opens the Playground in headless Chromium, presses Play and counts, over the
window, how many new plot images the page received and how far the step counter moved (and, with
--screenshots, saves the page mid-training and after Pause). Also prints
the in-process cost of one render and of one training step with the default settings.
"""

from __future__ import annotations

import argparse
import re
import time

from gandemo.playground import Playground, PlaygroundSettings

from .chromium import CHROMIUM, FLAGS


def in_process(objective: str) -> None:
    session = Playground(PlaygroundSettings(objective=objective))
    session.train(5)  # warm-up
    start = time.perf_counter()
    session.train(50)
    step_ms = 1000 * (time.perf_counter() - start) / 50
    start = time.perf_counter()
    for _ in range(20):
        session.render()
    render_ms = 1000 * (time.perf_counter() - start) / 20
    print(f"in process ({objective}, default settings): one step {step_ms:.1f} ms, one render {render_ms:.1f} ms")


def in_browser(objective: str, seconds: float, screenshots: str | None = None) -> None:
    from playwright.sync_api import sync_playwright

    from app import build_demo, serve
    from gandemo.showroom import Showroom

    demo = build_demo(Showroom("checkpoints", device="cpu"))
    serve(demo, prevent_thread_lock=True, quiet=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            page = browser.new_page()
            page.goto(demo.local_url)
            page.get_by_role("tab", name="Playground").click()
            page.get_by_label(objective, exact=True).check()
            page.locator("#reset").click()
            page.wait_for_selector("#playground-plot img")
            page.evaluate(
                """() => { window.__updates = 0; const seen = new Set();
                new MutationObserver(() => { const img = document.querySelector('#playground-plot img');
                  if (img && !seen.has(img.src)) { seen.add(img.src); window.__updates++; } })
                .observe(document.body, {subtree: true, childList: true, attributes: true}); }"""
            )
            page.locator("#play").click()
            page.wait_for_timeout(3000)  # settle into the loop

            def step() -> int:
                match = re.search(r"step (\d+)", page.locator("#playground-stats").inner_text())
                return int(match.group(1)) if match else 0

            updates, steps, start = page.evaluate("window.__updates"), step(), time.perf_counter()
            page.wait_for_timeout(seconds * 1000)
            elapsed = time.perf_counter() - start
            updates, steps = page.evaluate("window.__updates") - updates, step() - steps
            if screenshots:
                page.screenshot(path=f"{screenshots}/playground-{objective}-playing.png", full_page=True)
            page.locator("#pause").click()
            if screenshots:
                paused = "() => !document.querySelector('#playground-stats').innerText.includes('playing')"
                page.wait_for_function(paused)
                page.wait_for_timeout(1000)
                page.screenshot(path=f"{screenshots}/playground-{objective}-paused.png", full_page=True)
            browser.close()
        print(f"in the browser ({objective}): {updates / elapsed:.1f} plot updates/s, {steps / elapsed:.0f} steps/s")
    finally:
        demo.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--objective", nargs="+", default=["wgan-gp", "gan"])
    parser.add_argument("--screenshots", help="save page screenshots into this folder")
    args = parser.parse_args()
    for objective in args.objective:
        in_process(objective)
        in_browser(objective, args.seconds, args.screenshots)


if __name__ == "__main__":
    main()
