"""The MNIST generators tab: a model, a seed and a grid size, drawn in the browser; ``/generate`` on the
server draws the same picture for API callers (and for a browser that cannot run the models)."""

from __future__ import annotations

import gradio as gr

from ..core import settings
from ..service.showroom import ALL_DIGITS
from . import browser, links
from .context import Context
from .controls import DIGITS, by_key, choice, component, finish, link_fields, seed, setting
from .errors import page_answers, user_errors

TITLE = "MNIST generators"
TAB = "generate"
VIEW = "grid"


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
            with gr.Column(scale=3):
                browser.view(VIEW, "grid", ctx.site, fallback=grid_picture)
        info = gr.Markdown(elem_id="model-info")  # filled once the page has read its link
        shown = browser.js("modelShown", TAB)  # (the digit menu for conditional models, the model's text)
        c["model"].change(None, c["model"], [c["digit"], info], js=shown, api_visibility="private")
        grid_inputs = [c[key] for key in spec["view"]["values"]]
        browser.follow(VIEW, grid_inputs, share)
        api = gr.Button(visible=False)  # the API's /generate: the page itself never calls it
        api.click(generate, grid_inputs, gr.Image(format="png", visible=False), api_name="generate", preprocess=False)
    share.track(TAB, tab, link_fields(spec, c))
    share.after_load.append((None, [c["model"]], [c["digit"], info], shown))
