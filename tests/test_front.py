"""One front end for both editions: the Gradio app's components (read from its Blocks config) and the static
page's description (read from its built index.html) offer the same tabs and, in each, the same controls with
the same kinds, labels, texts, ranges or options, defaults and link keys."""

from __future__ import annotations

import json
import re

import gradio as gr
import pytest

from gandemo.service.showroom import Showroom
from gandemo.ui import tabs
from gandemo.ui.context import Context
from gandemo.ui.links import ViewLinks

GRADIO_TYPE = {  # a described control's kind -> the Gradio component that shows it
    "choice": "dropdown",
    "radio": "radio",
    "seed": "textbox",
    "slider": "slider",
    "number": "number",
    "checkbox": "checkbox",
    "points": "textbox",
}


@pytest.fixture(scope="module")
def app(shown_checkpoints):
    """The app's tabs as Gradio builds them: its config's components, and the link keys each tab tracks."""
    ctx = Context(Showroom(shown_checkpoints, device="cpu"))
    with gr.Blocks() as blocks:
        share = ViewLinks(gr.Textbox())
        with gr.Tabs():
            for module in tabs.MODULES:
                module.build(ctx, share)
    config = blocks.get_config_file()
    return config["components"], {tab: list(fields) for tab, fields in share.tabs.items()}


@pytest.fixture(scope="module")
def page_tabs(site_folder):
    """The static page's tabs, as its index.html describes them to page.js."""
    text = (site_folder / "index.html").read_text(encoding="utf-8")
    data = re.search(r'<script type="application/json" id="gandemo-page">(.*?)</script>', text, re.S).group(1)
    return json.loads(data.replace("<\\/", "</"))["tabs"]


def _props(components, **wanted) -> list[dict]:
    chosen = [c for c in components if all(c["props"].get(k) == v for k, v in wanted.items())]
    return [c["props"] | {"type": c["type"]} for c in chosen]


def test_both_editions_have_the_same_tabs_in_order(app, page_tabs):
    components, _ = app
    shown = [(c["props"]["id"], c["props"]["label"]) for c in components if c["type"] == "tabitem"]
    assert shown == [(tab["id"], tab["title"]) for tab in page_tabs]


def test_every_control_is_the_same_in_both_editions(app, page_tabs):
    components, linked = app
    for tab in page_tabs:
        assert tab["link"] == linked[tab["id"]], tab["id"]
        assert set(tab["link"]) <= {c["key"] for c in tab["controls"]}
        for control in tab["controls"]:
            where = (tab["id"], control["key"])
            (component,) = _props(components, elem_id=control["elem_id"])
            assert component["type"] == GRADIO_TYPE[control["kind"]], where
            assert component["label"] == control["label"] and component.get("info") == control.get("info"), where
            assert component.get("value") == control["value"], where
            if control["kind"] in ("choice", "radio"):
                assert [value for _, value in component["choices"]] == control["options"], where
            if control["kind"] in ("slider", "number"):
                setting = control["setting"]
                assert (component["minimum"], component["maximum"]) == (setting["low"], setting["high"]), where
                if control["kind"] == "slider":
                    assert component["step"] == setting["step"], where
            if control["kind"] == "seed":  # its slider browses the same range in both
                browse = _props(components, label=f"{control['label']} (browse)")
                assert {(b["minimum"], b["maximum"]) for b in browse} == {(0, control["browse_max"])}, where
            if control["kind"] == "points":
                assert component["visible"] == "hidden", where


def test_the_static_page_offers_every_control_of_its_description(app, page_tabs):
    """Nothing only one edition has: each tab's controls are exactly the app's components for that tab."""
    components, _ = app
    described = {control["elem_id"] for tab in page_tabs for control in tab["controls"]}
    kinds = set(GRADIO_TYPE.values()) - {"textbox", "slider"}  # (a seed's box and slider are one control)
    in_app = {c["props"].get("elem_id") for c in components if c["type"] in kinds and c["props"].get("elem_id")}
    assert in_app <= described
