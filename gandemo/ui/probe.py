"""The Draw a digit tab: the visitor's drawing (or picture) made into an MNIST-style digit and read by the MNIST
classifier, all in the browser (``web/widgets/probe.js``); ``/inspect`` gives API callers the same reading from
the server (``measures/probe.py`` and the same classifier). No link keys: a drawing is not a link's to carry."""

from __future__ import annotations

import threading

import gradio as gr
import numpy as np
import torch

from ..core.checkpoints import CONFIG_NAME, load_checkpoint, load_classifier
from ..measures import inversion, metrics, probe, verdict
from . import browser, links
from .context import Context
from .controls import finish
from .errors import user_errors
from .mnist import pixels_search

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


def judged_names(ctx: Context) -> list[str]:
    """The MNIST models that ship a discriminator with its spreads: the ones the tab judges and inverts."""
    root = ctx.showroom.root
    return [name for name in ctx.showroom.names("mnist") if verdict.judged(root / name, ctx.showroom.configs[name])]


def invert_one(checkpoint, digit: np.ndarray, probabilities: list[float]) -> dict:
    """A digit's inversion in one model (measures/inversion.py, as the page runs it), placed on its spreads."""
    tried = inversion.likeliest(probabilities) if checkpoint.generator.config.num_classes else None
    target = torch.from_numpy(digit.astype(np.float32)).reshape(1, -1)
    with torch.enable_grad():
        found = inversion.invert_many(checkpoint.generator, target, None if tried is None else [tried])[0]
    spread = checkpoint.config.get("inversion")
    found["real_percentile"] = verdict.percentile(found["distance"], spread["real"]) if spread else None
    found["sample_percentile"] = verdict.percentile(found["distance"], spread["samples"]) if spread else None
    return found


def judge_one(checkpoint, judge, digit: np.ndarray, best: int) -> dict:
    """One model's discriminator verdict on a digit (a conditional one judges it as the classifier's digit)."""
    label = best if checkpoint.generator.config.num_classes else None
    return verdict.verdict(judge, checkpoint.config["discriminator"]["scores"], digit, label)


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

    def model(name: str):
        """A judged model's checkpoint and discriminator on the CPU, loaded once."""
        with lock:
            if name not in loaded:
                checkpoint = load_checkpoint(ctx.showroom.root / name, device="cpu")
                loaded[name] = (checkpoint, checkpoint.discriminator(device="cpu"))
            return loaded[name]

    def read(image) -> tuple[np.ndarray, list[float]]:
        digit = probe.read_digit_file(image)
        return digit, classify(classifier(), digit)

    @user_errors
    def invert(image) -> dict:
        """Each MNIST model's closest picture to a picture file (read as /inspect reads it): Adam on the latent from
        the page's seeded restarts (a conditional model tries the classifier's three likeliest digits). Returns
        {"digit", "models": {name: {"distance" (RMS of ink in [0, 1]), "label", "z", "picture" (784 values),
        "real_percentile", "sample_percentile" (where the distance falls among real test digits' and samples'
        inversions)}}}."""
        digit, probabilities = read(image)
        found = {name: invert_one(model(name)[0], digit, probabilities) for name in judged_names(ctx)}
        return {"digit": int(np.argmax(probabilities)), "models": found}

    @user_errors
    def inspect(image) -> dict:
        """The MNIST classifier's reading of a picture file (PNG, JPEG, WebP or GIF; at most 2 MB and 4 million
        pixels): a 28 x 28 picture is taken as an MNIST digit as it is, any other is made into one (the ink's box
        fitted into 20 x 20, centred by its centre of mass). Returns {"digit", "probabilities" (0-9), "image"
        (the 28 x 28 digit read, ink in [0, 1]), "models": {name: {"score", "real_percentile",
        "sample_percentile"}}: each MNIST model's discriminator score (a conditional one judges the classifier's
        digit) and where it falls among its scores on real test digits and on its own samples}."""
        digit, probabilities = read(image)
        best = int(np.argmax(probabilities))
        judged = {name: judge_one(*model(name), digit, best) for name in judged_names(ctx)}
        return {"digit": best, "probabilities": probabilities, "image": digit.tolist(), "models": judged}

    with gr.Tab(TITLE, id=TAB) as tab:
        browser.view(VIEW, "probe", ctx.site, functions=[pixels_search(ctx)])  # (a closest picture's neighbours)
        api = gr.Button(visible=False)  # the API's /inspect: the page reads its digits itself
        picture = gr.Image(type="filepath", visible=False)
        api.click(inspect, picture, gr.JSON(visible=False), api_name="inspect", preprocess=False)
        api_invert = gr.Button(visible=False)  # the API's /invert: the page inverts in the browser
        api_invert.click(invert, picture, gr.JSON(visible=False), api_name="invert", preprocess=False)
    share.track(TAB, tab, {})
