"""The Compare tab: one seed through every MNIST model, drawn in the browser (``/compare`` for the API)."""

from __future__ import annotations

import gradio as gr

from . import browser, links
from .context import Context
from .controls import seed_controls
from .errors import page_answers, user_errors

TITLE = "Compare"
TAB = "compare"
INTRO = "Every MNIST model, the same seed (the same latents where the latent sizes match)."


def build(ctx: Context, share: links.ViewLinks) -> None:
    @user_errors
    def compare(seed: float, rows: float = 4, cols: float = 4):
        """The same seed through every MNIST model."""
        return ctx.showroom.compare(seed, rows, cols)

    @page_answers
    def compare_pictures(values: list) -> list:
        (seed,) = browser.page_values(values, 1)
        return [[browser.png_data_url(picture), caption] for picture, caption in compare(seed)]

    with gr.Tab(TITLE, id=TAB) as tab:
        seed = seed_controls(elem_id="compare-seed")
        gr.Markdown(INTRO)
        browser.view("compare", "compare", ctx.site, fallback=compare_pictures)
        browser.follow("compare", [seed], share)
        api = gr.Button(visible=False)
        gallery = gr.Gallery(format="png", visible=False)
        api.click(compare, seed, gallery, api_name="compare", preprocess=False)
    share.track(TAB, tab, {"seed": (seed, links.seed())})
