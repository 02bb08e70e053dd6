"""The indicator reference page, rendered from definitions.yaml.

``python -m endvac.indicators.docs > docs/indicators-reference.md`` writes it; a
test fails when the committed page differs from what this renders.
"""

from __future__ import annotations

from endvac.indicators.definitions import Indicator, load_definitions


def _section(ind: Indicator) -> list[str]:
    lines = [f"## {ind.id} — {ind.name}", "", ind.plain, "",
             f"- unit: `{ind.unit}`; better: {ind.better}; core: {'yes' if ind.core else 'no'}"
             f"; definition verified: {'yes' if ind.verified else 'no'}",
             f"- shape: `{ind.shape}`"
             + (f"; universe: `{ind.universe}`; counts: {ind.counts}" if ind.universe else "")
             + ("; a flow (annualised for periods other than a calendar year)"
                if ind.flow else "")]
    for label, value in (("numerator", ind.numerator), ("denominator", ind.denominator),
                         ("unknown", ind.unknown), ("known", ind.known),
                         ("days", ind.days)):
        if value:
            lines.append(f"- {label}: `{value}`")
    if ind.basis:
        lines.append(f"- basis: `{ind.basis}`")
    if ind.key:
        lines.append(f"- policy key: `{ind.key}`")
    if ind.needs or ind.needs_fields:
        lines.append("- needs recorded: " + ", ".join(ind.needs + ind.needs_fields))
    lines.append("- breakdowns: " + (", ".join(ind.breakdowns) or "none"))
    lines += [f"- source: {ind.source}", ""]
    return lines


def render_reference() -> str:
    defs = load_definitions()
    lines = ["# Indicator reference (generated)", "",
             f"Definitions version {defs.version}, rendered from "
             "`src/endvac/indicators/definitions.yaml` by `python -m endvac.indicators.docs`;"
             " do not edit by hand. The rules they share are in "
             "[indicators.md](indicators.md).", ""]
    for ind in defs.indicators:
        lines += _section(ind)
    lines += ["## Decision points (relative rate index)", ""]
    lines += [f"- `{p.id}`: {p.name} ({p.numerator} over {p.denominator})"
              for p in defs.decision_points]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render_reference(), end="")
