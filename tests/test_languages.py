"""The languages: every message the code marks is translated in every catalogue (not
fuzzy, same placeholders, right plural count), the language is chosen in the documented
order, numbers read as each locale writes them, and the CLI speaks the chosen language."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from endvac.errors import UsageError
from endvac.i18n import (
    LANGUAGES,
    accept_language,
    direction,
    po_path,
    resolve_lang,
    translations,
    web_lang,
)
from endvac.i18n.numbers import day, decimal, integer, significant

ROOT = Path(__file__).parent.parent
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[sdif%]")
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]


def marked_messages() -> set[str | tuple[str, ...]]:
    """Every message marked in the sources, extracted now with the project's babel.cfg
    (so a string added without running `make messages` is caught)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / "src"), method_map, options_map):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def placeholders(text: str) -> set[str]:
    return {m.group(0) for m in PLACEHOLDER.finditer(text)}


@pytest.fixture(scope="module")
def marked() -> set[str | tuple[str, ...]]:
    return marked_messages()


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_marked_message_is_translated_with_its_placeholders(
        lang: str, marked: set[str | tuple[str, ...]]) -> None:
    with po_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    by_id: dict[str | tuple[str, ...], Message] = {
        (m.id if isinstance(m.id, str) else tuple(m.id)): m for m in catalog if m.id}
    assert len(marked) > 300  # the web, the report and the CLI mark ~390 messages
    missing = sorted(str(m) for m in marked if m not in by_id)
    assert missing == [], f"{lang}: not in the catalogue (run make messages): {missing[:5]}"
    for key, message in by_id.items():
        assert "fuzzy" not in message.flags, (lang, key)
        ids = [key] if isinstance(key, str) else list(key)
        strings = [message.string] if isinstance(message.string, str) else list(
            message.string)
        if isinstance(key, tuple):  # one form per plural category of the language
            assert len(strings) == catalog.num_plurals, (lang, key)
        for text in strings:
            assert text, f"{lang}: {key!r} has no translation"
            assert placeholders(text) == placeholders(ids[-1]), (lang, key, text)
    # Babel's own checks (python-format placeholders, plural forms)
    assert [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()] == []


def test_plural_forms_follow_each_language() -> None:
    # Arabic has six plural categories: 0, 1, 2, 3–10, 11–99, other (100, 101 …);
    # Portuguese/Spanish/French put 1 in "one" and 5 in "other".
    ar = translations("ar")
    one_of = ("%(num)s alert.", "%(num)s alerts.")
    assert ar.ngettext(*one_of, 2) == "تنبيهان (%(num)s)."
    assert ar.ngettext(*one_of, 5) == "%(num)s تنبيهات."
    assert ar.ngettext(*one_of, 11) == "%(num)s تنبيهًا."
    assert ar.ngettext(*one_of, 100) == "%(num)s تنبيه."
    assert translations("pt").ngettext(*one_of, 1) == "%(num)s alerta."
    assert translations("es").ngettext(*one_of, 5) == "%(num)s alertas."
    assert translations("en").ngettext(*one_of, 5) == "%(num)s alerts."


def test_language_order_for_commands() -> None:
    env = {"ENDVAC_LANG": "fr"}
    assert resolve_lang("pt", "es", env) == "pt"          # --lang first
    assert resolve_lang(None, "es", env) == "fr"          # then ENDVAC_LANG
    assert resolve_lang(None, "es", {}) == "es"           # then the workspace's language
    assert resolve_lang(None, None, {}) == "en"           # then English
    assert resolve_lang("pt-BR", None, {}) == "pt"
    with pytest.raises(UsageError, match="--lang 'de'"):
        resolve_lang("de", None, {})


def test_language_order_for_pages() -> None:
    header = "de-DE,de;q=0.9,es;q=0.8,fr;q=0.9"
    assert accept_language(header) == "fr"  # German is not offered; fr (0.9) before es
    assert web_lang("ar", "pt", header, "es") == "ar"     # ?lang= first
    assert web_lang(None, "pt", header, "es") == "pt"     # then the remembered choice
    assert web_lang(None, None, header, "es") == "fr"     # then Accept-Language
    assert web_lang("xx", "yy", "de", "es") == "es"       # then the workspace's language
    assert web_lang(None, None, None, None) == "en"


def test_numbers_and_dates_as_each_locale_writes_them() -> None:
    # CLDR: en 1,234.5; pt and es 1.234,5; fr 1 234,5 with a narrow no-break space
    assert decimal(1234.5, 1, "en") == "1,234.5"
    assert decimal(1234.5, 1, "pt") == "1.234,5"
    assert decimal(1234.5, 1, "es") == "1.234,5"
    assert decimal(1234.5, 1, "fr") == "1\u202f234,5"
    assert integer(8000, "pt") == "8.000"
    assert decimal(None, 1, "pt") == "–"
    assert significant(0.0012345, 3, "fr") == "0,00123"
    # CLDR's medium dates: "31 de dez. de 2025" (pt), "Dec 31, 2025" (en)
    assert day("2025-12-31", "pt") == "31 de dez. de 2025"
    assert day("2025-12-31", "en") == "Dec 31, 2025"
    assert direction("ar") == "rtl" and direction("pt") == "ltr"


def _endvac(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-c", "from endvac.cli.main import main; main()",
                           *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_cli_error_line_in_the_chosen_language(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-workspace")
    english = _endvac("deliveries", missing, env={"ENDVAC_LANG": ""})
    assert english.returncode == 2 and english.stderr.startswith("endvac: ")
    assert " — " in english.stderr and "solução" not in english.stderr
    portuguese = _endvac("--lang", "pt", "deliveries", missing)
    assert portuguese.returncode == 2
    assert portuguese.stderr.startswith("endvac: ") and "— solução: " in portuguese.stderr
    french = _endvac("deliveries", missing, env={"ENDVAC_LANG": "fr"})
    assert french.stderr.startswith("endvac : ") and "— solution : " in french.stderr
    refused = _endvac("--lang", "xx", "deliveries", missing)
    assert refused.returncode == 2 and "--lang 'xx'" in refused.stderr
