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

# unit labels (endvac.charts.unit_label)
UNIT_WORDS = (N_("per 100,000 children"), N_("per 1,000"), N_("yes/no"), N_("ratio"))
# the report's chapters (endvac.report.builtin; the strategy module's)
CHAPTERS = (N_("Summary"), N_("The indicators"), N_("Safeguards"),
            N_("Equity at the decision points"), N_("Data coverage and quality"),
            N_("Methodology"), N_("Prevention strategy"))
# the report's kind, in its title
REPORT_KINDS = (N_("public situation analysis"), N_("restricted situation analysis"))
# the breakdowns, as titles (the names catalogue's ``breakdown`` kind wins when it has one)
BREAKDOWN_TITLES = {"sex": N_("Sex"), "age_group": N_("Age group"), "region": N_("Region"),
                    "offence_section": N_("Offence"), "disability": N_("Disability"),
                    "group": N_("Group"), "nationality": N_("Nationality")}
# how the change between two years reads (endvac.charts.palette.change_word)
CHANGE_WORDS = (N_("better"), N_("worse"), N_("unchanged"), N_("no comparison"),
                N_("higher"), N_("lower"), N_("none"))
