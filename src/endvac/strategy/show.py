"""`endvac strategy show`: the stored strategy as rows, one part at a time."""

from __future__ import annotations

from collections import Counter
from typing import Any

from endvac.errors import UsageError
from endvac.strategy.fields import column_kind, to_cell
from endvac.strategy.model import TABLES, Strategy
from endvac.strategy.progress import aggregate_bases
from endvac.strategy.review import checklist_rows

PARTS = ("overview", "strategy", "bases", "assessments", "checklist", "actions", "targets",
         "trainings", "staff")


def _table(strategy: Strategy, name: str) -> list[dict[str, Any]]:
    model = TABLES[name]
    value = getattr(strategy, name)
    rows = [value] if name == "strategy" else value
    return [{c: to_cell(column_kind(model, c), getattr(r, c)) for c in model.model_fields}
            for r in rows]


def _trainings(strategy: Strategy) -> list[dict[str, Any]]:
    """Trainings with participants counted by sex and mean scores (no participant codes)."""
    rows = []
    for t in strategy.trainings:
        mine = [p for p in strategy.participants if p.training == t.id]
        sexes = Counter(p.sex for p in mine)
        pre = [p.pre_score for p in mine if p.pre_score is not None]
        post = [p.post_score for p in mine if p.post_score is not None]
        rows.append({"id": t.id, "title": t.title, "date": t.date, "region": t.region,
                     "professions": "; ".join(t.professions), "female": sexes["f"],
                     "male": sexes["m"],
                     "mean_pre_score": round(sum(pre) / len(pre), 1) if pre else None,
                     "mean_post_score": round(sum(post) / len(post), 1) if post else None})
    return rows


def show_rows(strategy: Strategy, part: str) -> list[dict[str, Any]]:
    """The rows of one part of the strategy (``overview``: how many rows each part has)."""
    if part not in PARTS:
        raise UsageError(f"--part {part} is not a part of the strategy",
                         fix=f"use one of {', '.join(PARTS)}")
    if part == "overview":
        info = strategy.strategy
        return [{"title": info.title, "period": f"{info.period_start}-{info.period_end}",
                 "owner_institution": info.owner_institution,
                 "adoption": f"{info.adoption_status} {info.adoption_date or ''}".strip(),
                 **{name: len(getattr(strategy, name)) for name in TABLES
                    if name != "strategy"}}]
    if part == "bases":
        return [b.model_dump() for b in aggregate_bases(strategy.assessments)]
    if part == "checklist":
        return [{**c.model_dump(exclude={"actions"}), "actions": "; ".join(c.actions)}
                for c in checklist_rows(strategy)]
    if part == "trainings":
        return _trainings(strategy)
    return _table(strategy, part)
