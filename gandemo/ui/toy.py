"""The 8 Gaussians tab: a 2-D model's points over its critic's map, with the modes this draw captures, drawn in
the browser (``/toy`` for the API). A visitor's own saved Playground models live on the server: it draws those."""

from __future__ import annotations

import gradio as gr

from .. import settings
from . import browser, links
from .context import Context
from .controls import gpu, seed_controls, slider
from .errors import page_answers, user_errors

TAB = "toy"


def build(ctx: Context, share: links.ViewLinks) -> tuple[gr.Dropdown, gr.State, gr.JSON]:
    """Returns the tab's model list and the visitor's own saved models, for the server and for the browser
    view (the Playground adds to all three)."""
    showroom = ctx.showroom
    first = ctx.toys[0] if ctx.toys else None

    @user_errors
    def toy(model: str, seed: float, points: float, mine: dict | None = None):
        """Real vs generated points over the critic's map, and mode coverage of this draw (numbers, words)."""
        return showroom.toy(model, seed, points, extra=mine)

    @page_answers
    def toy_picture(values: list) -> list:
        """The server's plot and coverage, for a browser that cannot draw, and for Playground saves."""
        model, seed, points, saved = browser.page_values(values, 4)
        folder = saved.get(model) if isinstance(saved, dict) and isinstance(model, str) else None
        extra = {model: ctx.save_folder(folder)} if folder else None
        picture, coverage, _ = toy(model, seed, points, extra)
        return [browser.png_data_url(picture), coverage]

    def about(model: str, mine: dict | None):
        if isinstance(model, str) and mine and model in mine:
            return f"### {model}\n\nYour own model, trained in the Playground: it shows only to you."
        return showroom.about(model, with_metrics=False)  # the tab measures each draw itself

    with gr.Tab("8 Gaussians", id=TAB) as tab:
        mine = gr.State({})  # this visitor's own saved Playground models (public servers): name -> folder

        # the same list for the browser view: name -> the save's folder ("" for one saved into the app's folder)
        private = gr.JSON({}, visible=False)

        with gr.Row():
            with gr.Column(scale=2):
                model = gr.Dropdown(ctx.toys, value=first, label="model")
                seed = seed_controls(elem_id="toy-seed")
                points = slider(settings.TOY_POINTS)
            with gr.Column(scale=3):
                browser.view("toy-plot", "toy", ctx.site, fallback=toy_picture)
        info = gr.Markdown(about(first, None) if first else "", elem_id="toy-info")
        toy_inputs = [model, seed, points]
        browser.follow("toy-plot", [*toy_inputs, private], share)
        model.change(about, [model, mine], info, api_visibility="private")
        api = gr.Button(visible=False)
        shown = [gr.Image(format="png", visible=False), gr.JSON(visible=False), gr.Markdown(visible=False)]
        api.click(gpu(toy), [*toy_inputs, mine], shown, api_name="toy", preprocess=False)
    fields = {
        "model": (model, links.choice("model", ctx.toys)),
        "seed": (seed, links.seed()),
        "points": (points, links.setting(settings.TOY_POINTS)),
    }
    share.track(TAB, tab, fields)
    return model, mine, private
