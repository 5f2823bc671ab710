"""A drawing or a picture made into an MNIST-style digit, the way MNIST's digits were made: the ink's bounding
box fitted into 20 x 20 keeping its aspect ratio (area-averaged, so anti-aliased), then placed in 28 x 28 so that
its centre of mass sits at the centre. ``web/runtime/probe.js`` does the same in the page, reading the numbers
and sentences of :func:`table`; numpy and PIL only."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

SIDE = 28  # the digit's field
BOX = 20  # the ink's bounding box is fitted into BOX x BOX
INK = 0.2  # a pixel is ink when its darkness (against the picture's background) is above this
FILLED_SHARE = 0.75  # ink covering more than this share of its box...
FILLED_SIDE = 0.25  # ...when the box is wider and taller than this share of the picture: a filled shape
MAX_BYTES = 2_000_000  # an uploaded file's size limit
MAX_PIXELS = 4_000_000  # an uploaded picture's pixel limit (2000 x 2000)
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
PAD = 280  # the page's sketchpad, in pixels (10 x the field, as MNIST's digits were scanned large)
LINE = 22  # the pad's pen width, in pad pixels: about 2 field pixels once fitted, as MNIST's strokes

EMPTY = "Draw a digit first: there is no ink to read."
FILLED = "This looks like a filled shape, not a digit's strokes: clear the pad and draw the digit with lines."
WRONG_KIND = "This file is not a PNG, JPEG, WebP or GIF picture."
TOO_LARGE_FILE = f"This file is larger than the limit of {MAX_BYTES // 1_000_000} MB."
TOO_MANY_PIXELS = f"This picture has more than the limit of {MAX_PIXELS // 1_000_000} million pixels (2000 x 2000)."


class ProbeError(ValueError):
    """A picture that cannot be read as a digit, with the one sentence that says why."""


def table() -> dict:
    """The numbers and sentences the page's copy (web/runtime/probe.js) reads."""
    return {
        "side": SIDE,
        "box": BOX,
        "ink": INK,
        "filled_share": FILLED_SHARE,
        "filled_side": FILLED_SIDE,
        "max_bytes": MAX_BYTES,
        "max_pixels": MAX_PIXELS,
        "types": list(FORMATS.values()),
        "pad": PAD,
        "line": LINE,
        "sentences": {
            "empty": EMPTY,
            "filled": FILLED,
            "wrong_kind": WRONG_KIND,
            "too_large_file": TOO_LARGE_FILE,
            "too_many_pixels": TOO_MANY_PIXELS,
        },
    }


def read_picture(data: bytes) -> np.ndarray:
    """An uploaded file's pixels (H, W, 4 RGBA uint8; a GIF's first frame), its size, kind and pixels checked."""
    if len(data) > MAX_BYTES:
        raise ProbeError(TOO_LARGE_FILE)
    try:
        picture = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError):
        raise ProbeError(WRONG_KIND) from None
    if picture.format not in FORMATS:
        raise ProbeError(WRONG_KIND)
    if picture.width * picture.height > MAX_PIXELS:  # (checked before decoding a single pixel)
        raise ProbeError(TOO_MANY_PIXELS)
    try:
        # (turned as its EXIF orientation says, as a browser shows a phone's photo)
        return np.asarray(ImageOps.exif_transpose(picture).convert("RGBA"))
    except (OSError, ValueError):
        raise ProbeError(WRONG_KIND) from None


def darkness(rgba: np.ndarray) -> np.ndarray:
    """Each pixel's ink in [0, 1]: its grey (over white, as a page shows it) measured against the background,
    dark ink on a light picture or light ink on a dark one (the mean of the picture's border decides)."""
    rgba = rgba.astype(np.float64)
    lum = (0.299 * rgba[..., 0] + 0.587 * rgba[..., 1] + 0.114 * rgba[..., 2]) / 255
    alpha = rgba[..., 3] / 255
    grey = lum * alpha + (1 - alpha)
    border = np.concatenate([grey[0], grey[-1], grey[1:-1, 0], grey[1:-1, -1]])
    return 1 - grey if border.mean() > 0.5 else grey


def _round(x: float) -> int:
    return math.floor(x + 0.5)  # (halves up, as the page's Math.round)


def _area_weights(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in): output pixel j averages the input over [j, j + 1) * n_in / n_out, partial pixels in part."""
    scale = n_in / n_out
    weights = np.zeros((n_out, n_in))
    for j in range(n_out):
        start, end = j * scale, (j + 1) * scale
        for i in range(math.floor(start), min(n_in, math.ceil(end))):
            weights[j, i] = (min(end, i + 1) - max(start, i)) / scale
    return weights


def mnist_style(rgba: np.ndarray) -> np.ndarray:
    """A picture's (H, W, 4 RGBA) digit as MNIST's (28, 28), ink in [0, 1]; a 28 x 28 picture is taken as one
    already. Raises ProbeError with the sentence for no ink or a filled shape."""
    ink = darkness(rgba)
    rows, cols = np.nonzero(ink > INK)
    if not len(rows):
        raise ProbeError(EMPTY)
    if ink.shape == (SIDE, SIDE):
        return ink
    top, bottom, left, right = rows.min(), rows.max() + 1, cols.min(), cols.max() + 1
    h, w = bottom - top, right - left
    longest = max(ink.shape)
    if len(rows) > FILLED_SHARE * h * w and min(h, w) > FILLED_SIDE * longest:
        raise ProbeError(FILLED)
    crop = ink[top:bottom, left:right]
    scale = BOX / max(h, w)
    fh, fw = max(1, _round(h * scale)), max(1, _round(w * scale))
    fitted = _area_weights(h, fh) @ crop @ _area_weights(w, fw).T
    mass = fitted.sum()
    com_y = ((np.arange(fh) + 0.5) @ fitted.sum(axis=1)) / mass
    com_x = ((np.arange(fw) + 0.5) @ fitted.sum(axis=0)) / mass
    y0 = min(max(_round(SIDE / 2 - com_y), 0), SIDE - fh)
    x0 = min(max(_round(SIDE / 2 - com_x), 0), SIDE - fw)
    digit = np.zeros((SIDE, SIDE))
    digit[y0 : y0 + fh, x0 : x0 + fw] = fitted
    return digit


def read_digit_file(image) -> np.ndarray:
    """An uploaded picture file (its path, or Gradio's file dict) made into an MNIST-style digit, as /inspect,
    /invert and /neighbours read one: one sentence for no file, a file too large or a picture that is not one."""
    path = image.get("path") if isinstance(image, dict) else image
    if not isinstance(path, str) or not path:
        raise ProbeError(EMPTY)
    path = Path(path)
    if path.stat().st_size > MAX_BYTES:
        raise ProbeError(TOO_LARGE_FILE)
    return mnist_style(read_picture(path.read_bytes()))
