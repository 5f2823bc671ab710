"""The 2-D models tab: a model's points over its critic's map, beside the real points of the target it was
trained on, with what this draw captures of that target; drawn in the browser (``/toy`` for the API)."""

from __future__ import annotations

import gradio as gr

from ..core import settings
from . import browser, links
from .context import Context
from .controls import seed_controls, slider
from .errors import page_answers, user_errors

TITLE = "2-D models"
TAB = "toy"


def build(ctx: Context, share: links.ViewLinks) -> None:
    showroom = ctx.showroom
    first = ctx.toys[0] if ctx.toys else None

    @user_errors
    def toy(model: str, seed: float, points: float):
        """Real vs generated points over the critic's map, and how this draw covers the model's own target."""
        return showroom.toy(model, seed, points)

    @page_answers
    def toy_picture(values: list) -> list:
        """The server's plot and coverage, for a browser that cannot draw."""
        picture, coverage, _ = toy(*browser.page_values(values, 3))
        return [browser.png_data_url(picture), coverage]

    with gr.Tab(TITLE, id=TAB) as tab:
        with gr.Row(elem_classes=["gd-stage"]):  # (a phone: the picture first, kept in view)
            with gr.Column(scale=2):
                model = gr.Dropdown(ctx.toys, value=first, label="model")
                seed = seed_controls(elem_id="toy-seed")
                points = slider(settings.TOY_POINTS)
            with gr.Column(scale=3):
                browser.view("toy-plot", "toy", ctx.site, fallback=toy_picture)
        info = gr.Markdown(showroom.about(first, with_metrics=False) if first else "", elem_id="toy-info")
        toy_inputs = [model, seed, points]
        browser.follow("toy-plot", toy_inputs, share)
        model.change(  # the tab measures each draw itself
            lambda name: showroom.about(name, with_metrics=False), model, info, api_visibility="private"
        )
        api = gr.Button(visible=False)
        shown = [gr.Image(format="png", visible=False), gr.JSON(visible=False), gr.Markdown(visible=False)]
        api.click(toy, toy_inputs, shown, api_name="toy", preprocess=False)
    fields = {
        "model": (model, links.choice("model", ctx.toys)),
        "seed": (seed, links.seed()),
        "points": (points, links.setting(settings.TOY_POINTS)),
    }
    share.track(TAB, tab, fields)
