"""The Playground tab: train a 2-D GAN live on the server, its layout and wiring (the sessions' handlers are
in ``playground_session``)."""

from __future__ import annotations

import gradio as gr

from ..objectives import OBJECTIVES
from ..playground import PART_CHOICES, PRESETS, SPEEDS, TARGETS, YOUR_POINTS
from ..settings import PLAYGROUND
from . import links
from .context import Context
from .controls import number, slider
from .playground_session import SETTING_NAMES, PlaygroundHandlers

TAB = "playground"
INFO = {  # what each setting does, beside it
    "width": "neurons per hidden layer (both nets)",
    "depth": "more layers: bendier shapes",
    "g_lr": "how far the generator moves per step",
    "d_lr": "how far the discriminator moves per step",
    "critic": "lets the discriminator keep up",
    "gp": "gradient penalty (-gp objectives): smoothness",
    "batch": "points per step, each side",
}


def _controls(ctx: Context) -> dict:
    """The Playground's settings, buttons and outputs, by name; each setting says what it does."""
    c = {}
    c["preset"] = gr.Dropdown(
        list(PRESETS),
        value=None,
        label="try a classic experiment",
        info="one click: its settings, a fresh start, and it plays",
        elem_id="preset",
    )
    c["preset_note"] = gr.Markdown(elem_id="preset-note")
    with gr.Row():
        c["objective"] = gr.Radio(
            list(OBJECTIVES), value="wgan-gp", label="objective", info="how the two networks score each other"
        )
        c["target"] = gr.Dropdown(
            list(TARGETS), value=TARGETS[0], label="target", info="the real data; click the plot to draw your own"
        )
    c["start"] = gr.Dropdown(
        ["scratch", *ctx.toys], value="scratch", label="start from", info="fresh networks, or a shipped 2-D model"
    )
    for row in (("width", "depth"), ("g_lr", "d_lr"), ("critic", "gp", "batch")):
        with gr.Row():
            for key in row:
                make = slider if PLAYGROUND[key].whole else number
                c[key] = make(PLAYGROUND[key], info=INFO[key])
    with gr.Row():
        c["part"] = gr.Radio(
            list(PART_CHOICES), value="both", label="train", info="freeze one network to watch the other (live)"
        )
        c["speed"] = gr.Radio(list(SPEEDS), value="full speed", label="speed", info="slow motion to see each step")
    c["arrows"] = gr.Checkbox(
        False, label="show the generator's gradient arrows", info="where the discriminator pushes each point"
    )
    with gr.Accordion("your own target: click the plot, or upload a CSV of x,y", open=False):
        c["csv"] = gr.File(label="points (.csv: x,y per line)", file_types=[".csv", ".txt"], elem_id="points-file")
        c["clear"] = gr.Button("Clear your points", size="sm")
    c["saved"] = gr.Markdown(elem_id="playground-saved")
    c["saved_file"] = gr.File(label="your saved model (.zip)", visible=ctx.public, elem_id="playground-zip")
    return c


def build(ctx: Context, share: links.ViewLinks, toy_model, mine, private, *, slots: int, idle_timeout_s: float):
    """``toy_model``, ``mine`` and ``private``: the 2-D tab's model list and the visitor's saves it shows."""
    app = PlaygroundHandlers(ctx, slots=slots, idle_timeout_s=idle_timeout_s)
    with gr.Tab("Playground", id=TAB) as tab:
        gr.Markdown(
            "Train a 2-D GAN live, with the same update the offline trainer uses. Settings apply on **Reset**; "
            "**Step** runs 10 steps; **train** and **speed** apply at once."
        )
        session = gr.State(None, delete_callback=app.limiter.close)  # one per browser tab, freed when it closes
        points = gr.State([])  # the visitor's own target, [[x, y], ...]
        with gr.Row(elem_id="playground-row"):
            with gr.Column(scale=2):
                c = _controls(ctx)
            with gr.Column(scale=3):
                with gr.Row():
                    for name in ("Play", "Pause", "Step", "Reset", "Save"):
                        variant = "primary" if name == "Play" else "secondary"
                        c[name.lower()] = gr.Button(name, variant=variant, elem_id=name.lower(), min_width=60)
                label = "real (orange) vs generated (blue); darker map: judged real"
                field = gr.Image(format="png", type="pil", label=label, elem_id="playground-plot")
                stats = gr.Markdown(elem_id="playground-stats")
                chart = gr.Image(format="png", type="pil", label="losses", elem_id="playground-losses")
                narration = gr.Markdown(elem_id="narration")
        live = [c["part"], c["speed"]]
        settings = [session, *(c[n] for n in SETTING_NAMES), points, *live]
        view = [session, field, stats, chart, narration]
        _wire(app, c, session, settings, view, [field, stats, chart, narration], points, live)
        c["save"].click(
            app.playground_save,
            [session, mine],
            [c["saved"], c["saved_file"], toy_model, mine],
            api_name="playground_save",
            preprocess=False,
        ).then(app.saved_for_browser, mine, private, api_visibility="private")
    fields = {
        "preset": (c["preset"], links.choice("preset", list(PRESETS))),
        "objective": (c["objective"], links.choice("objective", list(OBJECTIVES))),
        "target": (c["target"], links.choice("target", [t for t in TARGETS if t != YOUR_POINTS])),
        **{key: (c[key], links.setting(PLAYGROUND[key])) for key in PLAYGROUND},
    }
    # on arrival: the target and the untrained generator, without starting a session or taking a slot
    share.track(TAB, tab, fields, (app.playground_preview, settings[1:], [field, stats, chart]))
    return app


def _wire(app: PlaygroundHandlers, c: dict, session, settings, view, shown, points, live) -> None:
    """The Playground's events: Reset, Step, Play (a stream per session), presets, the visitor's points."""
    field = shown[0]
    c["reset"].click(app.playground_open, settings, view, api_name="playground_reset", preprocess=False)
    c["step"].click(app.playground_step, [session, c["arrows"]], view, api_name="playground_step", preprocess=False)
    c["arrows"].change(app.show_arrows, [session, c["arrows"]], field, api_visibility="private")
    for control in live:
        control.change(app.live_option, [session, *live], None, api_visibility="private")
    c["preset"].change(  # (also when a link restores it)
        lambda name: f"**{name}.** {PRESETS[name].explanation}" if name in PRESETS else "",
        c["preset"],
        c["preset_note"],
        api_visibility="private",
    )
    c["objective"].input(  # each objective's customary critic steps (5 for WGAN-GP, else 1)
        lambda name: gr.Slider(value=OBJECTIVES[name].critic_steps) if name in OBJECTIVES else gr.skip(),
        c["objective"],
        c["critic"],
        api_visibility="private",
    )
    redrawn = [session, points, c["target"], *shown]
    field.select(app.add_point, settings, redrawn, api_visibility="private")
    c["csv"].upload(app.upload_points, [session, c["csv"], *settings[1:]], redrawn, api_visibility="private")
    c["clear"].click(app.clear_points, settings, redrawn, api_visibility="private")
    # the stream holds a worker while it plays: give the streams their own pool, one per session
    stream = dict(concurrency_id="playground-stream", concurrency_limit=app.limiter.capacity)
    c["play"].click(app.start_playing, settings, session, api_visibility="private").then(
        app.playground_stream, session, view[1:], api_visibility="private", **stream
    )
    preset_outputs = [session, *(c[n] for n in SETTING_NAMES[:-1]), c["preset_note"]]
    c["preset"].input(
        app.play_preset, [session, c["preset"], c["arrows"], *live], preset_outputs, api_visibility="private"
    ).then(app.playground_stream, session, view[1:], api_visibility="private", **stream)
    c["pause"].click(lambda current: current and current.pause(), session, None, api_visibility="private")
