"""Reading a YAML file into a validated model, with errors that name the setting."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from endvac.errors import EndvacError

Model = TypeVar("Model", bound=BaseModel)


def load_yaml_model(path: Path, model: type[Model], error: type[EndvacError], what: str,
                    doc: str) -> Model:
    """``model`` from the YAML file ``path``; ``error`` names the file, the setting and ``doc``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise error(f"cannot read the {what} {path}: {type(exc).__name__}",
                    fix=f"give a UTF-8 YAML file (see {doc})") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top)"
        raise error(f"{what} {path}: {where}: {first['msg']}",
                    fix=f"correct that setting (see {doc})") from exc
