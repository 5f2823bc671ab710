"""The browser's trainer on MNIST MLPs in one Chromium page: steps/s of candidate digits models, trained on the
shipped subset (web/data) with the matrix products on TensorFlow.js's wasm backend (runtime/products.js, its rule),
with the multiply-adds per second each reaches beside the backend's own matMul peak, measured in the same page.

    python -m benchmarks.digits_speed [--seconds 8] [--js]

Steps/s: a runtime/trainer.js Trainer with runtime/digits-data.js's seeded draws trains for --seconds after two
warm-up steps, one thread. --js also runs each case on plain JavaScript products (the old path).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from benchmarks.chromium import CHROMIUM, FLAGS
from benchmarks.server import ROOT
from benchmarks.trainer_speed import PEAK, say, serve
from gandemo.core.objectives import table
from gandemo.ui import browser

MNIST = {"arch": "mlp", "data": "mnist", "activation": "leaky_relu", "embed_dim": 10, "d_pack": 1}
SHIPPED_GAN = json.loads((ROOT / "checkpoints" / "gan" / "config.json").read_text(encoding="utf-8"))["model"]
CASES = {  # label -> (model, objective, batch)
    "G 64-256-784, D 784-256-1, batch 64, gan": ({"latent_dim": 64, "g_hidden": [256], "d_hidden": [256]}, "gan", 64),
    "the same with labels (CGAN), gan": (
        {"latent_dim": 64, "g_hidden": [256], "d_hidden": [256], "num_classes": 10},
        "gan",
        64,
    ),
    "the same, wgan-gp (5 critic steps)": ({"latent_dim": 64, "g_hidden": [256], "d_hidden": [256]}, "wgan-gp", 64),
    "G 64-128-256-784, D 784-256-128-1, batch 64, gan": (
        {"latent_dim": 64, "g_hidden": [128, 256], "d_hidden": [256, 128]},
        "gan",
        64,
    ),
    "the same with generator BatchNorm, gan": (
        {"latent_dim": 64, "g_hidden": [128, 256], "d_hidden": [256, 128], "g_batchnorm": True},
        "gan",
        64,
    ),
    "the same, BatchNorm, with labels (CGAN), gan": (
        {"latent_dim": 64, "g_hidden": [128, 256], "d_hidden": [256, 128], "g_batchnorm": True, "num_classes": 10},
        "gan",
        64,
    ),
    "G 64-256-512-784, D 784-512-256-1, batch 64, gan": (
        {"latent_dim": 64, "g_hidden": [256, 512], "d_hidden": [512, 256]},
        "gan",
        64,
    ),
    "G 64-256-784, D 784-256-1, batch 32, gan": ({"latent_dim": 64, "g_hidden": [256], "d_hidden": [256]}, "gan", 32),
    "shipped gan's networks (BatchNorm, dropout 0.4), batch 64": (SHIPPED_GAN, "gan", 64),
}

SETUP = """async ({ vendor, runtime, data }) => {
  const { startTensorFlow } = await import(runtime + "tfjs.js");
  await startTensorFlow(vendor, ["wasm"]);
  const digitsData = await import(runtime + "digits-data.js");
  window.bench = {
    products: await import(runtime + "products.js"),
    trainer: await import(runtime + "trainer.js"),
    playground: await import(runtime + "playground.js"),
    digits: await digitsData.loadDigits(data),
  };
  return { backend: tf.getBackend(), simd: await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT") };
}"""

TRAIN = """async ({ model, objective, batch, seconds, wasm }) => {
  const { products, trainer, playground, digits } = window.bench;
  const conditional = model.num_classes > 0;
  const inner = wasm ? products.tfProducts(tf) : products.JS_PRODUCTS;
  let macs = 0;
  const counted = {
    name: inner.name,
    affine: (x, n, ins, w, outs, b, a) => ((macs += n * ins * outs), inner.affine(x, n, ins, w, outs, b, a)),
    affineBack: (d, x, n, ins, w, outs, gw, gb, dx) => (
      (macs += n * ins * outs * (gw ? 2 : 1)), inner.affineBack(d, x, n, ins, w, outs, gw, gb, dx)
    ),
    outerSum: (d, u, n, ins, outs, gw) => ((macs += n * ins * outs), inner.outerSum(d, u, n, ins, outs, gw)),
  };
  const options = { g_lr: 2e-4, d_lr: 2e-4, critic_steps: objective.critic_steps, gp_weight: 10, batch_size: batch };
  const t = new trainer.Trainer(model, objective, options, counted);
// seeded draws for these runs: the Playground's (runtime/playground.js), the subset's digits in order
const seeded = new playground.Draws(0);
let taken = 0;
const draws = {
  real: (_c, n) => {
    const { images, labels, count, size } = digits;
    const batch = { images: new Float32Array(n * size), labels: conditional ? new Int32Array(n) : null };
    for (let i = 0; i < n; i++, taken++) {
      const k = taken % count;
      for (let j = 0; j < size; j++) batch.images[i * size + j] = images[k * size + j] / 127.5 - 1;
      if (batch.labels) batch.labels[i] = labels[k];
    }
    return batch;
  },
  latents: (n, dim) => seeded.latents(n, dim),
  alphas: (n) => seeded.alphas(n),
  dropout: (n) => seeded.uniforms("init", n),
};
const [uniform, normal] = [(n) => seeded.uniforms("init", n), (n) => seeded.latents(1, n)];
  for (const net of [t.generator, t.critic]) net.initialise(uniform, normal);
  t.train(draws);
  t.train(draws);
  const [before, started] = [t.step, performance.now()];
  macs = 0;
  while (performance.now() - started < 1000 * seconds || t.step - before < 3) t.train(draws);
  const elapsed = (performance.now() - started) / 1000;
  return { steps: (t.step - before) / elapsed, macs: macs / elapsed, perStep: macs / (t.step - before) };
}"""


def measure(args) -> None:
    from playwright.sync_api import sync_playwright

    def url(path: Path) -> str:
        return "/" + "/".join(path.resolve().relative_to(ROOT).parts)

    objectives = table()
    with serve(ROOT) as origin, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = chromium.new_page()
        page.goto(origin + "/benchmarks/README.md")
        web = url(browser.WEB)
        paths = {"vendor": url(browser.VENDOR) + "/", "runtime": web + "/runtime/", "data": web + "/data/"}
        say(f"backend: {page.evaluate(SETUP, paths)}")
        peak = page.evaluate(PEAK, 3)
        say(f"wasm matMul peak (1024^3, this page): {peak / 1e9:.2f} G multiply-adds/s")
        head = f"{'case':60s} {'M MAC/step':>10s} {'steps/s':>8s} {'G/s':>5s} {'of peak':>7s}"
        say(head + "  JS steps/s" * args.js)
        for label, (model, objective, batch) in CASES.items():
            job = {"model": {**MNIST, **model}, "objective": objectives[objective], "batch": batch}
            job["seconds"] = args.seconds
            new = page.evaluate(TRAIN, {**job, "wasm": True})
            line = (
                f"{label:60s} {new['perStep'] / 1e6:10.1f} {new['steps']:8.2f} {new['macs'] / 1e9:5.2f} "
                f"{new['macs'] / peak:7.0%}"
            )
            if args.js:
                line += f"  {page.evaluate(TRAIN, {**job, 'wasm': False})['steps']:10.2f}"
            say(line)
        chromium.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8, help="training time per case")
    parser.add_argument("--js", action="store_true", help="also train each case on plain JavaScript products")
    measure(parser.parse_args())


if __name__ == "__main__":
    main()
