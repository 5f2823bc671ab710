"""What the browser tests share: waiting for a view the browser draws, and reading its pixels."""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image

# what a page sends to the server's queue (a browser-drawn view must send none of these)
QUEUE = ("/gradio_api/queue/join", "/gradio_api/run/", "/gradio_api/call/", "/gradio_api/component_server")


def drawn(page, view_id: str, *, after: int = 0, timeout: float = 60_000) -> int:
    """Wait until view ``view_id`` has drawn more than ``after`` times (without an error); return the count."""
    page.wait_for_function(
        "([id, after]) => { const v = document.getElementById(id); "
        "return v && Number(v.dataset.drawn || 0) > after && !v.dataset.error; }",
        arg=[view_id, after],
        timeout=timeout,
    )
    return int(page.evaluate("(id) => document.getElementById(id).dataset.drawn", view_id))


def canvases(page, view_id: str) -> list[np.ndarray]:
    """The RGB pixels of each picture the browser drew inside ``view_id`` (not its charts)."""
    urls = page.evaluate(
        "(id) => Array.from(document.getElementById(id).querySelectorAll('canvas.gd-picture')).map(c => c.toDataURL())",
        view_id,
    )
    return [np.asarray(Image.open(io.BytesIO(base64.b64decode(u.split(",", 1)[1]))).convert("RGB")) for u in urls]


def push(page, view_id: str, values: list) -> None:
    """Hand a view new values, as its controls' browser-only events do."""
    page.evaluate("([id, values]) => globalThis.gandemoViews[id].update(values)", [view_id, values])


def png(path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"))


def queue_requests(page) -> list[str]:
    """Start recording the requests this page sends to the server's queue; the list fills as they go."""
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if any(q in r.url for q in QUEUE) else None)
    return sent


def settled(page, *, frames: int = 10, timeout: float = 30_000) -> None:
    """Wait until the layout holds still: every image in view loaded, and the page's width and the boxes of its
    images, canvases and controls the same for ``frames`` animation frames in a row."""
    page.evaluate("() => { delete globalThis.gandemoTestLayout; }")
    page.wait_for_function(
        """(frames) => {
          const inView = (e) => { const r = e.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; };
          if (![...document.images].filter((i) => i.offsetParent && inView(i)).every((i) => i.complete)) return false;
          const boxes = [...document.querySelectorAll("img, canvas, button, input, textarea")]
            .filter((e) => e.offsetParent)
            .map((e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; });
          const layout = JSON.stringify([document.documentElement.scrollWidth, boxes]);
          const seen = (globalThis.gandemoTestLayout ||= { layout: null, frames: 0 });
          seen.frames = layout === seen.layout ? seen.frames + 1 : 0;
          seen.layout = layout;
          return seen.frames >= frames;
        }""",
        arg=frames,
        polling="raf",
        timeout=timeout,
    )
