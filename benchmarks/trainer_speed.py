"""The Playground's trainer in Chromium, its matrix products all in plain JavaScript (the old path), as another
commit's runtime/products.js ran them (--against), and as the Playground runs them now (TensorFlow.js's wasm
backend from WASM_FROM multiply-adds per product up, plain JavaScript below), with the multiply-adds per second
each reaches beside the wasm backend's own matMul peak, measured in the same page. The pages are cross-origin
isolated, as the app serves them: the first runs the single-thread wasm build, a second its threaded build on
--threads threads.

    python -m benchmarks.trainer_speed [--seconds 8] [--rounds 1] [--threads 2] [--against COMMIT] [--rule]

Steps/s: a Playground session (runtime/playground.js, what its worker trains, without drawing frames) trains for
--seconds after two warm-up steps, in --rounds interleaved rounds (the best kept). Multiply-adds: every product
the step runs, counted as it runs. Peak: a 1024 x 1024 by 1024 x 1024 tf.matMul on tensors already in the
backend, read back each time. --rule also times single products both ways at sizes around WASM_FROM (the
measurement the rule was set by).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import subprocess
import threading
from pathlib import Path

from benchmarks.chromium import CHROMIUM, FLAGS
from benchmarks.server import ROOT, free_port
from gandemo.core import settings
from gandemo.service.serving import ISOLATION_HEADERS
from gandemo.service.showroom import Showroom
from gandemo.ui import browser

DEFAULTS = {key: s["default"] for key, s in settings.table()["playground"].items()}
CASES = {  # label -> (settings over the Playground's defaults, the checkpoint it starts from or None)
    "2-D defaults (32 x 2, batch 64, WGAN-GP, 5 critic steps)": ({}, None),
    "128 x 3, batch 256 (WGAN-GP, 5 critic steps)": ({"width": 128, "depth": 3, "batch": 256}, None),
    "from toy-gan (400 x 3, pack 2, batch 64, GAN)": ({}, "toy-gan"),
    "from toy-wgan-gp (400 x 3, batch 64, WGAN-GP, 5 critic)": ({}, "toy-wgan-gp"),
}

SETUP = """async ({ vendor, runtime, ref, threads }) => {
  const { startTensorFlow } = await import(runtime + "tfjs.js");
  await startTensorFlow(vendor, ["wasm"], { threads });
  window.bench = {
    products: await import(runtime + "products.js"),
    playground: await import(runtime + "playground.js"),
    checkpoint: await import(runtime + "checkpoint.js"),
    ref: ref ? await import(ref) : null,
  };
  const threaded = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
  return { backend: tf.getBackend(), threads: threaded ? tf.wasm.getThreadsCount() : 1, isolated: crossOriginIsolated };
}"""

PEAK = """async (seconds) => {
  const n = 1024;
  const [a, b] = [tf.randomNormal([n, n]), tf.randomNormal([n, n])];
  let reps = 0;
  const started = performance.now();
  while (performance.now() - started < 1000 * seconds || reps < 3) {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
    reps++;
  }
  tf.dispose([a, b]);
  return (reps * n * n * n) / ((performance.now() - started) / 1000);
}"""

# one case, one path: steps/s and multiply-adds/s of a session trained for `seconds`
TRAIN = """async ({ settings, tables, model, names, seconds, path }) => {
  const { products, playground, checkpoint } = window.bench;
  let start = null;
  if (model) {
    const files = { generator: `${model.name}/${names.weights}`, critic: `${model.name}/${names.discriminator}` };
    const [{ config, tensors }, critic] = await Promise.all([
      checkpoint.loadCheckpoint(model, model.name, names),
      checkpoint.loadTensors(model.discriminator, files.critic),
    ]);
    start = { name: model.name, config, generator: tensors, critic, files };
  }
  const inner = path === "js" ? products.JS_PRODUCTS : (path === "ref" ? window.bench.ref : products).tfProducts(tf);
  let macs = 0;
  const counted = {
    affine: (x, n, ins, w, outs, b, a) => ((macs += n * ins * outs), inner.affine(x, n, ins, w, outs, b, a)),
    affineBack: (d, x, n, ins, w, outs, gw, gb, dx) => (
      (macs += n * ins * outs * (gw ? 2 : 1)), inner.affineBack(d, x, n, ins, w, outs, gw, gb, dx)
    ),
    outerSum: (d, u, n, ins, outs, gw) => ((macs += n * ins * outs), inner.outerSum(d, u, n, ins, outs, gw)),
  };
  const session = new playground.Session(settings, tables, start, counted);
  session.train(2);
  const [before, started] = [session.step, performance.now()];
  macs = 0;
  while (performance.now() - started < 1000 * seconds || session.step - before < 3) session.train(1);
  const elapsed = (performance.now() - started) / 1000;
  return { steps: (session.step - before) / elapsed, macs: macs / elapsed, perStep: macs / (session.step - before) };
}"""

# one product both ways (the rule's measurement): microseconds per call of affine and of affineBack with gw
PRODUCT = """async ({ n, ins, outs, seconds }) => {
  const { products } = window.bench;
  const random = (k) => Float32Array.from({ length: k }, () => Math.random() - 0.5);
  const [x, w, b, d] = [random(n * ins), random(ins * outs), random(outs), random(n * outs)];
  const time = (f) => {
    for (let i = 0; i < 5; i++) f();
    let reps = 0;
    const started = performance.now();
    while (performance.now() - started < 1000 * seconds) (f(), reps++);
    return (1000 * (performance.now() - started)) / reps;
  };
  const row = {};
  for (const [name, p] of [["js", products.JS_PRODUCTS], ["wasm", products.tfProducts(tf, 0)]]) {
    const a = new Float32Array(n * outs);
    row[name] = [
      time(() => p.affine(x, n, ins, w, outs, b, a)),
      time(() => p.affineBack(d, x, n, ins, w, outs, new Float64Array(ins * outs), new Float64Array(outs),
        new Float32Array(n * ins))),
    ];
  }
  return row;
}"""
PRODUCT_SIZES = [(32, 8, 16), (64, 2, 32), (32, 16, 16), (64, 16, 16), (64, 16, 32), (64, 32, 32), (256, 32, 32)]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm"}

    def end_headers(self) -> None:  # (cross-origin isolated, as the app serves: the threaded wasm may run)
        for name, value in ISOLATION_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve(root: Path):
    """This checkout's files over HTTP on a free port (modules and wasm need an origin)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), functools.partial(_Quiet, directory=root))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def measure(args) -> None:
    from playwright.sync_api import sync_playwright

    def url(path: Path) -> str:
        return "/" + "/".join(path.resolve().relative_to(ROOT).parts)

    site = browser.site(Showroom(ROOT / "checkpoints", device="cpu", preload=False), url)
    tables = {k: site["playground"][k] for k in ("objectives", "targets", "alarm")}
    base = {**DEFAULTS, "objective": "wgan-gp", "target": tables["targets"]["default"], "points": None}
    with serve(ROOT) as origin, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        pages = {"": opened(chromium, origin, url, args.against, 1)}
        if args.threads > 1:
            pages[f" {args.threads}T"] = opened(chromium, origin, url, None, args.threads)
        paths = [("JS", "", "js"), *([(args.against, "", "ref")] if args.against else []), ("wasm", "", "wasm")]
        paths += [(f"wasm{key}", key, "wasm") for key in pages if key]
        say(
            f"{'case':55s} {'M MAC/step':>10s}"
            + "".join(f" {name + ' steps/s':>14s} {'G/s':>5s}" for name, *_ in paths)
        )
        for label, (change, start) in CASES.items():
            model = {**site["models"][start], "name": start} if start else None
            job = {"settings": {**base, **change}, "tables": tables, "model": model, "seconds": args.seconds}
            job["names"] = site["files"]
            rows = [None] * len(paths)
            for _ in range(args.rounds):  # (interleaved; the best round of each is the least disturbed by others)
                for i, (_, key, path) in enumerate(paths):
                    row = pages[key].evaluate(TRAIN, {**job, "path": path})
                    rows[i] = row if rows[i] is None or row["steps"] > rows[i]["steps"] else rows[i]
            figures = "".join(f" {row['steps']:14.2f} {row['macs'] / 1e9:5.2f}" for row in rows)
            say(f"{label:55s} {rows[-1]['perStep'] / 1e6:10.1f}{figures}")
        page = pages[""]
        if args.rule:
            say(f"{'product (n x in x out)':26s} {'MAC':>7s} {'affine JS/wasm us':>18s} {'back JS/wasm us':>16s}")
            for n, ins, outs in PRODUCT_SIZES:
                row = page.evaluate(PRODUCT, {"n": n, "ins": ins, "outs": outs, "seconds": 0.5})
                (fj, bj), (fw, bw) = row["js"], row["wasm"]
                say(f"{f'{n} x {ins} x {outs}':26s} {n * ins * outs:7d} {fj:8.0f} /{fw:8.0f} {bj:7.0f} /{bw:7.0f}")
        chromium.close()


def opened(chromium, origin: str, url, against: str | None, threads: int):
    """A page with TensorFlow.js started on wasm (`threads` 1: the single-thread build; more: the threaded build on
    that many, the page being cross-origin isolated; TensorFlow.js allows half navigator.hardwareConcurrency, so
    the page reports twice as many cores to it), and `against`'s products.js beside this checkout's; its peak said."""
    page = chromium.new_page()
    if threads > 1:
        page.add_init_script(f"Object.defineProperty(navigator, 'hardwareConcurrency', {{ value: {2 * threads} }})")
    page.goto(origin + "/benchmarks/README.md")
    if against:  # (products.js imports nothing: the other commit's file alone is its whole path)
        old = subprocess.run(
            ["git", "show", f"{against}:gandemo/web/runtime/products.js"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        page.route("**/against/products.js", lambda route: route.fulfill(body=old, content_type="text/javascript"))
    setup = {"vendor": url(browser.VENDOR) + "/", "runtime": url(browser.WEB) + "/runtime/", "threads": threads}
    setup["ref"] = origin + "/against/products.js" if against else None
    say(f"backend: {page.evaluate(SETUP, setup)}")
    peak = page.evaluate(PEAK, 3)
    say(f"wasm matMul peak (1024^3, this page, {threads} thread(s)): {peak / 1e9:.2f} G multiply-adds/s")
    return page


def say(line: str) -> None:
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8, help="training time per case and path")
    parser.add_argument("--rule", action="store_true", help="also time single products around WASM_FROM")
    parser.add_argument("--rounds", type=int, default=1, help="rounds per case and path, interleaved: the best is kept")
    parser.add_argument("--threads", type=int, default=2, help="also run the threaded wasm build on this many threads")
    parser.add_argument("--against", metavar="COMMIT", help="also run that commit's products.js, in the same page")
    measure(parser.parse_args())


if __name__ == "__main__":
    main()
