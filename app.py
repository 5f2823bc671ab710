"""gandemo's Gradio app: the entry point. The app itself is ``gandemo.ui``; pictures are drawn in the visitor's
browser from the checkpoint folders, and the named API draws the same ones on the server.

python app.py [--device auto] [--checkpoints checkpoints] [--hub-repo USER/REPO] [--host H] [--port P] [--share]
"""

from __future__ import annotations

import argparse
import logging
import os

import gradio as gr

from gandemo.serving import bound_memory
from gandemo.showroom import Showroom
from gandemo.ui import build_demo, serve

__all__ = ["build_demo", "demo_from", "parse_args", "serve"]


def parse_args(argv=None) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description="Serve gandemo's checkpoints in a Gradio app.")
    parser.add_argument("--device", default=env("GANDEMO_DEVICE", "auto"), help="auto, cpu, cuda or mps")
    parser.add_argument("--checkpoints", default=env("GANDEMO_CHECKPOINTS", "checkpoints"), help="checkpoint folder")
    parser.add_argument("--hub-repo", default=env("GANDEMO_HUB_REPO"), help="load checkpoints from this Hub repo")
    parser.add_argument("--host", default=env("GRADIO_SERVER_NAME", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(env("GRADIO_SERVER_PORT", "7860")))
    parser.add_argument("--share", action="store_true", help="also serve through a temporary public link")
    parser.add_argument(
        "--cache-age",
        type=int,
        default=int(env("GANDEMO_CACHE_AGE_S", "600")),
        help="seconds a file handed to a visitor is kept before it is deleted",
    )
    return parser.parse_args(argv)


def demo_from(args: argparse.Namespace) -> gr.Blocks:
    return build_demo(
        Showroom(args.checkpoints, device=args.device, hub_repo=args.hub_repo),
        cache_age_s=args.cache_age,
    )


def __getattr__(name: str):
    """A module-level ``demo``, built (from the GANDEMO_* environment) only when asked for: ``gradio app.py``
    reload mode looks it up after each edit, and importing app.py elsewhere loads no checkpoints."""
    if name == "demo":
        globals()["demo"] = built = demo_from(parse_args([]))
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    bound_memory()
    args = parse_args()
    demo = demo_from(args)
    serve(demo, server_name=args.host, server_port=args.port, share=args.share)
