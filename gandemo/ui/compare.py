"""The Compare tab: one seed through every MNIST model, drawn in the browser (``/compare`` for the API)."""

from __future__ import annotations

import gradio as gr

from . import browser, links
from .context import Context
from .controls import by_key, component, finish, link_fields, seed
from .errors import page_answers, user_errors

TITLE = "Compare"
TAB = "compare"
INTRO = "Every MNIST model, the same seed (the same latents where the latent sizes match)."
VIEW = "compare"


def describe(ctx: Context) -> dict:
    """The tab's one control and its view (both editions render this)."""
    return finish(
        {"id": TAB, "title": TITLE, "view": {"id": VIEW, "widget": "compare", "values": ["seed"]}, "controls": [seed()]}
    )


def build(ctx: Context, share: links.ViewLinks) -> None:
    @user_errors
    def compare(seed: float, rows: float = 4, cols: float = 4):
        """The same seed through every MNIST model."""
        return ctx.showroom.compare(seed, rows, cols)

    @page_answers
    def compare_pictures(values: list) -> list:
        (seed,) = browser.page_values(values, 1)
        return [[browser.png_data_url(picture), caption] for picture, caption in compare(seed)]

    spec = describe(ctx)
    with gr.Tab(TITLE, id=TAB) as tab:
        c = {"seed": component(by_key(spec)["seed"])}
        gr.Markdown(INTRO)
        browser.view(VIEW, "compare", ctx.site, fallback=compare_pictures)
        browser.follow(VIEW, [c["seed"]], share)
        api = gr.Button(visible=False)
        gallery = gr.Gallery(format="png", visible=False)
        api.click(compare, c["seed"], gallery, api_name="compare", preprocess=False)
    share.track(TAB, tab, link_fields(spec, c))
