"""Checks for values a visitor sends (through the UI or the API, so of any type): each returns the value
in its proper type or raises a ValueError whose sentence names the input and what it accepts."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

MAX_SEED = 2**63 - 1  # a seed is the 64-bit key of the portable generator, kept below 2**63 for signed 64-bit
SEED_TEXT = re.compile(r"\s*([0-9]{1,19})\s*")  # ASCII digits only: no '²', no '١٢', no '1e3', no '0x10'
MAX_SHOWN = 40  # a visitor's value is quoted in a sentence at most this long


def shown(value) -> str:
    """A visitor's value as it is quoted back to them: its repr, shortened (so a long or hostile value stays
    one short, plain piece of text)."""
    if value is None or value == "":
        return "nothing (the box is empty)"
    if isinstance(value, int) and value.bit_length() > 256:  # (repr refuses past 4,300 digits)
        return f"a number of about {int(value.bit_length() * 0.30103):,} digits"
    text = repr(value) if not isinstance(value, str) or len(value) <= MAX_SHOWN else repr(value[:MAX_SHOWN])
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def whole(value, name: str, low: int, high: int) -> int:
    """A whole number in [low, high]: an int, or a float with nothing after the point (what a JSON client sends)."""
    if isinstance(value, (float, np.floating)) and math.isfinite(value) and float(value).is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be a whole number from {low:,} to {high:,}, got {shown(value)}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be from {low:,} to {high:,}, got {value:,}")
    return int(value)


def seed(value, name: str = "seed", *, text: bool = True) -> int:
    """The one rule for a seed, wherever it comes from (the API, a link, the page): a whole number from 0 to
    2**63 - 1, exactly: an int, a float with nothing after the point below 2**53 (what a JSON client sends), or
    (unless ``text`` is False, as for the library's own functions) text of ASCII digits.
    ``web/runtime/check.js`` applies the same rule with the same sentence."""
    given = value  # (quoted back as it came: text stays text)
    if text and isinstance(value, str) and (match := SEED_TEXT.fullmatch(value)):
        value = int(match.group(1))
    elif isinstance(value, (float, np.floating)) and math.isfinite(value) and abs(value) < 2**53:
        value = int(value) if float(value).is_integer() else value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool) and 0 <= value <= MAX_SEED:
        return int(value)
    raise ValueError(f"{name} must be a whole number from 0 to 2**63 - 1, got {shown(given)}")


def number(value, name: str, low: float, high: float) -> float:
    """A finite number in [low, high]."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not math.isfinite(value)
    ):
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}, got {shown(value)}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be from {low:g} to {high:g}, got {value:g}")
    return float(value)


def choice(value, name: str, choices: Sequence[str]) -> str:
    """One of ``choices`` (strings)."""
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(c) for c in choices) if len(choices) <= 12 else f"{len(choices)} names"
        raise ValueError(f"{name} must be one of {listed}; got {shown(value)}")
    return value


def flag(value, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be true or false, got {shown(value)}")
    return bool(value)


def digit(value, name: str = "digit", *, allow_all: str | None = None) -> int | None:
    """A digit 0-9 as a number or a one-character string; ``allow_all`` (e.g. "all digits"), "" or None give None."""
    if value is None or value == "" or (allow_all is not None and value == allow_all):
        return None
    if isinstance(value, str) and value.isdecimal() and len(value) == 1:
        return int(value)
    if isinstance(value, str):
        raise ValueError(
            f"{name} must be a digit from 0 to 9{f' or {allow_all!r}' if allow_all else ''}, got {shown(value)}"
        )
    return whole(value, name, 0, 9)
