"""Views drawn in the visitor's browser (``gandemo/web``): what the browser runtime is told about the models
(``site``), the files it may fetch, and the Gradio component that mounts a view and feeds it its controls'
values with no request to the server."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import gradio as gr
from PIL import Image

from .. import __version__
from ..core import objectives, plots, presets, settings, targets
from ..core.checkpoints import CONFIG_NAME, CRITIC_MAP_NAME, DISCRIMINATOR_NAME, WEIGHTS_NAME, file_names
from ..core.explain import COVERAGE_HEAD, COVERAGE_LINES, PRDC_MEANINGS, TOY_ALARM, collapse_verdict
from ..measures import digit_map, directions, inversion, misses, probe, verdict
from ..service import neighbours
from ..service.showroom import (
    ALL_DIGITS,
    COMPARE_SCALE,
    DIRECTION_SCALE,
    DISPLAY_SCALE,
    MAX_STRIP_COLUMNS,
    STRIP_SCALE,
    Showroom,
)

WEB = Path(__file__).resolve().parents[1] / "web"
VENDOR = WEB / "vendor" / "tfjs-4.22.0"


MODEL_FILES = (
    CONFIG_NAME,
    WEIGHTS_NAME,
    CRITIC_MAP_NAME,
    DISCRIMINATOR_NAME,
    directions.DIRECTIONS_NAME,
    digit_map.DIGIT_MAP_NAME,
    misses.MISSES_NAME,
)
# a model's files by role, the keys of its entry in the site: the browser names the files it reads, and a
# Playground save's, by these alone
FILE_NAMES = {
    **file_names(),
    "directions": directions.DIRECTIONS_NAME,
    "digit_map": digit_map.DIGIT_MAP_NAME,
    "misses": misses.MISSES_NAME,
}


def file_url(path: Path) -> str:
    """Where Gradio serves a file named in ``gr.set_static_paths``."""
    return f"/gradio_api/file={path.resolve()}"


def served_files(showroom: Showroom) -> list[Path]:
    """What the browser may fetch: the web folder and, of each model, only the files of ``MODEL_FILES`` (its
    config, weights, critic, critic map, latent directions, digit map and per-digit misses)."""
    files = [WEB, *classifier_files(showroom)]
    for name in showroom.names():
        for file in MODEL_FILES:
            if (showroom.root / name / file).is_file():
                files.append(showroom.root / name / file)
    return files


CLASSIFIER = "mnist-classifier"  # the folder of the classifier the Draw a digit tab asks
CLASSIFIER_FILES = (CONFIG_NAME, WEIGHTS_NAME)


def classifier_files(showroom: Showroom) -> list[Path]:
    """The MNIST classifier's config and weights, when the checkpoints hold it (else none)."""
    files = [showroom.root / CLASSIFIER / file for file in CLASSIFIER_FILES]
    return files if all(file.is_file() for file in files) else []


def _url_if_file(path: Path, url) -> str | None:
    return url(path) if path.is_file() else None


def _model_entry(showroom: Showroom, name: str, steerable, url) -> dict:
    """One model's addresses and facts for the page (``site.models[name]``)."""
    folder, config = showroom.root / name, showroom.configs[name]
    critic_map, critic = folder / CRITIC_MAP_NAME, folder / DISCRIMINATOR_NAME
    two_d = config["model"].get("data") == "8gaussians"
    steering = folder / directions.DIRECTIONS_NAME if name in steerable else None
    return {
        "config": url(folder / CONFIG_NAME),
        "weights": url(folder / WEIGHTS_NAME),
        "critic_map": url(critic_map) if critic_map.is_file() else None,
        "discriminator": url(critic) if critic.is_file() else None,
        "judged": verdict.judged(folder, config),  # (the Draw a digit tab's models)
        "target": targets.of_config(config) if two_d else None,
        "conditional": bool(config["model"].get("num_classes")),
        "caption": showroom.compare_caption(name),
        "directions": url(steering) if steering else None,
        "directions_described": showroom.directions(name)[1] if steering else None,
        "measures": _measures(config.get("metrics") or {}),
        "digit_map": _url_if_file(folder / digit_map.DIGIT_MAP_NAME, url),
        "misses": _url_if_file(folder / misses.MISSES_NAME, url),
    }


def site(showroom: Showroom, url=file_url) -> dict:
    """What the browser runtime needs (see ``web/runtime/index.js``), all read from the library's own data.
    ``url`` maps a file to its address (the app's file route, or a static folder's relative path)."""
    steerable = showroom.direction_names()
    classifier = classifier_files(showroom)
    models = {name: _model_entry(showroom, name, steerable, url) for name in showroom.names()}
    return {
        "web": url(WEB) + "/",
        "vendor": url(VENDOR) + "/",
        "models": models,
        "mnist": showroom.names("mnist"),
        "toys": showroom.names("8gaussians"),
        "steerable": steerable,
        "all_digits": ALL_DIGITS,
        "sizes": {
            "display_scale": DISPLAY_SCALE,
            "compare_scale": COMPARE_SCALE,
            "strip_scale": STRIP_SCALE,
            "max_strip_columns": MAX_STRIP_COLUMNS,
            "direction_scale": DIRECTION_SCALE,
            "direction_span": directions.SPAN,
            "direction_steps": directions.STRIP_STEPS,
            "map_seed": digit_map.MAP_SEED,
            "neighbours": neighbours.NEIGHBOURS,  # (training digits shown beside each sample)
        },
        "settings": settings.table(),
        "playground": {
            "objectives": objectives.table(),
            "targets": targets.table(),
            "presets": presets.table(),
            "alarm": TOY_ALARM,
            "chart_clip": plots.CLIP,
        },
        "version": __version__,
        "files": FILE_NAMES,
        "coverage": {"head": COVERAGE_HEAD, "lines": COVERAGE_LINES, "alarm": TOY_ALARM},
        "classifier": {"name": CLASSIFIER, "config": url(classifier[0]), "weights": url(classifier[1])}
        if classifier
        else None,
        "probe": probe.table(),
        "inversion": inversion.table(),
    }


def _measures(metrics: dict) -> dict | None:
    """What the MNIST tab shows beside a model's grid: its collapse verdict and per-digit precision and recall
    beside real digits' (as gandemo.evaluate recorded them), or None when they were not measured."""
    verdict = collapse_verdict(metrics)
    if verdict is None:
        return None
    keys = ("precision", "recall", "precision_real", "recall_real")
    return {
        "alarm": {"alarm": verdict[0], "words": verdict[1]},
        **{key: metrics.get(f"per_digit_{key}") for key in keys},
        "meanings": {name: PRDC_MEANINGS[name] for name in ("precision", "recall")},
    }


def page_values(values, count: int) -> list:
    """What a page sent to a server function, as ``count`` values (a page may send anything)."""
    if not isinstance(values, (list, tuple)):
        raise ValueError("the page sent no list of values")
    return (list(values) + [None] * count)[:count]


def png_data_url(picture: Image.Image) -> str:
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


APP = file_url(WEB / "app" / "gradio.js")  # the app edition's browser glue: every ``js`` handler calls into it
# a view mounts through the same module (its js_on_load), so the views and the handlers share its state
MOUNT = 'import(props.site.web + "app/gradio.js").then((m) => m.mount(element, props, server));'


def js(function: str, *args) -> str:
    """A Gradio ``js`` handler, one line: ``function`` of ``web/app/gradio.js`` called with ``args`` (as JSON) and
    then the event's input values; Gradio awaits its Promise and puts the result into the event's outputs."""
    fixed = "".join(f"{json.dumps(arg)}, " for arg in args)
    return f"(...v) => import({json.dumps(APP)}).then((m) => m.{function}({fixed}...v))"


def describe_tabs(tabs: list[dict]) -> gr.HTML:
    """An empty component that hands the tabs' description (``ui/tabs.py``) to ``web/app/gradio.js`` once, for
    the rules its handlers apply (the views carry the site; this rarely read text need not go with each)."""
    return gr.HTML(
        "",
        html_template="",
        js_on_load='import(props.web + "app/gradio.js").then((m) => m.describe(props.tabs));',
        elem_id="gd-tabs",
        tabs=tabs,
        web=file_url(WEB) + "/",
        padding=False,
    )


def push(view_id: str) -> str:
    """A Gradio ``js`` handler that hands its inputs' values to the browser view ``view_id`` (no request)."""
    return js("push", view_id)


def view(
    view_id: str, widget: str, site_data: dict, *, fallback=None, functions=(), elem_id: str | None = None
) -> gr.HTML:
    """The component that mounts ``web/widgets/<widget>.js``; ``fallback(values)`` draws on the server when
    the browser cannot (it returns what the widget's ``serverDraw`` shows); ``functions`` are more of the server's
    answers the widget may ask for (``props.calls[name]``, each wrapped in ``errors.page_answers``)."""
    served = [f for f in (fallback, *functions) if f]
    return gr.HTML(
        "",
        html_template="",
        js_on_load=MOUNT,
        elem_id=elem_id or view_id,
        elem_classes=["gd-view"],
        server_functions=served or None,
        site=site_data,
        widget=widget,
        view=view_id,
        fallback=fallback.__name__ if fallback else None,
        functions=[f.__name__ for f in functions],
    )


def follow(view_id: str, inputs: list, share) -> None:
    """Every change of ``inputs`` redraws the view in the browser, and so does the page's load, once the link
    it was opened with has set the controls."""
    script = push(view_id)
    for control in inputs:
        control.change(None, inputs, None, js=script, api_visibility="private", trigger_mode="always_last")
    share.after_load.append((None, inputs, None, script))
