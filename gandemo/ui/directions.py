"""The Latent directions tab: one sample (a seed and a tile) moved along a model's latent directions, found the
GANSpace way (``gandemo.measures.directions``), redrawn in the browser on every slider movement, beside a strip of
each direction; ``/directions`` draws the same pictures on the server for API callers."""

from __future__ import annotations

from dataclasses import replace

import gradio as gr

from ..core import settings
from ..measures import directions
from . import browser, links
from .context import Context, first_of
from .controls import seed_controls, slider
from .errors import page_answers, user_errors

TITLE = "Latent directions"
TAB = "directions"
VIEW = "steer"
INTRO = (
    "Steer one sample: each slider moves its latent along one of the model's principal directions (GANSpace, "
    "[Härkönen et al., 2020](https://arxiv.org/abs/2004.02546)), in standard deviations of the latent. The "
    "strip shows each direction from -3 to +3, one row each; beside each, what moving it was measured to change "
    "(the correlation r: 0 when a measure does not follow the slider, +1 or -1 when it follows exactly)."
)
OFFSETS = [f"d{k}" for k in range(1, directions.COUNT + 1)]


def offset_setting(k: int) -> settings.Setting:
    return replace(settings.OFFSET, label=f"direction {k}")


def build(ctx: Context, share: links.ViewLinks) -> None:
    showroom = ctx.showroom
    names = showroom.direction_names()
    first = first_of(names)

    @user_errors
    def steer(model: str, seed: float, tile: float, *offsets: float):
        """Tile ``tile`` of ``seed`` moved by the offsets (one per direction, -3 to 3), and each direction's strip."""
        return showroom.steer(model, seed, tile, list(offsets))

    @page_answers
    def steer_pictures(values: list) -> list:
        model, seed, tile, *offsets = browser.page_values(values, 3 + directions.COUNT)
        return [browser.png_data_url(p) for p in steer(model, seed, tile, *offsets)]

    with gr.Tab(TITLE, id=TAB) as tab:
        gr.Markdown(INTRO)
        with gr.Row(elem_id="directions-row", elem_classes=["gd-stage"]):
            with gr.Column(scale=2):
                model = gr.Dropdown(names, value=first, label="model", info="the unconditional MNIST models")
                seed = seed_controls(elem_id="directions-seed")
                tile = slider(settings.TILE, info="which sample of the seed (the MNIST tab's 8 × 8 grid, row by row)")
                offsets = [slider(offset_setting(k), elem_id=f"direction-{k}") for k in range(1, directions.COUNT + 1)]
            with gr.Column(scale=3):
                browser.view(VIEW, "directions", ctx.site, fallback=steer_pictures)
        inputs = [model, seed, tile, *offsets]
        browser.follow(VIEW, inputs, share)
        api = gr.Button(visible=False)
        shown = [gr.Image(format="png", visible=False), gr.Image(format="png", visible=False)]
        api.click(steer, inputs, shown, api_name="directions", preprocess=False)
    fields = {
        "model": (model, links.choice("model", names)),
        "seed": (seed, links.seed()),
        "tile": (tile, links.setting(settings.TILE)),
        **{key: (offsets[k - 1], links.setting(offset_setting(k))) for k, key in enumerate(OFFSETS, 1)},
    }
    share.track(TAB, tab, fields)
