"""Alerts: evaluate every safeguard rule for an as-of date; findings are data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NotRequired, TypedDict

from endvac.config import CountingRules
from endvac.facts.derived import Facts, materialise
from endvac.linkage.registry import person_map
from endvac.profiles import Profile
from endvac.safeguards import checks
from endvac.safeguards.rules import SafeguardRule, load_rules
from endvac.store import db
from endvac.workspace import Workspace

PROVISIONAL = ("records are not linked: each agency record is a child of its own, so a rule "
               "whose evidence sits in another agency's records reports no_evidence; "
               "cross-agency rules are provisional until linkage has run")


@dataclass(frozen=True)
class Alert:
    """One finding about one child as of a date: a rule's status, the record and the
    facts that show it. Restricted: it names the child's key, the record and the facts
    (``evidence``: fact ids); the snapshot keeps none of those (publish/tables.py)."""

    rule: str
    status: str  # breach, possible or no_evidence
    child_key: str
    agency: str
    record_id: str
    fact_id: str
    since: date | None
    elapsed: float | None
    limit_value: float | None
    unit: str | None
    over: float | None
    facility_id: str | None
    region: str | None
    case_id: str | None
    evidence: str | None
    ongoing: bool | None
    rule_name: str
    severity: str
    legal_basis: str
    limit_key: str | None


class AlertCount(TypedDict):
    """Alerts of one rule at one facility (``facility_id``) or region (``region``), by
    status. A TypedDict: it is the JSON row the CLI prints and the web API answers,
    keyed by what it counts by."""

    rule: str
    facility_id: NotRequired[str]
    region: NotRequired[str]
    breach: int
    possible: int
    no_evidence: int
    total: int


STATUSES = ("breach", "possible", "no_evidence")


@dataclass
class AlertReport:
    as_of: date
    linked: bool
    alerts: list[Alert] = field(default_factory=list)
    # rule id → "not recorded: <event type>" when no agency records the event the rule
    # needs (the indicators' coverage rule): its alerts say no_evidence, never breach
    not_recorded: dict[str, str] = field(default_factory=dict)

    @property
    def banner(self) -> str | None:
        notes = [] if self.linked else [PROVISIONAL]
        by_event: dict[str, list[str]] = {}
        for rule, why in sorted(self.not_recorded.items()):
            by_event.setdefault(why.removeprefix("not recorded: "), []).append(rule)
        if by_event:
            notes.append("not recorded: " + ", ".join(
                f"{event} ({', '.join(rules)})" for event, rules in sorted(by_event.items()))
                + " — no delivery lists it and no row carries it, so those rules say "
                "no_evidence, never breach")
        return "; ".join(notes) or None


def unrecorded_rules(rules: list[SafeguardRule], recorded: set[str]) -> dict[str, str]:
    """Rules (and the rules they report for) whose event type no agency records."""
    out: dict[str, str] = {}
    for rule in rules:
        if rule.event is not None and rule.event not in recorded:
            for rule_id in {rule.id, rule.missing_rule or rule.id}:
                out[rule_id] = f"not recorded: {rule.event}"
    return out


def rule_sql(rule: SafeguardRule) -> str:
    """The SQL of one rule's check."""
    event = rule.event or ""
    return {
        "below_macr": checks.below_macr,
        "hours_after_arrest": lambda: checks.hours_after_arrest(event),
        "legal_aid_by_first_appearance": checks.legal_aid_by_first_appearance,
        "review_gaps": lambda: checks.review_gaps(event),
        "charge_window": lambda: checks.charge_window(event),
        "pretrial_length": checks.pretrial_length,
        "held_with_adults": checks.held_with_adults,
        "family_contact": lambda: checks.family_contact(event),
        "death_in_custody": checks.death_in_custody,
        "violence_in_custody": checks.violence_in_custody,
    }[rule.check]()


def evaluate(facts: Facts, profile: Profile, counting: CountingRules,
             as_of: date) -> AlertReport:
    """Every alert as of ``as_of``, found in the derived ``facts``."""
    con = facts.con
    linked = facts.linked
    rules = load_rules().rules
    recorded = {r[0] for r in db.rows(con, "list recorded event types",
                                      "SELECT DISTINCT event_type FROM agency_types")}
    report = AlertReport(as_of, linked, not_recorded=unrecorded_rules(rules, recorded))
    names = {r.id: r for r in rules}
    for rule in rules:
        if rule.check == "reported_by":
            continue
        params = {"as_of": as_of, "limit": profile.value(rule.limit) if rule.limit else None,
                  "bases": counting.detention_bases, "rule": rule.id,
                  "missing_rule": rule.missing_rule or rule.id}
        for row in db.records(con, f"check {rule.id}", rule_sql(rule), params):
            found = names[row["rule"]]
            row["child_key"] = row.pop("person")
            report.alerts.append(Alert(**row, rule_name=found.name, severity=found.severity,
                                       legal_basis=found.legal_basis, limit_key=found.limit))
    report.alerts.sort(key=lambda a: (a.rule, a.since or date.min, a.child_key, a.fact_id))
    return report


def find_alerts(workspace: Workspace, as_of: date, *, rule: str | None = None,
                open_only: bool = False, facility: str | None = None,
                region: str | None = None) -> AlertReport:
    """Alerts of the workspace as of a date, filtered; the store is only read."""
    with workspace.analytic(read_only=True) as con:
        facts = materialise(con, person_map(workspace), today=as_of)
        report = evaluate(facts, workspace.profile(), workspace.config.counting, as_of)
    report.alerts = [a for a in report.alerts
                     if (rule is None or a.rule == rule)
                     and (not open_only or a.ongoing)
                     and (facility is None or a.facility_id == facility)
                     and (region is None or a.region == region)]
    return report


def summarise(report: AlertReport, by: str) -> list[AlertCount]:
    """Alerts counted by rule and ``by`` (facility_id or region), per status."""
    return count_alerts(((a.rule, getattr(a, by), a.status) for a in report.alerts), by)


def count_alerts(alerts: Iterable[tuple[str, str | None, str]], by: str
                 ) -> list[AlertCount]:
    """(rule, place, status) of each alert counted by rule and place (``by``:
    facility_id or region; no place counts as ``unknown``), per status: one count for the
    command line, the snapshot and the report."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for rule, place, status in alerts:
        cell = counts.setdefault((rule, place or "unknown"), dict.fromkeys(STATUSES, 0))
        cell[status] = cell.get(status, 0) + 1
    return [_count(rule, by, place, cell) for (rule, place), cell in sorted(counts.items())]


def _count(rule: str, by: str, place: str, cell: dict[str, int]) -> AlertCount:
    total = sum(cell.values())
    if by == "region":
        return AlertCount(rule=rule, region=place, breach=cell["breach"],
                          possible=cell["possible"], no_evidence=cell["no_evidence"],
                          total=total)
    return AlertCount(rule=rule, facility_id=place, breach=cell["breach"],
                      possible=cell["possible"], no_evidence=cell["no_evidence"], total=total)
