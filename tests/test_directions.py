"""Latent directions (gandemo/measures/directions.py): found the GANSpace way, measured on the pictures, saved and
read back, and applied by the showroom with every input checked."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import gandemo
from gandemo.measures import directions
from gandemo.service.showroom import Showroom
from tests.conftest import make_checkpoint


def test_the_measures_read_what_a_picture_shows():
    picture = -torch.ones(3, 1, 28, 28)
    picture[0, 0, 4:24, 13:15] = 1  # a thin upright bar
    picture[1, 0, 4:24, 11:17] = 1  # a thick one
    for row in range(4, 24):  # a bar leaning right: its top is further right
        picture[2, 0, row, 13 + (24 - row) // 3 : 15 + (24 - row) // 3] = 1
    found = directions.measure_images(picture)
    assert found["thickness"][1] > 2 * found["thickness"][0]
    assert found["width"][1] > found["width"][0]
    assert abs(found["slant"][0]) < 1e-9 and found["slant"][2] > 0.2
    assert found["ink"][1] == pytest.approx(3 * found["ink"][0])


def test_directions_are_found_saved_and_steer_the_showroom(tmp_path):
    folder = make_checkpoint(tmp_path / "gan", "gan")
    generator = gandemo.load_generator(folder, device="cpu")
    found = directions.find_directions(generator, n=400, seed=0)
    assert found.shape == (directions.COUNT, generator.config.latent_dim)
    assert torch.allclose(found.norm(dim=1), torch.ones(directions.COUNT), atol=1e-5)
    assert torch.equal(found, directions.find_directions(generator, n=400, seed=0))  # seeded: the same again
    oriented, described = directions.orient(found, directions.describe(generator, found, n=16))
    for entry in described:
        top = max(directions.MEASURES, key=lambda name: abs(entry[f"r_{name}"]))
        assert entry[f"r_{top}"] >= 0 and entry["words"]
    directions.save_directions(folder, oriented, described, n=400, seed=0)
    vectors, read = directions.load_directions(folder)
    assert torch.equal(vectors, oriented) and read == described

    showroom = Showroom(tmp_path, device="cpu")
    assert showroom.direction_names() == ["gan"]
    still, strip = showroom.steer("gan", 3, 5, [0, 0, 0, 0, 0])
    moved, _ = showroom.steer("gan", 3, 5, [3, 0, 0, 0, 0])
    assert not np.array_equal(np.asarray(still), np.asarray(moved))
    assert strip.size[0] > strip.size[1]  # 7 offsets a row, one row per direction
    for offsets, message in (
        ([9, 0, 0, 0, 0], "direction 1 must be from -3 to 3, got 9"),
        ([0, 0, "x", 0, 0], "direction 3 must be a number"),
        ([0, 0], "a list of 5 numbers"),
        ("up", "a list of 5 numbers"),
    ):
        with pytest.raises(ValueError, match=message):
            showroom.steer("gan", 3, 5, offsets)
    with pytest.raises(ValueError, match="tile must be from 0 to 63"):
        showroom.steer("gan", 3, 64, [0] * 5)


def test_a_corrupt_directions_file_names_itself(tmp_path):
    folder = make_checkpoint(tmp_path / "gan", "gan")
    (folder / directions.DIRECTIONS_NAME).write_bytes(b"not a safetensors file")
    with pytest.raises(ValueError, match=r"directions\.safetensors could not be read as latent directions"):
        directions.load_directions(folder)
    with pytest.raises(ValueError, match="unconditional models only"):
        directions.find_directions(gandemo.load_generator(make_checkpoint(tmp_path / "cgan", "cgan"), device="cpu"))


def test_an_unreadable_directions_file_leaves_the_model_out_of_the_tab_and_the_app_starts(tmp_path):
    from gandemo.ui import browser

    make_checkpoint(tmp_path / "gan", "gan")
    (tmp_path / "gan" / directions.DIRECTIONS_NAME).write_bytes(b"broken")
    showroom = Showroom(tmp_path, device="cpu")
    assert showroom.direction_names() == []
    assert browser.site(showroom)["models"]["gan"]["directions"] is None
