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
const load = (net, weights) => net.named().forEach(([name, values]) => values.set(weights[name]));
load(t.generator, fixture.generator);
load(t.critic, fixture.critic);
const losses = [];
for (const step of fixture.steps) {
  let [latent, alpha] = [0, 0];
  const draws = {
    real: (c) => Float32Array.from(step.real[c]),
    latents: () => Float32Array.from(step.latents[latent++]),
    alphas: () => Float32Array.from(step.alphas[alpha++]),
  };
  losses.push(t.train(draws));
}
const dump = (net) => Object.fromEntries(net.named().map(([name, values]) => [name, Array.from(values)]));
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
