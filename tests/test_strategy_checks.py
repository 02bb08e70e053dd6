"""Coordination checks on a hand-made strategy: every expected flag is written out here,
worked out by hand (days counted on the calendar, quantiles by hand)."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from endvac.strategy.build import build_strategy
from endvac.strategy.checks import gaps
from endvac.strategy.evidence import Cell, Evidence, better_directions
from endvac.strategy.files import known_indicator_ids
from endvac.strategy.model import Action, Strategy
from endvac.strategy.review import review
from endvac.strategy.yamlio import read_yaml_tables

# A1-A9: three possible duplications ((A1, A2), (A6, A7), (A6, A8)) and near misses:
# A3 is A1's twin under the same lead agency; A3/A2 and A4/A2 have disjoint regions;
# A4/A1 and A4/A3 disjoint dates; A5 is for younger children than every other training;
# A7/A8 differ in sex; A9 is cancelled.
STRATEGY_YAML = """
strategy:
  title: National Strategy to End Violence against Children 2024-2030
  period_start: 2024
  period_end: 2030
  owner_institution: Ministry of Justice
  adoption_status: adopted
  adoption_date: 2024-06-01
assessments:
  - {respondent: Justice focal point, institution: Ministry of Justice,
     respondent_type: government, basis: 1, score: 3, evidence: Cabinet decision,
     assessed_on: 2025-02-01}
  - {respondent: NGO coalition, institution: Child Rights Coalition,
     respondent_type: civil_society, basis: 1, score: 2}
  - {respondent: Consultation of 40 children, institution: Children's Council,
     respondent_type: children_consultation, basis: 1, score: 1,
     evidence: Workshops in 3 regions}
  - {respondent: Justice focal point, institution: Ministry of Justice,
     respondent_type: government, basis: 2, score: 4}
checklist:
  - {model_strategy: 9, status: in_progress, note: Diversion pilots}
  - {model_strategy: 11, status: planned}
actions:
  - {id: A1, objective: Train police in diversion, action_type: training, bases: [5],
     model_strategies: [8, 9], lead_agency: National Police, partners: [UNODC], regions: [NOR1,
     NOR2], age_min: 12, age_max: 17, sex: any, role: offender, start: 2025-01-01,
     end: 2025-12-31, budget: 50000, status: ongoing, progress: 60}
  - {id: A2, objective: Train prosecutors in diversion, action_type: training, bases: [5, 6],
     lead_agency: Ministry of Justice, regions: [NOR2, SOU1], age_min: 14, age_max: 17, sex: m,
     role: offender, start: 2025-06-01, end: 2026-06-30, status: planned}
  - {id: A3, objective: Refresher for police, action_type: training,
     lead_agency: national police, regions: [NOR1], age_min: 12, age_max: 17, role: offender,
     start: 2025-01-01, end: 2025-06-30, status: completed, progress: 100}
  - {id: A4, objective: NGO training of youth workers, action_type: training,
     lead_agency: Save Futures, regions: [NOR1], age_min: 12, age_max: 17, start: 2026-01-01,
     end: 2026-12-31, status: planned}
  - {id: A5, objective: Early years training, action_type: training,
     lead_agency: Ministry of Education, regions: [SOU1], age_min: 0, age_max: 11,
     start: 2025-01-01, status: ongoing}
  - {id: A6, objective: Awareness campaign, action_type: awareness, bases: [3],
     model_strategies: [2], lead_agency: UNICEF, regions: [SOU2, SOU3], start: 2025-01-01,
     end: 2025-12-31, budget: 20000.5, status: ongoing}
  - {id: A7, objective: Girls' safety clubs, action_type: awareness,
     lead_agency: Ministry of Education, regions: [SOU2], age_min: 10, age_max: 13, sex: f,
     role: victim, start: 2025-03-01, status: ongoing}
  - {id: A8, objective: Boys' safety clubs, action_type: awareness,
     lead_agency: Ministry of Interior, regions: [SOU2], age_min: 10, age_max: 13, sex: m,
     role: victim, start: 2025-03-01, status: ongoing}
  - {id: A9, objective: Cancelled national campaign, action_type: awareness,
     lead_agency: Radio Network, regions: [national], start: 2025-01-01, status: cancelled}
targets:
  - {id: T1, indicator_id: JJ2, baseline_year: 2023, baseline_value: 100, target_value: 50,
     target_date: 2027-12-31}
  - {id: T2, indicator_id: JJ10, baseline_year: 2024, target_value: 80, target_date: 2026-12-31}
  - {id: T3, indicator_id: JJ3, baseline_year: 2024, target_value: 10, target_date: 2025-12-31}
  - {id: T4, indicator_id: JJ8, baseline_year: 2024, baseline_value: 50, target_value: 70,
     target_date: 2026-12-31}
  - {id: T5, indicator_id: VAC1, baseline_year: 2024, target_value: 1, target_date: 2026-12-31}
  - {id: T6, indicator_id: JJ1, baseline_year: 2022, target_value: 1, target_date: 2026-12-31}
trainings:
  - {id: TR1, title: Child-sensitive interviewing, date: 2025-03-10, region: NOR1,
     professions: [police, social_workers]}
  - {id: TR2, title: Diversion in practice, date: 2025-05-12, region: NOR1, professions: [police]}
  - {id: TR3, title: Sentencing children, date: 2025-09-01, region: SOU1, professions: [judges]}
  - {id: TR4, title: Safe restraint, date: 2025-10-01, region: NOR2, professions: [detention_staff]}
participants:
  - {training: TR1, participant: P1, profession: police, sex: f, pre_score: 40, post_score: 80}
  - {training: TR1, participant: P2, profession: police, sex: m, pre_score: 50, post_score: 70}
  - {training: TR1, participant: S1, profession: social_workers, sex: f}
  - {training: TR2, participant: P1, profession: police, sex: f}
  - {training: TR2, participant: P3, profession: police, sex: m}
  - {training: TR3, participant: J1, profession: judges, sex: f}
  - {training: TR3, participant: J2, profession: judges, sex: m}
  - {training: TR4, participant: D1, profession: detention_staff, sex: m}
staff:
  - {profession: police, region: NOR1, staff: 40}
  - {profession: police, region: SOU1, staff: 20}
  - {profession: judges, region: SOU1, staff: 5}
  - {profession: social_workers, region: NOR1, staff: 8}
"""


def hand_made(tmp_path: Path) -> Strategy:
    path = tmp_path / "strategy.yaml"
    path.write_text(STRATEGY_YAML, encoding="utf-8")
    strategy, findings = build_strategy(read_yaml_tables(path), path.name,
                                        known_indicator_ids())
    assert findings == []
    assert strategy is not None
    return strategy


def national(indicator_id: str, year: int, value: float) -> Cell:
    return Cell(indicator_id, year, "", "", value, 1000)


# National values the targets read (JJ2 2025; JJ10 2024 and 2025; JJ3 2024 and 2025;
# JJ8 2025), and region cells of 2025 for the gaps: JJ2 (lower is better), JJ10 (higher
# is better), VAC1 (no direction: never a gap).
EVIDENCE = Evidence((
    national("JJ2", 2025, 70.0), national("JJ10", 2024, 40.0), national("JJ10", 2025, 55.0),
    national("JJ3", 2024, 20.0), national("JJ3", 2025, 15.0), national("JJ8", 2025, 60.0),
    national("VAC1", 2025, 3.0),
    Cell("JJ2", 2025, "region", "NOR1", 10.0, 1000),
    Cell("JJ2", 2025, "region", "NOR2", 40.0, 1000),
    Cell("JJ2", 2025, "region", "NOR3", 50.0, 800), Cell("JJ2", 2025, "region", "SOU1", 20.0, 900),
    Cell("JJ2", 2025, "region", "SOU2", 30.0, 1200),
    Cell("JJ2", 2025, "region", "EAST", 95.0, 4),  # below min_cell 5: left out
    Cell("JJ2", 2025, "region", "unknown", 99.0, 500),  # not a region
    Cell("JJ2", 2024, "region", "WEST", 99.0, 500),  # another year
    Cell("JJ10", 2025, "region", "NOR1", 80.0, 50), Cell("JJ10", 2025, "region", "NOR2", 70.0, 50),
    Cell("JJ10", 2025, "region", "NOR3", 60.0, 50), Cell("JJ10", 2025, "region", "SOU2", 65.0, 5),
    Cell("VAC1", 2025, "region", "NOR3", 9.0, 100), Cell("VAC1", 2025, "region", "NOR1", 1.0, 100),
), "hand-made")


def test_possible_duplication(tmp_path: Path) -> None:
    result = review(hand_made(tmp_path), EVIDENCE, min_cell=5)
    found = {(d.action_a, d.action_b): (d.regions, d.ages, d.overlap_start, d.overlap_end)
             for d in result.duplicates}
    assert found == {
        # A1 NOR1,NOR2 12-17 any offender 2025; A2 NOR2,SOU1 14-17 m offender 2025-06..2026-06
        ("A1", "A2"): (["NOR2"], "14-17", date(2025, 6, 1), date(2025, 12, 31)),
        # A6 SOU2,SOU3 0-17 any any 2025; A7 SOU2 10-13 f victim from 2025-03-01, no end
        ("A6", "A7"): (["SOU2"], "10-13", date(2025, 3, 1), date(2025, 12, 31)),
        ("A6", "A8"): (["SOU2"], "10-13", date(2025, 3, 1), date(2025, 12, 31)),
    }


def test_gaps_in_the_worst_quartile(tmp_path: Path) -> None:
    result = review(hand_made(tmp_path), EVIDENCE, min_cell=5)
    found = {(g.indicator_id, g.breakdown, g.cell): (g.value, g.threshold) for g in result.gaps}
    # JJ2 (lower better), 2025, denominators >= 5: 10 20 30 40 50; 75th percentile at
    # position 4 * 0.75 = 3 -> 40; worst NOR2 (40, reached by A1) and NOR3 (50, no action).
    # JJ10 (higher better): 60 65 70 80; 25th percentile at position 3 * 0.25 = 0.75 ->
    # 60 + 0.75 * 5 = 63.75; worst NOR3 (60) alone. Actions reach NOR1, NOR2, SOU1, SOU2,
    # SOU3 (A9, national, is cancelled). VAC1 has no direction.
    assert found == {("JJ2", "region", "NOR3"): (50.0, 40.0),
                     ("JJ10", "region", "NOR3"): (60.0, 63.75)}


def _action(**given: object) -> Action:
    base: dict[str, object] = {"id": "X", "objective": "o", "action_type": "other",
                               "lead_agency": "a", "regions": ["national"],
                               "start": date(2025, 1, 1), "status": "ongoing"}
    return Action.model_validate({**base, **given})


def test_gaps_by_sex_and_age_group() -> None:
    actions = [_action(sex="f", age_min=14, age_max=17)]
    cells = [Cell("JJ2", 2025, "sex", "f", 30.0, 100), Cell("JJ2", 2025, "sex", "m", 60.0, 100),
             Cell("JJ2", 2025, "age_group", "12-13", 50.0, 100),
             Cell("JJ2", 2025, "age_group", "14-15", 20.0, 100),
             Cell("JJ2", 2025, "age_group", "16-17", 10.0, 100),
             Cell("JJ2", 2025, "age_group", "0-11", 90.0, 2),
             Cell("JJ2", 2025, "age_group", "unknown", 99.0, 100),
             Cell("JJ3", 2025, "sex", "f", 0.0, 100), Cell("JJ3", 2025, "sex", "m", 0.0, 100)]
    found = {(g.breakdown, g.cell): g.threshold
             for g in gaps(actions, cells, better_directions(), 5, 2025)}
    # sex: 30, 60 -> 75th percentile 30 + 0.75 * 30 = 52.5 -> m (the action is for girls).
    # age: 10, 20, 50 (0-11 below min_cell, unknown not a group) -> position 1.5 ->
    # 20 + 0.5 * 30 = 35 -> 12-13, which the 14-17 action does not reach. JJ3: f and m
    # both 0, the best value: no worst quartile.
    assert found == {("sex", "m"): 52.5, ("age_group", "12-13"): 35.0}


def test_targets_on_and_off_track(tmp_path: Path) -> None:
    result = review(hand_made(tmp_path), EVIDENCE, min_cell=5)
    by_id = {t.id: t for t in result.targets}
    # T1 JJ2 lower: 100 at 2023-12-31 -> 50 at 2027-12-31 (366+365+365+365 = 1461 days);
    # latest 70 at 2025-12-31 (366+365 = 731 days): line 100 - 50 * 731 / 1461 = 74.98...
    assert by_id["T1"].expected == pytest.approx(100 - 50 * 731 / 1461)
    assert (by_id["T1"].status, by_id["T1"].baseline_source) == ("on_track", "file")
    # T2 JJ10 higher: baseline 40 from the evidence (2024); 80 by 2026-12-31 (730 days);
    # at 2025-12-31 (365 days) the line is 60; latest 55 is below it.
    assert (by_id["T2"].baseline_value, by_id["T2"].expected) == (40.0, 60.0)
    assert (by_id["T2"].status, by_id["T2"].baseline_source) == ("off_track", "hand-made")
    # T3 JJ3 lower: 20 (2024) -> 10 by 2025-12-31; latest 15 at the target date: line 10.
    assert (by_id["T3"].expected, by_id["T3"].status) == (10.0, "off_track")
    # T4 JJ8 higher: 50 -> 70 by 2026-12-31; at 2025-12-31 the line is 60 = latest: on track.
    assert (by_id["T4"].expected, by_id["T4"].status) == (60.0, "on_track")
    assert by_id["T4"].latest_date == date(2025, 12, 31)
    assert by_id["T5"].status == "no_direction"  # VAC1: better none
    assert by_id["T6"].status == "no_baseline"  # nothing for 2022


def test_training_coverage(tmp_path: Path) -> None:
    result = review(hand_made(tmp_path), EVIDENCE, min_cell=5)
    found = [(c.profession, c.region, c.trained, c.staff, c.percent) for c in result.coverage]
    assert found == [
        ("police", "NOR1", 3, 40, 7.5),  # P1 (twice), P2, P3: 3 / 40
        ("police", "SOU1", 0, 20, 0.0),
        ("judges", "SOU1", 2, 5, 40.0),
        ("social_workers", "NOR1", 1, 8, 12.5),
        ("detention_staff", "NOR2", 1, None, None),  # no staff number given
    ]


def test_bases_aggregated_with_spread(tmp_path: Path) -> None:
    bases = {b.basis: b for b in review(hand_made(tmp_path), EVIDENCE, 5).bases}
    one = bases[1]  # scores 3, 2, 1 (children's consultation: 1)
    assert (one.n, one.mean, one.median, one.min, one.max) == (3, 2.0, 2.0, 1, 3)
    assert one.sd == pytest.approx(math.sqrt((1 + 0 + 1) / 2))
    assert (one.institutions, one.children_n, one.children_mean) == (3, 1, 1.0)
    assert (bases[2].n, bases[2].mean, bases[2].sd) == (1, 4.0, None)
    assert (bases[3].n, bases[3].mean) == (0, None)


def test_checklist_lists_all_seventeen_with_their_actions(tmp_path: Path) -> None:
    rows = review(hand_made(tmp_path), EVIDENCE, 5).checklist
    assert [r.model_strategy for r in rows] == list(range(1, 18))
    assert rows[8].status == "in_progress" and rows[8].actions == ["A1"]
    assert rows[1].actions == ["A6"] and rows[0].status is None
    assert not any(r.verified for r in rows)  # titles not checked against A/RES/69/194
