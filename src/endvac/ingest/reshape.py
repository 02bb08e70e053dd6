"""Rows derived from a flat agency file: ids built from named columns, one event per stage.

A mapping with ``build`` or ``stages`` (docs/mapping.md) turns one source row into
the cells of one interchange row per *part*: the whole file, or one stage of it
(an arrest, a charge, a yes/no answer).  Each part reads only the agency columns
it uses, under derived names, so one agency column can feed several interchange
columns and a row's fingerprint covers only what the part loads.  Row numbers
stay those of the source file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from endvac.errors import BadInput
from endvac.ingest.findings import Finding, finding
from endvac.interchange.mapping import FileMapping, Stage
from endvac.interchange.spec import FileSpec

# Prefix of a derived column's name; the mapping of a part maps it to its target.
DERIVED = "endvac:"
_DAY = re.compile(r"[ T]")  # what ends the date part of a date and time


@dataclass
class Part:
    """One interchange row per source row (or per source row holding the stage)."""

    label: str  # where findings point: the file, and the stage when there is one
    header: list[str]
    records: Iterator[tuple[int, list[str]]]
    fmap: FileMapping
    problems: list[Finding] = field(default_factory=list)


def stages(fmap: FileMapping) -> list[Stage | None]:
    """The parts a file mapping makes: one per stage, or the whole file."""
    return list(fmap.stages) or [None]


def reshape(spec: FileSpec, path: Path, header: list[str],
            records: Iterable[tuple[int, list[str]]], fmap: FileMapping,
            stage: Stage | None, unknown: set[str] | None) -> Part:
    """The part of ``path`` that ``fmap`` and ``stage`` describe; ``unknown``, when given,
    holds the agency columns no file of the mapping reads (reported once per source)."""
    index = {h.strip().lower(): i for i, h in enumerate(header)}

    def at(column: str, use: str) -> int:
        found = index.get(column.strip().lower())
        if found is None:
            raise BadInput(f"{path}: the mapping reads a column {column!r} {use}, which is "
                           "not in the header", fix="correct the column name in the mapping")
        return found

    pairs = [(src, tgt) for src, tgt in [*fmap.columns.items(),
                                         *(stage.columns.items() if stage else [])]]
    if stage and stage.date:
        pairs.append((stage.date, "date"))
    plain = [(at(src, f"for {tgt}"), tgt) for src, tgt in pairs]
    taken = {t for _, t in plain} | set(fmap.build)
    plain += [(i, h.strip().lower()) for i, h in enumerate(header)
              if h.strip().lower() in spec.column_names and h.strip().lower() not in taken]
    built = {t: [at(c, f"to build {t}") for c in cols] for t, cols in fmap.build.items()}
    targets = [t for _, t in plain] + list(built)
    values = {**fmap.values, **(stage.values if stage else {})}
    label = str(path) if stage is None else f"{path} ({stage.event_type} stage)"
    part = Part(label, [DERIVED + t for t in targets], iter(()),
                FileMapping(columns={DERIVED + t: t for t in targets}, codes=fmap.codes,
                            values=values))
    if stage is not None:
        part.header += [DERIVED + "event_id", DERIVED + "evidence"]
        part.fmap.columns.update({DERIVED + "event_id": "event_id",
                                  DERIVED + "evidence": "evidence"})
        part.fmap.values["event_type"] = stage.event_type
    if unknown is not None:
        part.problems += [finding(spec.name, str(path), None, h.strip(), "unknown_column")
                          for h in header if h.strip().lower() in unknown
                          and h.strip().lower() not in spec.column_names]
    part.records = _rows(spec, part, header, records, plain, built, stage, at)
    return part


def _rows(spec: FileSpec, part: Part, header: list[str],
          records: Iterable[tuple[int, list[str]]], plain: list[tuple[int, str]],
          built: dict[str, list[int]], stage: Stage | None,
          at: Callable[[str, str], int]
          ) -> Iterator[tuple[int, list[str]]]:
    answer = date = None
    if stage is not None:
        answer = at(stage.answer, "as the answer") if stage.answer else None
        date = at(stage.date, "as the date") if stage.date else None
    yes = {a.strip().lower() for a in stage.yes} if stage else set()
    no = {a.strip().lower() for a in stage.no} if stage else set()
    day = next((k for k, (_, t) in enumerate(plain) if t == "date"), None)
    base = built.get("event_id") or built.get("record_id") or \
        [i for i, t in plain if t == "record_id"]
    for number, record in records:
        def cell(i: int, record: list[str] = record) -> str:
            return record[i].strip() if i < len(record) else ""
        evidence = ""
        if answer is not None:
            said = cell(answer)
            if not said:
                continue
            evidence = ("time_unknown" if said.lower() in yes else
                        "not_done" if said.lower() in no else said)
        elif date is not None and not cell(date):
            continue
        if len(record) != len(header):
            part.problems.append(finding(spec.name, part.label, number, None, "ragged_row",
                                         f"the row has {len(record)} cells, the header "
                                         f"{len(header)}"))
        cells = [cell(i) for i, _ in plain] + [_joined(cell, idx) for idx in built.values()]
        if answer is not None and day is not None:
            cells[day] = _DAY.split(cells[day], maxsplit=1)[0]  # an answer has no time
        if stage is not None:
            own = _joined(cell, base)
            cells += [f"{own}-{stage.event_type}" if own else "", evidence]
        yield number, cells


def _joined(cell: Callable[[int], str], indexes: list[int]) -> str:
    """The trimmed values of the named columns joined with '-'; empty when all are."""
    parts = [cell(i) for i in indexes]
    return "-".join(parts) if any(parts) else ""
