"""A Jinja2 environment in one language: ``jinja2.ext.i18n`` with the language's gettext
catalogue (``{% trans %}``, ``_()``, ``ngettext``), ``lang`` and ``dir`` for ``<html>``,
the names catalogue's ``name`` and ``cell`` filters (codes → names) and locale number filters."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from jinja2 import Environment

from endvac.i18n import AUTONYMS, LANGUAGES, direction, translations
from endvac.i18n import numbers as num
from endvac.i18n.words import BREAKDOWN_TITLES

EXTENSIONS = ["jinja2.ext.i18n"]
# region and facility names of the snapshot being rendered (set with places_named)
PLACES: ContextVar[dict[str, dict[str, str]] | None] = ContextVar("endvac_places",
                                                                  default=None)


def install(env: Environment, lang: str) -> Environment:
    """Make ``env`` (created with :data:`EXTENSIONS`) speak ``lang``."""
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
    env.globals.update(lang=lang, dir=direction(lang), languages=AUTONYMS,
                       language_codes=LANGUAGES)
    filters = name_filters(lang)
    words = translations(lang).gettext
    env.filters.update(filters, dimension=_dimension(filters["name"], words),
                       named=_named(filters["name"]), source_name=_source(words))
    env.filters.update(decimal=lambda v, d=1: num.decimal(v, d, lang),
                       integer=lambda v: num.integer(v, lang),
                       sig=lambda v, d=4: num.significant(v, d, lang),
                       day=lambda v: num.day(v, lang))
    return env


def _dimension(name: Callable[..., str], words: Callable[[str], str]
               ) -> Callable[[str], str]:
    """A breakdown's title: the names catalogue's, else the translated title."""
    def title(code: str) -> str:
        found = name(code, "breakdown")
        return found if found != code else words(BREAKDOWN_TITLES.get(code, code))
    return title


def _named(name: Callable[..., str]) -> Callable[..., str]:
    """``code | named(kind, fallback)``: the catalogue's name, else ``fallback`` (the
    English name a definition carries)."""
    def named(code: Any, kind: str, fallback: str | None = None) -> str:
        found = name(code, kind)
        return fallback if found == str(code) and fallback else found
    return named


def _source(words: Callable[[str], str]) -> Callable[[str], str]:
    """``snapshot 3`` / ``public release 2`` (a provenance) in the language."""
    def source(text: str) -> str:
        kind, _, number = str(text).rpartition(" ")
        if kind == "snapshot":
            return words("Snapshot %(number)s") % {"number": number}
        if kind == "public release":
            return words("Public release %(number)s") % {"number": number}
        return str(text)
    return source


def name_filters(lang: str) -> dict[str, Callable[..., str]]:
    """``name(code, kind)`` and ``cell(value, breakdown)`` from the names catalogue;
    regions and facilities are named from :data:`PLACES` (the rendering's snapshot)."""
    from endvac.names import load_names

    plain = load_names(lang)

    def names() -> Any:
        places = PLACES.get()
        return load_names(lang, places=places) if places else plain

    return {"name": lambda code, kind: names().label(kind, code),
            "cell": lambda value, breakdown: names().cell(breakdown, value)}


@contextmanager
def places_named(places: dict[str, dict[str, str]] | None) -> Iterator[None]:
    """Name regions and facilities from ``places`` (a snapshot's ``place_names``) while
    templates render in this context."""
    token = PLACES.set(places)
    try:
        yield
    finally:
        PLACES.reset(token)
