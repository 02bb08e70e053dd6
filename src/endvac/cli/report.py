"""`endvac publish` and `endvac report`: the snapshot the web app reads, and the
situation-analysis report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from endvac.cli.progress import progress_bar
from endvac.errors import UsageError
from endvac.i18n import _

if TYPE_CHECKING:
    from endvac.report import SectionSpec

WorkspaceArg = Annotated[Path, typer.Argument(help="The workspace folder.")]


def parse_years(text: str | None) -> list[int] | None:
    """``2025``, ``2024,2025`` or ``2021-2025``."""
    if not text:
        return None
    years: list[int] = []
    try:
        for part in text.split(","):
            first, _dash, last = part.strip().partition("-")
            years += range(int(first), int(last or first) + 1)
    except ValueError as exc:
        raise UsageError(f"--years {text} is not a list of years",
                         fix="write e.g. --years 2025, --years 2024,2025 or --years 2021-2025") \
            from exc
    if not years or min(years) < 1990 or max(years) > 2100 or len(years) > 20:
        raise UsageError(f"--years {text}: give up to 20 years between 1990 and 2100",
                         fix="write e.g. --years 2024,2025")
    return years


def report_sections() -> tuple[SectionSpec, ...]:
    """The report's chapters: the composition list. Its own, then one line per module
    that adds a chapter (docs/report.md); imported here, when a report is built."""
    from endvac.pathways import report as pathways
    from endvac.report import builtin
    from endvac.strategy import report as strategy

    return (
        *builtin.SECTIONS,
        *pathways.SECTIONS,
        *strategy.SECTIONS,
    )


def publish_workspace(workspace: Path, years: list[int] | None) -> None:
    """Publish a snapshot of an opened workspace folder, with progress, and say where."""
    from endvac.publish import publish
    from endvac.workspace import open_workspace

    with progress_bar("publish", quiet_counted=True) as say:
        summary = publish(open_workspace(workspace), years, say)
    listed = ", ".join(f"{n} {c}" for n, c in summary.tables.items())
    typer.echo(_("snapshot %(number)s of %(years)s published at %(path)s in %(seconds)s s "
                 "(%(tables)s rows)") % {
        "number": summary.number, "years": ", ".join(map(str, summary.years)) or _("no year"),
        "path": summary.path, "seconds": f"{summary.seconds:.1f}", "tables": listed},
        err=True)


def publish_command(
        workspace: WorkspaceArg,
        years: Annotated[str | None, typer.Option(
            help="Years to publish: 2025, 2024,2025 or 2021-2025 (default: the config's "
                 "publish.years years ending with period.year or the latest data).")] = None,
) -> None:
    """Publish a numbered, read-only snapshot of indicators, series, alerts and data
    quality for the web app and the report (docs/publish.md).

    Example: endvac publish ws --years 2024,2025
    """
    publish_workspace(workspace, parse_years(years))


def report_command(
        workspace: WorkspaceArg,
        period: Annotated[str, typer.Option(help="The calendar year of the report: 2025.")],
        out: Annotated[Path, typer.Option(help="The HTML file to write.")],
        pdf: Annotated[bool, typer.Option(
            help="Also print it to PDF (same name, .pdf) with Debian's Chromium.")] = False,
        public: Annotated[bool, typer.Option(
            help="Build only from the public release (no alerts, no record-level "
                 "content); the release is built when missing.")] = False,
        lang: Annotated[str | None, typer.Option(
            "--lang", help="The report's language: en, pt, fr, es or ar (default: "
                           "ENDVAC_LANG, the workspace's language, en).")] = None,
) -> None:
    """Write the situation-analysis report: one self-contained HTML file (charts inline,
    no script), and a PDF with --pdf (docs/report.md).

    Example: endvac report ws --period 2025 --out report.html --pdf --lang pt
    """
    from endvac.report import build_report
    from endvac.workspace import open_workspace

    with progress_bar("report", quiet_counted=True) as say:
        summary = build_report(open_workspace(workspace), period, out, public=public,
                               pdf=pdf, progress=say, lang=lang,
                               sections=report_sections())
    values = {"period": period, "source": summary.source, "html": summary.html,
              "pdf": summary.pdf, "seconds": f"{summary.seconds:.1f}"}
    if summary.public:
        line = _("public report of %(period)s from %(source)s written to %(html)s")
    else:
        line = _("restricted report of %(period)s from %(source)s written to %(html)s")
    if summary.pdf:
        line += _(" and %(pdf)s")
    typer.echo((line + _(" in %(seconds)s s")) % values)
