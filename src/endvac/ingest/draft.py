"""`endvac mapping draft`: a mapping to complete, drafted from an agency's own files.

Columns are matched to interchange columns by name (synonyms in four languages,
:mod:`endvac.interchange.synonyms`), checked against their values (a yes/no column,
a date column); the distinct labels of coded columns are listed for the user to map
(``?`` where no code could be guessed) and date formats are guessed from the values.
Only column names, code labels and date shapes are read into the draft — never a
name or an id.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from endvac.errors import BadInput
from endvac.ingest.delivery import FORMATS
from endvac.ingest.read import source_records
from endvac.interchange.mapping import NO, TO_COMPLETE, YES, Mapping
from endvac.interchange.spec import BASES, END_REASONS, SEX
from endvac.interchange.synonyms import LABELS, STOPWORDS, SYNONYMS, Target

SAMPLE_ROWS = 2000
LISTED_LABELS = 40
DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%m/%d/%Y", "%d-%m-%Y", "%d-%m-%y", "%d.%m.%Y",
                "%Y/%m/%d", "%d/%m/%Y %H:%M", "%d/%m/%y %H:%M", "%d/%m/%Y %H:%M:%S",
                "%d-%m-%Y %H:%M", "%Y-%m-%d %H:%M")
_CODED = {"sex": SEX, "basis": BASES, "end_reason": END_REASONS}
_DATED = {"date_of_birth", "start", "end"}


class _PlainDumper(yaml.SafeDumper):
    """Writes a value shared by two files twice instead of as a YAML alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


@dataclass(frozen=True)
class Proposal:
    """What the draft makes of one agency column (``None``: nothing, left out)."""

    source: str
    column: str
    target: Target | None


@dataclass
class Draft:
    """The proposals per column and the mapping they make."""

    proposals: list[Proposal] = field(default_factory=list)
    mapping: dict[str, Any] = field(default_factory=dict)

    def to_complete(self) -> int:
        """How many values the user still has to write (marked ``?``)."""
        def count(node: Any) -> int:
            if isinstance(node, dict):
                return sum(count(v) for v in node.values())
            if isinstance(node, list):
                return sum(count(v) for v in node)
            return int(node == TO_COMPLETE)
        return count(self.mapping)

    def text(self) -> str:
        """The mapping as YAML, with what is left to complete said on top."""
        head = ("# Drafted by `endvac mapping draft`: complete it, then try it with\n"
                "#   endvac ingest WORKSPACE DELIVERY --mapping THIS_FILE --dry-run\n"
                f"# - replace every {TO_COMPLETE!r} with an interchange code "
                "(docs/interchange.md);\n"
                "# - check each column's target, the agency and the date formats;\n"
                "# - columns matched to nothing are listed here and left out:\n")
        left = [f"#     {p.source}: {p.column}" for p in self.proposals if p.target is None]
        body = yaml.dump(self.mapping, Dumper=_PlainDumper, allow_unicode=True,
                         sort_keys=False, width=100)
        return head + "\n".join(left) + ("\n" if left else "") + body


def normalised(name: str) -> list[str]:
    """A column name's words: no accents, lower case, stop words left out."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    words = "".join(c if c.isalnum() else " " for c in plain).split()
    return [w for w in words if w not in STOPWORDS]


def match(name: str) -> Target | None:
    """The interchange target whose longest phrase is wholly in ``name``."""
    words = set(normalised(name))
    best: tuple[int, Target] | None = None
    for target, phrases in SYNONYMS:
        for phrase in phrases:
            needed = normalised(phrase)
            if needed and set(needed) <= words and (best is None or len(needed) > best[0]):
                best = (len(needed), target)
    return None if best is None else best[1]


def draft_mapping(paths: list[Path]) -> Draft:
    """A draft mapping for the agency files ``paths`` (CSV or .xlsx)."""
    draft = Draft()
    encoding, delimiter = "utf-8", ","
    formats: list[str] = []
    for path in paths:
        fmt = FORMATS.get(path.suffix.lower())
        if fmt not in ("csv", "xlsx"):
            raise BadInput(f"{path}: not a .csv or .xlsx file", fix="give the agency's files")
        if fmt == "csv":
            encoding, delimiter = _sniff(path)
        header, samples = _sample(path, fmt, encoding, delimiter)
        targets = {c: _checked(match(c), samples[c]) for c in header}
        draft.proposals += [Proposal(path.name, c, t) for c, t in targets.items()]
        _files(draft.mapping.setdefault("files", {}), path.name, targets, samples)
        for column, target in targets.items():
            if target and _is_date(target):
                formats += [f for f in _date_formats(samples[column]) if f not in formats]
    order = {f: i for i, f in enumerate(DATE_FORMATS)}
    top = {"delimiter": delimiter, "encoding": encoding,
           "date_formats": sorted(formats, key=order.__getitem__)}
    draft.mapping = {**top, **draft.mapping}
    return draft


def _sniff(path: Path) -> tuple[str, str]:
    head = path.read_bytes()[:65536]
    try:
        text, encoding = head.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = head.decode("cp1252", errors="replace"), "cp1252"
    first = text.splitlines()[0] if text else ""
    delimiter = max(";,\t|", key=first.count)
    return encoding, delimiter


def _sample(path: Path, fmt: str, encoding: str, delimiter: str
            ) -> tuple[list[str], dict[str, list[str]]]:
    records = source_records(path, fmt, Mapping(delimiter=delimiter, encoding=encoding), None)
    first = next(records, None)
    header = [h.strip() for h in (first[1] if first else [])]
    samples: dict[str, list[str]] = {h: [] for h in header}
    for count, (_, record) in enumerate(records):
        if count >= SAMPLE_ROWS:
            break
        for name, cell in zip(header, record, strict=False):
            if cell.strip():
                samples[name].append(cell.strip())
    return header, samples


def _yes_no(values: list[str]) -> bool:
    answers = set(YES) | set(NO)
    return bool(values) and sum(v.lower() in answers for v in values) >= 0.8 * len(values)


def _checked(target: Target | None, values: list[str]) -> Target | None:
    """A yes/no column is an answer, a column of dates a stage, whatever its name says."""
    if target and target[0] == "answer" and values and not _yes_no(values):
        return ("stage", target[1]) if _date_formats(values) else target
    if target and target[0] == "stage" and _yes_no(values):
        return ("answer", target[1])
    return target


def _is_date(target: Target) -> bool:
    return target[0] == "stage" or target[1] in _DATED


def _date_formats(values: Iterable[str]) -> list[str]:
    """Formats that read at least one value no format before them reads (ISO aside)."""
    found: list[str] = []
    for value in values:
        if _parses(value, ("%Y-%m-%d", "%Y-%m-%dT%H:%M", *found)):
            continue
        fits = [f for f in DATE_FORMATS if _parses(value, (f,))]
        if fits and not ("%m/%d/%Y" in fits[:1] and "%d/%m/%Y" in found):
            found.append(fits[0])
    return found


def _parses(value: str, formats: Iterable[str]) -> bool:
    for fmt in formats:
        try:
            datetime.strptime(value, fmt)
        except ValueError:
            continue
        return True
    return False


def _files(files: dict[str, Any], source: str, targets: dict[str, Target | None],
           samples: dict[str, list[str]]) -> None:
    """Add the interchange files one agency file feeds to the draft's ``files``."""
    by_kind: dict[str, list[tuple[str, str]]] = {}
    for column, target in targets.items():
        if target:
            by_kind.setdefault(target[0], []).append((column, target[1]))
    record = next((c for c, _ in by_kind.get("build", [])), None)
    detention = "start" in {t for _, t in by_kind.get("detentions", [])}
    agency = "detention" if detention else "police"
    built = {"record_id": [record]} if record else {}
    if by_kind.get("children") and "children" not in files:
        files["children"] = _entry(source, built, by_kind["children"], samples, agency)
    if (by_kind.get("stage") or by_kind.get("answer")) and "events" not in files:
        files["events"] = _events(source, built, by_kind, samples, agency)
    if detention and "detentions" not in files:
        det = by_kind["detentions"]
        start = next(c for c, t in det if t == "start")
        spell = {"spell_id": [record, start], "record_id": [record]} if record else {}
        files["detentions"] = _entry(source, spell, [(c, t) for c, t in det], samples,
                                     "detention")
        facility = [c for c, t in det if t == "facility_id"]
        if facility and "facilities" not in files:
            files["facilities"] = {"source": source, "columns": {facility[0]: "facility_id"},
                                   "values": {"type": TO_COMPLETE}}


def _entry(source: str, built: dict[str, list[str]], columns: list[tuple[str, str]],
           samples: dict[str, list[str]], agency: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"source": source}
    if built:
        entry["build"] = built
    entry["columns"] = dict(columns)
    codes = {t: _labels(t, samples[c]) for c, t in columns if t in _CODED}
    codes = {t: labels for t, labels in codes.items() if labels}
    if codes:
        entry["codes"] = codes
    entry["values"] = {"agency": agency}
    return entry


def _events(source: str, built: dict[str, list[str]], by_kind: dict[str, list[tuple[str, str]]],
            samples: dict[str, list[str]], agency: str) -> dict[str, Any]:
    stages = by_kind.get("stage", [])
    reference = next((c for c, t in stages if t == "arrest"), stages[0][0] if stages else None)
    entry = _entry(source, built, by_kind.get("events", []), samples, agency)
    offence = [c for c, t in by_kind.get("events", []) if t == "offence_iccs"]
    if offence:
        labels = sorted({v for v in samples[offence[0]] if not v.isdigit()})[:LISTED_LABELS]
        entry["codes"] = {"offence_iccs": dict.fromkeys(labels, TO_COMPLETE)}
        entry["values"] = entry.pop("values")
    entry["stages"] = [{"event_type": t, "date": c} for c, t in stages] + [
        {"event_type": t, "answer": c, **({"date": reference} if reference else {})}
        for c, t in by_kind.get("answer", [])]
    return entry


def _labels(target: str, values: list[str]) -> dict[str, str]:
    """The distinct labels of a coded column that are not codes already."""
    codes = _CODED[target]
    known = LABELS.get(target, {})
    labels = sorted({v for v in values if v.lower() not in codes})[:LISTED_LABELS]
    return {label: known.get(label.lower(), TO_COMPLETE) for label in labels}

