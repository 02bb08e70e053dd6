"""Words that arrive as data values and are shown to a reader (statuses, severities,
units, yes/no): marked here for extraction, translated where shown with ``_(value)``.
Codes with names (indicators, rules, regions …) go through the names catalogue."""

from __future__ import annotations

from endvac.i18n import N_

WORDS = (
    # alert severities and statuses
    N_("critical"), N_("high"), N_("medium"), N_("breach"), N_("possible"),
    N_("no evidence"),
    # units and answers
    N_("days"), N_("yes"), N_("no"),
    # why a value is not shown
    N_("suppressed"), N_("no result"),
    # the strategy's target statuses (underscores read as spaces)
    N_("on track"), N_("off track"), N_("no baseline"), N_("no latest value"),
    N_("not yet"), N_("no direction"),
    # published kinds (the footer, the damaged-file notice)
    N_("snapshot"), N_("release"),
)
