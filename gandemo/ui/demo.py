"""The whole app: the tabs in order, the link box, the page's load, and how it is served."""

from __future__ import annotations

import logging

import gradio as gr
from starlette.middleware import Middleware

from ..measures import probe
from ..service import zerogpu
from ..service.serving import CrossOriginIsolation, RefuseLongAddresses, sweep_files_every
from ..service.showroom import Showroom
from . import browser, header, tabs
from .context import Context
from .links import ViewLinks

# the one upload is /inspect's picture: Gradio's route refuses files over twice its limit, so that a file a little
# over the limit still reaches /inspect and hears its sentence
MAX_UPLOAD = 2 * probe.MAX_BYTES
log = logging.getLogger(__name__)

# The views' look (shared with the static edition), and the app's own
CSS = (
    (browser.WEB / "widgets" / "views.css").read_text(encoding="utf-8")
    + """
.katex-display { overflow-x: auto; overflow-y: hidden; }
#gd-tabs { display: none !important; }  /* (the tabs' description: data, nothing to see) */
/* a wide table scrolls in its own box; the images' label and buttons sit above the picture, not on it */
.prose table { display: block; overflow-x: auto; max-width: 100%; border: 0 !important; padding: 0 !important; }
.prose table th, .prose table td { white-space: nowrap; }
#losses .image-frame, #snapshot .image-frame { padding-top: 36px; }
#view-link label > span:first-of-type { padding-right: 34px; }
@media (max-width: 640px) {
  /* a compact header: the picture and its controls get the screen */
  #header h1 { font-size: 1.3em; margin: 0; }
  #header p, #status p { font-size: 0.85em; margin: 0; line-height: 1.35; }
  #view-link { padding: 4px 8px !important; }
  #view-link label > span:first-of-type { font-size: 0.8em; margin-bottom: 2px; }
  #view-link input { padding: 2px 6px; font-size: 0.85em; }
}
"""
)

# The page's frame, which the CSS above cannot reach (Gradio scopes it to the app's content): a clipped frame,
# as hidden is, but one that lets pictures stick (position: sticky) while the page scrolls; a phone's margins.
FRAME_CSS = """
.gradio-container { overflow: clip !important; }
@media (max-width: 640px) {
  .gradio-container > .main { padding: 6px 8px !important; }
  .gradio-container .contain > .column { gap: 6px !important; }
}
"""


def build_demo(
    showroom: Showroom,
    *,
    cache_age_s: int = 600,
    data_dir=None,
    cache_dir=None,
    index_now: bool = False,
    download: bool = False,
) -> gr.Blocks:
    """The app. Files returned to visitors (the API's pictures, GIFs) are deleted ``cache_age_s`` after they
    were made. The index of MNIST's training digits (``data_dir``; kept in ``cache_dir``) is built in the
    background, from the start with ``index_now``, else when first asked for; with ``download``, MNIST is
    downloaded into ``data_dir`` first where it is missing."""
    log.info(showroom.status().replace("**", "").replace("`", ""))  # (for the operator; visitors read the footer)
    ctx = Context(showroom, data_dir=data_dir, cache_dir=cache_dir, download=download)
    gr.set_static_paths(browser.served_files(showroom))  # the web code and the models' weights, nothing else
    # Gradio's delete_cache wipes the served files when the server stops; its periodic sweep dies on a busy
    # server, so that one never runs (once in 31 years) and serving.sweep_files_every does the sweeping
    with gr.Blocks(title="gandemo", delete_cache=(10**9, cache_age_s)) as demo:
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
        browser.describe_tabs(ctx.tabs)
        with gr.Tabs() as shown:
            for tab in tabs.MODULES:
                tab.build(ctx, share)
        share.wire(demo, shown)
        gr.Markdown(header.footer_markdown(showroom, "app"), elem_id="footer")
        # /gpu_name: the GPU a ZeroGPU Space can borrow (its one spaces.GPU function; the pictures need none)
        gr.Button(visible=False).click(zerogpu.gpu_name, None, gr.Textbox(visible=False), api_name="gpu_name")
    sweep_files_every(demo, max(1, min(60, cache_age_s // 2)), cache_age_s)  # (how often to look, the age)
    if index_now:
        ctx.training_index.start()
    return demo


def serve(demo: gr.Blocks, **launch_options):
    """Queue and launch with the app's theme and CSS (tests launch through here too)."""
    launch_options.setdefault("max_file_size", MAX_UPLOAD)
    app_kwargs = launch_options.setdefault("app_kwargs", {})
    app_kwargs["middleware"] = [
        *app_kwargs.get("middleware", []),
        Middleware(RefuseLongAddresses),
        Middleware(CrossOriginIsolation),  # (the Playground's trainer runs threaded where the page is isolated)
    ]
    return demo.queue(default_concurrency_limit=4).launch(
        theme=gr.themes.Soft(), css=CSS, head=f"<style>{FRAME_CSS}</style>", **launch_options
    )
