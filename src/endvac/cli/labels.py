"""Names beside codes in the command line's listings (docs/names.md): a table shows the
names of the coded columns (a region or facility as ``Name (CODE)``); CSV and JSON keep
the codes and, with ``--labels``, gain a ``<column>_name`` column after each coded one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

import typer

from endvac.errors import EndvacError

if TYPE_CHECKING:
    from endvac.names import Names
    from endvac.workspace import Workspace

LabelsOpt = Annotated[bool, typer.Option(
    "--labels", help="CSV and JSON: add a <column>_name column with the name of each code, "
                     "in the command's language.")]
# A column's kind: a names kind, BY_ROW (a breakdown cell, named by the row's `breakdown`)
# or BY_TEXT (an indicator's `by`: "sex=f;region=NOR1").
BY_ROW = "@breakdown"
BY_TEXT = "@by"
ALERT_KINDS = {"rule": "rule", "status": "status", "severity": "severity",
               "agency": "agency", "facility_id": "facility", "region": "region"}
FINDING_KINDS = {"rule": "finding", "file": "file"}
DELIVERY_KINDS = {"agency": "agency", "mode": "mode"}
RESULT_KINDS = {"id": "indicator", "by": BY_TEXT, "unit": "unit"}
# per part of `endvac strategy show`
STRATEGY_KINDS: dict[str, dict[str, str]] = {
    "bases": {"basis": "strategy_base"},
    "assessments": {"respondent_type": "respondent_type", "basis": "strategy_base"},
    "checklist": {"status": "checklist_status"},
    "actions": {"action_type": "action_type", "status": "action_status", "sex": "sex",
                "role": "role"},
    "targets": {"indicator_id": "indicator"},
    "staff": {"profession": "profession"},
}


def command_names(ws: Workspace | None = None) -> Names:
    """The names in the command's language; with ``ws``, region and facility names from
    its store (none when the store cannot be read now)."""
    from endvac.i18n import current_language
    from endvac.names import load_names

    lang = current_language()
    if ws is None:
        return load_names(lang)
    try:
        with ws.analytic(read_only=True) as con:
            return load_names(lang, con)
    except EndvacError:
        return load_names(lang)


def _name(names: Names, kind: str, row: Mapping[str, Any], value: Any) -> str:
    if kind == BY_ROW:
        return names.cell(str(row.get("breakdown") or ""), value)
    if kind == BY_TEXT:
        parts = [p.partition("=") for p in str(value).split(";")]
        return "; ".join(f"{names.label('breakdown', k)}: {names.cell(k, v)}" if sep
                         else names.label("value", "total") if k == "total" else k
                         for k, sep, v in parts)
    return names.label(kind, value)


def shown(names: Names, kind: str, row: Mapping[str, Any], value: Any) -> str:
    """The name a table shows; a region or facility keeps its code for analysts."""
    if value is None or value == "":
        return ""
    found = _name(names, kind, row, value)
    if kind in ("region", "facility") and found != str(value):
        return f"{found} ({value})"
    return found


def with_names(records: list[dict[str, Any]], columns: list[str], names: Names,
               kinds: Mapping[str, str], *, replace: bool
               ) -> tuple[list[dict[str, Any]], list[str]]:
    """``records`` with coded columns named: in place (``replace``, a table) or in an added
    ``<column>_name`` column after each (CSV and JSON with ``--labels``)."""
    named = [c for c in columns if c in kinds]
    if replace:
        return [{**r, **{c: shown(names, kinds[c], r, r.get(c)) for c in named}}
                for r in records], columns
    out_columns = [x for c in columns for x in ((c, f"{c}_name") if c in kinds else (c,))]
    return [{**r, **{f"{c}_name": "" if r.get(c) in (None, "")
                     else _name(names, kinds[c], r, r[c]) for c in named}}
            for r in records], out_columns
