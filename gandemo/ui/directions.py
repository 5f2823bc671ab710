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
from .controls import by_key, choice, component, finish, link_fields, seed, setting
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


def describe(ctx: Context) -> dict:
    """The tab's controls, its view's values and its rules (both editions render this)."""
    names = ctx.showroom.direction_names()
    tile_info = "which sample of the seed (the MNIST tab's 8 × 8 grid, row by row)"
    return finish(
        {
            "id": TAB,
            "title": TITLE,
            "intro": INTRO,
            "view": {"id": VIEW, "widget": "directions", "values": ["model", "seed", "tile", *OFFSETS]},
            "stage": True,  # a phone keeps its picture in view above the controls (views.css)
            "controls": [
                choice("model", "model", names, first_of(names), info="the unconditional MNIST models"),
                seed(),
                setting("tile", settings.TILE, info=tile_info),
                *(setting(key, offset_setting(k), elem_id=f"direction-{k}") for k, key in enumerate(OFFSETS, 1)),
            ],
        }
    )


def build(ctx: Context, share: links.ViewLinks) -> None:
    showroom = ctx.showroom

    @user_errors
    def steer(model: str, seed: float, tile: float, *offsets: float):
        """Tile ``tile`` of ``seed`` moved by the offsets (one per direction, -3 to 3), and each direction's strip."""
        return showroom.steer(model, seed, tile, list(offsets))

    @page_answers
    def steer_pictures(values: list) -> list:
        model, seed, tile, *offsets = browser.page_values(values, 3 + directions.COUNT)
        return [browser.png_data_url(p) for p in steer(model, seed, tile, *offsets)]

    spec = describe(ctx)
    with gr.Tab(TITLE, id=TAB) as tab:
        gr.Markdown(INTRO)
        with gr.Row(elem_id="directions-row", elem_classes=["gd-stage"]):
            with gr.Column(scale=2):
                c = {key: component(control) for key, control in by_key(spec).items()}
            with gr.Column(scale=3):
                browser.view(VIEW, "directions", ctx.site, fallback=steer_pictures)
        inputs = [c[key] for key in spec["view"]["values"]]
        browser.follow(VIEW, inputs, share)
        api = gr.Button(visible=False)
        shown = [gr.Image(format="png", visible=False), gr.Image(format="png", visible=False)]
        api.click(steer, inputs, shown, api_name="directions", preprocess=False)
    share.track(TAB, tab, link_fields(spec, c))
