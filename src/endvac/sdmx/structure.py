"""The data structure definition of a release, with its codelists and concepts, as
pysdmx objects (pysdmx is imported by the functions that need it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from endvac.indicators.definitions import load_definitions
from endvac.sdmx.codes import (
    AGENCY,
    ATTRIBUTES,
    CONCEPT_NAMES,
    CONCEPTS_ID,
    CONF_STATUS,
    DENOMINATOR,
    DIMENSIONS,
    DSD_ID,
    ICCS_SECTIONS,
    NUMERATOR,
    OBS_STATUS,
    OTHER,
    SEX,
    TOTAL,
    UNITS,
    UNKNOWN,
    VERSION,
    age_code,
)

if TYPE_CHECKING:
    from pysdmx.model import Codelist, Concept, DataStructureDefinition

_URN = "urn:sdmx:org.sdmx.infomodel."


@dataclass(frozen=True)
class Country:
    code: str
    name: str


def codelist_items(country: Country, age_groups: list[str], regions: set[str]
                   ) -> dict[str, dict[str, str]]:
    """Code -> name of every coded component: endvac's own codes in SDMX form."""
    indicators: dict[str, str] = {}
    for ind in load_definitions().indicators:
        indicators[ind.id] = ind.name
        indicators[ind.id + NUMERATOR] = f"{ind.name}: numerator (count)"
        indicators[ind.id + DENOMINATOR] = f"{ind.name}: denominator (count or population)"
    both = {TOTAL: "Total", UNKNOWN: "Unknown"}
    return {
        "REF_AREA": {country.code: country.name},
        "INDICATOR": indicators,
        "SEX": {**dict(SEX.values()), TOTAL: "Total", OTHER: "Other"},
        "AGE": {**{age_code(b): f"{b} years" for b in age_groups}, **both},
        "REGION": {**{r: r for r in sorted(regions - set(both))}, **both},
        "OFFENCE": {**ICCS_SECTIONS, TOTAL: "All offences"},
        "UNIT_MEASURE": dict(UNITS.values()),
        "OBS_STATUS": OBS_STATUS,
        "CONF_STATUS": CONF_STATUS,
    }


def data_structure(items: dict[str, dict[str, str]]) -> list[Any]:
    """The codelists, the concept scheme and the DSD (in that order) of a release."""
    from pysdmx.model import (
        Component,
        Components,
        ConceptScheme,
        DataStructureDefinition,
        DataType,
        Role,
    )

    codelists = {cid: _codelist(cid, codes) for cid, codes in items.items()}
    concepts = {cid: _concept(cid, name, codelists.get(cid), _dtype(cid))
                for cid, name in {**CONCEPT_NAMES,
                                  **{a.id: a.name for a in ATTRIBUTES}}.items()}
    components = [
        Component(id=cid, required=True, role=Role.DIMENSION, concept=concepts[cid],
                  local_codes=codelists.get(cid), local_dtype=_dtype(cid))
        for cid in DIMENSIONS]
    components.append(Component(id="OBS_VALUE", required=False, role=Role.MEASURE,
                                concept=concepts["OBS_VALUE"], local_dtype=DataType.DOUBLE))
    components += [
        Component(id=a.id, required=a.required, role=Role.ATTRIBUTE, concept=concepts[a.id],
                  local_codes=codelists.get(a.id), local_dtype=_dtype(a.id),
                  attachment_level=a.level)
        for a in ATTRIBUTES]
    scheme = ConceptScheme(id=CONCEPTS_ID, agency=AGENCY, version=VERSION,
                           name="endvac release concepts", items=list(concepts.values()))
    dsd = DataStructureDefinition(
        id=DSD_ID, agency=AGENCY, version=VERSION,
        name="endvac public release: indicators on children in contact with the justice "
             "system and violence against children", components=Components(components))
    return [*codelists.values(), scheme, dsd]


def _codelist(cid: str, codes: dict[str, str]) -> Codelist:
    from pysdmx.model import Code, Codelist

    return Codelist(id=f"CL_{cid}", agency=AGENCY, version=VERSION, name=f"endvac {cid}",
                    urn=f"{_URN}codelist.Codelist={AGENCY}:CL_{cid}({VERSION})",
                    items=[Code(id=code, name=name) for code, name in codes.items()])


def _concept(cid: str, name: str, codes: Codelist | None, dtype: Any) -> Concept:
    from pysdmx.model import Concept

    return Concept(id=cid, name=name, dtype=dtype, codes=codes,
                   urn=f"{_URN}conceptscheme.Concept={AGENCY}:{CONCEPTS_ID}({VERSION}).{cid}")


def _dtype(cid: str) -> Any:
    from pysdmx.model import DataType

    if cid == "TIME_PERIOD":
        return DataType.PERIOD
    if cid == "OBS_VALUE" or any(a.id == cid and a.dtype == "double" for a in ATTRIBUTES):
        return DataType.DOUBLE
    return DataType.STRING


def dsd_of(objects: list[Any]) -> DataStructureDefinition:
    from pysdmx.model import DataStructureDefinition

    return next(o for o in objects if isinstance(o, DataStructureDefinition))
