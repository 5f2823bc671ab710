"""The Training tab: each model's loss curves, its fixed-noise timeline and its model card (server-drawn:
these are files the training wrote)."""

from __future__ import annotations

import gradio as gr

from ..core import inputs
from . import links
from .context import Context
from .controls import by_key, choice, component, finish, link_fields
from .errors import user_errors

TITLE = "Training"
TAB = "training"


def describe(ctx: Context) -> dict:
    """The tab's one control (its pictures are files the training wrote: each edition shows them its way)."""
    return finish({"id": TAB, "title": TITLE, "controls": [choice("model", "model", ctx.mnist + ctx.toys, ctx.first)]})


def build(ctx: Context, share: links.ViewLinks) -> None:
    showroom = ctx.showroom

    @user_errors
    def training(model: str):
        """Loss curves, the number of timeline snapshots, the newest snapshot and the model card."""
        curves, snapshots, card = showroom.training(model)
        last = len(snapshots) - 1
        slider = gr.Slider(0, max(last, 1), value=max(last, 0), step=1, interactive=last > 0)
        return curves, slider, str(snapshots[-1]) if snapshots else None, card

    @user_errors
    def timeline(model: str, index: float):
        """Timeline snapshot number ``index`` (0 = first) of a model's fixed-noise training grids."""
        _, snapshots, _ = showroom.training(model)
        if not snapshots:
            raise ValueError(f"{model!r} has no training timeline")
        return str(snapshots[inputs.whole(index, "snapshot", 0, len(snapshots) - 1)])

    with gr.Tab(TITLE, id=TAB) as tab:
        spec = describe(ctx)
        model = component(by_key(spec)["model"])
        curves = gr.Image(format="png", type="pil", label="losses", elem_id="losses")
        index = gr.Slider(0, 1, value=0, step=1, label="timeline snapshot (fixed noise)")
        snapshot = gr.Image(type="filepath", label="samples at that point of training", elem_id="snapshot")
        card = gr.Markdown(elem_id="card")
        model.change(training, model, [curves, index, snapshot, card], api_name="training", preprocess=False)
        index.change(timeline, [model, index], snapshot, api_name="timeline", preprocess=False)
    share.track(TAB, tab, link_fields(spec, {"model": model}), (training, [model], [curves, index, snapshot, card]))
