"""The interchange reference page, rendered from the definitions.

``python -m endvac.interchange.docs > docs/interchange-reference.md`` writes it;
a test fails when the committed page differs from what this renders.
"""

from __future__ import annotations

from endvac.interchange.spec import FILES, MEASURES, RULES, FileSpec


def _file_section(spec: FileSpec) -> list[str]:
    lines = [f"## {spec.name}", "", spec.meaning + ".", ""]
    if spec.key:
        lines += [f"Key: ({', '.join(spec.key)}).", ""]
    lines += ["| column | required | kind | codes | meaning |", "|---|---|---|---|---|"]
    for col in spec.columns:
        codes = " ".join(f"`{c}`" for c in col.codes)
        lines.append(f"| {col.name} | {'yes' if col.required else 'no'} | {col.kind.value} "
                     f"| {codes} | {col.meaning} |")
    return [*lines, ""]


def render_reference() -> str:
    """Markdown of every file, column, code list, measure and rule."""
    lines = ["# Interchange format reference (generated)", "",
             "Rendered from `endvac.interchange.spec` by "
             "`python -m endvac.interchange.docs`; do not edit by hand.", ""]
    for spec in FILES:
        lines += _file_section(spec)
    lines += ["## Measures by event type", "", "| event_type | measure |", "|---|---|"]
    lines += [f"| {t} | {' '.join(f'`{m}`' for m in ms)} |" for t, ms in MEASURES.items()]
    lines += ["", "## Rules", "", "| rule | severity | meaning | fix |", "|---|---|---|---|"]
    lines += [f"| `{r.code}` | {r.severity} | {r.meaning} | {r.fix} |" for r in RULES]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render_reference(), end="")
