"""The Draw a digit tab's digit making (gandemo/measures/probe.py) on pictures made here: MNIST's recipe (the ink's
box fitted into 20 x 20 keeping its aspect ratio, centred in 28 x 28 by its centre of mass) and its sentences."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from gandemo.measures import probe


def rgba(picture: Image.Image) -> np.ndarray:
    return np.asarray(picture.convert("RGBA"))


def drawn(lines, size=(280, 280), width=22, ink="black", paper="white") -> Image.Image:
    picture = Image.new("RGB", size, paper)
    ImageDraw.Draw(picture).line(lines, fill=ink, width=width)
    return picture


def encoded(picture: Image.Image, kind="PNG") -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, format=kind)
    return buffer.getvalue()


def test_a_digit_fills_20_pixels_one_way_and_sits_at_the_field_centre_by_its_mass():
    digit = probe.mnist_style(rgba(drawn([(100, 40), (120, 240)])))  # a tall stroke: its height becomes 20
    assert digit.shape == (28, 28)
    rows, cols = np.nonzero(digit > 0)
    assert rows.max() - rows.min() + 1 == probe.BOX and cols.max() - cols.min() + 1 < probe.BOX
    ys, xs = np.mgrid[0:28, 0:28] + 0.5
    centre = np.array([(ys * digit).sum(), (xs * digit).sum()]) / digit.sum()
    assert np.abs(centre - 14).max() <= 0.5  # (whole-pixel placement)


def test_light_ink_on_dark_paper_reads_as_dark_on_light():
    seven = [(60, 60), (210, 60), (120, 230)]
    dark = probe.mnist_style(rgba(drawn(seven)))
    light = probe.mnist_style(rgba(drawn(seven, ink="white", paper="black")))
    np.testing.assert_allclose(dark, light, atol=1e-12)


def test_a_28_pixel_picture_is_taken_as_a_digit_already():
    picture = np.zeros((28, 28, 4), np.uint8)
    picture[..., 3] = 255
    picture[8:20, 13:15, :3] = 255
    np.testing.assert_allclose(probe.mnist_style(picture), probe.darkness(picture))


@pytest.mark.parametrize(
    ("picture", "sentence"),
    [
        (Image.new("RGB", (280, 280), "white"), probe.EMPTY),
        (Image.new("RGB", (280, 280), "black"), probe.EMPTY),
        (drawn([(70, 140), (210, 140)], width=140), probe.FILLED),
    ],
)
def test_no_ink_or_a_filled_shape_is_one_sentence(picture, sentence):
    with pytest.raises(probe.ProbeError, match=sentence[:20]):
        probe.mnist_style(rgba(picture))


def test_uploads_are_checked_for_size_kind_and_pixels_before_decoding():
    with pytest.raises(probe.ProbeError, match="larger than the limit"):
        probe.read_picture(b"0" * (probe.MAX_BYTES + 1))
    with pytest.raises(probe.ProbeError, match="not a PNG"):
        probe.read_picture(b"just some text")
    with pytest.raises(probe.ProbeError, match="not a PNG"):
        probe.read_picture(encoded(Image.new("RGB", (8, 8)), "BMP"))
    with pytest.raises(probe.ProbeError, match="million pixels"):
        probe.read_picture(encoded(Image.new("L", (2100, 2100))))
    for kind in ("PNG", "JPEG", "WEBP", "GIF"):
        assert probe.read_picture(encoded(drawn([(10, 10), (50, 50)], size=(64, 64)), kind)).shape == (64, 64, 4)
