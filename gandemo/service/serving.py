"""What a long-running public server needs beyond the models: one bounded temporary folder, a memory
allocator that gives large buffers back, the files handed to visitors deleted when they are old, and the headers
that let a page run threads (cross-origin isolation)."""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import tempfile
import threading
import time
import uuid
import weakref
from collections import deque
from pathlib import Path


def bound_memory(*, mmap_threshold: int = 4 << 20, onednn_cache: int = 64, trim_every_s: float = 10.0) -> None:
    """Keep a long-running server's memory flat; call it before the first model runs.

    - oneDNN caches a compiled kernel per input shape, up to 1,024 of them: every grid size a visitor
      picks is a new batch size, and 400 random grids grew the process by 51 MiB. 64 keeps it flat.
    - glibc raises its mmap threshold to the largest buffer freed so far, after which buffers that size
      (a 9,216 x 400 critic-map activation is 14 MB) come from per-thread heaps that keep them: worker
      threads taking turns grew the process by about 1 MiB per plot. A fixed threshold stops that.
    - Freed memory inside glibc's heaps stays with the process until trimmed: a daemon thread hands
      it back every ``trim_every_s`` seconds (``malloc_trim``).
    """
    os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", str(onednn_cache))  # read at oneDNN's first use
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to set
        return
    m_mmap_threshold = -3  # from glibc's malloc.h
    libc.mallopt(m_mmap_threshold, mmap_threshold)

    def trim_now_and_then():
        while True:
            time.sleep(trim_every_s)
            libc.malloc_trim(0)

    threading.Thread(target=trim_now_and_then, name="malloc-trim", daemon=True).start()


class TempFiles:
    """One temporary folder per server holding at most ``max_entries`` files or folders; the oldest go first.

    Gradio copies every returned file into its own cache, so a file here only has to live until the
    handler that made it has returned; ``max_entries`` leaves plenty of room for requests in flight.
    """

    def __init__(self, max_entries: int = 64, *, prefix: str = "gandemo-"):
        self.root = Path(tempfile.mkdtemp(prefix=prefix))
        self.max_entries = max_entries
        self._entries: deque[Path] = deque()
        self._lock = threading.Lock()

    def new_path(self, name: str) -> Path:
        """A fresh path ``<unique folder>/name`` (the folder exists; the caller writes the file or folder)."""
        folder = self.root / uuid.uuid4().hex
        folder.mkdir()
        with self._lock:
            self._entries.append(folder)
            while len(self._entries) > self.max_entries:
                shutil.rmtree(self._entries.popleft(), ignore_errors=True)
        return folder / name

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


MAX_ADDRESS_BYTES = 32 * 1024  # a view's link is well under 4 KB; browsers send up to 2 MB


class RefuseLongAddresses:
    """ASGI middleware: a request whose path and query pass ``max_bytes`` gets a short 414 answer, before any
    route (Gradio's own root-URL code answers a 70 KB link with a 500 and a long traceback in the log)."""

    def __init__(self, app, max_bytes: int = MAX_ADDRESS_BYTES):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        length = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
        if scope["type"] not in ("http", "websocket") or length <= self.max_bytes:
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1009})
        body = f"This address is too long ({length:,} bytes; at most {self.max_bytes:,}).\n".encode()
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 414, "headers": headers})
        await send({"type": "http.response.body", "body": body})


# The two headers that make a page cross-origin isolated, which lets the browser's TensorFlow.js run its threaded
# wasm build (shared memory between threads); every response carries them, the workers' scripts included
ISOLATION_HEADERS = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"}


class CrossOriginIsolation:
    """ASGI middleware: ``ISOLATION_HEADERS`` on every HTTP response (the app's own files are same-origin, so
    require-corp blocks none of them)."""

    def __init__(self, app, headers: dict[str, str] = ISOLATION_HEADERS):
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        return await self.app(scope, receive, with_headers)


def sweep_files(blocks, age_s: float) -> int:
    """Delete the files ``blocks`` (a Gradio app) handed out more than ``age_s`` seconds ago; returns how many.

    Gradio's own ``delete_cache`` sweep walks its sets of cached files while request threads add to them, so
    on a busy server it soon fails once ("Set changed size during iteration") and never runs again: a soak
    of 800 mixed requests left every file in place. This walks copies of the sets instead."""
    keep = set()
    for component in list(blocks.blocks.values()):
        keep.update(getattr(component, "keep_in_cache", ()))
    now, deleted = time.time(), 0
    for files in list(blocks.temp_file_sets):
        for name in list(files):  # a copy: other threads add to the set meanwhile
            if name in keep:
                continue
            try:
                if now - os.lstat(name).st_ctime <= age_s:
                    continue
                os.remove(name)
                deleted += 1
            except FileNotFoundError:
                pass
            except OSError:
                continue
            files.discard(name)
    return deleted


def sweep_files_every(blocks, every_s: float, age_s: float) -> threading.Thread:
    """A daemon thread running :func:`sweep_files` every ``every_s`` seconds while ``blocks`` exists."""
    app = weakref.ref(blocks)

    def sweep_now_and_then():
        while True:
            time.sleep(every_s)
            current = app()
            if current is None:  # the app is gone
                return
            try:
                sweep_files(current, age_s)
            except Exception:  # one failed sweep must not end the sweeping
                logging.getLogger("gandemo.app").exception("sweeping the served files failed")
            del current

    thread = threading.Thread(target=sweep_now_and_then, name="served-files-sweep", daemon=True)
    thread.start()
    return thread
