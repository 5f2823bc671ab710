"""The portable latents: Philox4x32-10 as its authors publish it, the same numbers in Python and in
JavaScript (the browser's runtime), and what made the old scheme good kept."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

import gandemo
from gandemo.core import portable_random
from tests.node_helpers import run_module

# Random123's known-answer vectors for philox4x32_10: (counter, key) -> output
KNOWN_ANSWERS = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    (
        (0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344),
        (0xA4093822, 0x299F31D0),
        (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1),
    ),
]
SEEDS = [0, 1, 7, 12345, 2**31 - 1, 2**32, 2**53 - 1, 2**63 - 1]


@pytest.mark.parametrize(("counter", "key", "expected"), KNOWN_ANSWERS)
def test_philox_matches_the_published_known_answers(counter, key, expected):
    assert tuple(portable_random.philox4x32(np.array([counter], dtype=np.uint64), key)[0]) == expected


def test_latents_are_standard_normal_per_tile_and_leave_the_global_state_alone():
    state = torch.random.get_rng_state()
    z = gandemo.latents(7, 4000, 64)
    assert torch.equal(torch.random.get_rng_state(), state)
    assert z.dtype == torch.float32 and abs(float(z.mean())) < 0.01 and abs(float(z.std()) - 1) < 0.01
    assert torch.equal(gandemo.latents(7, 3, 64, start=10), z[10:13])  # a tile never changes when the grid grows
    assert not torch.equal(gandemo.latents(8, 1, 64), z[:1])
    assert torch.equal(gandemo.latents(7, 2, 10), z[:2, :10])  # a shorter latent is a prefix (blocks of four)
    with pytest.raises(ValueError, match="seed must be"):
        gandemo.latents(-1, 1, 4)


def _javascript(code: str):
    return run_module("random", "random", code)


def test_python_and_javascript_draw_the_same_latents():
    seeds = json.dumps([str(s) for s in SEEDS])
    js = _javascript(
        f"const out = {{}}; for (const s of {seeds}) "
        "out[s] = Array.from(random.normals(BigInt(s), 3, 101, { start: 5 })); console.log(JSON.stringify(out));"
    )
    for seed in SEEDS:
        expected = portable_random.normals(seed, 3, 101, start=5).ravel()
        assert np.allclose(np.array(js[str(seed)], dtype=np.float32), expected, rtol=0, atol=1e-6), seed


def test_javascript_philox_matches_the_known_answers():
    js = _javascript(
        "console.log(JSON.stringify(random.philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], "
        "[0xa4093822, 0x299f31d0])));"
    )
    assert tuple(js) == KNOWN_ANSWERS[2][2]
