"""The Playground tab: a 2-D GAN trained live in the visitor's browser (``web/widgets/playground.js``). The
settings are Gradio controls, so links restore them; every button and setting reaches the browser's trainer
with no request to the server, which trains nothing and keeps nothing for it."""

from __future__ import annotations

import json

import gradio as gr

from ..core.objectives import OBJECTIVES
from ..core.presets import PRESETS
from ..core.settings import PLAYGROUND
from ..core.targets import DEFAULT, TARGETS, YOUR_POINTS, link_text, read_link_points
from . import browser, links
from .context import Context
from .controls import number, slider

TAB = "playground"
VIEW = "playground"
PARTS = ["both", "discriminator only", "generator only"]  # what a step updates
SPEEDS = {"full speed": None, "slow motion (10 steps/s)": 10, "very slow (2 steps/s)": 2}  # steps per second
TITLE = "Playground"
INTRO = (
    "Train a 2-D GAN live **in your browser**: the same objectives and update as the offline trainer, "
    "written in JavaScript. Settings apply on **Reset**; **Step** runs 10 steps; **train**, **speed** "
    "and the arrows apply at once. **Save** hands you the model as a .zip."
)
LABELS = {  # the controls that are not settings of gandemo.core.settings (those carry their own labels)
    "preset": "try a classic experiment",
    "objective": "objective",
    "target": "target",
    "start": "start from",
    "part": "train",
    "speed": "speed",
    "arrows": "show the generator's gradient arrows",
}
INFO = {  # what each control does, beside it
    "preset": "one click: its settings, a fresh start, and it plays",
    "objective": "how the two networks score each other",
    "target": "the real data; click the plot to draw your own",
    "start": "fresh networks, or a shipped 2-D model",
    "part": "freeze one network to watch the other (live)",
    "speed": "slow motion to see each step",
    "arrows": "where the discriminator pushes each point",
    "width": "neurons per hidden layer (both nets)",
    "depth": "more layers: bendier shapes",
    "g_lr": "how far the generator moves per step",
    "d_lr": "how far the discriminator moves per step",
    "critic": "lets the discriminator keep up",
    "gp": "gradient penalty (-gp objectives): smoothness",
    "batch": "points per step, each side",
    "seed": "the same seed, the same run",
}
BUTTONS = ("Play", "Pause", "Step", "Reset", "Save")
TARGET_CHOICES = list(TARGETS)  # ("your points": the visitor's own, clicked on the plot or from a CSV)


def command(name: str) -> str:
    """A ``js`` function that hands a button press (and its value, if any) to the browser's Playground, queued
    until the Playground has loaded."""
    key, name = json.dumps(VIEW), json.dumps(name)
    call = f"slot.command ? slot.command({name}, value) : (slot.queued ||= []).push([{name}, value])"
    return f"(value) => {{ const slot = ((globalThis.gandemoViews ||= {{}})[{key}] ||= {{}}); {call}; }}"


def _controls(ctx: Context) -> dict:
    """The Playground's settings by name (``SETTINGS`` orders them for the widget); each says what it does."""
    c = {}
    c["preset"] = gr.Dropdown(list(PRESETS), value=None, label=LABELS["preset"], info=INFO["preset"], elem_id="preset")
    c["preset_note"] = gr.Markdown(elem_id="preset-note")
    with gr.Row():
        c["objective"] = gr.Radio(list(OBJECTIVES), value="wgan-gp", label=LABELS["objective"], info=INFO["objective"])
        c["target"] = gr.Dropdown(TARGET_CHOICES, value=DEFAULT, label=LABELS["target"], info=INFO["target"])
    c["start"] = gr.Dropdown(["scratch", *ctx.toys], value="scratch", label=LABELS["start"], info=INFO["start"])
    for row in (("width", "depth"), ("g_lr", "d_lr"), ("critic", "gp", "batch"), ("seed",)):
        with gr.Row():
            for key in row:
                make = slider if PLAYGROUND[key].whole and key != "seed" else number
                c[key] = make(PLAYGROUND[key], info=INFO[key])
    with gr.Row():
        c["part"] = gr.Radio(PARTS, value="both", label=LABELS["part"], info=INFO["part"])
        c["speed"] = gr.Radio(list(SPEEDS), value="full speed", label=LABELS["speed"], info=INFO["speed"])
    c["arrows"] = gr.Checkbox(False, label=LABELS["arrows"], info=INFO["arrows"])
    # the visitor's own points as a link holds them (targets.link_text): the widget writes them here
    c["points"] = gr.Textbox("", label="your points", visible="hidden", elem_id=f"{VIEW}-points")
    return c


SETTINGS = ("objective", "target", "start", *PLAYGROUND, "part", "speed", "arrows", "preset", "points")


def read_points(text: str) -> str:
    """A link's own points, checked, as the widget reads them."""
    return link_text(read_link_points(text)) or ""


def _own_points(c: dict) -> None:
    """The target menu follows the visitor's points (they are "your points"; cleared, the default again), and
    choosing another target drops them."""
    own, first = json.dumps(YOUR_POINTS), json.dumps(DEFAULT)
    c["points"].change(
        None,
        [c["points"], c["target"]],
        c["target"],
        js=f"(p, t) => p ? {own} : (t === {own} ? {first} : t)",
        api_visibility="private",
    )
    c["target"].input(
        None,
        [c["target"], c["points"]],
        c["points"],
        js=f"(t, p) => t === {own} ? p : ''",
        api_visibility="private",
    )


def build(ctx: Context, share: links.ViewLinks) -> None:
    with gr.Tab(TITLE, id=TAB) as tab:
        gr.Markdown(INTRO)
        with gr.Row(elem_id="playground-row", elem_classes=["gd-stage"]):
            with gr.Column(scale=2):
                c = _controls(ctx)
            with gr.Column(scale=3):
                with gr.Row(elem_id="playground-buttons"):
                    for name in BUTTONS:
                        variant = "primary" if name == "Play" else "secondary"
                        button = gr.Button(name, variant=variant, elem_id=name.lower(), min_width=60)
                        button.click(None, None, None, js=command(name.lower()), api_visibility="private")
                # the widget reads its controls' order, the parts and the speeds from here
                controls = {"controls": list(SETTINGS), "parts": PARTS, "speeds": SPEEDS}
                browser.view(VIEW, "playground", {**ctx.site, "playground": {**ctx.site["playground"], **controls}})
        inputs = [c[key] for key in SETTINGS]
        browser.follow(VIEW, inputs, share)
        presets = json.dumps({name: p["settings"] for name, p in PRESETS.items()})
        notes = json.dumps({name: f"**{name}.** {p['explanation']}" for name, p in PRESETS.items()})
        keys = json.dumps(["objective", "target", *PLAYGROUND])
        # one click: the preset's settings into the controls, its note, and the browser starts it playing
        c["preset"].input(
            None,
            c["preset"],
            [*(c[k] for k in ("objective", "target", *PLAYGROUND)), c["preset_note"]],
            js=f"(name) => {{ const p = {presets}[name]; if (!p) return; ({command('preset')})(name); "
            f"return [...{keys}.map((k) => p[k]), {notes}[name]]; }}",
            api_visibility="private",
        )
        c["preset"].change(  # a link that names a preset shows its note (Play starts it)
            None, c["preset"], c["preset_note"], js=f"(name) => ({notes})[name] ?? ''", api_visibility="private"
        )
        _own_points(c)
        critic_steps = json.dumps({name: o.critic_steps for name, o in OBJECTIVES.items()})
        c["objective"].input(  # each objective's customary critic steps (5 for WGAN-GP, else 1)
            None, c["objective"], c["critic"], js=f"(name) => ({critic_steps})[name] ?? 1", api_visibility="private"
        )
    fields = {
        "preset": (c["preset"], links.choice("preset", list(PRESETS))),
        "objective": (c["objective"], links.choice("objective", list(OBJECTIVES))),
        "target": (c["target"], links.choice("target", TARGET_CHOICES)),
        "start": (c["start"], links.choice("start from", ["scratch", *ctx.toys])),
        **{key: (c[key], links.setting(PLAYGROUND[key])) for key in PLAYGROUND},
        "points": (c["points"], read_points),
    }
    share.track(TAB, tab, fields)
