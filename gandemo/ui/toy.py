"""The 2-D models tab: a model's points over its critic's map, beside the real points of the target it was
trained on, with what this draw captures of that target; drawn in the browser (``/toy`` for the API)."""

from __future__ import annotations

import gradio as gr

from ..core import settings
from . import browser, links
from .context import Context
from .controls import by_key, choice, component, finish, link_fields, seed, setting
from .errors import page_answers, user_errors

TITLE = "2-D models"
TAB = "toy"
VIEW = "toy-plot"


def describe(ctx: Context) -> dict:
    """The tab's controls, its view's values and its rules (both editions render this)."""
    about = {name: ctx.showroom.about(name, with_metrics=False) for name in ctx.toys}
    return finish(
        {
            "id": TAB,
            "title": TITLE,
            "view": {"id": VIEW, "widget": "toy", "values": ["model", "seed", "points"]},
            "stage": True,  # a phone keeps its picture in view above the controls (views.css)
            "controls": [
                choice("model", "model", ctx.toys, ctx.toys[0] if ctx.toys else None),
                seed(),
                setting("points", settings.TOY_POINTS),
            ],
            "rules": [{"rule": "about", "model": "model", "texts": about}],
        }
    )


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

    spec = describe(ctx)
    controls = by_key(spec)
    with gr.Tab(TITLE, id=TAB) as tab:
        with gr.Row(elem_classes=["gd-stage"]):  # (a phone: the picture first, kept in view)
            with gr.Column(scale=2):
                c = {key: component(controls[key]) for key in ("model", "seed", "points")}
            with gr.Column(scale=3):
                browser.view(VIEW, "toy", ctx.site, fallback=toy_picture)
        info = gr.Markdown(showroom.about(first, with_metrics=False) if first else "", elem_id="toy-info")
        toy_inputs = [c[key] for key in spec["view"]["values"]]
        browser.follow(VIEW, toy_inputs, share)
        # the tab measures each draw itself: its text leaves the measures out
        c["model"].change(None, c["model"], info, js=browser.js("aboutText", TAB), api_visibility="private")
        api = gr.Button(visible=False)
        shown = [gr.Image(format="png", visible=False), gr.JSON(visible=False), gr.Markdown(visible=False)]
        api.click(toy, toy_inputs, shown, api_name="toy", preprocess=False)
    share.track(TAB, tab, link_fields(spec, c))
