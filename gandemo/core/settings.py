"""Every setting a visitor can change, defined once: its name, range, step and default. The app's controls,
the link readers, the checks on API values and the browser runtime (which gets this table as JSON) all read
it from here."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from . import inputs

WHOLE_TEXT = re.compile(r"-?[0-9]{1,18}")  # what a link may write for a whole number (ASCII digits only)
NUMBER_TEXT = re.compile(r"[-+]?(?:[0-9]{1,40}(?:\.[0-9]{0,40})?|\.[0-9]{1,40})(?:[eE][-+]?[0-9]{1,3})?")


@dataclass(frozen=True)
class Setting:
    """A whole number or a number in [low, high]; ``label`` names it in the UI and in every error."""

    label: str
    low: float
    high: float
    default: float
    step: float = 1
    whole: bool = True

    def read(self, value) -> int | float:
        """The value in its proper type, or a ValueError naming the setting and its range."""
        if self.whole:
            return inputs.whole(value, self.label, int(self.low), int(self.high))
        return inputs.number(value, self.label, self.low, self.high)

    def read_text(self, text: str) -> int | float:
        """A value as a link carries it: text of ASCII digits, else the text itself is named in the sentence
        (Python's int() and float() would also take '١٢' and choke on 5,000 digits); ``check.js`` matches the
        same patterns, handed to it in :meth:`to_dict`."""
        stripped = text.strip()
        value = text
        if WHOLE_TEXT.fullmatch(stripped):
            value = int(stripped)
        elif not self.whole and NUMBER_TEXT.fullmatch(stripped):
            value = float(stripped)
        return self.read(value)

    def to_dict(self) -> dict:
        """The setting as the browser reads it, with ``text``: the pattern a link's text matches, whole."""
        return {**asdict(self), "text": (WHOLE_TEXT if self.whole else NUMBER_TEXT).pattern}


# The views (MNIST grid, Compare, Latent walk, 2-D models)
ROWS = Setting("rows", 1, 16, 8)
COLS = Setting("columns", 1, 16, 8)
WALK_STEPS = Setting("steps", 2, 32, 10)
TOY_POINTS = Setting("points", 100, 10_000, 2500, step=100)
API_TOY_POINTS = Setting("points", 1, 10_000, 2500)  # the API takes any count the plot can show
TILE = Setting("tile", 0, 63, 0)  # which sample of the seed: the MNIST tab's 8 x 8 grid counts them row by row
OFFSET = Setting("offset", -3, 3, 0, step=0.1, whole=False)  # along a latent direction, in standard deviations

# The Playground's network and optimiser. Its defaults were chosen by measurement for a browser on a CPU with
# no GPU: 32 x 2 hidden units, batches of 64 and 5 critic steps train WGAN-GP at 30-60 steps/s there and
# cover all 8 modes of the ring within 1,000 steps (benchmarks/README.md, "The Playground in the browser").
PLAYGROUND = {
    "width": Setting("width", 8, 512, 32, step=8),
    "depth": Setting("hidden layers", 1, 4, 2),
    "g_lr": Setting("generator lr", 1e-6, 1e-2, 1e-3, step=0, whole=False),
    "d_lr": Setting("critic lr", 1e-6, 1e-2, 1e-3, step=0, whole=False),
    "critic": Setting("critic steps", 1, 10, 5),
    "gp": Setting("penalty weight", 0, 100, 0.1, step=0, whole=False),
    "batch": Setting("batch size", 16, 1024, 64, step=16),
    "seed": Setting("seed", 0, 2**31 - 1, 0),
}


def table() -> dict:
    """All of it as plain data, for the browser."""
    views = {
        "rows": ROWS,
        "cols": COLS,
        "walk_steps": WALK_STEPS,
        "toy_points": TOY_POINTS,
        "tile": TILE,
        "offset": OFFSET,
    }
    return {
        "views": {k: s.to_dict() for k, s in views.items()},
        "playground": {k: s.to_dict() for k, s in PLAYGROUND.items()},
    }
