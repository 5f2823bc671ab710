"""Shared fixtures: tiny models and checkpoints, and the real MNIST folder when one is configured."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import torch
from PIL import Image

import gandemo
from gandemo.core.checkpoints import save_checkpoint
from gandemo.core.models import ModelConfig, build_generator

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TQDM_DISABLE", "1")

ROOT = Path(__file__).resolve().parents[1]

# Tiny versions of every architecture the recipes use (same code paths, a handful of units).
TINY_CONFIGS = {
    "gan": ModelConfig(arch="mlp", latent_dim=8, g_hidden=(16, 16), d_hidden=(16, 16)),
    "dcgan": ModelConfig(arch="dcgan", latent_dim=8, g_hidden=(8, 4), d_hidden=(4, 8), d_norm="batch"),
    "cgan": ModelConfig(
        arch="mlp", latent_dim=8, num_classes=10, g_hidden=(8, 16), d_hidden=(16,), g_batchnorm=True, d_dropout=0.4
    ),
    "wgan-gp": ModelConfig(arch="dcgan", latent_dim=8, g_hidden=(8, 4), d_hidden=(4, 8), d_norm="none"),
    "toy-gan": ModelConfig(arch="mlp", data="8gaussians", latent_dim=2, activation="relu", g_hidden=(16,) * 3),
}


def make_checkpoint(folder: Path, name: str = "dcgan", *, seed: int = 0) -> Path:
    """A randomly initialised tiny generator saved as a checkpoint folder."""
    torch.manual_seed(seed)
    config = TINY_CONFIGS[name]
    generator = build_generator(config).eval()
    meta = {"kind": "generator", "recipe": name, "model": config.to_dict(), "training": {"command": "test"}}
    labels = [0, 1, 2, 3] if config.num_classes else None
    samples = gandemo.grid(generator, rows=2, cols=2, labels=labels) if config.data == "mnist" else None
    save_checkpoint(folder, generator, meta, samples=samples)
    # a two-snapshot training timeline and loss history, as train/ writes them
    (folder / "timeline").mkdir()
    for step in (10, 20):
        Image.new("L", (8, 8), step).save(folder / "timeline" / f"step_{step:06d}.png")
    history = {"step": [10, 20], "d_loss": [1.0, 0.9], "g_loss": [2.0, 1.0]}
    (folder / "history.json").write_text(json.dumps(history))
    return folder


@pytest.fixture
def tiny_checkpoint(tmp_path) -> Path:
    return make_checkpoint(tmp_path / "dcgan")


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The folder holding the four original MNIST .gz files (GANDEMO_TEST_MNIST), or skip."""
    folder = os.environ.get("GANDEMO_TEST_MNIST")
    if not folder or not Path(folder).is_dir():
        pytest.skip("set GANDEMO_TEST_MNIST to a folder with the four MNIST .gz files")
    return Path(folder)


# ---- the browser tests: one Chromium per session, the app per module ---------------------------------------
@pytest.fixture(scope="session")
def browser():
    from benchmarks.chromium import CHROMIUM, FLAGS

    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def shown_checkpoints(tmp_path_factory) -> Path:
    """The shipped checkpoints when they are there, else tiny ones made here."""
    root = ROOT / "checkpoints"
    if not (root / "dcgan" / "config.json").exists():
        root = tmp_path_factory.mktemp("checkpoints")
        for name in ("gan", "dcgan", "cgan", "toy-gan"):
            make_checkpoint(root / name, name)
    return root


def every_endpoint_answers(client) -> None:
    """Call each of the app's picture endpoints through ``gradio_client`` (shipped checkpoints)."""
    client.predict("cgan", 1, 2, 10, "all digits", api_name="/generate")
    assert len(client.predict(1, api_name="/compare")) >= 4
    client.predict("dcgan", 0, 1, 4, "slerp", None, api_name="/interpolate")
    _, coverage, _ = client.predict("toy-wgan-gp", 0, 500, api_name="/toy")
    assert coverage["modes_captured"] == 8
    client.predict("wgan-gp", api_name="/training")
    client.predict("wgan-gp", 0, api_name="/timeline")


@pytest.fixture(scope="module")
def app_url(shown_checkpoints):
    """The app on the shipped checkpoints when they are there, else on tiny ones made here."""
    from app import build_demo, serve
    from gandemo.service.showroom import Showroom

    demo = build_demo(Showroom(shown_checkpoints, device="cpu"))
    serve(demo, prevent_thread_lock=True, quiet=True)
    try:
        yield demo.local_url
    finally:
        demo.close()


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory, shown_checkpoints):
    """The static edition of the shown checkpoints, built once per module."""
    from gandemo import static

    return static.build(tmp_path_factory.mktemp("static") / "site", shown_checkpoints)


@pytest.fixture(scope="module")
def site_url(site_folder):
    """The static edition served by Python's plain file server, as any static host would."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", str(site_folder)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:  # until it answers (polled: a server says nothing when it is up)
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"the static file server at {url} stopped or did not answer in 30 s") from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
