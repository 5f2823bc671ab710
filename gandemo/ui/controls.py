"""Controls more than one tab uses: the seed box, sliders made from ``gandemo.settings`` and the digit list."""

from __future__ import annotations

import gradio as gr

from ..settings import Setting
from ..showroom import ALL_DIGITS
from .browser import js

DIGITS = [ALL_DIGITS] + [str(d) for d in range(10)]
SEED_SLIDER_MAX = 999


def slider(setting: Setting, **options) -> gr.Slider:
    """A slider over the setting's range, at its default."""
    options.setdefault("value", setting.default)
    return gr.Slider(setting.low, setting.high, step=setting.step, label=setting.label, **options)


def number(setting: Setting, **options) -> gr.Number:
    """A number box over the setting's range, at its default."""
    options.setdefault("value", setting.default)
    return gr.Number(label=setting.label, minimum=setting.low, maximum=setting.high, **options)


def seed_controls(label: str = "seed", value: int = 0, elem_id: str | None = None) -> gr.Textbox:
    """A text box (any seed, exactly: a number box would hold it as a float and round seeds past 2**53), a
    slider (quick browsing) and a random button, kept in step in the browser."""
    with gr.Row():
        box = gr.Textbox(str(value), label=label, scale=2, elem_id=elem_id, max_lines=1, max_length=40)
        browse = gr.Slider(0, SEED_SLIDER_MAX, value=value, step=1, label=f"{label} (browse)", scale=3)
        dice = gr.Button("Random", scale=1, min_width=80)
    # all three in the browser (web/app/gradio.js): moving a seed costs the server nothing
    browse.input(None, browse, box, js=js("seedText"), api_visibility="private")
    # a seed typed or restored from a link moves the slider too, when it is in the slider's range
    box.change(None, [box, browse], browse, js=js("seedBrowse", SEED_SLIDER_MAX), api_visibility="private")
    dice.click(None, None, box, js=js("randomSeed", SEED_SLIDER_MAX), api_visibility="private")
    return box
