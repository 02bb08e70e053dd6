"""Charts of the strategy page and report chapter, as Altair charts from the review's
rows, and as SVG (vl-convert, no browser; no inline style, so the web's CSP allows it)."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from endvac.strategy.checks import FAR_FUTURE
from endvac.strategy.progress import BasisScore, Coverage, TargetProgress
from endvac.strategy.review import StrategyReview

ON_TRACK, OFF_TRACK, NEUTRAL, CHILDREN = "#2166ac", "#b2182b", "#7f7f7f", "#e08214"
WIDTH = 520


def bases_chart(bases: list[BasisScore]) -> alt.LayerChart:
    """Mean score of each basis (bar), the range of respondents' scores (rule) and the
    children's consultations' mean (orange tick)."""
    frame = pd.DataFrame([{"basis": f"{b.basis} {b.short}", "mean": b.mean, "low": b.min,
                           "high": b.max, "n": b.n, "children": b.children_mean}
                          for b in bases])
    y = alt.Y("basis:N", sort=None, title=None)
    scale = alt.Scale(domain=[0, 4])
    bars = alt.Chart(frame).mark_bar(color=ON_TRACK, opacity=0.7).encode(
        x=alt.X("mean:Q", scale=scale, title="score (0 absent - 4 fully in place)"), y=y,
        tooltip=["basis", "mean", "low", "high", "n", "children"])
    spread = alt.Chart(frame).mark_rule(color="black").encode(x="low:Q", x2="high:Q", y=y)
    children = alt.Chart(frame).mark_tick(color=CHILDREN, thickness=3).encode(
        x=alt.X("children:Q", scale=scale), y=y)
    return (bars + spread + children).properties(width=WIDTH - 220,
                                                 title="Self-assessment of the seven bases")


def roadmap_chart(review: StrategyReview) -> alt.Chart | None:
    """Each action from start to end (open ends drawn to the strategy's last year),
    coloured by action type; cancelled actions faint."""
    last = date(review.strategy.strategy.period_end, 12, 31)
    rows = [{"action": f"{a.id} {a.objective}"[:48], "type": a.action_type,
             "lead": a.lead_agency, "start": a.start.isoformat(),
             "end": (a.end if a.end and a.end != FAR_FUTURE else last).isoformat(),
             "status": a.status, "faint": a.status == "cancelled"}
            for a in review.strategy.actions]
    if not rows:
        return None
    return alt.Chart(pd.DataFrame(rows)).mark_bar().encode(
        x=alt.X("start:T", title=None), x2="end:T", y=alt.Y("action:N", sort=None, title=None),
        color=alt.Color("type:N", scale=alt.Scale(scheme="tableau10"), title="action type"),
        opacity=alt.condition("datum.faint", alt.value(0.25), alt.value(0.9)),
        tooltip=["action", "type", "lead", "start", "end", "status"],
    ).properties(width=WIDTH - 200, title="Roadmap")


def _target(t: TargetProgress) -> alt.LayerChart:
    assert t.baseline_value is not None
    line = pd.DataFrame([{"date": date(t.baseline_year, 12, 31).isoformat(),
                          "value": t.baseline_value},
                         {"date": t.target_date.isoformat(), "value": t.target_value}])
    colour = {"on_track": ON_TRACK, "off_track": OFF_TRACK}.get(t.status, NEUTRAL)
    path = alt.Chart(line).mark_line(strokeDash=[4, 3], color=NEUTRAL, point=True).encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("value:Q", title=t.indicator_id, scale=alt.Scale(zero=False)))
    layers = [path]
    if t.latest_value is not None and t.latest_date is not None:
        latest = pd.DataFrame([{"date": t.latest_date.isoformat(), "value": t.latest_value,
                                "status": t.status.replace("_", " ")}])
        layers.append(alt.Chart(latest).mark_point(filled=True, size=120, color=colour)
                      .encode(x="date:T", y="value:Q", tooltip=["date", "value", "status"]))
    return alt.LayerChart(layer=layers).properties(
        width=220, height=120, title=f"{t.id} {t.indicator_id}: {t.status.replace('_', ' ')}")


def targets_chart(targets: list[TargetProgress]) -> alt.ConcatChart | None:
    """Per target: the straight line from baseline to target, and the latest value
    (blue on track, red off track)."""
    shown = [_target(t) for t in targets if t.baseline_value is not None]
    return alt.concat(*shown, columns=2) if shown else None


def coverage_chart(coverage: list[Coverage]) -> alt.LayerChart | None:
    """Share of staff trained, by profession and region."""
    rows = [{"profession": c.profession, "region": c.region, "percent": c.percent,
             "label": "-" if c.percent is None else f"{c.percent:.0f}%"} for c in coverage]
    if not rows:
        return None
    base = alt.Chart(pd.DataFrame(rows)).encode(x=alt.X("region:N", title=None),
                                                y=alt.Y("profession:N", title=None))
    cells = base.mark_rect().encode(color=alt.Color(
        "percent:Q", scale=alt.Scale(domain=[0, 100], scheme="blues"), title="% trained"))
    return (cells + base.mark_text(fontSize=10).encode(text="label:N")).properties(
        title="Training coverage (distinct staff trained / staff)")


def to_svg(chart: alt.TopLevelMixin) -> str:
    """One chart as an SVG document."""
    import vl_convert

    return str(vl_convert.vegalite_to_svg(chart.to_json()))


def strategy_svgs(review: StrategyReview) -> dict[str, str]:
    """The page's charts as SVG, by name (bases, roadmap, targets, coverage)."""
    charts = {"bases": bases_chart(review.bases), "roadmap": roadmap_chart(review),
              "targets": targets_chart(review.targets),
              "coverage": coverage_chart(review.coverage)}
    return {name: to_svg(chart) for name, chart in charts.items() if chart is not None}
