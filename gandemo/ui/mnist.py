"""The MNIST generators tab: a model, a seed and a grid size, drawn in the browser; ``/generate`` on the
server draws the same picture for API callers (and for a browser that cannot run the models)."""

from __future__ import annotations

import gradio as gr
import numpy as np
import torch

from ..core import settings
from ..measures import probe
from ..service.showroom import ALL_DIGITS
from . import browser, links
from .context import Context
from .controls import DIGITS, by_key, choice, component, finish, link_fields, seed, setting, the_rest
from .errors import page_answers, user_errors

TITLE = "MNIST generators"
TAB = "generate"
VIEW = "grid"
API_WAIT_S = 15  # how long /neighbours waits for an index being read or built before saying it is being built


def describe(ctx: Context) -> dict:
    """The tab's controls, its view's values and its rules (both editions render this)."""
    values = ["model", "seed", "rows", "cols", "digit"]
    return finish(
        {
            "id": TAB,
            "title": TITLE,
            "view": {"id": VIEW, "widget": "grid", "values": values},
            "stage": True,  # a phone keeps its picture in view above the controls (views.css)
            "controls": [
                choice("model", "model", ctx.mnist, ctx.first),
                choice("digit", "digit", DIGITS, ALL_DIGITS),
                seed(elem_id="seed"),
                setting("rows", settings.ROWS),
                setting("cols", settings.COLS),
            ],
            "link": values,
            "rules": [
                {"rule": "conditional", "control": "digit", "model": "model"},
                {"rule": "about", "model": "model", "texts": {name: ctx.showroom.about(name) for name in ctx.mnist}},
            ],
        }
    )


def nearest_of(ctx: Context, samples) -> dict:
    """``samples``' nearest training digits (the index read or built once in the background, waited for a while)."""
    index = ctx.training_index
    index.start().done.wait(API_WAIT_S)
    return index.search(samples)


def grid_search(ctx: Context, neighbours):
    """The page's search of its grid's samples among the training digits (the switch beside the grid;
    ``neighbours``: the tab's /neighbours); while the index is being built it says so and the page asks again."""
    index, showroom = ctx.training_index, ctx.showroom

    @page_answers
    def grid_neighbours(values: list) -> dict:
        """The page's grid's nearest training digits (the switch beside the grid)."""
        model, seed, rows, cols, digit = browser.page_values(values, 5)
        digit = digit if isinstance(model, str) and showroom.is_conditional(model) else ALL_DIGITS
        if index.start().state == "building":  # (the page asks again shortly)
            return {"wait": index.status()}
        return neighbours(model, seed, rows, cols, digit)

    return grid_neighbours


def pixels_search(ctx: Context):
    """The page's search of one picture among the training digits: a point clicked on the digit map, a drawing's
    closest picture in a model (the page sends its 784 values in [-1, 1])."""
    index = ctx.training_index

    @page_answers
    def pixels_neighbours(pixels: list) -> dict:
        """One picture's nearest training digits."""
        if not isinstance(pixels, list) or len(pixels) != 28 * 28:
            raise ValueError("The page sent no sample of 28 x 28 values.")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pixels):
            raise ValueError("The page sent a sample with values that are not numbers.")
        if index.start().state == "building":
            return {"wait": index.status()}
        sample = torch.tensor(pixels, dtype=torch.float32).reshape(1, 1, 28, 28)
        if not torch.isfinite(sample).all():
            raise ValueError("The page sent a sample with values that are not numbers.")
        return nearest_of(ctx, sample)

    return pixels_neighbours


def build(ctx: Context, share: links.ViewLinks) -> None:
    showroom, first = ctx.showroom, ctx.first

    @user_errors
    def generate(model: str, seed: float, rows: float, cols: float, digit: str = ALL_DIGITS):
        """A rows x cols grid of samples (PNG); for the CGAN a digit 0-9 or "all digits" (the label sweep)."""
        return showroom.generate(model, seed, rows, cols, digit)

    @page_answers
    def grid_picture(values: list) -> str:
        """The server's picture of the page's view, for a browser that cannot draw it (the page's digit box
        keeps a digit while hidden, for unconditional models too)."""
        model, seed, rows, cols, digit = browser.page_values(values, 5)
        digit = digit if isinstance(model, str) and showroom.is_conditional(model) else ALL_DIGITS
        return browser.png_data_url(generate(model, seed, rows, cols, digit))

    @user_errors
    def neighbours(model: str, seed: float, rows: float, cols: float, digit: str = ALL_DIGITS, image=None) -> dict:
        """Is it copying? Each sample of /generate's grid (or, given a picture file, that picture made into an
        MNIST digit as /inspect makes it) beside its 3 nearest MNIST training digits in the MNIST classifier's
        features: {"neighbours": per sample, in reading order, [{"index" (in MNIST's training set), "digit",
        "distance", "pixels" (base64 of 28 x 28 bytes)}], "typical_distance" (the median distance of a real test
        digit to its nearest training digit), "searched" (what was searched)}."""
        if image is not None:
            digit_image = probe.read_digit_file(image)
            return nearest_of(ctx, torch.from_numpy(digit_image.astype(np.float32) * 2 - 1).reshape(1, 1, 28, 28))
        return nearest_of(ctx, showroom.grid_samples(model, seed, rows, cols, digit)[0])

    spec = describe(ctx)
    controls = by_key(spec)
    with gr.Tab(TITLE, id=TAB) as tab:
        with gr.Row(elem_classes=["gd-stage"]):  # (a phone: the picture first, kept in view)
            with gr.Column(scale=2):
                c = {"model": component(controls["model"])}
                c["digit"] = component(controls["digit"], visible=showroom.is_conditional(first))
                c["seed"] = component(controls["seed"])
                with gr.Row():
                    c["rows"], c["cols"] = component(controls["rows"]), component(controls["cols"])
                the_rest(spec, c)
            with gr.Column(scale=3):
                searches = [grid_search(ctx, neighbours), pixels_search(ctx)]
                browser.view(VIEW, "grid", ctx.site, fallback=grid_picture, functions=searches)
        info = gr.Markdown(elem_id="model-info")  # filled once the page has read its link
        shown = browser.js("modelShown", TAB)  # (the digit menu for conditional models, the model's text)
        c["model"].change(None, c["model"], [c["digit"], info], js=shown, api_visibility="private")
        grid_inputs = [c[key] for key in spec["view"]["values"]]
        browser.follow(VIEW, grid_inputs, share)
        api = gr.Button(visible=False)  # the API's /generate: the page itself never calls it
        api.click(generate, grid_inputs, gr.Image(format="png", visible=False), api_name="generate", preprocess=False)
        picture = gr.Image(type="filepath", visible=False)  # /neighbours: the grid's samples, or a picture's
        found = gr.JSON(visible=False)
        api.click(neighbours, [*grid_inputs, picture], found, api_name="neighbours", preprocess=False)
    share.track(TAB, tab, link_fields(spec, c))
    share.after_load.append((None, [c["model"]], [c["digit"], info], shown))
