"""Portable seeded random numbers: the same latents in Python and in the browser (``web/runtime/random.js``).

The scheme, which both languages implement and ``tests/test_portable_random.py`` holds equal:

- **Generator.** Philox4x32-10 (Salmon et al., 2011, "Parallel random numbers: as easy as 1, 2, 3"; the
  Random123 constants), a counter-based generator: ``philox(counter, key)`` maps a 128-bit counter
  ``(c0, c1, c2, c3)`` and a 64-bit key ``(k0, k1)`` to four 32-bit words, with no state in between.
- **Key.** The request's seed ``s`` (a whole number in [0, 2**63 - 1]): ``k0 = s mod 2**32``, ``k1 = s >> 32``.
- **Counter.** ``(block, index, 0, stream)``: ``index`` is the tile (or point) number, ``stream`` says what
  the numbers are for (:data:`LATENTS` 0), ``block`` counts groups of four numbers.
- **Normals.** Latent element ``j`` of tile ``t`` comes from block ``j // 4`` of counter ``(., t, 0, 0)``:
  words ``(x0, x1)`` give elements ``4b, 4b + 1`` and ``(x2, x3)`` elements ``4b + 2, 4b + 3`` by Box-Muller,
  in float64, then rounded to float32: ``u1 = (x0 + 0.5) / 2**32``, ``u2 = x1 / 2**32``,
  ``r = sqrt(-2 ln u1)``, ``z0 = r cos(2 pi u2)``, ``z1 = r sin(2 pi u2)``.
- **Other streams**: the 2-D targets' points take stream 2 (:mod:`gandemo.core.targets`); the browser's Playground
  trains with streams 3-5 (``web/runtime/playground.js``); the browser's MNIST subset is drawn with stream 6
  (``train/digits_subset.py``).

Each tile draws from its own counter, so a tile never changes when the grid grows; nothing here has a state,
so no global random state is read or touched.
"""

from __future__ import annotations

import numpy as np

from . import inputs

LATENTS = 0  # the counter's stream word (1 is retired: it drew the ring's points before targets did)
_M0, _M1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)  # Random123's Philox4x32 multipliers
_W0, _W1 = 0x9E3779B9, 0xBB67AE85  # its key increments (the golden ratio, sqrt(3) - 1)
_LOW = np.uint64(0xFFFFFFFF)
_TWO_32 = 2.0**32


def philox4x32(counter: np.ndarray, key: tuple[int, int], rounds: int = 10) -> np.ndarray:
    """Philox4x32 of ``counter`` (N, 4) uint32 words under ``key`` (k0, k1): (N, 4) uint32."""
    c = [np.asarray(counter, dtype=np.uint64)[:, i] for i in range(4)]
    k0, k1 = key[0] & 0xFFFFFFFF, key[1] & 0xFFFFFFFF
    for r in range(rounds):
        if r:
            k0, k1 = (k0 + _W0) & 0xFFFFFFFF, (k1 + _W1) & 0xFFFFFFFF
        p0, p1 = _M0 * c[0], _M1 * c[2]  # exact: both factors are below 2**32
        hi0, hi1 = p0 >> np.uint64(32), p1 >> np.uint64(32)
        c = [hi1 ^ c[1] ^ np.uint64(k0), p1 & _LOW, hi0 ^ c[3] ^ np.uint64(k1), p0 & _LOW]
    return np.stack(c, axis=1).astype(np.uint32)


def seed_key(seed: int) -> tuple[int, int]:
    """The key of a seed: its low and high 32-bit words (a ValueError outside [0, 2**63 - 1])."""
    seed = inputs.seed(seed, text=False)
    return seed & 0xFFFFFFFF, seed >> 32


def box_muller(x0: np.ndarray, x1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two float64 standard normals from two arrays of 32-bit words (the scheme above)."""
    u1 = (x0.astype(np.float64) + 0.5) / _TWO_32
    theta = 2 * np.pi * (x1.astype(np.float64) / _TWO_32)
    r = np.sqrt(-2.0 * np.log(u1))
    return r * np.cos(theta), r * np.sin(theta)


def normals(seed: int, n: int, dim: int, *, start: int = 0) -> np.ndarray:
    """(n, dim) float32 standard normals: row ``i`` is tile ``start + i``'s latent for ``seed``."""
    if n < 0 or dim < 0 or start < 0 or start + n > 2**32:
        raise ValueError(f"tiles {start}..{start + n - 1} and dimension {dim} are out of range")
    blocks = -(-dim // 4)
    tile = np.repeat(np.arange(start, start + n, dtype=np.uint64), blocks)  # row-major: tile, then block
    block = np.tile(np.arange(blocks, dtype=np.uint64), n)
    zeros = np.zeros(n * blocks, np.uint64)
    counter = np.stack([block, tile, zeros, zeros + LATENTS], 1)
    words = philox4x32(counter, seed_key(seed))
    z0, z1 = box_muller(words[:, 0], words[:, 1])
    z2, z3 = box_muller(words[:, 2], words[:, 3])
    values = np.stack([z0, z1, z2, z3], axis=1).reshape(n, blocks * 4)[:, :dim]
    return values.astype(np.float32)
