"""Checks for values a visitor sends (through the UI or the API, so of any type): each returns the value
in its proper type or raises a ValueError whose sentence names the input and what it accepts."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .portable_random import MAX_SEED


def _shown(value) -> str:
    if value is None or value == "":
        return "nothing (the box is empty)"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def whole(value, name: str, low: int, high: int) -> int:
    """A whole number in [low, high]: an int, or a float with nothing after the point (what a JSON client sends)."""
    if isinstance(value, (float, np.floating)) and math.isfinite(value) and float(value).is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be a whole number from {low:,} to {high:,}, got {_shown(value)}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be from {low:,} to {high:,}, got {value:,}")
    return int(value)


def seed(value, name: str = "seed") -> int:
    try:
        return whole(value, name, 0, MAX_SEED)
    except ValueError:
        raise ValueError(f"{name} must be a whole number from 0 to 2**63 - 1, got {_shown(value)}") from None


def number(value, name: str, low: float, high: float) -> float:
    """A finite number in [low, high]."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not math.isfinite(value)
    ):
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}, got {_shown(value)}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be from {low:g} to {high:g}, got {value:g}")
    return float(value)


def choice(value, name: str, choices: Sequence[str]) -> str:
    """One of ``choices`` (strings)."""
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(c) for c in choices) if len(choices) <= 12 else f"{len(choices)} names"
        raise ValueError(f"{name} must be one of {listed}; got {_shown(value)}")
    return value


def flag(value, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be true or false, got {_shown(value)}")
    return bool(value)


def digit(value, name: str = "digit", *, allow_all: str | None = None) -> int | None:
    """A digit 0-9 as a number or a one-character string; ``allow_all`` (e.g. "all digits"), "" or None give None."""
    if value is None or value == "" or (allow_all is not None and value == allow_all):
        return None
    if isinstance(value, str) and value.isdecimal() and len(value) == 1:
        return int(value)
    if isinstance(value, str):
        raise ValueError(
            f"{name} must be a digit from 0 to 9{f' or {allow_all!r}' if allow_all else ''}, got {_shown(value)}"
        )
    return whole(value, name, 0, 9)
