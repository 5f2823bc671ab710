"""The Playground tab: a 2-D GAN trained live in the visitor's browser (``web/widgets/playground.js``). The
settings are Gradio controls, so links restore them; every button and setting reaches the browser's trainer
with no request to the server, which trains nothing and keeps nothing for it."""

from __future__ import annotations

import gradio as gr

from ..core.objectives import OBJECTIVES
from ..core.presets import PRESETS
from ..core.settings import PLAYGROUND
from ..core.targets import DEFAULT, TARGETS
from . import browser, links
from .context import Context
from .controls import by_key, checkbox, choice, component, finish, link_fields, points, setting, the_rest

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


def command(name: str) -> str:
    """A ``js`` handler that hands a button press to the browser's Playground, queued until it has loaded."""
    return browser.js("command", VIEW, name)


BUTTONS = ("Play", "Pause", "Step", "Reset", "Save")
TARGET_CHOICES = list(TARGETS)  # ("your points": the visitor's own, clicked on the plot or from a CSV)
SETTINGS = ("objective", "target", "start", *PLAYGROUND, "part", "speed", "arrows", "preset", "points")
ROWS = (("objective", "target"), ("start",), ("width", "depth"), ("g_lr", "d_lr"), ("critic", "gp", "batch"))
ROWS += (("seed",), ("part", "speed"), ("arrows",), ("points",))  # (the app's layout, after the preset)
LABELS = {  # the controls that are not settings of gandemo.core.settings (those carry their own labels)
    "preset": "try a classic experiment",
    "objective": "objective",
    "target": "target",
    "start": "start from",
    "part": "train",
    "speed": "speed",
    "arrows": "show the generator's gradient arrows",
    "points": "your points",
}
INFO = {  # what each control does, beside it
    "preset": "one click: its settings, a fresh start, and it plays",
    "objective": "how the two networks score each other",
    "target": "the real data; click the plot to draw your own",
    "start": "fresh networks, or a shipped 2-D model (with its own objective and critic steps)",
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


def widget_tables() -> dict:
    """What the browser's Playground reads beside ``site.playground``: its values' order, the parts, the speeds."""
    return {"controls": list(SETTINGS), "parts": PARTS, "speeds": SPEEDS}


def describe(ctx: Context) -> dict:
    """The Playground's controls (the view takes their values in ``SETTINGS`` order), each saying what it does,
    its buttons, and its rules: a preset fills the controls, an objective sets its critic steps, the visitor's
    points and the target menu follow each other."""
    fills = ["objective", "target", *PLAYGROUND]

    def pick(key, options, value, **more):
        return choice(key, LABELS[key], options, value, info=INFO[key], **more)

    return finish(
        {
            "id": TAB,
            "title": TITLE,
            "intro": INTRO,
            "view": {"id": VIEW, "widget": "playground", "values": list(SETTINGS)},
            "buttons": list(BUTTONS),
            "stage": True,  # a phone keeps its plot in view above the controls (views.css)
            "controls": [
                pick("preset", PRESETS, None, name="preset", elem_id="preset"),
                pick("objective", OBJECTIVES, "wgan-gp", radio=True),
                pick("target", TARGET_CHOICES, DEFAULT),
                pick("start", ["scratch", *ctx.toys], "scratch"),
                *(setting(k, s, number=not s.whole or k == "seed", info=INFO[k]) for k, s in PLAYGROUND.items()),
                pick("part", PARTS, "both", radio=True),
                pick("speed", SPEEDS, "full speed", radio=True),
                checkbox("arrows", LABELS["arrows"], False, info=INFO["arrows"]),
                points("points", LABELS["points"], elem_id=f"{VIEW}-points"),  # (the widget writes them: view.js)
            ],
            "link": ["preset", "objective", "target", "start", *PLAYGROUND, "points"],
            "rules": [
                {"rule": "preset", "control": "preset", "fills": fills, "note": "preset-note"},
                {"rule": "critic_steps", "control": "objective", "sets": "critic"},
                {"rule": "own_points", "points": "points", "target": "target"},
            ],
        }
    )


def _controls(spec: dict) -> dict:
    """The Playground's controls by key, laid out in rows; the preset's note under the preset."""
    controls = by_key(spec)
    c = {"preset": component(controls["preset"])}
    c["preset_note"] = gr.Markdown(elem_id="preset-note")
    for row in ROWS:
        if len(row) == 1:
            c[row[0]] = component(controls[row[0]])
            continue
        with gr.Row():
            for key in row:
                c[key] = component(controls[key])
    return the_rest(spec, c)


def _rules(spec: dict, c: dict) -> None:
    """The description's rules as browser-only events (web/front/rules.js, through web/app/gradio.js)."""
    fills = next(rule["fills"] for rule in spec["rules"] if rule["rule"] == "preset")
    # one click: the preset's settings into the controls, its note, and the browser starts it playing
    outputs = [*(c[k] for k in fills), c["preset_note"]]
    c["preset"].input(None, c["preset"], outputs, js=browser.js("preset", VIEW, fills), api_visibility="private")
    # a link that names a preset shows its note (Play starts it)
    c["preset"].change(None, c["preset"], c["preset_note"], js=browser.js("presetNote"), api_visibility="private")
    # each objective's customary critic steps (5 for WGAN-GP, else 1)
    c["objective"].input(None, c["objective"], c["critic"], js=browser.js("criticSteps"), api_visibility="private")
    # the target menu follows the visitor's points, and choosing another target drops them
    points, target = c["points"], c["target"]
    points.change(None, [points, target], target, js=browser.js("targetOfPoints"), api_visibility="private")
    target.input(None, [target, points], points, js=browser.js("pointsOfTarget"), api_visibility="private")


def build(ctx: Context, share: links.ViewLinks) -> None:
    spec = describe(ctx)
    with gr.Tab(TITLE, id=TAB) as tab:
        gr.Markdown(INTRO)
        with gr.Row(elem_id="playground-row", elem_classes=["gd-stage"]):
            with gr.Column(scale=2):
                c = _controls(spec)
            with gr.Column(scale=3):
                with gr.Row(elem_id="playground-buttons"):
                    for name in BUTTONS:
                        variant = "primary" if name == "Play" else "secondary"
                        button = gr.Button(name, variant=variant, elem_id=name.lower(), min_width=60)
                        button.click(None, None, None, js=command(name.lower()), api_visibility="private")
                browser.view(VIEW, "playground", ctx.site)
        browser.follow(VIEW, [c[key] for key in SETTINGS], share)
        _rules(spec, c)
    share.track(TAB, tab, link_fields(spec, c))
