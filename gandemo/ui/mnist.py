"""The MNIST generators tab: a model, a seed and a grid size, drawn in the browser; ``/generate`` on the
server draws the same picture for API callers (and for a browser that cannot run the models)."""

from __future__ import annotations

import gradio as gr

from ..core import settings
from ..service.showroom import ALL_DIGITS
from . import browser, links
from .context import Context
from .controls import DIGITS, seed_controls, slider
from .errors import page_answers, user_errors

TITLE = "MNIST generators"
TAB = "generate"


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

    def model_changed(model: str):
        return gr.Dropdown(visible=showroom.is_conditional(model)), showroom.about(model)

    with gr.Tab(TITLE, id=TAB) as tab:
        with gr.Row(elem_classes=["gd-stage"]):  # (a phone: the picture first, kept in view)
            with gr.Column(scale=2):
                model = gr.Dropdown(ctx.mnist, value=first, label="model")
                digit = gr.Dropdown(DIGITS, value=ALL_DIGITS, label="digit", visible=showroom.is_conditional(first))
                seed = seed_controls(elem_id="seed")
                with gr.Row():
                    rows, cols = slider(settings.ROWS), slider(settings.COLS)
            with gr.Column(scale=3):
                browser.view("grid", "grid", ctx.site, fallback=grid_picture)
        info = gr.Markdown(elem_id="model-info")  # filled once the page has read its link
        model.change(model_changed, model, [digit, info], api_visibility="private")
        grid_inputs = [model, seed, rows, cols, digit]
        browser.follow("grid", grid_inputs, share)
        api = gr.Button(visible=False)  # the API's /generate: the page itself never calls it
        api.click(generate, grid_inputs, gr.Image(format="png", visible=False), api_name="generate", preprocess=False)
    fields = {
        "model": (model, links.choice("model", ctx.mnist)),
        "seed": (seed, links.seed()),
        "rows": (rows, links.setting(settings.ROWS)),
        "cols": (cols, links.setting(settings.COLS)),
        "digit": (digit, links.choice("digit", DIGITS)),
    }
    share.track(TAB, tab, fields)
    share.after_load.append((model_changed, [model], [digit, info], None))
