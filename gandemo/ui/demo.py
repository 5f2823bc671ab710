"""The whole app: the tabs in order, the link box, the page's load, and how it is served."""

from __future__ import annotations

import gradio as gr
from starlette.middleware import Middleware

from .. import zerogpu
from ..serving import RefuseLongAddresses, sweep_files_every
from ..showroom import Showroom
from . import browser, compare, directions, mnist, playground, toy, training, walk
from .context import Context
from .links import ViewLinks

MAX_UPLOAD = "1kb"  # the app has no upload control: Gradio's upload route would otherwise take any size
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
    ctx = Context(showroom)
    gr.set_static_paths(browser.served_files(showroom))  # the web code and the models' weights, nothing else
    # Gradio's delete_cache wipes the served files when the server stops; its periodic sweep dies on a busy
    # server, so that one never runs (once in 31 years) and serving.sweep_files_every does the sweeping
    with gr.Blocks(title="gandemo", delete_cache=(10**9, cache_age_s)) as demo:
        gr.Markdown("# gandemo\nSmall GANs trained offline with `python -m train`, shown live in your browser.")
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
        # /gpu_name: the GPU a ZeroGPU Space can borrow (its one spaces.GPU function; the pictures need none)
        gr.Button(visible=False).click(zerogpu.gpu_name, None, gr.Textbox(visible=False), api_name="gpu_name")
    sweep_files_every(demo, max(1, min(60, cache_age_s // 2)), cache_age_s)  # (how often to look, the age)
    return demo


def serve(demo: gr.Blocks, **launch_options):
    """Queue and launch with the app's theme and CSS (tests launch through here too)."""
    launch_options.setdefault("max_file_size", MAX_UPLOAD)
    app_kwargs = launch_options.setdefault("app_kwargs", {})
    app_kwargs["middleware"] = [*app_kwargs.get("middleware", []), Middleware(RefuseLongAddresses)]
    return demo.queue(default_concurrency_limit=4).launch(theme=gr.themes.Soft(), css=CSS, **launch_options)
