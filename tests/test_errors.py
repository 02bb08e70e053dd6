"""Exceptions that used to escape the tree are EndvacError subclasses with one line."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from endvac.errors import EndvacError, ReleaseAuditError, UnknownName
from endvac.indicators.definitions import load_definitions
from endvac.indicators.universes import universe
from endvac.release import protect
from endvac.release.protect import CellKey, Component, Constraint


def test_an_unknown_universe_is_an_endvac_error_naming_it() -> None:
    with pytest.raises(UnknownName) as caught:
        universe("nowhere")
    assert isinstance(caught.value, EndvacError)
    assert caught.value.exit_code == 2
    assert caught.value.message == "unknown universe 'nowhere'"
    assert "\n" not in str(caught.value)
    # the built-in universes are offered as the fix (the victims' cases and reports too)
    assert caught.value.fix == ("use one of ['facts', 'places', 'stays', 'victim_cases', "
                                "'victim_reports']")


def test_an_unknown_indicator_is_an_endvac_error_naming_it() -> None:
    with pytest.raises(UnknownName) as caught:
        load_definitions().get("JJ0")
    assert caught.value.message == "unknown indicator 'JJ0'"
    assert "\n" not in str(caught.value)


def test_a_failed_audit_lp_is_an_endvac_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # HiGHS status 4 = numerical difficulties: neither solved (0) nor unbounded (3)
    monkeypatch.setattr(protect, "_solve",
                        lambda objective, rows: SimpleNamespace(status=4, message="numerics"))
    a, b = CellKey("JJ1", "2025", "all", "count"), CellKey("JJ1", "2025", "sex=f", "count")
    component = Component([a, b], [Constraint("total", ((a, 1), (b, -1)))])
    with pytest.raises(ReleaseAuditError) as caught:
        protect.cell_bounds(component, {a: 3, b: 3}, {a, b}, a)
    assert isinstance(caught.value, EndvacError)
    assert str(caught.value) == "release audit LP failed (numerics) — " \
        "report this release to the maintainers; nothing was published"


def test_a_caller_adds_a_universe_as_data_and_nothing_registers_globally() -> None:
    from endvac.indicators.universes import BUILTIN, Universe
    from endvac.safeguards.rates import UNIVERSE

    extra = Universe("extra", "(SELECT 1)", "person", "a universe given by its caller")
    assert universe("extra", {**BUILTIN, "extra": extra}) is extra
    # the safeguards' own universe is not built in, even after the rates module is imported
    assert sorted(BUILTIN) == ["facts", "places", "stays", "victim_cases", "victim_reports"]
    with pytest.raises(UnknownName):
        universe(UNIVERSE.name)
