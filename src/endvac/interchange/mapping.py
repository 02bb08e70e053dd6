"""Mapping files: an agency's own layout brought onto the interchange format.

A mapping (YAML, docs/mapping.md) names, per interchange file, the agency's
source file, its column names, its code labels and constants, plus the
delivery's delimiter, text encoding and date formats.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from endvac.errors import BadInput
from endvac.interchange.spec import FILES, file_spec
from endvac.yamlfile import load_yaml_model

_FORMAT_CODES = set("dmYyHMSbBjf%")


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
            targets = [*fmap.columns.values(), *fmap.codes, *fmap.values]
            bad = sorted(set(targets) - spec_cols)
            if bad:
                raise ValueError(f"files.{name}: {bad} are not columns of {name}")
        return self

    def for_file(self, name: str) -> FileMapping:
        return self.files.get(name) or FileMapping()


DEFAULT_MAPPING = Mapping()


def load_mapping(path: Path) -> Mapping:
    """Read and validate a mapping file."""
    return load_yaml_model(path, Mapping, BadInput, "mapping file", "docs/mapping.md")
