"""`endvac export sdmx`: a public release written as SDMX-CSV 2.0 (data.csv) and SDMX-ML
3.0 structure-specific data (data.xml), with the data structure definition, its
codelists and concepts as SDMX-ML 3.0 (structure.xml) alongside."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from endvac.errors import BadInput
from endvac.release import load_release
from endvac.sdmx.codes import ATTRIBUTES, DIMENSIONS
from endvac.sdmx.observations import Observations, observations
from endvac.sdmx.structure import Country, codelist_items, data_structure, dsd_of
from endvac.tabular import safe_cell
from endvac.workspace import Workspace

STRUCTURE_FILE, CSV_FILE, XML_FILE = "structure.xml", "data.csv", "data.xml"
OBS_COLUMNS = (*DIMENSIONS, "OBS_VALUE", *(a.id for a in ATTRIBUTES if a.level == "O"))


@dataclass(frozen=True)
class SdmxExport:
    """What an SDMX export wrote."""

    release: int
    folder: Path
    files: tuple[str, ...]
    observations: int
    confidential: int
    left_out: int


def export_sdmx(workspace: Workspace, out: Path, number: int | None = None) -> SdmxExport:
    """Write release ``number`` (default: the latest) of ``workspace`` as SDMX into
    ``out``: REF_AREA is the country code of the workspace config."""
    release = load_release(workspace, number)
    country = Country(workspace.config.country.code, workspace.config.country.name)
    found = observations(release.rows(), country.code)
    bands = list(workspace.config.counting.age_groups)
    items = codelist_items(country, bands, found.codes["REGION"])
    items["AGE"] = {**{c: c for c in found.codes["AGE"]}, **items["AGE"]}
    check_codes(found, items)
    objects = data_structure(items)
    attributes = {"RELEASE_NO": str(release.number), "RELEASE_PERIOD": release.meta["period"],
                  "DEF_VERSION": str(release.meta.get("definitions_version", "")),
                  "CONFIG_REV": str(release.meta.get("config_revision", "")),
                  "ROUNDING_BASE": str(release.meta.get("settings", {}).get("rounding_base")
                                       or "")}
    texts = _render(objects, found.rows, {k: v for k, v in attributes.items() if v})
    _write_private(out, texts)
    return SdmxExport(release.number, out, tuple(texts), len(found.rows),
                      sum(1 for o in found.rows if o["CONF_STATUS"] == "C"), found.left_out)


def check_codes(found: Observations, items: dict[str, dict[str, str]]) -> None:
    """Every coded dimension value of every observation is in its codelist."""
    for dim, codes in found.codes.items():
        missing = sorted(codes - set(items.get(dim, codes)))
        if missing:
            raise BadInput(f"{dim} codes {missing[:5]} of the release have no SDMX code",
                           fix="rebuild the release with the workspace's current config")


def _render(objects: list[Any], rows: list[dict[str, Any]], attributes: dict[str, str]
            ) -> dict[str, str]:
    import pandas as pd
    from pysdmx.io import write_sdmx
    from pysdmx.io.format import Format
    from pysdmx.io.pd import PandasDataset
    from pysdmx.model.dataset import ActionType

    dsd = dsd_of(objects)
    frame = pd.DataFrame(rows, columns=list(OBS_COLUMNS))
    escaped = frame.map(lambda v: safe_cell(v) if isinstance(v, str) else v)

    def dataset(data: pd.DataFrame) -> PandasDataset:
        return PandasDataset(structure=dsd.to_schema(), data=data.copy(),
                             action=ActionType.Information, attributes=attributes)

    structure = write_sdmx(objects, Format.STRUCTURE_SDMX_ML_3_0, output_path="")
    xml = write_sdmx(dataset(frame), Format.DATA_SDMX_ML_3_0, output_path="",
                     dimension_at_observation={dsd.short_urn: "AllDimensions"})
    csv = write_sdmx(dataset(escaped), Format.DATA_SDMX_CSV_2_0_0, output_path="")
    return {STRUCTURE_FILE: structure or "", XML_FILE: xml or "", CSV_FILE: csv or ""}


def _write_private(out: Path, texts: dict[str, str]) -> None:
    """Each file written whole (a temporary name, then renamed), owner-only (0600), in a
    folder created owner-only (0700)."""
    out.mkdir(mode=0o700, parents=True, exist_ok=True)
    for name, text in texts.items():
        staged = out / f".{name}.writing"
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(staged, out / name)

