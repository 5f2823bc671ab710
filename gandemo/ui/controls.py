"""Controls, described once as data and rendered by both editions: each tab's ``describe`` lists its controls
(kind, label, info, default, options or setting, link key) with the functions below; :func:`component` makes
the Gradio component of one, :func:`reader` its link reader, and the static page (``web/static/page.js``)
renders the same dicts. The seed's box, slider and Random and the digit list are shared by several tabs."""

from __future__ import annotations

from dataclasses import fields

import gradio as gr

from ..core.settings import Setting
from ..core.targets import link_text, read_link_points
from ..service.showroom import ALL_DIGITS
from . import links
from .browser import js

DIGITS = [ALL_DIGITS] + [str(d) for d in range(10)]
SEED_SLIDER_MAX = 999


def choice(key: str, label: str, options, value, *, radio: bool = False, **more) -> dict:
    """One of ``options``, as a menu (or radio buttons); ``name`` (optional) is what a link's sentence calls it."""
    kind = "radio" if radio else "choice"
    return {"key": key, "kind": kind, "label": label, "options": list(options), "value": value} | more


def setting(key: str, s: Setting, *, number: bool = False, **more) -> dict:
    """A setting of ``gandemo.settings``: a slider (or a number box alone), at its default."""
    kind = "number" if number else "slider"
    return {"key": key, "kind": kind, "label": s.label, "setting": s.to_dict(), "value": s.default} | more


def seed(key: str = "seed", label: str = "seed", value: int = 0, **more) -> dict:
    """A seed: a text box (any seed, exactly), a slider to browse 0 to ``browse_max`` and Random."""
    return {"key": key, "kind": "seed", "label": label, "value": str(value), "browse_max": SEED_SLIDER_MAX} | more


def checkbox(key: str, label: str, value: bool, **more) -> dict:
    return {"key": key, "kind": "checkbox", "label": label, "value": value} | more


def points(key: str, label: str, **more) -> dict:
    """The visitor's own points as a link holds them (``targets.link_text``), not shown: the view writes them."""
    return {"key": key, "kind": "points", "label": label, "value": ""} | more


def read_points(text: str) -> str:
    """A link's own points, checked, as the widget reads them."""
    return link_text(read_link_points(text)) or ""


def finish(tab: dict) -> dict:
    """A tab's description completed: its intro, its link's keys (its view's values, else its controls') and
    each control's elem_id (``<tab>-<key>`` unless it names its own)."""
    tab.setdefault("intro", None)
    tab.setdefault("view", None)
    tab.setdefault("rules", [])
    tab.setdefault("link", tab["view"]["values"] if tab["view"] else [c["key"] for c in tab["controls"]])
    for control in tab["controls"]:
        control.setdefault("elem_id", f"{tab['id']}-{control['key']}")
    return tab


def by_key(tab: dict) -> dict[str, dict]:
    return {control["key"]: control for control in tab["controls"]}


def _setting(control: dict) -> Setting:
    """The setting a described control shows, back from its data (which also carries the browser's pattern)."""
    return Setting(**{f.name: control["setting"][f.name] for f in fields(Setting)})


def component(control: dict, **options) -> gr.components.Component:
    """The Gradio component of a described control (a seed: its text box, beside its slider and Random)."""
    kind, label, value = control["kind"], control["label"], control["value"]
    common = {"label": label, "elem_id": control.get("elem_id"), **options}
    if control.get("info"):
        common["info"] = control["info"]
    if kind == "seed":
        return seed_controls(label, int(value), elem_id=common["elem_id"])
    if kind in ("slider", "number"):
        s = _setting(control)
        if kind == "slider":
            return gr.Slider(s.low, s.high, value=value, step=s.step, **common)
        return gr.Number(value=value, minimum=s.low, maximum=s.high, **common)
    if kind == "choice":
        return gr.Dropdown(control["options"], value=value, **common)
    if kind == "radio":
        return gr.Radio(control["options"], value=value, **common)
    if kind == "checkbox":
        return gr.Checkbox(value, **common)
    if kind == "points":
        return gr.Textbox(value, visible="hidden", **common)
    raise ValueError(f"no component for a control of kind {kind!r}")


def reader(control: dict) -> links.Reader:
    """How a link's text for this control is read (and checked), as the static page reads it too."""
    kind, name = control["kind"], control.get("name", control["label"])
    if kind in ("choice", "radio"):
        return links.choice(name, control["options"])
    if kind == "seed":
        return links.seed(name)
    if kind in ("slider", "number"):
        return links.setting(_setting(control))
    if kind == "points":
        return read_points
    raise ValueError(f"no link reader for a control of kind {kind!r}")


def link_fields(tab: dict, components: dict) -> dict:
    """The tab's link keys -> (component, reader), as ``links.ViewLinks.track`` takes them."""
    controls = by_key(tab)
    return {key: (components[key], reader(controls[key])) for key in tab["link"]}


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
