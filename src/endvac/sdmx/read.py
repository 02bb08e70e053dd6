"""Reading back what `endvac export sdmx` wrote (with pysdmx): the observations as
release-shaped rows (value, counts, interval, suppression) and the dataset's metadata,
so that a comparison reads an SDMX file as it reads a release folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from endvac.errors import BadInput, UsageError
from endvac.sdmx.codes import (
    BREAKDOWN_DIMENSION,
    DENOMINATOR,
    NUMERATOR,
    TOTAL,
    UNITS,
    cell_of,
    period_of,
)

STRUCTURE_FILE, CSV_FILE, XML_FILE = "structure.xml", "data.csv", "data.xml"
_GROUP = ("REF_AREA", "TIME_PERIOD", "SEX", "AGE", "REGION", "OFFENCE")
_UNIT_OF = {code: unit for unit, (code, _name) in UNITS.items()}
_COUNTS = {NUMERATOR: "numerator", DENOMINATOR: "denominator"}


@dataclass(frozen=True)
class SdmxRelease:
    """An SDMX export read back: its area, dataset attributes and release-shaped rows."""

    area: str
    area_name: str
    attributes: dict[str, str]
    rows: list[dict[str, Any]]


def data_files(path: Path) -> tuple[Path, Path]:
    """(data file, structure file) of an export folder or of one of its data files."""
    folder = path if path.is_dir() else path.parent
    data = path if path.is_file() else folder / CSV_FILE
    if path.is_dir() and not data.is_file():
        data = folder / XML_FILE
    structure = folder / STRUCTURE_FILE
    if not data.is_file() or not structure.is_file():
        raise UsageError(f"{path.name} is not an SDMX export of endvac (no {data.name} with "
                         f"{STRUCTURE_FILE} beside it)",
                         fix="give a folder written by: endvac export sdmx WS --out DIR")
    return data, structure


def read_export(path: Path) -> SdmxRelease:
    """The SDMX export at ``path`` (its folder, data.csv or data.xml)."""
    from pysdmx.errors import PysdmxError
    from pysdmx.io import get_datasets, read_sdmx

    data, structure = data_files(path)
    try:
        dataset = get_datasets(str(data), str(structure))[0]
        message = read_sdmx(str(structure))
        observations = [{k: (None if _missing(v) else v) for k, v in rec.items()}
                        for rec in dataset.data.to_dict("records")]
        rows = release_rows(observations)
    except (PysdmxError, ValueError, KeyError, TypeError) as exc:
        raise BadInput(f"{data.name} cannot be read as SDMX: {type(exc).__name__}",
                       fix="export the release again with: endvac export sdmx") from exc
    areas = {str(o["REF_AREA"]) for o in observations}
    if len(areas) != 1:
        raise BadInput(f"{data.name} holds {len(areas)} reference areas, not one",
                       fix="export one workspace's release per folder")
    area = areas.pop()
    names = {code.id: str(code.name) for cl in message.get_codelists()
             if cl.id == "CL_REF_AREA" for code in cl.items}
    attributes = {str(k): str(v) for k, v in (dataset.attributes or {}).items()}
    return SdmxRelease(area, names.get(area, area), attributes, rows)


def release_rows(observations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Observations grouped back into release-shaped rows: a value with its counts."""
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for obs in observations:
        indicator, field = _indicator(str(obs["INDICATOR"]))
        key = (*(obs[d] for d in _GROUP), indicator)
        row = rows.setdefault(key, _row_key(obs, indicator))
        confidential = obs["CONF_STATUS"] == "C"
        if field == "value":
            row.update(unit=_UNIT_OF.get(str(obs["UNIT_MEASURE"]), ""),
                       value=obs["OBS_VALUE"], ci_low=obs.get("CI_LOWER"),
                       ci_high=obs.get("CI_UPPER"), coverage=_text(obs.get("COVERAGE")))
        else:
            count = obs["OBS_VALUE"]
            row[field] = None if count is None else int(round(float(count)))
        row[f"{field}_suppressed"] = "confidential" if confidential else None
    return list(rows.values())


def _row_key(obs: dict[str, Any], indicator: str) -> dict[str, Any]:
    breakdown, cell = "", ""
    for name, dim in BREAKDOWN_DIMENSION.items():
        if obs[dim] != TOTAL:
            breakdown, cell = name, cell_of(name, str(obs[dim]))
    return {"id": indicator, "period": period_of(str(obs["TIME_PERIOD"])),
            "breakdown": breakdown, "cell": cell, "unit": "", "numerator": None,
            "denominator": None, "value": None, "ci_low": None, "ci_high": None,
            "coverage": None, "numerator_suppressed": None,
            "denominator_suppressed": None, "value_suppressed": None}


def _indicator(code: str) -> tuple[str, str]:
    for suffix, field in _COUNTS.items():
        if code.endswith(suffix):
            return code[: -len(suffix)], field
    return code, "value"


def _text(value: Any) -> str | None:
    """A text attribute, without the quote that guarded it in the CSV file."""
    if value is None:
        return None
    text = str(value)
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r") \
        else text


def _missing(value: Any) -> bool:
    try:
        return bool(value != value) or value is None or str(value) in ("<NA>", "")
    except (TypeError, ValueError):
        return str(value) == "<NA>"
