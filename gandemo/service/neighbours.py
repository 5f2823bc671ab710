"""Is it copying? Each sample's nearest MNIST training digits in the classifier's feature space, and for scale how
far a real test digit typically is from its nearest training digit.

The index (the 60,000 training digits' features, and that typical distance) is built once, in a background thread
started with the app, and kept on disk: a later start reads it in a moment. Where MNIST is not at hand and the app
may download (``python app.py`` does, unless ``--no-download``), the same thread first downloads it, as a Space
does on its first start. Until the index is ready, or where MNIST cannot be had, a search says so in one sentence
and the rest of the app is untouched.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import threading
import time
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file

from ..core.checkpoints import WEIGHTS_NAME, load_classifier
from ..core.data import DATA_VARIABLE, DataError, load_mnist, mnist_at_hand, to_unit_range
from ..measures import metrics

log = logging.getLogger(__name__)
NEIGHBOURS = 3
SCALE_DIGITS = 2000  # test digits whose nearest training digit sets the scale (their median distance)
CACHE_VARIABLE = "GANDEMO_CACHE"  # where the index is kept (default: ~/.cache/gandemo)
MISSING = (
    "Nearest training digits need MNIST: start the app with --data-dir DIR (or set {variable}) naming a folder that "
    "holds the four MNIST .gz files."
)
BUILDING = "The index of training digits is being built (once; about a minute): try again shortly."
DOWNLOADING = "MNIST is being downloaded (once, about 11 MB), then its index is built: try again in a minute."
NOT_DOWNLOADED = " Downloading it failed here (the server's log says why)."


def default_cache_dir() -> Path:
    return Path(os.environ.get(CACHE_VARIABLE, Path.home() / ".cache" / "gandemo"))


def nearest(queries: torch.Tensor, features: torch.Tensor, k: int = NEIGHBOURS, *, chunk: int = 256):
    """(distances, indices), each (N, k): every query's ``k`` nearest rows of ``features``, nearest first."""
    found = [
        torch.cdist(queries[i : i + chunk], features).topk(k, largest=False) for i in range(0, len(queries), chunk)
    ]
    return torch.cat([f.values for f in found]), torch.cat([f.indices for f in found])


def pixels_text(image: np.ndarray) -> str:
    """A 28 x 28 uint8 digit as base64 of its 784 bytes, row by row (the page decodes it with atob)."""
    return base64.b64encode(np.ascontiguousarray(image, dtype=np.uint8).tobytes()).decode()


class TrainingIndex:
    """The training digits' features, built in the background from the MNIST folder ``data_dir`` (default
    $GANDEMO_DATA, else ~/.cache/gandemo, flat or in torchvision's MNIST/raw) with the classifier in
    ``classifier_folder``, kept in ``cache_dir``; with ``download``, MNIST is downloaded there first if missing."""

    def __init__(
        self,
        classifier_folder: Path,
        *,
        data_dir: Path | None = None,
        cache_dir: Path | None = None,
        download: bool = False,
    ):
        self.classifier_folder, self.data_dir, self.download = Path(classifier_folder), data_dir, download
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        self.state, self.problem = "idle", None
        self.classifier = self.features = self.images = self.labels = None
        self.scale = None
        self._lock = threading.Lock()
        self.done = threading.Event()

    def start(self) -> TrainingIndex:
        """Build (or read) the index in a daemon thread; returns at once."""
        with self._lock:
            if self.state == "idle":
                self.state = "building"
                threading.Thread(target=self._build, name="gandemo-neighbours", daemon=True).start()
        return self

    def status(self) -> str:
        """One sentence for the page: what the search covers, or why there is none yet."""
        if self.state == "ready":
            return (
                f"Searched: all {len(self.labels):,} MNIST training digits, in the features of the classifier that "
                "scores the models."
            )
        if self.state == "missing":
            return MISSING.format(variable=DATA_VARIABLE) + (NOT_DOWNLOADED if self.download else "")
        if self.state == "downloading":
            return DOWNLOADING
        if self.state == "failed":
            return "The index of training digits could not be built here (the server's log says why)."
        return BUILDING

    def _build(self) -> None:
        try:
            if self.download and not mnist_at_hand(self.data_dir):
                self.state = "downloading"
            self.images, self.labels = load_mnist(self.data_dir, download=self.download)
            test = load_mnist(self.data_dir, split="test", download=False)[0][:SCALE_DIGITS]
            self.state = "building"
            self.classifier = load_classifier(self.classifier_folder, device="cpu")
            path = self.cache_dir / "neighbours" / f"index-{self._key()}.safetensors"
            saved = self._read(path)
            if saved is not None:
                self.features, self.scale = saved["features"], float(saved["scale"])
            else:
                started = time.perf_counter()
                self.features = self.embed(to_unit_range(self.images))
                self.scale = float(nearest(self.embed(to_unit_range(test)), self.features, 1)[0].median())
                self._save(path)
                log.info("the index of %d training digits took %.0f s", len(self.labels), time.perf_counter() - started)
            self.state = "ready"
        except DataError as error:
            log.info("no index of training digits: %s", error)
            self.state = "missing"
        except Exception as error:  # (a broken classifier or cache: said on the page, logged for the operator)
            log.exception("building the index of training digits failed")
            self.state, self.problem = "failed", str(error)
        finally:
            self.done.set()

    @staticmethod
    def _read(path: Path) -> dict | None:
        """The kept index, or None where there is none or it is unreadable (then it is built anew)."""
        if not path.is_file():
            return None
        try:
            saved = load_file(str(path))
            if saved["features"].ndim == 2 and saved["scale"].numel() == 1:
                return saved
        except Exception:  # (a cut-off or foreign file: built again, over it)
            log.warning("the kept index %s is unreadable: building it anew", path.name)
        return None

    def _key(self) -> str:
        """What the index depends on: the classifier's weights and the training digits."""
        digest = hashlib.sha256((self.classifier_folder / WEIGHTS_NAME).read_bytes())
        digest.update(self.images.numpy().tobytes())
        return digest.hexdigest()[:16]

    def _save(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            save_file({"features": self.features, "scale": torch.tensor(self.scale)}, str(partial))
            partial.replace(path)
        except OSError as error:  # (a read-only home: the index lives in memory this time)
            log.warning("the index of training digits could not be kept in %s: %s", path.parent, error)

    def embed(self, images: torch.Tensor) -> torch.Tensor:
        """Classifier features (float32) of images in [-1, 1]."""
        return torch.from_numpy(metrics.classifier_outputs(self.classifier, images)[0]).float()

    def search(self, samples: torch.Tensor, k: int = NEIGHBOURS) -> dict:
        """Each sample's ``k`` nearest training digits (their index in MNIST's training set, digit, distance and
        pixels), the scale, and the samples' own pixels; a ValueError with the status sentence while the index is
        not ready."""
        if self.state != "ready":
            raise ValueError(self.status())
        distances, indices = nearest(self.embed(samples), self.features, k)
        images = self.images.numpy()[:, 0]
        found = [
            [
                {
                    "index": int(i),
                    "digit": int(self.labels[i]),
                    "distance": round(float(d), 3),
                    "pixels": pixels_text(images[i]),
                }
                for d, i in zip(row_d, row_i, strict=True)
            ]
            for row_d, row_i in zip(distances, indices, strict=True)
        ]
        shown = ((samples.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).numpy()[:, 0]  # (as image_grid shows them)
        return {
            "neighbours": found,
            "typical_distance": round(self.scale, 3),
            "searched": self.status(),
            "samples": [pixels_text(image) for image in shown],
        }
