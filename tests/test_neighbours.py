"""Is it copying? /neighbours through gradio_client on a real app with real MNIST and the shipped checkpoints: each
sample's 3 nearest training digits in the classifier's features, the scale, the bad inputs; the index kept on disk;
without MNIST, one sentence that says how to enable it; MNIST downloaded where it is missing and the app may."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from gandemo.core.data import load_mnist, to_unit_range
from gandemo.measures import metrics
from gandemo.service.neighbours import TrainingIndex

ROOT = Path(__file__).resolve().parents[1]
CLASSIFIER = ROOT / "checkpoints" / "mnist-classifier"


@pytest.fixture(scope="module")
def client(mnist_dir, tmp_path_factory):
    from gradio_client import Client

    from app import build_demo, serve
    from gandemo.service.showroom import Showroom

    cache = tmp_path_factory.mktemp("cache")
    built = TrainingIndex(CLASSIFIER, data_dir=mnist_dir, cache_dir=cache).start()
    assert built.done.wait(900) and built.state == "ready", built.status()  # (the app reads it from the cache)
    demo = build_demo(Showroom(ROOT / "checkpoints", device="cpu"), data_dir=mnist_dir, cache_dir=cache)
    serve(demo, prevent_thread_lock=True, quiet=True)
    try:
        yield Client(demo.local_url, verbose=False), cache
    finally:
        demo.close()


def test_neighbours_of_a_training_digit_and_of_a_grid(client, mnist_dir, tmp_path):
    from gradio_client import handle_file

    client, cache = client
    train_x, train_y = load_mnist(mnist_dir)
    Image.fromarray(train_x[123, 0].numpy()).save(tmp_path / "digit.png")
    found = client.predict(
        "gan", 0, 1, 1, "all digits", handle_file(str(tmp_path / "digit.png")), api_name="/neighbours"
    )
    first = found["neighbours"][0][0]
    assert first["index"] == 123 and first["digit"] == int(train_y[123]) and first["distance"] < 1e-3
    assert "60,000" in found["searched"] and found["typical_distance"] > 0.1
    assert len(list((cache / "neighbours").glob("index-*.safetensors"))) == 1  # kept for the next start

    grid = client.predict("gan", 0, 2, 2, "all digits", None, api_name="/neighbours")
    assert len(grid["neighbours"]) == 4 and all(len(row) == 3 for row in grid["neighbours"])
    # the same search done here directly: the grid's samples against every training digit's features
    import gandemo

    classifier = gandemo.load_classifier(CLASSIFIER, device="cpu")
    samples = gandemo.sample(gandemo.load_generator(ROOT / "checkpoints" / "gan", device="cpu"), 4, seed=0)
    train = torch.from_numpy(metrics.classifier_outputs(classifier, to_unit_range(train_x))[0]).float()
    query = torch.from_numpy(metrics.classifier_outputs(classifier, samples)[0]).float()
    distances, indices = torch.cdist(query, train).topk(3, largest=False)
    assert [[n["index"] for n in row] for row in grid["neighbours"]] == indices.tolist()
    got = np.array([[n["distance"] for n in row] for row in grid["neighbours"]])
    assert np.allclose(got, distances.numpy(), atol=2e-3)
    pixels = np.frombuffer(__import__("base64").b64decode(grid["neighbours"][0][0]["pixels"]), dtype=np.uint8)
    assert np.array_equal(pixels.reshape(28, 28), train_x[indices[0, 0], 0].numpy())
    sweep = client.predict("cgan", 0, 2, 10, "all digits", None, api_name="/neighbours")
    assert len(sweep["neighbours"]) == 20  # the label sweep: two rows of the ten digits


def test_neighbours_bad_inputs_get_a_sentence(client, tmp_path):
    from gradio_client import handle_file

    client, _ = client
    (tmp_path / "notes.png").write_text("not a picture")
    with pytest.raises(Exception, match="picture"):
        client.predict("gan", 0, 1, 1, "all digits", handle_file(str(tmp_path / "notes.png")), api_name="/neighbours")
    with pytest.raises(Exception, match="model"):
        client.predict("no-such-model", 0, 2, 2, "all digits", None, api_name="/neighbours")
    with pytest.raises(Exception, match="unconditional"):
        client.predict("gan", 0, 2, 2, "3", None, api_name="/neighbours")


def test_without_mnist_the_search_says_how_to_enable_it(tmp_path):
    index = TrainingIndex(CLASSIFIER, data_dir=tmp_path / "empty", cache_dir=tmp_path).start()
    assert index.done.wait(60) and index.state == "missing"
    with pytest.raises(ValueError, match="--data-dir DIR"):
        index.search(torch.zeros(1, 1, 28, 28))
    assert not (tmp_path / "empty").exists()  # (nothing downloaded, nothing made)


@pytest.fixture
def mnist_mirror(mnist_dir, monkeypatch):
    """torchvision's MNIST mirrors replaced by one local server of the real files (no network needed)."""
    from torchvision.datasets import MNIST

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(mnist_dir))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(MNIST, "mirrors", [f"http://127.0.0.1:{server.server_address[1]}/"])
    yield
    server.shutdown()


def test_where_mnist_is_missing_it_is_downloaded_first_then_searched(client, mnist_mirror, tmp_path):
    _, cache = client  # (the index of these same digits is kept there: the download is what is tested)
    index = TrainingIndex(CLASSIFIER, data_dir=tmp_path / "data", cache_dir=cache, download=True).start()
    assert index.done.wait(300) and index.state == "ready", index.status()
    assert sorted(p.name for p in (tmp_path / "data" / "MNIST" / "raw").glob("*.gz")) == [
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
    ]
    assert len(index.labels) == 60_000 and "all 60,000" in index.status()


def test_a_failed_download_says_so_and_leaves_nothing(tmp_path, monkeypatch):
    from torchvision.datasets import MNIST

    monkeypatch.setattr(MNIST, "mirrors", ["http://127.0.0.1:9/"])  # (the discard port: refused at once)
    index = TrainingIndex(CLASSIFIER, data_dir=tmp_path / "data", cache_dir=tmp_path, download=True).start()
    assert index.done.wait(120) and index.state == "missing"
    assert index.status().endswith("Downloading it failed here (the server's log says why).")
    assert "--data-dir DIR" in index.status() and not (tmp_path / "data").exists()
