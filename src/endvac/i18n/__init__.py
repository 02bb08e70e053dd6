"""Languages: which one a command or a page speaks, and its gettext catalogue
(docs/languages.md).

The catalogues are ``locale/<lang>/LC_MESSAGES/endvac.po``; ``make messages``
extracts the strings (babel.cfg), updates every catalogue and compiles the ``.mo``
files beside them. A catalogue whose ``.mo`` is missing or older than its ``.po`` is
compiled in memory by Babel when first used, so a checkout works without the build
step. English needs no catalogue (the messages are English) and imports nothing heavy.
"""

from __future__ import annotations

import gettext
import io
import os
from functools import cache
from pathlib import Path

from endvac.errors import UsageError

LANGUAGES = ("en", "pt", "fr", "es", "ar")
DEFAULT_LANG = "en"
DOMAIN = "endvac"
LOCALE_DIR = Path(__file__).parent / "locale"
ENV_VAR = "ENDVAC_LANG"
# each language in its own words (the language menu; never translated)
AUTONYMS = {"en": "English", "pt": "Português", "fr": "Français", "es": "Español",
            "ar": "العربية"}
RTL = frozenset({"ar"})


def normalise(text: str | None) -> str | None:
    """``pt``, ``pt-BR``, ``pt_MZ`` or ``PT`` → ``pt``; None for a language not offered."""
    if not text:
        return None
    base = text.strip().replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


def checked(text: str, where: str) -> str:
    """A language given by a person: one of LANGUAGES, or a usage error naming ``where``."""
    found = normalise(text)
    if found is None:
        raise UsageError(f"{where} {text!r} is not a language endvac speaks",
                         fix=f"use one of {', '.join(LANGUAGES)}")
    return found


def resolve_lang(option: str | None = None, configured: str | None = None,
                 environ: dict[str, str] | None = None) -> str:
    """The language of a command: ``--lang`` > ``ENDVAC_LANG`` > the workspace config's
    ``language`` > English."""
    env = os.environ if environ is None else environ
    if option:
        return checked(option, "--lang")
    if env.get(ENV_VAR):
        return checked(env[ENV_VAR], ENV_VAR)
    if configured:
        return checked(configured, "language")
    return DEFAULT_LANG


def accept_language(header: str | None) -> str | None:
    """The first language of an Accept-Language header endvac speaks (by quality)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        found = normalise(tag)
        if found and quality > 0:
            ranked.append((-quality, position, found))
    return min(ranked)[2] if ranked else None


def web_lang(query: str | None, remembered: str | None, header: str | None,
             configured: str | None) -> str:
    """The language of a page: ``?lang=`` > the remembered choice (cookie) >
    Accept-Language > the workspace's ``language`` > English. Values that name no
    language endvac speaks are passed over."""
    for found in (normalise(query), normalise(remembered), accept_language(header),
                  normalise(configured)):
        if found:
            return found
    return DEFAULT_LANG


def direction(lang: str) -> str:
    """``rtl`` or ``ltr``: the text direction of the language (Babel's locale data)."""
    return _direction(lang)


@cache
def _direction(lang: str) -> str:
    if lang == DEFAULT_LANG:
        return "ltr"
    from babel import Locale

    return str(Locale.parse(lang).text_direction)


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The gettext catalogue of ``lang`` (English: none, the messages are English)."""
    if lang == DEFAULT_LANG or lang not in LANGUAGES:
        return gettext.NullTranslations()
    po = po_path(lang)
    mo = po.with_suffix(".mo")
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    return gettext.GNUTranslations(io.BytesIO(compile_po(po)))


def compile_po(po: Path) -> bytes:
    """A ``.po`` file compiled to ``.mo`` bytes by Babel (fuzzy entries left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


_CURRENT = {"lang": DEFAULT_LANG}


def use_language(lang: str) -> None:
    """Set the language of this process's messages (the CLI, after ``--lang``)."""
    _CURRENT["lang"] = lang


def current_language() -> str:
    return _CURRENT["lang"]


def N_(message: str) -> str:  # noqa: N802  (gettext's name for a marked string)
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


def _(message: str) -> str:
    """``message`` in the current language (:func:`use_language`)."""
    return translations(_CURRENT["lang"]).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The plural form of the current language for ``n``."""
    return translations(_CURRENT["lang"]).ngettext(singular, plural, n)
