"""The language of a command's own messages: ``--lang`` (anywhere on the command line)
> ``ENDVAC_LANG`` > the ``language`` of the workspace named first > English."""

from __future__ import annotations

from pathlib import Path

from endvac.i18n import resolve_lang


def cli_language(argv: list[str]) -> str:
    """The language for ``argv`` (the arguments after ``endvac``)."""
    return resolve_lang(_option(argv), _configured(argv))


def _option(argv: list[str]) -> str | None:
    for position, arg in enumerate(argv):
        if arg == "--lang" and position + 1 < len(argv):
            return argv[position + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _configured(argv: list[str]) -> str | None:
    """The ``language:`` of the first argument that is a workspace folder (read as YAML
    only, without checking the rest of the config)."""
    import yaml

    from endvac.config import CONFIG_FILE

    for arg in argv:
        config = Path(arg) / CONFIG_FILE
        if arg.startswith("-") or not config.is_file():
            continue
        try:
            found = yaml.safe_load(config.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            return None
        value = found.get("language") if isinstance(found, dict) else None
        return str(value) if value else None
    return None
