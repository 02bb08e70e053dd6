"""The names catalogue: every code a person reads, named in each language, as data.

The catalogue files (``endvac/names/data/*.yaml``) each hold one or more catalogues:
a ``kind`` (what the codes are: ``iccs``, ``indicator``, ``sex`` …), the ``source`` of
the wording, ``verified`` per language (true when the wording was checked against the
source; an entry may override it), and ``names``: code → {language: name}.  Region and
facility names are not translated: they come from the delivered reference files
(``regions.csv``, ``facilities.csv``) in the analytic store.  docs/names.md lists the
sources and what is verified.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from endvac.errors import ConfigError, StoreError

LANGUAGES = ("en", "pt", "fr", "es", "ar")
DEFAULT_LANGUAGE = "en"
# Kinds named from the analytic store (the delivered reference files), not from data/.
STORE_KINDS = ("region", "facility")
# Which kind names the cells of each breakdown (docs/indicators.md); ``unknown`` is named
# by the kind ``value`` for every breakdown.
BREAKDOWN_KINDS = {"sex": "sex", "age_group": "age_group", "region": "region",
                   "offence_section": "iccs", "disability": "flag", "group": "group",
                   "nationality": "nationality"}
_BAND = re.compile(r"^(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True)
class Catalogue:
    """The names of one kind of code, with their source and what is verified."""

    kind: str
    source: str
    verified: dict[str, bool]
    names: dict[str, dict[str, str]]
    entry_verified: dict[str, dict[str, bool]] = field(default_factory=dict)

    def is_verified(self, code: str, lang: str) -> bool:
        return self.entry_verified.get(code, {}).get(lang, self.verified.get(lang, False))


def _catalogue(raw: dict[str, Any], where: str) -> Catalogue:
    try:
        names: dict[str, dict[str, str]] = {}
        overrides: dict[str, dict[str, bool]] = {}
        for code, entry in raw["names"].items():
            names[str(code)] = _entry(entry, f"{where}: {raw['kind']} {code}")
            if "verified" in entry:
                overrides[str(code)] = dict(entry["verified"])
        return Catalogue(str(raw["kind"]), str(raw["source"]), dict(raw["verified"]),
                         names, overrides)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"names catalogue {where}: malformed entry ({exc})",
                          fix="give kind, source, verified and names (see docs/names.md)"
                          ) from exc


def _entry(entry: dict[str, Any], where: str) -> dict[str, str]:
    """One code's names: exactly the languages, each a non-empty string."""
    names = {k: v for k, v in entry.items() if k != "verified"}
    if sorted(names) != sorted(LANGUAGES) or not all(
            isinstance(v, str) and v.strip() for v in names.values()):
        raise ConfigError(f"names catalogue {where}: needs a non-empty name in each of "
                          f"{', '.join(LANGUAGES)} and nothing else (has {', '.join(names)})",
                          fix="quote names holding a comma or colon (see docs/names.md)")
    return names


@lru_cache(maxsize=1)
def catalogues() -> dict[str, Catalogue]:
    """Every catalogue of endvac/names/data, by kind (read once)."""
    out: dict[str, Catalogue] = {}
    for item in sorted(resources.files("endvac.names").joinpath("data").iterdir(),
                       key=lambda p: p.name):
        if not item.name.endswith(".yaml"):
            continue
        data = yaml.safe_load(item.read_text(encoding="utf-8")) or {}
        for raw in data.get("catalogues", []):
            found = _catalogue(raw, item.name)
            if found.kind in out:
                raise ConfigError(f"names catalogue {item.name}: kind {found.kind} twice",
                                  fix="keep one catalogue per kind")
            out[found.kind] = found
    return out


class Names:
    """The names of codes in one language; ``label`` never fails (unknown → the code)."""

    def __init__(self, lang: str, store_names: dict[str, dict[str, str]] | None = None
                 ) -> None:
        if lang not in LANGUAGES:
            raise ConfigError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}",
                              fix="choose en, pt, fr, es or ar")
        self.lang = lang
        self._store = store_names or {}
        self._catalogues = catalogues()

    @property
    def kinds(self) -> tuple[str, ...]:
        return (*self._catalogues, *STORE_KINDS)

    def known(self, kind: str, code: str) -> bool:
        """Whether ``code`` of ``kind`` has a name (in some language)."""
        return self._name(kind, code) is not None

    def label(self, kind: str, code: Any) -> str:
        """The name of ``code`` (a ``kind`` code) in this language; the code if unknown."""
        if code is None:
            return ""
        text = str(code)
        return self._name(kind, text) or text

    def cell(self, breakdown: str, value: Any) -> str:
        """The name of a breakdown cell (``sex``/``f``, ``offence_section``/``05``)."""
        if value is None or value == "":
            return ""
        if value == "unknown":
            return self.label("value", "unknown")
        return self.label(BREAKDOWN_KINDS.get(breakdown, breakdown), value)

    def _name(self, kind: str, code: str) -> str | None:
        if kind in STORE_KINDS:
            return self._store.get(kind, {}).get(code) or None
        found = self._catalogues.get(kind)
        if found is None:
            return None
        entry = found.names.get(code)
        if entry is None:
            return self._band(kind, code)
        return entry.get(self.lang) or entry.get(DEFAULT_LANGUAGE) or None

    def _band(self, kind: str, code: str) -> str | None:
        match = _BAND.match(code) if kind == "age_group" else None
        if match is None:
            return None
        template = self._name("age_group", "band")
        return template.format(low=match[1], high=match[2]) if template else None

    def jinja_filters(self) -> dict[str, Callable[..., str]]:
        """Filters for a Jinja environment: ``{{ code|name('iccs') }}``,
        ``{{ value|cell('sex') }}``."""
        return {"name": lambda code, kind: self.label(kind, code),
                "cell": lambda value, breakdown: self.cell(breakdown, value)}


def store_names(con: Any) -> dict[str, dict[str, str]]:
    """Region and facility names from the delivered reference files (empty when a file
    was never delivered or a name is empty)."""
    from endvac.store import db

    out: dict[str, dict[str, str]] = {}
    for kind, sql in (("region", "SELECT region, name FROM regions WHERE name <> ''"),
                      ("facility", "SELECT facility_id, name FROM facilities "
                                   "WHERE name <> ''")):
        try:
            out[kind] = {str(code): str(name) for code, name in
                         db.rows(con, f"read {kind} names", sql)}
        except StoreError:
            out[kind] = {}
    return out


def load_names(lang: str, con: Any = None,
               places: dict[str, dict[str, str]] | None = None) -> Names:
    """The names in ``lang``; region and facility names from ``con`` (the analytic store)
    or ``places`` (what :func:`store_names` gave, e.g. kept in a snapshot's meta as
    ``place_names``: the web and the report read snapshots, not the store)."""
    return Names(lang, store_names(con) if con is not None else places)
