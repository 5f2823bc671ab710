"""The whole app: the tabs in order, the link box, the page's load, and how it is served."""

from __future__ import annotations

import gradio as gr

from ..showroom import Showroom
from . import browser, compare, mnist, playground, toy, training, walk
from .context import Context
from .links import ViewLinks

# Pictures arrive small and are enlarged by the browser with crisp, unblurred pixels.
CSS = """
.gd-view canvas, .gd-view img, #snapshot img { image-rendering: pixelated; }
#grid .gd-picture { width: 100%; height: auto; max-height: 80vh; object-fit: contain; }
#strip .gd-picture { width: 100%; max-width: 960px; height: auto; }
#toy-plot .gd-picture { max-width: 100%; height: auto; image-rendering: auto; }  /* a plot, not pixels */
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


def build_demo(
    showroom: Showroom,
    *,
    playground_sessions: int = 4,
    idle_timeout_s: float = 60.0,
    public: bool = False,
    cache_age_s: int = 600,
) -> gr.Blocks:
    """The app. ``public`` (a Space, or ``--public``): Save hands the visitor a .zip instead of writing into
    the shared checkpoint folder. Files returned to visitors are deleted ``cache_age_s`` after they were made."""
    ctx = Context(showroom, public=public)
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
            toy_model, mine, private = toy.build(ctx, share)
            training.build(ctx, share)
            sessions = playground.build(
                ctx, share, toy_model, mine, private, slots=playground_sessions, idle_timeout_s=idle_timeout_s
            )
        share.wire(demo, tabs)
        demo.unload(sessions.tab_closed)
    return demo


def serve(demo: gr.Blocks, **launch_options):
    """Queue and launch with the app's theme and CSS (tests launch through here too)."""
    return demo.queue(default_concurrency_limit=4).launch(theme=gr.themes.Soft(), css=CSS, **launch_options)
