"""The whole app: the tabs in order, the link box, the page's load, and how it is served."""

from __future__ import annotations

import logging

import gradio as gr

from .. import zerogpu
from ..showroom import Showroom
from . import browser, compare, directions, header, mnist, playground, toy, training, walk
from .context import Context
from .links import ViewLinks

log = logging.getLogger(__name__)
TABS = (mnist, compare, walk, directions, toy, training, playground)  # in order; each builds its own tab

# The views' look (shared with the static edition), and the app's own
CSS = (
    (browser.WEB / "widgets" / "views.css").read_text(encoding="utf-8")
    + """
.katex-display { overflow-x: auto; overflow-y: hidden; }
@media (max-width: 640px) {
  /* the picture above its settings: the Playground's with its buttons, and the steered sample with its sliders */
  #playground-row, #directions-row { flex-direction: column-reverse; }
}
"""
)


def build_demo(showroom: Showroom, *, cache_age_s: int = 600) -> gr.Blocks:
    """The app. Files returned to visitors (the API's pictures, GIFs) are deleted ``cache_age_s`` after they
    were made."""
    log.info(showroom.status().replace("**", "").replace("`", ""))  # (for the operator; visitors read the footer)
    ctx = Context(showroom)
    gr.set_static_paths(browser.served_files(showroom))  # the web code and the models' weights, nothing else
    cache = (max(1, min(60, cache_age_s // 2)), cache_age_s)  # (how often to look, the age that goes)
    with gr.Blocks(title="gandemo", delete_cache=cache) as demo:
        gr.Markdown(header.header_markdown(), elem_id="header")
        if not showroom.names():  # (the operator's first launch: how to train a first model)
            gr.Markdown(showroom.status(), elem_id="status")
        link = gr.Textbox(
            label="link to this view (the address bar follows too)",
            buttons=["copy"],
            interactive=False,
            max_lines=1,
            elem_id="view-link",
        )
        share = ViewLinks(link)
        with gr.Tabs() as tabs:
            for tab in TABS:
                tab.build(ctx, share)
        share.wire(demo, tabs)
        gr.Markdown(header.footer_markdown(showroom, "app"), elem_id="footer")
        # /gpu_name: the GPU a ZeroGPU Space can borrow (its one spaces.GPU function; the pictures need none)
        gr.Button(visible=False).click(zerogpu.gpu_name, None, gr.Textbox(visible=False), api_name="gpu_name")
    return demo


def serve(demo: gr.Blocks, **launch_options):
    """Queue and launch with the app's theme and CSS (tests launch through here too)."""
    return demo.queue(default_concurrency_limit=4).launch(theme=gr.themes.Soft(), css=CSS, **launch_options)
