"""Inversion speed: how long the Draw a digit tab takes to find a digit's closest picture in each MNIST model, in
the page (TensorFlow.js, wasm backend, one thread) and in PyTorch (one thread, as /invert runs it), on the same
real test digits, with the distances each found.

    python -m benchmarks.inversion_speed [--digits 3] [--models gan cgan] [--data-dir DIR]

Each model is loaded and run once before timing (first fetch, first compile). The conditional model tries the
three likeliest digits (here: the digit's own label and the next two), so it runs three times the rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import torch

from benchmarks.chromium import CHROMIUM, FLAGS
from benchmarks.server import ROOT, app_process

INVERT_IN_PAGE = """async ([name, digit, labels]) => {
  const web = document.querySelector('[data-web]').dataset.web;
  const { pageRuntime, pageSite } = await import(web + 'widgets/view.js');
  const { invert } = await import(web + 'runtime/inversion.js');
  const runtime = pageRuntime(pageSite());
  const g = await runtime.generator(name);
  const start = performance.now();
  const found = await invert(runtime.tf, g, digit, pageSite().inversion, labels);
  return [performance.now() - start, found.distance, runtime.backend];
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--digits", type=int, default=3)
    parser.add_argument("--models", nargs="+", default=["gan", "cgan", "dcgan", "wgan-gp"], help="which to time")
    parser.add_argument("--data-dir", default=os.environ.get("GANDEMO_TEST_MNIST"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from gandemo.core.checkpoints import load_checkpoint
    from gandemo.core.data import load_mnist
    from gandemo.measures.inversion import invert_many

    torch.set_num_threads(1)
    images, labels = load_mnist(args.data_dir, split="test")
    names = [n for n in args.models if (ROOT / "checkpoints" / n / "model.safetensors").is_file()]
    with app_process() as (_, url), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page()
        page.goto(f"{url}?tab=probe")
        page.wait_for_selector("#probe-pad", timeout=60_000)
        for name in names:
            generator = load_checkpoint(ROOT / "checkpoints" / name, device="cpu").generator
            conditional = bool(generator.config.num_classes)
            times = {"page": [], "torch": []}
            for i in range(-1, args.digits):  # (digit -1: the warm-up)
                digit = images[max(i, 0), 0].float().div(255).flatten()
                tried = [(int(labels[max(i, 0)]) + k) % 10 for k in range(3)] if conditional else None
                ms, page_distance, backend = page.evaluate(INVERT_IN_PAGE, [name, digit.tolist(), tried])
                start = time.perf_counter()
                found = invert_many(generator, digit[None], None if tried is None else [tried])[0]
                if i >= 0:
                    times["page"].append(ms)
                    times["torch"].append(1000 * (time.perf_counter() - start))
                    print(
                        f"  {name} digit {i}: distance {page_distance:.4f} in the page, {found['distance']:.4f} torch"
                    )
            print(
                f"{name:8s} page ({backend}) {statistics.median(times['page']):7.0f} ms, "
                f"torch {statistics.median(times['torch']):7.0f} ms (medians of {args.digits} digits)"
            )
        browser.close()


if __name__ == "__main__":
    main()
