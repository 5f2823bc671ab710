"""Controls more than one tab uses: the seed box, sliders made from ``gandemo.core.settings`` and the digit list."""

from __future__ import annotations

import gradio as gr

from ..core.settings import Setting
from ..service.showroom import ALL_DIGITS

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
    # all three in the browser: moving a seed costs the server nothing
    browse.input(None, browse, box, js="(s) => String(s)", api_visibility="private")
    box.change(  # a seed typed or restored from a link moves the slider too, when it is in the slider's range
        None,
        [box, browse],
        browse,
        js=f"(n, s) => (/^\\s*[0-9]{{1,3}}\\s*$/.test(String(n)) && Number(n) <= {SEED_SLIDER_MAX}) ? Number(n) : s",
        api_visibility="private",
    )
    dice.click(  # a seed in the slider's range (so box and slider agree), from the browser's cryptographic generator
        None,
        None,
        box,
        js=f"() => String(crypto.getRandomValues(new Uint32Array(1))[0] % {SEED_SLIDER_MAX + 1})",
        api_visibility="private",
    )
    return box
