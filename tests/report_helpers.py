"""Reading a report back: its value and count cells, sections and text."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path


class Cells(HTMLParser):
    """Every <td> with its attributes and text, and every <section>'s attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[dict[str, str], str]] = []
        self.sections: list[dict[str, str]] = []
        self.tags: set[str] = set()
        self._open: dict[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.tags.add(tag)
        if tag == "section":
            self.sections.append(found)
        if tag == "td":
            self._open, self._text = found, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._open is not None:
            self.cells.append((self._open, " ".join("".join(self._text).split())))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)


def parse(path: Path) -> Cells:
    found = Cells()
    found.feed(path.read_text(encoding="utf-8"))
    return found


def values(found: Cells, indicator: str, period: str = "2025", breakdown: str = "",
           cell: str = "") -> set[str]:
    """The texts of every value cell of one indicator, period and cell."""
    return {text for attrs, text in found.cells if "value" in attrs.get("class", "").split()
            and (attrs.get("data-id"), attrs.get("data-period"), attrs.get("data-breakdown"),
                 attrs.get("data-cell")) == (indicator, period, breakdown, cell)}


def counts(found: Cells) -> list[str]:
    return [text for attrs, text in found.cells if "count" in attrs.get("class", "").split()]


DECIMALS = {"per_100000": 1, "per_1000": 2, "per_child": 2, "percent": 1, "days": 1}


def shown(value: float | int | None, unit: str) -> str:
    """How the report must show a value: decimals by unit, thousands separated."""
    if value is None:
        return "–"
    if unit == "yes_no":
        return "yes" if value else "no"
    return f"{float(value):,.{DECIMALS[unit]}f}"
