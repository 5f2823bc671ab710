"""The whole app: the tabs in order, the link box, the page's load, and how it is served."""

from __future__ import annotations

import gradio as gr

from .. import zerogpu
from ..showroom import Showroom
from . import browser, compare, mnist, playground, toy, training, walk
from .context import Context
from .links import ViewLinks

# Pictures arrive small and are enlarged by the browser with crisp, unblurred pixels.
CSS = """
.gd-view canvas, .gd-view img, #snapshot img { image-rendering: pixelated; }
#grid .gd-picture { width: 100%; height: auto; max-height: 80vh; object-fit: contain; }
#strip .gd-picture { width: 100%; max-width: 960px; height: auto; }
#toy-plot .gd-picture, #playground .gd-picture { max-width: 100%; height: auto; image-rendering: auto; }
#playground-plot { cursor: crosshair; width: 420px; }
#narration { padding-left: 1.2em; }
.gd-own { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; font-size: 0.9em; }
.gd-button { border: 1px solid #bbb; border-radius: 6px; padding: 2px 10px; background: #f6f6f6; }
.gd-gallery { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; }
.gd-gallery .gd-picture { width: 100%; height: auto; }
.gd-gallery figcaption { font-size: 0.9em; text-align: center; }
.gd-note { font-size: 0.9em; opacity: 0.8; margin: 4px 0; }
.katex-display { overflow-x: auto; overflow-y: hidden; }
@media (max-width: 640px) {
  .gd-gallery { grid-template-columns: repeat(2, minmax(0, 1fr)); }  /* two a row */
  #playground-row { flex-direction: column-reverse; }  /* the picture and its buttons above the settings */
}
"""


def build_demo(showroom: Showroom, *, cache_age_s: int = 600) -> gr.Blocks:
    """The app. Files returned to visitors (the API's pictures, GIFs) are deleted ``cache_age_s`` after they
    were made."""
    ctx = Context(showroom)
    gr.set_static_paths(browser.served_files(showroom))  # the web code and the models' weights, nothing else
    cache = (max(1, min(60, cache_age_s // 2)), cache_age_s)  # (how often to look, the age that goes)
    with gr.Blocks(title="gandemo", delete_cache=cache) as demo:
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
            mnist.build(ctx, share)
            compare.build(ctx, share)
            walk.build(ctx, share)
            toy.build(ctx, share)
            training.build(ctx, share)
            playground.build(ctx, share)
        share.wire(demo, tabs)
        # /gpu_name: the GPU a ZeroGPU Space can borrow (its one spaces.GPU function; the pictures need none)
        gr.Button(visible=False).click(zerogpu.gpu_name, None, gr.Textbox(visible=False), api_name="gpu_name")
    return demo


def serve(demo: gr.Blocks, **launch_options):
    """Queue and launch with the app's theme and CSS (tests launch through here too)."""
    return demo.queue(default_concurrency_limit=4).launch(theme=gr.themes.Soft(), css=CSS, **launch_options)
