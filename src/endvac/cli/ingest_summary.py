"""How an ingest result is shown: reconciliation per file, findings per rule."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from endvac.i18n import _
from endvac.ingest.result import IngestResult

SHOWN_FINDINGS = 20


def print_ingest(result: IngestResult, console: Console) -> None:
    """Print the reconciliation and findings of one ingest."""
    if result.already_loaded_as is not None:
        console.print(_("%(source)s: already loaded as delivery %(number)s; nothing new "
                        "was loaded.") % {"source": result.source,
                                          "number": result.already_loaded_as})
        return
    title = (_("dry run of %(source)s: nothing was loaded; these rows would be")
             % {"source": result.source} if result.dry_run else
             _("delivery %(number)s: %(source)s") % {"number": result.delivery_id,
                                                     "source": result.source})
    table = Table(title=title)
    names = ("rows_in", "new", "replaced", "unchanged", "quarantined", "duplicates",
             "warnings", "removed")
    table.add_column("file")
    for name in names:
        table.add_column(name, justify="right")
    table.add_column("reconciled")
    for f in result.files:
        check = _("yes") if f.reconciles else _("NO")
        table.add_row(f.file, *(str(getattr(f, n)) for n in names), check)
    table.add_row(_("total"), *(str(result.total(n)) for n in names), "")
    console.print(table)
    by_rule = result.by_rule()
    if by_rule:
        rules = Table(title=_("findings by rule"))
        for name in ("severity", "rule", "count"):
            rules.add_column(name)
        for (severity, rule), count in by_rule.items():
            rules.add_row(severity, rule, str(count))
        console.print(rules)
    for item in sorted(result.findings, key=lambda f: f.severity)[:SHOWN_FINDINGS]:
        console.print(f"  {item.severity}: {item.describe()}", markup=False, highlight=False)
    if len(result.findings) > SHOWN_FINDINGS:
        more = (_("load it, then: endvac quarantine WORKSPACE") if result.dry_run else
                f"endvac quarantine WORKSPACE --delivery {result.delivery_id}")
        console.print("  … " + _("%(count)s more: %(how)s") % {
            "count": len(result.findings) - SHOWN_FINDINGS, "how": more})
