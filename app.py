"""gandemo's Gradio app: the entry point. The app itself is ``gandemo.ui``; pictures are drawn in the visitor's
browser from the checkpoint folders, and the named API draws the same ones on the server.

python app.py [--device auto] [--checkpoints checkpoints] [--hub-repo USER/REPO] [--host H] [--port P] [--share]
    [--data-dir DIR] [--no-download]
"""

from __future__ import annotations

import argparse
import logging
import os

import gradio as gr

from gandemo.core.data import DATA_VARIABLE
from gandemo.service.neighbours import CACHE_VARIABLE
from gandemo.service.serving import bound_memory
from gandemo.service.showroom import Showroom
from gandemo.ui import build_demo, serve

__all__ = ["build_demo", "demo_from", "parse_args", "serve"]


# Each option's default comes from a variable (a Space sets them in its settings): the one table behind both
# the defaults and --help.
OPTIONS = (  # flag, variable, default, help
    ("--device", "GANDEMO_DEVICE", "auto", "auto, cpu, cuda or mps"),
    ("--checkpoints", "GANDEMO_CHECKPOINTS", "checkpoints", "checkpoint folder"),
    ("--hub-repo", "GANDEMO_HUB_REPO", None, "load checkpoints from this Hub repo"),
    ("--host", "GRADIO_SERVER_NAME", "127.0.0.1", "address to listen on"),
    ("--port", "GRADIO_SERVER_PORT", 7860, "port to listen on"),
    ("--cache-age", "GANDEMO_CACHE_AGE_S", 600, "seconds a file handed to a visitor is kept before it is deleted"),
    (
        "--data-dir",
        DATA_VARIABLE,
        None,
        "MNIST folder, for the nearest training digits (none: ~/.cache/gandemo, flat or in MNIST/raw)",
    ),
)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Serve gandemo's checkpoints in a Gradio app.",
        epilog=f"{DATA_VARIABLE} is read by python -m train and python -m gandemo.evaluate too (the MNIST folder); "
        f"{CACHE_VARIABLE} names where the index of MNIST's training digits is kept (default ~/.cache/gandemo).",
    )
    for flag, variable, default, words in OPTIONS:
        shown = f"default: ${variable}, else {default if default is not None else 'none'}"
        parser.add_argument(  # argparse converts a variable's text as it does a flag's, and names the flag if it fails
            flag,
            type=type(default) if default is not None else str,
            default=os.environ.get(variable, default),
            help=f"{words} ({shown})",
        )
    parser.add_argument("--share", action="store_true", help="also serve through a temporary public link")
    parser.add_argument(
        "--no-download",
        action="store_true",
        help="never download MNIST (by default, where it is not in the data folder, it is downloaded there in the "
        "background for the nearest training digits, where the network allows)",
    )
    return parser.parse_args(argv)


def demo_from(args: argparse.Namespace) -> gr.Blocks:
    return build_demo(
        Showroom(args.checkpoints, device=args.device, hub_repo=args.hub_repo),
        cache_age_s=args.cache_age,
        data_dir=args.data_dir,
        index_now=True,
        download=not args.no_download,
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
