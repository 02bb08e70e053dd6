"""A Jinja2 environment in one language: ``jinja2.ext.i18n`` with the language's gettext
catalogue (``{% trans %}``, ``_()``, ``ngettext``), ``lang`` and ``dir`` for ``<html>``,
the names catalogue's ``name`` filter (codes → names) and locale number filters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Environment

from endvac.i18n import AUTONYMS, LANGUAGES, direction, translations
from endvac.i18n import numbers as num

EXTENSIONS = ["jinja2.ext.i18n"]
# the names kind of a breakdown's cells (a breakdown is named by its own kind otherwise)
CELL_KINDS = {"offence_section": "iccs"}


def install(env: Environment, lang: str, con: Any = None) -> Environment:
    """Make ``env`` (created with :data:`EXTENSIONS`) speak ``lang``."""
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
    env.globals.update(lang=lang, dir=direction(lang), languages=AUTONYMS,
                       language_codes=LANGUAGES)
    env.filters.update(name_filters(lang, con))
    env.filters.update(decimal=lambda v, d=1: num.decimal(v, d, lang),
                       integer=lambda v: num.integer(v, lang),
                       sig=lambda v, d=4: num.significant(v, d, lang),
                       day=lambda v: num.day(v, lang))
    return env


def name_filters(lang: str, con: Any = None) -> dict[str, Callable[..., str]]:
    """``name(code, kind)`` from the names catalogue, and ``cell_name(cell, breakdown)``
    for a breakdown's cell."""
    from endvac.names import load_names

    names = load_names(lang, con=con)
    filters: dict[str, Callable[..., str]] = dict(names.jinja_filters())

    def cell_name(cell: Any, breakdown: str) -> str:
        if cell in (None, ""):
            return ""
        return names.label(CELL_KINDS.get(breakdown, breakdown), str(cell))

    filters["cell_name"] = cell_name
    return filters
