"""The 2-D targets a model can learn (the real data of the Playground and of the 2-D plots), as data that
Python and the browser (``web/runtime/targets.js``) both read, and one sampler written in each language.

A target's points come from the portable generator (:mod:`gandemo.core.portable_random`), stream :data:`TARGET`:
point ``i`` of draw ``d`` (a training step's batch, say) takes the four words of counter ``(d, i, 0, 2)``
under the seed's key. ``u = x0 / 2**32`` picks the mode, the angle or the point; ``x1 / 2**32 < 0.5`` picks
the upper moon; ``(x2, x3)`` give the two normals of the noise (Box-Muller, as the latents). So a seed and a
draw give the same points in both languages, and ``tests/test_targets.py`` holds them equal.
"""

from __future__ import annotations

import math

import numpy as np

from . import inputs
from .data import RING_CENTERS, RING_STD
from .plots import PLOT_LIMIT
from .portable_random import box_muller, philox4x32, seed_key

TARGET = 2  # the counter's stream word for target points
YOUR_POINTS = "your points"  # a target the visitor draws by clicking, or uploads as a CSV of x,y
MAX_POINTS = 5000  # points a visitor may draw or upload
MAX_CLICKS = 200  # points a visitor may click (a CSV holds more)
MAX_MODES = 64  # up to this many of the visitor's points, each counts as a mode for mode coverage
POINT_STD = 0.05  # each of the visitor's points is a small Gaussian blob
MAX_VALUE = 1e6  # a CSV's x and y (before they are scaled into the plot: 1e308 would overflow to a NaN target)
MAX_LINK_POINTS = 200  # own points a link carries (about 11 characters each: links stay near 2 KB)
LINK_DECIMALS = 2  # a link rounds each coordinate to this many decimals (a hundredth of the 6-wide plot)
LINK_TOO_MANY = "too-many"  # a link's points when there were more than MAX_LINK_POINTS

_GRID = [[float(x), float(y)] for x in (-2, -1, 0, 1, 2) for y in (-2, -1, 0, 1, 2)]
TARGETS: dict[str, dict] = {
    "8 Gaussians": {"kind": "mixture", "centers": RING_CENTERS.tolist(), "std": RING_STD},
    "25 Gaussians": {"kind": "mixture", "centers": _GRID, "std": 0.05},
    "two moons": {"kind": "moons", "std": 0.05, "scale": 1.6},
    "swiss roll": {"kind": "roll", "std": 0.05, "scale": 1 / 7.5},
    YOUR_POINTS: {"kind": "points", "std": POINT_STD},
}
DEFAULT = "8 Gaussians"


def target_words(seed: int, n: int, draw: int = 0) -> np.ndarray:
    """The (n, 4) uint32 words behind ``n`` target points of one draw."""
    index = np.arange(n, dtype=np.uint64)
    zeros = np.zeros(n, np.uint64)
    return philox4x32(np.stack([zeros + draw, index, zeros, zeros + TARGET], 1), seed_key(seed))


def sample(name: str, seed: int, n: int, *, draw: int = 0, points=None) -> np.ndarray:
    """(n, 2) float32 points of target ``name``; ``points`` (k, 2) are the visitor's own, for "your points"."""
    spec = get(name)
    words = target_words(seed, n, draw)
    u = words[:, 0].astype(np.float64) / 2.0**32
    dx, dy = box_muller(words[:, 2], words[:, 3])
    noise = spec["std"] * np.stack([dx, dy], axis=1)
    kind = spec["kind"]
    if kind == "mixture":
        centers = np.asarray(spec["centers"], dtype=np.float64)
        return (centers[(words[:, 0].astype(np.uint64) * len(centers)) >> np.uint64(32)] + noise).astype(np.float32)
    if kind == "points":
        points = np.asarray(points if points is not None else [], dtype=np.float64).reshape(-1, 2)
        if not len(points):
            raise ValueError("the target 'your points' has no points yet: click on the plot, or upload a CSV of x,y")
        return (points[(words[:, 0].astype(np.uint64) * len(points)) >> np.uint64(32)] + noise).astype(np.float32)
    if kind == "moons":
        t = u * math.pi
        upper = words[:, 1].astype(np.float64) / 2.0**32 < 0.5
        x = np.where(upper, np.cos(t), 1 - np.cos(t))
        y = np.where(upper, np.sin(t), 0.5 - np.sin(t))
        return (np.stack([x - 0.5, y - 0.25], axis=1) * spec["scale"] + noise).astype(np.float32)
    t = 1.5 * math.pi * (1 + 2 * u)  # the swiss roll
    return (np.stack([t * np.cos(t), t * np.sin(t)], axis=1) * spec["scale"] + noise).astype(np.float32)


def get(name) -> dict:
    """The target called ``name``, or a ValueError listing them."""
    return TARGETS[inputs.choice(name, "target", list(TARGETS))]


def modes(name: str, points=None) -> tuple[np.ndarray, float] | None:
    """Mode centres and standard deviation of a mixture target (None for the others); a visitor's points are
    modes too when there are at most MAX_MODES of them."""
    spec = get(name)
    if spec["kind"] == "mixture":
        return np.asarray(spec["centers"], dtype=np.float32), spec["std"]
    if spec["kind"] == "points" and points is not None and 0 < len(points) <= MAX_MODES:
        return np.asarray(points, dtype=np.float32).reshape(-1, 2), spec["std"]
    return None


def of_config(config: dict) -> dict:
    """What a 2-D checkpoint was trained on (``config.json``'s ``target``: a name, and the visitor's points for
    "your points"); models saved before targets were recorded learned the 8-Gaussian ring."""
    target = config.get("target") or {"name": DEFAULT}
    if not isinstance(target, dict):
        raise ValueError("config.json's 'target' must be an object with a 'name'")
    name = inputs.choice(target.get("name"), "target", list(TARGETS))
    points = [list(p) for p in drawn_points(target.get("points"))] if name == YOUR_POINTS else None
    if name == YOUR_POINTS and not points:
        raise ValueError("config.json's target 'your points' lists no points")
    return {"name": name, "points": points}


def drawn_points(value) -> tuple[tuple[float, float], ...]:
    """A visitor's points (a list of [x, y] pairs), checked and named in the error."""
    if value is None or value == "":
        return ()
    if not isinstance(value, (list, tuple)) or len(value) > MAX_POINTS:
        raise ValueError(f"points must be a list of at most {MAX_POINTS:,} [x, y] pairs")
    pairs = []
    for i, pair in enumerate(value):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ValueError(f"points[{i}] must be a pair [x, y], got {str(pair)[:30]!r}")
        pairs.append(tuple(inputs.number(c, f"points[{i}]", -PLOT_LIMIT, PLOT_LIMIT) for c in pair))
    return tuple(pairs)


def link_text(points) -> str | None:
    """The visitor's points as a link's text, ``x_y_x_y...`` rounded to :data:`LINK_DECIMALS` (characters a URL
    keeps as they are); :data:`LINK_TOO_MANY` when there are more than :data:`MAX_LINK_POINTS`."""
    pairs = drawn_points(points)
    if len(pairs) > MAX_LINK_POINTS:
        return LINK_TOO_MANY
    return "_".join(f"{round(c, LINK_DECIMALS) + 0.0:g}" for pair in pairs for c in pair)


def read_link_points(text: str) -> list[list[float]]:
    """A link's ``points`` text (what :func:`link_text` writes) as [[x, y], ...], or a ValueError naming it."""
    if str(text).strip() == LINK_TOO_MANY:
        raise ValueError(
            f"the sender's own target had more points than a link holds ({MAX_LINK_POINTS}): draw your own"
        )
    words = str(text).strip().split("_") if str(text).strip() else []
    if len(words) % 2 or len(words) > 2 * MAX_LINK_POINTS:
        raise ValueError(f"points must be up to {MAX_LINK_POINTS} x_y pairs joined by _, like 0.5_1_-1.2_0")
    values = []
    for i, word in enumerate(words):
        try:
            value = float(word)
        except ValueError:
            raise ValueError(f"points: {word[:20]!r} (number {i + 1}) is not a number") from None
        values.append(inputs.number(value, "each of the points' coordinates", -PLOT_LIMIT, PLOT_LIMIT))
    return [values[i : i + 2] for i in range(0, len(values), 2)]


def table() -> dict:
    """The targets and their limits as plain data, for the browser."""
    return {
        "targets": TARGETS,
        "default": DEFAULT,
        "your_points": YOUR_POINTS,
        "max_points": MAX_POINTS,
        "max_clicks": MAX_CLICKS,
        "max_modes": MAX_MODES,
        "max_value": MAX_VALUE,
        "max_link_points": MAX_LINK_POINTS,
        "link_decimals": LINK_DECIMALS,
        "link_too_many": LINK_TOO_MANY,
        "limit": PLOT_LIMIT,
    }
