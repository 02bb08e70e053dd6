"""Messages that show the way: the offending value (never an identifier's), the nearest
valid codes, and for an unmapped label the mapping line to add."""

from __future__ import annotations

import difflib
import json
import re

import pyarrow as pa
import pyarrow.compute as pc

from endvac.interchange.spec import ALL_MEASURES, FileSpec, Kind, rule

# Kinds whose cells may be shown in a finding: codes, dates and numbers. Ids, free text,
# open codes and identifiers are never shown (they can hold names or id numbers).
SHOWN_KINDS = (Kind.CODE, Kind.AGENCY, Kind.FLAG, Kind.NATIONALITY, Kind.DATE,
               Kind.DATE_OR_TIME, Kind.PARTIAL_DATE, Kind.COUNT, Kind.ICCS)
SHOWN_CHARS = 40
LISTED_CODES = 12
_TWO_DIGIT_YEAR = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{1,2}(\D.*)?")
_MAPPED_RULES = ("bad_code", "bad_iccs")


def shows_value(spec: FileSpec, column: str | None) -> bool:
    """True when a cell of ``column`` may appear in a finding."""
    if column is None or column not in spec.column_names:
        return False
    return spec.column(column).kind in SHOWN_KINDS


def identifier_words(identifiers: pa.Table) -> set[str]:
    """The lower-case words of a file's clear identifiers (kept in memory only), so that a
    name typed into a code or date column is never shown back."""
    words: set[str] = set()
    for name in identifiers.column_names:
        if name.startswith("_"):
            continue
        column = pc.utf8_lower(identifiers.column(name).cast(pa.string()))
        split = pc.list_flatten(pc.split_pattern_regex(column, r"[^\w]+"))
        words.update(w for w in pc.unique(split).to_pylist() if w and len(w) > 1)
    return words


def message(spec: FileSpec, column: str | None, code: str, value: str | None,
            hidden: set[str] | frozenset[str] = frozenset()) -> str:
    """The finding's message: the rule's meaning, then what helps to fix this cell;
    a value sharing a word with an identifier of the delivery (``hidden``) is not shown."""
    text = rule(code).meaning
    if value is None or not shows_value(spec, column):
        return text
    if set(re.findall(r"\w+", value.lower())) & hidden:
        return text + " (the value is not shown: it matches a name or identifier)"
    assert column is not None
    shown = value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"
    text += f": {json.dumps(shown, ensure_ascii=False)}"
    codes = _codes(spec, column)
    if code == "bad_code" and codes:
        near = difflib.get_close_matches(value.lower(), codes, n=3, cutoff=0.6)
        if near:
            text += f"; nearest valid codes: {', '.join(near)}"
        elif len(codes) <= LISTED_CODES:
            text += f"; valid codes: {', '.join(codes)}"
    if code in _MAPPED_RULES:
        label = json.dumps(shown, ensure_ascii=False)
        text += (f"; if this is the agency's own label, add to the mapping under "
                 f"files.{spec.name}.codes.{column}: {{{label}: CODE}}")
    if code in ("bad_date", "optional_date_dropped") and _TWO_DIGIT_YEAR.fullmatch(value):
        text += "; a two-digit year? add a format with %y (e.g. %d/%m/%y) to date_formats"
    return text


def _codes(spec: FileSpec, column: str) -> tuple[str, ...]:
    col = spec.column(column)
    if column == "measure":
        return ALL_MEASURES
    return col.codes


def child_quarantined(row: int, rules: str) -> str:
    """The message of an event or spell whose child record was itself quarantined."""
    return (f"its child record, row {row} of the children file, was quarantined: "
            f"{', '.join(rules.split())}")
