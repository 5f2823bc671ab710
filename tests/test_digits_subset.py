"""The MNIST digits shipped for the browser's trainer (``gandemo/web/data``): reproducible from the four IDX files,
balanced, small enough to ship, served by both editions, and read by ``web/runtime/digits-data.js`` as Python
reads them."""

from __future__ import annotations

import gzip
import hashlib
import json

import numpy as np

from gandemo.core.data import load_mnist
from gandemo.service.showroom import Showroom
from gandemo.ui import browser
from tests.node_helpers import run_module
from train import digits_subset

DATA = browser.WEB / "data"
INFO = json.loads((DATA / f"{digits_subset.NAME}.json").read_text(encoding="utf-8"))
SHIPPED = DATA / INFO["file"]


def shipped() -> tuple[np.ndarray, np.ndarray]:
    payload = gzip.decompress(SHIPPED.read_bytes())
    count = INFO["count"]
    labels = np.frombuffer(payload[:count], np.uint8)
    return labels, np.frombuffer(payload[count:], np.uint8).reshape(count, *INFO["shape"])


def test_the_script_writes_the_shipped_digits_from_mnist(mnist_dir, tmp_path):
    digits_subset.main(["--data-dir", str(mnist_dir), "--out", str(tmp_path)])
    written = json.loads((tmp_path / f"{digits_subset.NAME}.json").read_text(encoding="utf-8"))
    # the digits bit for bit; the gzip bytes around them could differ with another zlib build, so not those
    assert gzip.decompress((tmp_path / INFO["file"]).read_bytes()) == gzip.decompress(SHIPPED.read_bytes())
    assert {**written, "bytes": None} == {**INFO, "bytes": None}
    labels, images = shipped()
    train_images, train_labels = load_mnist(mnist_dir, download=False)
    chosen = digits_subset.choose(train_labels.numpy(), seed=INFO["seed"], per_class=INFO["per_class"])
    assert len(set(chosen.tolist())) == INFO["count"]  # no digit twice
    assert np.array_equal(images, train_images.numpy()[chosen, 0])
    assert np.array_equal(labels, train_labels.numpy()[chosen])


def test_the_shipped_digits_are_balanced_mixed_and_small():
    labels, images = shipped()
    assert INFO["count"] == 10 * INFO["per_class"] == len(labels) == len(images) == 10000
    assert np.bincount(labels, minlength=10).tolist() == [INFO["per_class"]] * 10
    assert len(set(labels[:100].tolist())) == 10  # any run of them mixes the digits (a batch is a slice)
    assert SHIPPED.stat().st_size == INFO["bytes"] <= 2_500_000
    assert hashlib.sha256(labels.tobytes() + images.tobytes()).hexdigest() == INFO["sha256"]
    assert "LeCun" in INFO["credit"] and "CC BY-SA 3.0" in INFO["credit"]


def test_both_editions_ship_the_digits(tmp_path, site_folder):
    # the app serves all of web/ (served_files); the static edition copies it
    assert browser.WEB in browser.served_files(Showroom(tmp_path, device="cpu")) and DATA.is_relative_to(browser.WEB)
    for name in (INFO["file"], f"{digits_subset.NAME}.json"):
        assert (site_folder / "web" / "data" / name).read_bytes() == (DATA / name).read_bytes()


def test_the_browser_reads_the_same_digits():
    code = f"""
import {{ readFile }} from "node:fs/promises";
import {{ createHash }} from "node:crypto";
const folder = {json.dumps(str(DATA) + "/")};
const digits = await data.loadDigits("data/", async (url) => new Response(await readFile(folder + url.slice(5))));
const hash = createHash("sha256").update(digits.labels).update(digits.images).digest("hex");
const counts = Array(10).fill(0);
for (const label of digits.labels) counts[label] += 1;
const first = Array.from(digits.images.subarray(0, digits.size));
console.log(JSON.stringify({{ count: digits.count, size: digits.size, hash, counts, first, label: digits.labels[0] }}));
"""
    read = run_module("digits-data", "data", code)
    labels, images = shipped()
    assert read["count"] == INFO["count"] and read["size"] == 28 * 28
    assert read["hash"] == INFO["sha256"]
    assert read["counts"] == np.bincount(labels, minlength=10).tolist()
    assert read["first"] == images[0].ravel().tolist() and read["label"] == labels[0]


def test_a_damaged_file_is_named():
    code = f"""
import {{ readFile }} from "node:fs/promises";
const folder = {json.dumps(str(DATA) + "/")};
const bytes = await readFile(folder + {json.dumps(INFO["file"])});
const cut = async (url) =>
  new Response(url.endsWith(".json") ? await readFile(folder + url.slice(5)) : bytes.subarray(0, 5000));
const message = await data.loadDigits("data/", cut).then(() => "", (error) => error.message);
console.log(JSON.stringify(message));
"""
    message = run_module("digits-data", "data", code)
    assert INFO["file"] in message
