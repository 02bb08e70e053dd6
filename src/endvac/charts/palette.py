"""Colours that follow an indicator's ``better`` (definitions.yaml): blue where a value is
better, red where it is worse, a neutral hue where neither is (``better: none``).
Colour-blind safe and readable in grey print (the ends differ in lightness too)."""

from __future__ import annotations

from typing import Literal

Better = Literal["higher", "lower", "none"]

GOOD = "#2166ac"
MIDDLE = "#f7f7f7"
BAD = "#b2182b"
NEUTRAL = "#4d4d4d"
NEUTRAL_LIGHT = "#bababa"
BAND = "#d9d9d9"


def scale_range(better: str) -> list[str]:
    """The colour range of a value scale from the lowest to the highest value."""
    if better == "lower":
        return [GOOD, MIDDLE, BAD]
    if better == "higher":
        return [BAD, MIDDLE, GOOD]
    return [NEUTRAL_LIGHT, NEUTRAL]


def change_colour(better: str, change: float | None) -> str:
    """The colour of a change between two periods: better, worse or neither."""
    if change is None or change == 0 or better == "none":
        return NEUTRAL
    improved = (change < 0) if better == "lower" else (change > 0)
    return GOOD if improved else BAD


def change_word(better: str, change: float | None) -> str:
    """``better``, ``worse`` or ``no direction`` for a change between two periods."""
    if change is None:
        return "no comparison"
    if change == 0:
        return "unchanged"
    if better == "none":
        return "no direction"
    improved = (change < 0) if better == "lower" else (change > 0)
    return "better" if improved else "worse"
