"""Every handler's errors reach the visitor (UI and API) as one clear sentence, never a traceback."""

from __future__ import annotations

import functools
import inspect
import logging
import uuid

import gradio as gr
from PIL import Image

log = logging.getLogger("gandemo.app")
UNEXPECTED = "Something went wrong on the server with this request (it has been logged). Please try again."


def _tag_images(value):
    """Give each returned PIL image a unique PNG text chunk (pixels unchanged).

    Gradio caches an output under the hash of its bytes and rewrites that file for every request
    that produces it, so two users asking for the same grid at once could download it mid-rewrite
    (an empty file). Distinct bytes mean distinct cache files.
    """
    if isinstance(value, Image.Image):
        value.info["gandemo-request"] = uuid.uuid4().hex
    elif isinstance(value, (list, tuple)):
        for item in value:
            _tag_images(item)
    return value


def _visitor_error(fn, error: Exception) -> gr.Error:
    """A ValueError carries a sentence written for the visitor; anything else is logged in full and the
    visitor gets one plain sentence, with no paths or internals."""
    if isinstance(error, gr.Error):
        return error
    if isinstance(error, ValueError):
        return gr.Error(str(error))
    log.exception("unexpected error in %s", fn.__name__)
    return gr.Error(UNEXPECTED)


def user_errors(fn):
    """Wrap a handler (a function or a generator) so that its errors become visitor sentences."""
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def stream(*args, **kwargs):
            try:
                for frame in fn(*args, **kwargs):
                    yield _tag_images(frame)
            except Exception as error:
                raise _visitor_error(fn, error) from None

        return stream

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return _tag_images(fn(*args, **kwargs))
        except Exception as error:
            raise _visitor_error(fn, error) from None

    return wrapper


def page_answers(fn):
    """Wrap a function a page calls through ``gr.HTML``'s server functions: Gradio answers a raised error
    there with a bare HTTP 500, so the visitor's sentence comes back as ``{"error": sentence}``."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as error:
            return {"error": _visitor_error(fn, error).message}

    return wrapper
