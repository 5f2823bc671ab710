"""The Latent walk tab: the frames from seed A to seed B redraw in the browser as the settings move; the
animated GIF is made by the server when asked (``/interpolate``, also the API)."""

from __future__ import annotations

import gradio as gr

from ..core import settings
from . import browser, links
from .context import Context
from .controls import DIGITS, by_key, choice, component, finish, link_fields, seed, setting
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
VIEW = "strip"


def describe(ctx: Context) -> dict:
    """The tab's controls, its view's values and its rules (both editions render this)."""
    return finish(
        {
            "id": TAB,
            "title": TITLE,
            "intro": INTRO,
            "view": {"id": VIEW, "widget": "walk", "values": ["model", "seed", "seed_b", "steps", "method", "digit"]},
            "controls": [
                choice("model", "model", ctx.mnist, ctx.first),
                choice("digit", "digit", DIGITS[1:], "3"),
                choice("method", "interpolation", METHODS, "slerp", radio=True, info=METHOD_INFO),
                setting("steps", settings.WALK_STEPS),
                seed("seed", "seed A", 0, elem_id="walk-seed"),
                seed("seed_b", "seed B", 1),
            ],
            "rules": [{"rule": "conditional", "control": "digit", "model": "model"}],
        }
    )


def build(ctx: Context, share: links.ViewLinks) -> None:
    showroom = ctx.showroom

    @user_errors
    def interpolate(model: str, seed_a: float, seed_b: float, steps: float, method: str, digit: str | None = None):
        """A latent walk from seed A to seed B: a strip of frames and an animated GIF."""
        return showroom.interpolate(model, seed_a, seed_b, steps, method, digit)

    def shown_walk(model, seed_a, seed_b, steps, method, digit):
        """The page's walk: its digit box keeps a digit while hidden, for unconditional models too."""
        if isinstance(model, str) and not showroom.is_conditional(model):
            digit = None
        return interpolate(model, seed_a, seed_b, steps, method, digit)

    @page_answers
    def strip_picture(values: list) -> str:
        return browser.png_data_url(shown_walk(*browser.page_values(values, 6))[0])

    spec = describe(ctx)
    controls = by_key(spec)
    with gr.Tab(TITLE, id=TAB) as tab:
        gr.Markdown(INTRO)
        with gr.Row():
            c = {"model": component(controls["model"])}
            c["digit"] = component(controls["digit"], visible=showroom.is_conditional(ctx.first))
            c["method"], c["steps"] = component(controls["method"]), component(controls["steps"])
        c["seed"], c["seed_b"] = component(controls["seed"]), component(controls["seed_b"])
        browser.view(VIEW, "walk", ctx.site, fallback=strip_picture)
        make_gif = gr.Button("Make the animated GIF", variant="primary")
        strip = gr.Image(format="png", visible=False)
        gif = gr.Image(type="filepath", label="animated GIF", buttons=["download"], elem_id="gif")
        shown = browser.js("digitShown")  # (the digit menu for conditional models)
        c["model"].change(None, c["model"], c["digit"], js=shown, api_visibility="private")
        walk_inputs = [c[key] for key in spec["view"]["values"]]
        browser.follow(VIEW, walk_inputs, share)
        make_gif.click(shown_walk, walk_inputs, [strip, gif], api_visibility="private", preprocess=False)
        api = gr.Button(visible=False)
        api.click(interpolate, walk_inputs, [strip, gif], api_name="interpolate", preprocess=False)
    share.track(TAB, tab, link_fields(spec, c))
