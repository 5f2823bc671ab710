"""The browser's trainer (``gandemo/web/runtime/trainer.js``) against ``gandemo.core.training.gan_step``: from the
same initial weights and the same batches and random draws (written here, by Python), both take 20 steps of
every objective and must agree on each step's losses and on the weights at the end."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from gandemo.core import targets
from gandemo.core.models import ModelConfig, build_discriminator, build_generator
from gandemo.core.objectives import OBJECTIVES, table
from gandemo.core.training import gan_step
from tests.conftest import ROOT
from tests.node_helpers import run_module, wasm_prelude

STEPS = 20
# The browser keeps float32 weights and sums gradients in float64; the reference runs in float64. Its matrix
# products run in plain JavaScript (float64 sums, rounded) or on the wasm backend (float32 sums, ~6e-8 relative
# per term, over sums of at most a batch's rows here). Measured after 20 steps, every case: JavaScript within
# 3e-7 (weights) and 3e-7 (losses, relative or absolute below 1); wasm within 2.7e-7 and 3.4e-7. Adam's
# normalised step hides a gradient's small relative error, and a bias's gradient (where a sum can cancel to 0)
# stays a float64 sum on both paths.
TOLERANCES = {"js": (1e-6, 1e-6), "wasm": (1e-6, 1e-6)}  # (weights, losses)

CASES = [  # (objective, width, depth, activation, pack, critic steps, penalty weight)
    *[(name, 16, 2, "relu", 1, OBJECTIVES[name].critic_steps, 1.0) for name in OBJECTIVES],
    ("gan", 12, 3, "leaky_relu", 2, 1, 0.0),  # toy-gan's packed critic
    ("wgan-gp", 12, 1, "leaky_relu", 2, 3, 0.1),
    # wide enough for the rule (WASM_FROM) to mix the two ways: 32 x 32 on the wasm backend, 2 x 32 in JavaScript
    ("gan-gp", 32, 2, "relu", 1, 1, 1.0),
]


def _run_node(script: str, fixture: dict) -> dict:
    return run_module("trainer", "trainer", wasm_prelude() + script, stdin=json.dumps(fixture))


REPLAY = (
    f"import {{ tfProducts }} from {json.dumps((ROOT / 'gandemo' / 'web' / 'runtime' / 'products.js').as_uri())};"
    + """
const fixture = JSON.parse(readFileSync(0, "utf8"));
// plain JavaScript (null), every product on the wasm backend (0), or the rule's choice ("rule")
const from = fixture.wasmFrom === "rule" ? undefined : fixture.wasmFrom;
const products = fixture.wasmFrom === null ? undefined : tfProducts(globalThis.tf, from);
const t = new trainer.Trainer(fixture.model, fixture.objective, fixture.options, products);
const load = (net, weights) =>
  net.load(Object.fromEntries(Object.entries(weights).map(([name, data]) => [name, { data }])), "the fixture");
load(t.generator, fixture.generator);
load(t.critic, fixture.critic);
const losses = [];
for (const step of fixture.steps) {
  let [latent, alpha, drop] = [0, 0, 0];
  const draws = {
    real: (c) =>
      step.labels
        ? { images: Float32Array.from(step.real[c]), labels: step.labels[c] && Int32Array.from(step.labels[c]) }
        : Float32Array.from(step.real[c]),
    latents: () => Float32Array.from(step.latents[latent++]),
    alphas: () => Float32Array.from(step.alphas[alpha++]),
    dropout: (count) => {
      const u = step.dropout[drop++];
      if (u.length !== count) throw new Error(`dropout draw ${drop - 1}: ${count} numbers asked, ${u.length} drawn`);
      return Float32Array.from(u);
    },
  };
  losses.push(t.train(draws));
}
const dump = (net) => Object.fromEntries(net.tensors().map(([name, values]) => [name, Array.from(values, Number)]));
console.log(JSON.stringify({ losses, generator: dump(t.generator), critic: dump(t.critic) }));
"""
)


def _case(*case):
    before = torch.get_default_dtype()
    # the reference runs in float64: where a gradient cancels to zero in exact arithmetic (a WGAN critic's bias
    # on a unit every point activates), float32 leaves ~1e-8 of rounding, which Adam scales up to a full step
    torch.set_default_dtype(torch.float64)
    try:
        return _reference(*case)
    finally:
        torch.set_default_dtype(before)


def _reference(objective, width, depth, activation, pack, critic_steps, gp_weight, *, batch=32, seed=3):
    config = ModelConfig(
        arch="mlp",
        data="8gaussians",
        latent_dim=2,
        activation=activation,
        g_hidden=(width,) * depth,
        d_hidden=(width,) * depth,
        d_pack=pack,
    )
    torch.manual_seed(seed)
    generator, critic = build_generator(config), build_discriminator(config)
    weights = {
        "generator": {k: v.flatten().tolist() for k, v in generator.state_dict().items()},
        "critic": {k: v.flatten().tolist() for k, v in critic.state_dict().items()},
    }
    entry = OBJECTIVES[objective]
    opt_g = torch.optim.Adam(generator.parameters(), lr=1e-3, betas=entry.betas)
    opt_d = torch.optim.Adam(critic.parameters(), lr=2e-3, betas=entry.betas)
    steps, python_losses = [], []
    for step in range(STEPS):
        draws = range(step * critic_steps, (step + 1) * critic_steps)
        real = [torch.from_numpy(targets.sample("8 Gaussians", seed, batch, draw=d)).double() for d in draws]
        rng = torch.Generator().manual_seed(1000 + step)
        replay = torch.Generator().manual_seed(1000 + step)  # the same draws, in gan_step's order, for JavaScript
        latents, alphas = [], []
        for _ in range(critic_steps):
            latents.append(torch.randn(batch, 2, generator=replay).flatten().tolist())
            if entry.gradient_penalty:
                alphas.append(torch.rand(batch, 1, generator=replay).flatten().tolist())
        if critic_steps > 1:
            latents.append(torch.randn(batch, 2, generator=replay).flatten().tolist())
        out = gan_step(
            generator,
            critic,
            opt_g,
            opt_d,
            lambda c, real=real: (real[c], None),
            objective=objective,
            critic_steps=critic_steps,
            gp_weight=gp_weight,
            rng=rng,
        )
        python_losses.append({k: float(v) for k, v in out.items()})
        steps.append({"real": [r.flatten().tolist() for r in real], "latents": latents, "alphas": alphas})
    fixture = {
        "model": config.to_dict(),
        "objective": table()[objective],
        "options": {
            "g_lr": 1e-3,
            "d_lr": 2e-3,
            "critic_steps": critic_steps,
            "gp_weight": gp_weight,
            "batch_size": batch,
        },
        "steps": steps,
        **weights,
    }
    return fixture, python_losses, generator, critic


# the products: all in JavaScript, all on the wasm backend (from 0 multiply-adds), or as the rule picks them
PATHS = {"js": None, "wasm": 0, "rule": "rule"}


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{c[3]}-pack{c[4]}" for c in CASES])
def test_the_browser_trainer_takes_the_steps_gan_step_takes(case, path):
    fixture, python_losses, generator, critic = _case(*case)
    js = _run_node(REPLAY, {**fixture, "wasmFrom": PATHS[path]})
    weight_tolerance, loss_tolerance = TOLERANCES["js" if path == "js" else "wasm"]
    for step, (mine, theirs) in enumerate(zip(js["losses"], python_losses, strict=True)):
        assert set(mine) == set(theirs), step
        for key, value in theirs.items():
            assert mine[key] == pytest.approx(value, rel=loss_tolerance, abs=loss_tolerance), (step, key)
    for name, net in (("generator", generator), ("critic", critic)):
        for key, tensor in net.state_dict().items():
            got = np.array(js[name][key], dtype=np.float32)
            moved = np.abs(tensor.flatten().numpy() - np.array(fixture[name][key])).max()
            assert moved > 10 * weight_tolerance or key.endswith("bias"), (name, key)  # training changed it
            assert np.abs(got - tensor.flatten().numpy()).max() <= weight_tolerance, (name, key)


def test_the_runtime_loads_the_tensorflow_the_app_serves():
    """The runtime and the workers start TensorFlow.js from the folder the site names (runtime/tfjs.js, given
    gandemo/ui/browser.py's VENDOR): no module names a version, and the folder has the files tfjs.js loads."""
    from gandemo.ui import browser

    for module in (ROOT / "gandemo" / "web").rglob("*.js"):
        if browser.WEB / "vendor" not in module.parents:
            assert "tfjs-" not in module.read_text(encoding="utf-8"), module
    for file in ("tf-core.min.js", "tf-backend-cpu.min.js", "tf-backend-wasm.min.js", "tfjs-backend-wasm-simd.wasm"):
        assert (browser.VENDOR / file).is_file(), file


# ---- the MNIST networks (part of the digits tab): tiny widths, real digits from the subset the browser ships -----
MNIST_STEPS = 8
# (objective, labels, generator BatchNorm, critic dropout, critic steps, penalty weight): every objective with and
# without labels; the shipped gan/cgan's BatchNorm generator and dropout critic (dropout masks drawn by Python's
# models.Dropout, recorded and fed to JavaScript in the same order)
MNIST_CASES = [
    *[(name, labels, False, 0.0, OBJECTIVES[name].critic_steps, 10.0) for name in OBJECTIVES for labels in (0, 10)],
    ("gan", 10, True, 0.4, 1, 10.0),
    ("gan", 0, True, 0.4, 1, 10.0),
    ("wgan-gp", 10, False, 0.4, 2, 10.0),  # the penalty through dropout's masks
]
# Tolerances for float32 products: the reference runs in float64; JavaScript keeps float32 weights and sums its
# products in float64 (JS) or float32 (wasm: ~6e-8 relative per term, over sums of up to 784 pixels). Measured after
# 8 steps, every case and path: weights within 6.4e-6 (lsgan without labels: a first-layer critic weight on a pixel
# that is background, -1, in every real digit of the batch, so its gradient is a near-cancelling sum whose float32
# rounding Adam's normalised step magnifies; every other case within 1.8e-6), losses within 1.2e-6 (wgan-gp: its
# penalty's norms sum 784 squared gradients). A BatchNorm's backward and its statistics stay in float64, since the
# Linear before it has a bias gradient that cancels to zero exactly. Set at about 3x and 4x the worst.
MNIST_TOLERANCES = {"js": (2e-5, 5e-6), "wasm": (2e-5, 5e-6)}  # (weights, losses)


def _digits(n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The first n digits of the shipped subset as the trainer sees them: images in [-1, 1], labels."""
    import gzip

    info = json.loads((ROOT / "gandemo" / "web" / "data" / "mnist-digits.json").read_text(encoding="utf-8"))
    payload = gzip.decompress((ROOT / "gandemo" / "web" / "data" / info["file"]).read_bytes())
    count = info["count"]
    labels = torch.tensor(list(payload[:n]), dtype=torch.int64)
    images = torch.frombuffer(bytearray(payload[count : count + n * 784]), dtype=torch.uint8)
    return images.reshape(n, 1, 28, 28).double().div(127.5).sub(1.0), labels


def _recording_dropout(record: list):
    """models.Dropout's forward, its uniform numbers kept in ``record`` (in the order the networks draw them)."""

    def forward(self, x):
        if not self.training or not 0 < self.p < 1:
            return x
        u = torch.rand_like(x, dtype=torch.float32)
        record.append(u.flatten().tolist())
        return x * u.ge(self.p).mul(1 / (1 - self.p)).to(x.dtype)

    return forward


def _mnist_case(*case):
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)  # as _case
    try:
        return _mnist_reference(*case)
    finally:
        torch.set_default_dtype(before)


def _mnist_reference(objective, classes, batchnorm, dropout, critic_steps, gp_weight, *, batch=8, seed=5):
    from gandemo.core import models

    config = ModelConfig(
        arch="mlp",
        data="mnist",
        latent_dim=6,
        num_classes=classes,
        embed_dim=3,
        activation="leaky_relu",
        g_hidden=(8, 12) if batchnorm else (8,),
        d_hidden=(12, 8),
        g_batchnorm=batchnorm,
        d_dropout=dropout,
    )
    torch.manual_seed(seed)
    generator, critic = build_generator(config), build_discriminator(config)
    state = lambda net: {k: v.flatten().tolist() for k, v in net.state_dict().items()}  # noqa: E731
    weights = {"generator": state(generator), "critic": state(critic)}
    entry = OBJECTIVES[objective]
    opt_g = torch.optim.Adam(generator.parameters(), lr=1e-3, betas=entry.betas)
    opt_d = torch.optim.Adam(critic.parameters(), lr=2e-3, betas=entry.betas)
    images, labels = _digits(MNIST_STEPS * critic_steps * batch)
    steps, python_losses = [], []
    original = models.Dropout.forward
    for step in range(MNIST_STEPS):
        at = [(step * critic_steps + c) * batch for c in range(critic_steps)]
        real = [images[i : i + batch] for i in at]
        given = [labels[i : i + batch] if classes else None for i in at]
        rng, replay = torch.Generator().manual_seed(1000 + step), torch.Generator().manual_seed(1000 + step)
        latents, alphas, record = [], [], []
        for _ in range(critic_steps):
            latents.append(torch.randn(batch, 6, generator=replay).flatten().tolist())
            if entry.gradient_penalty:
                alphas.append(torch.rand(batch, 1, generator=replay).flatten().tolist())
        if critic_steps > 1:
            latents.append(torch.randn(batch, 6, generator=replay).flatten().tolist())
        models.Dropout.forward = _recording_dropout(record)
        try:
            out = gan_step(
                generator,
                critic,
                opt_g,
                opt_d,
                lambda c, real=real, given=given: (real[c], given[c]),
                objective=objective,
                critic_steps=critic_steps,
                gp_weight=gp_weight,
                rng=rng,
            )
        finally:
            models.Dropout.forward = original
        python_losses.append({k: float(v) for k, v in out.items()})
        steps.append(
            {
                "real": [r.flatten().tolist() for r in real],
                "labels": [g.tolist() if g is not None else None for g in given],
                "latents": latents,
                "alphas": alphas,
                "dropout": record,
            }
        )
    fixture = {
        "model": config.to_dict(),
        "objective": table()[objective],
        "options": {"g_lr": 1e-3, "d_lr": 2e-3, "critic_steps": critic_steps, "gp_weight": gp_weight}
        | {"batch_size": batch},
        "steps": steps,
        **weights,
    }
    return fixture, python_losses, generator, critic


def _compare(js, fixture, python_losses, networks, tolerances):
    weight_tolerance, loss_tolerance = tolerances
    worst = {"weights": 0.0, "losses": 0.0}
    for step, (mine, theirs) in enumerate(zip(js["losses"], python_losses, strict=True)):
        assert set(mine) == set(theirs), step
        for key, value in theirs.items():
            worst["losses"] = max(worst["losses"], abs(mine[key] - value) / max(1.0, abs(value)))
            assert mine[key] == pytest.approx(value, rel=loss_tolerance, abs=loss_tolerance), (step, key)
    for name, net in networks:
        for key, tensor in net.state_dict().items():
            got = np.array(js[name][key], dtype=np.float64)
            if key.endswith("num_batches_tracked"):
                assert got.tolist() == [tensor.item()], (name, key)
                continue
            moved = np.abs(tensor.flatten().numpy() - np.array(fixture[name][key])).max()
            assert moved > 10 * weight_tolerance or key.endswith("bias"), (name, key)  # training changed it
            worst["weights"] = max(worst["weights"], np.abs(got - tensor.flatten().numpy()).max())
            assert np.abs(got - tensor.flatten().numpy()).max() <= weight_tolerance, (name, key)
    return worst


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    "case",
    MNIST_CASES,
    ids=[
        f"{c[0]}-{'labels' if c[1] else 'plain'}{'-bn-dropout' if c[2] else '-dropout' if c[3] else ''}"
        for c in MNIST_CASES
    ],
)
def test_the_browser_trainer_takes_gan_steps_on_mnist_networks(case, path):
    fixture, python_losses, generator, critic = _mnist_case(*case)
    js = _run_node(REPLAY, {**fixture, "wasmFrom": PATHS[path]})
    tolerances = MNIST_TOLERANCES["js" if path == "js" else "wasm"]
    _compare(js, fixture, python_losses, (("generator", generator), ("critic", critic)), tolerances)


START = """
import { readFileSync, writeFileSync } from "node:fs";
import { parseSafetensors } from "./checkpoint.js";
import { safetensorsBytes } from "./archive.js";
import { loadDigits } from "./digits-data.js";
import * as playground from "./playground.js";
const job = JSON.parse(readFileSync(0, "utf8"));
const file = (path) => readFileSync(path).buffer.slice(0);
const config = JSON.parse(readFileSync(job.folder + "/config.json", "utf8"));
const t = new trainer.Trainer(config.model, job.objective, job.options);
t.load({ generator: parseSafetensors(file(job.folder + "/model.safetensors"), "model.safetensors") });
const z = Float32Array.from(job.z);
const labels = job.labels && Int32Array.from(job.labels);
const n = job.z.length / config.model.latent_dim;
const before = Array.from(t.generate(z, n, labels));
const digits = await loadDigits("data/", async (url) => new Response(readFileSync(job.data + url.slice(5))));
const conditional = config.model.num_classes > 0;
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
const losses = [t.train(draws), t.train(draws)];
writeFileSync(job.out, safetensorsBytes(t.tensors().generator));
const after = Array.from(t.generate(z, n, labels));
console.log(JSON.stringify({ before, after, losses }));
"""


@pytest.mark.parametrize("name", ["gan", "cgan"])
def test_the_trainer_starts_from_a_shipped_model_and_saves_what_load_generator_loads(name, tmp_path):
    """Start from the shipped gan/cgan (BatchNorm generator; a fresh dropout critic, as the folders hold no
    discriminator): the page draws what Python draws; two steps later the saved weights (BatchNorm statistics and
    counters included) load strictly with gandemo.load_generator and draw what the page draws."""
    import shutil

    from gandemo import load_generator
    from gandemo.core import portable_random

    folder = ROOT / "checkpoints" / name
    if not (folder / "model.safetensors").is_file():
        pytest.skip(f"the shipped {name} checkpoint is not here")
    generator = load_generator(folder, device="cpu")
    z = torch.from_numpy(portable_random.normals(7, 4, generator.config.latent_dim))
    labels = torch.arange(4) if generator.config.num_classes else None
    saved = tmp_path / "saved"
    saved.mkdir()
    shutil.copy(folder / "config.json", saved / "config.json")
    job = {
        "folder": str(folder),
        "data": str(ROOT / "gandemo" / "web" / "data") + "/",
        "out": str(saved / "model.safetensors"),
        "objective": table()["gan"],
        "options": {"g_lr": 2e-4, "d_lr": 2e-4, "critic_steps": 1, "gp_weight": 10.0, "batch_size": 8},
        "z": z.flatten().tolist(),
        "labels": labels.tolist() if labels is not None else None,
    }
    js = run_module(
        "trainer", "trainer", START.replace("./", (ROOT / "gandemo/web/runtime").as_uri() + "/"), stdin=json.dumps(job)
    )
    with torch.no_grad():
        expected = generator(z, labels).flatten().numpy()
        assert np.abs(np.array(js["before"]) - expected).max() < 1e-5
        trained = load_generator(saved, device="cpu")  # strict: every name, shape and dtype of the state_dict
        drawn = trained(z, labels).flatten().numpy()
    assert np.abs(np.array(js["after"]) - drawn).max() < 1e-5
    assert np.abs(drawn - expected).max() > 1e-4  # the two steps changed it
    assert all(np.isfinite([step["d_loss"], step["g_loss"]]).all() for step in js["losses"])


def test_the_app_is_cross_origin_isolated_so_the_trainer_may_run_threaded_wasm(browser, app_url):
    """The app sends the two headers on every response (the page's and the worker's scripts alike), so the
    Playground's worker may share memory between threads: it starts TensorFlow.js's threaded wasm build where
    that runs 2 threads or more (half the logical cores), the single-thread build elsewhere."""
    page = browser.new_page()
    headers = {}
    page.on("response", lambda r: headers.setdefault(r.url.rsplit("/", 1)[-1], r.headers))
    page.goto(f"{app_url}?tab=playground")
    page.wait_for_function("() => document.getElementById('playground')?.dataset.step === '0'", timeout=60_000)
    assert page.evaluate("() => crossOriginIsolated")
    for name in ("playground-worker.js", "tfjs.js", "tf-backend-wasm.min.js"):
        assert headers[name]["cross-origin-opener-policy"] == "same-origin", name
        assert headers[name]["cross-origin-embedder-policy"] == "require-corp", name
    worker = next(w for w in page.workers if w.url.endswith("/playground-worker.js"))
    started = worker.evaluate(
        """async () => ({ isolated: crossOriginIsolated, backend: tf.getBackend(), cores: navigator.hardwareConcurrency,
          threaded: await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"),
          wasm: performance.getEntriesByType("resource").map((e) => e.name).filter((n) => n.endsWith(".wasm")) })"""
    )
    threaded = started["cores"] >= 4
    assert started["isolated"] and started["backend"] == "wasm" and started["threaded"] == threaded
    build = "tfjs-backend-wasm-threaded-simd.wasm" if threaded else "tfjs-backend-wasm-simd.wasm"
    assert [url.rsplit("/", 1)[-1] for url in started["wasm"]] == [build]
    page.close()
