"""Mapping files: an agency's own layout brought onto the interchange format.

A mapping (YAML, docs/mapping.md) names, per interchange file, the agency's
source file, its column names, its code labels and constants, plus the
delivery's delimiter, text encoding and date formats.  One row of a flat file
can feed several interchange files and several events (``stages``); ids can be
built from named columns (``build``).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from endvac.errors import BadInput
from endvac.interchange.spec import EVENT_TYPES, FILES, IDENTIFIER_FIELDS, Kind, file_spec
from endvac.yamlfile import load_yaml_model

_FORMAT_CODES = set("dmYyHMSbBjf%")
# Answers of a yes/no column, compared lower-case and trimmed (English, Portuguese,
# French, Spanish); a mapping may replace them per stage.
YES = ("yes", "y", "sim", "s", "oui", "sí", "si", "true", "1", "x")
NO = ("no", "n", "não", "nao", "non", "false", "0")
# A code a draft mapping could not guess: the user replaces it before loading.
TO_COMPLETE = "?"


class Stage(BaseModel):
    """One event a row of a flat file may hold: its type and where its date is."""

    model_config = ConfigDict(extra="forbid")
    event_type: str = Field(description="The interchange event type of this stage.")
    date: str | None = Field(
        None, description="Agency column with the stage's date; the row has no such event "
                          "when it is empty. With `answer`: the reference stage's date.")
    answer: str | None = Field(
        None, description="A yes/no column: yes → evidence time_unknown, no → not_done, "
                          "blank → no event.")
    yes: list[str] = Field(default_factory=lambda: list(YES), description="Answers meaning yes.")
    no: list[str] = Field(default_factory=lambda: list(NO), description="Answers meaning no.")
    columns: dict[str, str] = Field(
        default_factory=dict, description="More agency columns read for this stage only.")
    values: dict[str, str] = Field(
        default_factory=dict, description="Constants for this stage only.")

    @model_validator(mode="after")
    def _complete(self) -> Stage:
        if self.event_type not in EVENT_TYPES:
            raise ValueError(f"event_type {self.event_type!r} is not an event type; use one "
                             f"of {list(EVENT_TYPES)}")
        if not (self.date or self.answer):
            raise ValueError(f"stage {self.event_type}: give its date column, its answer "
                             "column, or both")
        return self


class FileMapping(BaseModel):
    """How one interchange file is found and read in the agency's layout."""

    model_config = ConfigDict(extra="forbid")
    source: str | None = Field(None, description="File name in the delivery folder.")
    sheet: str | None = Field(None, description="Sheet of an .xlsx source (default: first).")
    columns: dict[str, str] = Field(
        default_factory=dict, description="Agency column name → interchange column.")
    codes: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="Interchange column → {agency label: interchange code} (labels "
                    "compared case-insensitively, trimmed).")
    values: dict[str, str] = Field(
        default_factory=dict, description="Interchange column → constant for every row.")
    build: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Id column → agency columns whose trimmed values, joined with '-', "
                    "make the id (never a name or an identifier).")
    stages: list[Stage] = Field(
        default_factory=list,
        description="events only: one event per stage a source row holds (one row → "
                    "several events); event_id is built as <id>-<event_type>.")

    def agency_columns(self) -> set[str]:
        """Every agency column this file's mapping reads (lower-case, trimmed)."""
        names = {*self.columns, *(c for cols in self.build.values() for c in cols)}
        for stage in self.stages:
            names |= {*stage.columns, *(c for c in (stage.date, stage.answer) if c)}
        return {n.strip().lower() for n in names}

    @property
    def reshapes(self) -> bool:
        """True when rows are derived (built ids or stages), not read one to one."""
        return bool(self.build or self.stages)


class Mapping(BaseModel):
    """A whole mapping file."""

    model_config = ConfigDict(extra="forbid")
    delimiter: str = Field(",", description="CSV delimiter, one character.")
    encoding: str = Field("utf-8", description="CSV text encoding, e.g. cp1252.")
    date_formats: list[str] = Field(
        default_factory=list,
        description="strptime formats tried after ISO 8601, e.g. %d/%m/%Y, %d/%m/%Y %H:%M.")
    files: dict[str, FileMapping] = Field(default_factory=dict)

    @field_validator("delimiter")
    @classmethod
    def _one_char(cls, value: str) -> str:
        if len(value) != 1 or value in "\r\n\"":
            raise ValueError("delimiter must be one character, not a quote or newline")
        return value

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError as exc:
            raise ValueError(f"unknown encoding {value!r}") from exc
        return value

    @field_validator("date_formats")
    @classmethod
    def _formats(cls, value: list[str]) -> list[str]:
        for fmt in value:
            codes = set(re.findall(r"%(.)", fmt))
            if not codes or not codes <= _FORMAT_CODES:
                raise ValueError(f"date format {fmt!r} uses unknown % codes")
        return value

    @model_validator(mode="after")
    def _known_columns(self) -> Mapping:
        names = {f.name for f in FILES}
        for name, fmap in self.files.items():
            if name not in names:
                raise ValueError(f"files.{name}: not an interchange file; use one of "
                                 f"{sorted(names)}")
            spec_cols = set(file_spec(name).column_names)
            targets = [*fmap.columns.values(), *fmap.codes, *fmap.values, *fmap.build,
                       *(t for s in fmap.stages for t in (*s.columns.values(), *s.values))]
            bad = sorted(set(targets) - spec_cols)
            if bad:
                raise ValueError(f"files.{name}: {bad} are not columns of {name}")
            _check_reshaping(name, fmap)
            _check_complete(name, fmap)
        _check_built_ids(self)
        return self

    def for_file(self, name: str) -> FileMapping:
        return self.files.get(name) or FileMapping()

    def sources(self) -> dict[str, int]:
        """How many interchange files each named source file feeds (lower-case names)."""
        counts: dict[str, int] = {}
        for fmap in self.files.values():
            if fmap.source:
                key = fmap.source.lower()
                counts[key] = counts.get(key, 0) + 1
        return counts

    def agency_columns(self) -> set[str]:
        """Every agency column some file of the mapping reads."""
        return {c for fmap in self.files.values() for c in fmap.agency_columns()}


def _check_reshaping(name: str, fmap: FileMapping) -> None:
    spec = file_spec(name)
    for target in fmap.build:
        if spec.column(target).kind is not Kind.ID:
            raise ValueError(f"files.{name}.build.{target}: only id columns are built")
    if not fmap.stages:
        return
    if name != "events":
        raise ValueError(f"files.{name}.stages: only events have stages")
    taken = {"event_id", "event_type", "date", "evidence"} & {*fmap.columns.values(),
                                                              *fmap.values}
    if taken:
        raise ValueError(f"files.events: with stages, {sorted(taken)} come from the stages; "
                         "remove them from columns/values")
    types = [s.event_type for s in fmap.stages]
    if len(types) != len(set(types)):
        raise ValueError("files.events.stages: an event type appears twice")


def _check_complete(name: str, fmap: FileMapping) -> None:
    for column, value in fmap.values.items():
        if value.strip() == TO_COMPLETE:
            raise ValueError(f"files.{name}.values.{column} is still {TO_COMPLETE!r}; "
                             "write its value")
    for column, labels in fmap.codes.items():
        for label, code in labels.items():
            if code.strip() == TO_COMPLETE:
                raise ValueError(f"files.{name}.codes.{column}: {label!r} is still "
                                 f"{TO_COMPLETE!r}; write its interchange code")


def _check_built_ids(mapping: Mapping) -> None:
    """An id is never built from a column that holds a name or another identifier."""
    protected = {src.strip().lower() for fmap in mapping.files.values()
                 for src, target in fmap.columns.items() if target in IDENTIFIER_FIELDS}
    for name, fmap in mapping.files.items():
        for target, cols in fmap.build.items():
            bad = sorted({c.strip().lower() for c in cols} & protected)
            if bad:
                raise ValueError(f"files.{name}.build.{target}: {bad} hold identifiers; "
                                 "build ids from record numbers, never from names")


DEFAULT_MAPPING = Mapping()


def load_mapping(path: Path) -> Mapping:
    """Read and validate a mapping file."""
    return load_yaml_model(path, Mapping, BadInput, "mapping file", "docs/mapping.md")
