"""Controls more than one tab uses: the seed box, sliders made from ``gandemo.settings`` and the digit list."""

from __future__ import annotations

import gradio as gr

from ..settings import Setting
from ..showroom import ALL_DIGITS

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


def seed_controls(label: str = "seed", value: int = 0, elem_id: str | None = None) -> gr.Number:
    """A number box (any seed), a slider (quick browsing) and a random button, kept in step in the browser."""
    with gr.Row():
        box = gr.Number(value=value, label=label, minimum=0, scale=2, elem_id=elem_id)
        browse = gr.Slider(0, SEED_SLIDER_MAX, value=value, step=1, label=f"{label} (browse)", scale=3)
        dice = gr.Button("Random", scale=1, min_width=80)
    # all three in the browser: moving a seed costs the server nothing
    browse.input(None, browse, box, js="(s) => s", api_visibility="private")
    box.change(  # a seed typed or restored from a link moves the slider too, when it is in the slider's range
        None,
        [box, browse],
        browse,
        js=f"(n, s) => (Number.isInteger(n) && n >= 0 && n <= {SEED_SLIDER_MAX}) ? n : s",
        api_visibility="private",
    )
    dice.click(  # a seed below 2**31, from the browser's cryptographic generator (as secrets.randbelow was)
        None, None, box, js="() => crypto.getRandomValues(new Uint32Array(1))[0] >>> 1", api_visibility="private"
    )
    return box
