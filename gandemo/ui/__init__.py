"""gandemo's Gradio app: one module per tab (its layout beside its handlers), the browser views, links and
errors. ``app.py`` only parses arguments, builds and launches."""

from .demo import CSS, build_demo, serve

__all__ = ["CSS", "build_demo", "serve"]
