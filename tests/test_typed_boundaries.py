"""No untyped result crosses a module boundary: no public function, method or dataclass
field of the analysis core (indicators/, safeguards/, release/, publish/) takes or
gives a ``dict[str, Any]`` (alone, in a list, a tuple or an optional). Rows of a file
format are TypedDicts whose keys are exactly their Parquet schema's columns."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import typing
from pathlib import Path
from types import ModuleType
from typing import Any, NotRequired, TypedDict, get_type_hints

import pyarrow as pa

import endvac
from endvac.publish import shapes, tables
from endvac.release import tables as release_tables

PACKAGES = ("indicators", "safeguards", "release", "publish")


def untyped(hint: object) -> bool:
    """Whether ``hint`` is, or holds, ``dict[str, Any]``."""
    if typing.get_origin(hint) is dict and typing.get_args(hint) == (str, Any):
        return True
    return any(untyped(arg) for arg in typing.get_args(hint))


def modules() -> list[ModuleType]:
    found = []
    for package in PACKAGES:
        top = importlib.import_module(f"endvac.{package}")
        found.append(top)
        found += [importlib.import_module(f"endvac.{package}.{m.name}")
                  for m in pkgutil.iter_modules(top.__path__)]
    return found


def public_callables(module: ModuleType) -> list[tuple[str, Any]]:
    """(name, function) of each public function, method and property of ``module``."""
    out: list[tuple[str, Any]] = []
    for name, obj in vars(module).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj):
            out.append((name, obj))
        elif inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_"):
                    continue
                if inspect.isfunction(member):
                    out.append((f"{name}.{attr}", member))
                elif isinstance(member, property) and member.fget is not None:
                    out.append((f"{name}.{attr}", member.fget))
    return out


def boundary_hints(module: ModuleType) -> dict[str, object]:
    """Every annotated parameter, return and dataclass field of ``module``'s public
    names, keyed module.name[.attr] kind."""
    hints: dict[str, object] = {}
    for name, function in public_callables(module):
        for key, hint in get_type_hints(function).items():
            hints[f"{module.__name__}.{name} {key}"] = hint
    for name, obj in vars(module).items():
        if (inspect.isclass(obj) and dataclasses.is_dataclass(obj) and not name.startswith("_")
                and obj.__module__ == module.__name__):
            for key, hint in get_type_hints(obj).items():
                if not key.startswith("_"):
                    hints[f"{module.__name__}.{name} field {key}"] = hint
    return hints


def test_the_detector_finds_an_untyped_dict() -> None:
    # the check itself, on hand-written hints
    assert untyped(dict[str, Any]) and untyped(list[dict[str, Any]])
    assert untyped(dict[str, Any] | None) and untyped(tuple[int, dict[str, Any]])
    assert not untyped(dict[str, object]) and not untyped(dict[str, int])
    assert not untyped(list[shapes.IndicatorRow])

    def leaky(rows: list[dict[str, Any]]) -> int:
        return len(rows)
    assert [untyped(h) for h in get_type_hints(leaky).values()] == [True, False]


def test_no_dict_of_any_crosses_a_boundary_of_the_core() -> None:
    hints = {key: hint for module in modules() for key, hint in boundary_hints(module).items()}
    assert len(hints) > 100  # the scan reached the packages' functions
    assert "endvac.publish.snapshot.Snapshot.result return" in hints
    assert [key for key, hint in hints.items() if untyped(hint)] == []


class _Shape(TypedDict):
    one: int
    two: NotRequired[str]


def keys(shape: type) -> list[str]:
    return list(get_type_hints(shape))


def test_each_row_shape_is_its_schema() -> None:
    assert keys(_Shape) == ["one", "two"]  # the helper on a hand-made shape
    pairs: list[tuple[type, pa.Schema]] = [
        (shapes.IndicatorRow, tables.INDICATOR_SCHEMA), (shapes.PublishedAlert,
                                                         tables.ALERT_SCHEMA),
        (shapes.DeliveryRow, tables.DELIVERY_SCHEMA),
        (shapes.LoadStatusRow, tables.LOAD_STATUS_SCHEMA),
        (release_tables.PublicRow, release_tables.SCHEMA)]
    for shape, schema in pairs:
        assert keys(shape) == schema.names, shape.__name__
    # the snapshot's alert row is the alert less what identifies the child or the record
    assert keys(shapes.PublishedAlert) == ["as_of", *tables.ALERT_FIELDS]


def test_every_module_of_the_core_was_scanned() -> None:
    names = {m.__name__ for m in modules()}
    root = endvac.__path__[0]
    for package in PACKAGES:
        files = {p.stem for p in (Path(root) / package).glob("*.py")}
        assert {f"endvac.{package}.{f}" for f in files if f != "__init__"} <= names
