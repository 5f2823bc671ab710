"""The Draw a digit tab: the visitor's drawing (or picture) made into an MNIST-style digit and read by the MNIST
classifier, all in the browser (``web/widgets/probe.js``); ``/inspect`` gives API callers the same reading from
the server (``measures/probe.py`` and the same classifier). No link keys: a drawing is not a link's to carry."""

from __future__ import annotations

import threading
from pathlib import Path

import gradio as gr
import numpy as np
import torch

from ..core.checkpoints import CONFIG_NAME, load_classifier
from ..measures import metrics, probe
from . import browser, links
from .context import Context
from .controls import finish
from .errors import user_errors

TITLE = "Draw a digit"
TAB = "probe"
VIEW = "probe-view"


def describe(ctx: Context) -> dict:
    """No controls: the view holds the pad, the file input and the verdict (both editions mount it)."""
    return finish({"id": TAB, "title": TITLE, "view": {"id": VIEW, "widget": "probe", "values": []}, "controls": []})


def classify(classifier: torch.nn.Module, digit: np.ndarray) -> list[float]:
    """The ten digits' probabilities for an MNIST-style digit (28, 28, ink in [0, 1]), as the page computes them."""
    x = torch.from_numpy(digit.astype(np.float32) * 2 - 1).reshape(1, 1, probe.SIDE, probe.SIDE)  # (training's [-1, 1])
    return metrics.classifier_outputs(classifier, x)[1][0].tolist()


def _path_of(image) -> Path:
    """The uploaded file's path, however the API call named it."""
    path = image.get("path") if isinstance(image, dict) else image
    if not isinstance(path, str) or not path:
        raise probe.ProbeError(probe.EMPTY)
    return Path(path)


def build(ctx: Context, share: links.ViewLinks) -> None:
    folder = ctx.showroom.root / browser.CLASSIFIER
    loaded: dict = {}
    lock = threading.Lock()

    def classifier() -> torch.nn.Module:
        with lock:  # (loaded once, on the first request)
            if "model" not in loaded:
                if not (folder / CONFIG_NAME).is_file():
                    raise ValueError(f"This app serves no MNIST classifier (no {browser.CLASSIFIER} checkpoint).")
                loaded["model"] = load_classifier(folder, device="cpu")
            return loaded["model"]

    @user_errors
    def inspect(image) -> dict:
        """The MNIST classifier's reading of a picture file (PNG, JPEG, WebP or GIF; at most 2 MB and 4 million
        pixels): a 28 x 28 picture is taken as an MNIST digit as it is, any other is made into one (the ink's box
        fitted into 20 x 20, centred by its centre of mass). Returns {"digit", "probabilities" (0-9), "image"
        (the 28 x 28 digit read, ink in [0, 1])}."""
        path = _path_of(image)
        if path.stat().st_size > probe.MAX_BYTES:
            raise probe.ProbeError(probe.TOO_LARGE_FILE)
        digit = probe.mnist_style(probe.read_picture(path.read_bytes()))
        probabilities = classify(classifier(), digit)
        return {"digit": int(np.argmax(probabilities)), "probabilities": probabilities, "image": digit.tolist()}

    with gr.Tab(TITLE, id=TAB) as tab:
        browser.view(VIEW, "probe", ctx.site)
        api = gr.Button(visible=False)  # the API's /inspect: the page reads its digits itself
        picture = gr.Image(type="filepath", visible=False)
        api.click(inspect, picture, gr.JSON(visible=False), api_name="inspect", preprocess=False)
    share.track(TAB, tab, {})
