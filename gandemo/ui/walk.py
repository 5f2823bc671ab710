"""The Latent walk tab: the frames from seed A to seed B redraw in the browser as the settings move; the
animated GIF is made by the server when asked (``/interpolate``, also the API)."""

from __future__ import annotations

import gradio as gr

from ..core import settings
from . import browser, links
from .context import Context
from .controls import DIGITS, seed_controls, slider
from .errors import page_answers, user_errors

TITLE = "Latent walk"
TAB = "walk"
INTRO = (
    "A generator draws each picture from a list of random numbers, its *latent* (a seed picks one). Walk from "
    "seed A's latent to seed B's in small steps: each frame is one step on the way, and the digits morph "
    "smoothly when the generator has learned a smooth map. **slerp** walks along the sphere where random "
    "latents lie; **lerp** walks the straight line, through the middle, where latents are rare and frames "
    "can fade."
)
METHODS = ["slerp", "lerp"]
METHOD_INFO = "slerp: along the sphere (spherical) · lerp: a straight line (linear)"


def build(ctx: Context, share: links.ViewLinks) -> None:
    showroom = ctx.showroom

    @user_errors
    def interpolate(model: str, seed_a: float, seed_b: float, steps: float, method: str, digit: str | None = None):
        """A latent walk from seed A to seed B: a strip of frames and an animated GIF."""
        return showroom.interpolate(model, seed_a, seed_b, steps, method, digit)

    def shown(model, seed_a, seed_b, steps, method, digit):
        """The page's walk: its digit box keeps a digit while hidden, for unconditional models too."""
        if isinstance(model, str) and not showroom.is_conditional(model):
            digit = None
        return interpolate(model, seed_a, seed_b, steps, method, digit)

    @page_answers
    def strip_picture(values: list) -> str:
        return browser.png_data_url(shown(*browser.page_values(values, 6))[0])

    with gr.Tab(TITLE, id=TAB) as tab:
        gr.Markdown(INTRO)
        with gr.Row():
            model = gr.Dropdown(ctx.mnist, value=ctx.first, label="model")
            conditional = showroom.is_conditional(ctx.first)
            digit = gr.Dropdown(DIGITS[1:], value="3", label="digit", visible=conditional)
            method = gr.Radio(METHODS, value="slerp", label="interpolation", info=METHOD_INFO)
            steps = slider(settings.WALK_STEPS)
        seed_a, seed_b = seed_controls("seed A", 0, elem_id="walk-seed"), seed_controls("seed B", 1)
        browser.view("strip", "walk", ctx.site, fallback=strip_picture)
        make_gif = gr.Button("Make the animated GIF", variant="primary")
        strip = gr.Image(format="png", visible=False)
        gif = gr.Image(type="filepath", label="animated GIF", buttons=["download"], elem_id="gif")
        model.change(lambda m: gr.Dropdown(visible=showroom.is_conditional(m)), model, digit, api_visibility="private")
        walk_inputs = [model, seed_a, seed_b, steps, method, digit]
        browser.follow("strip", walk_inputs, share)
        make_gif.click(shown, walk_inputs, [strip, gif], api_visibility="private", preprocess=False)
        api = gr.Button(visible=False)
        api.click(interpolate, walk_inputs, [strip, gif], api_name="interpolate", preprocess=False)
    fields = {
        "model": (model, links.choice("model", ctx.mnist)),
        "seed": (seed_a, links.seed("seed A")),
        "seed_b": (seed_b, links.seed("seed B")),
        "steps": (steps, links.setting(settings.WALK_STEPS)),
        "method": (method, links.choice("interpolation", METHODS)),
        "digit": (digit, links.choice("digit", DIGITS[1:])),
    }
    share.track(TAB, tab, fields)
