"""`endvac report`: the situation-analysis report as one self-contained HTML file
(charts inline as SVG, CSS inline, no script, no network), and as PDF on request.
The restricted report reads a snapshot, the public report only a public release."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape
from markupsafe import Markup

from endvac import charts
from endvac.errors import ConfigError
from endvac.i18n import DEFAULT_LANG, resolve_lang, translations
from endvac.i18n.jinja import EXTENSIONS, install, places_named
from endvac.progress import Progress as Say
from endvac.progress import counted
from endvac.report import builtin
from endvac.report import format as fmt
from endvac.report.data import ReportData, check_period, public_data, restricted_data
from endvac.report.pdf import print_pdf
from endvac.report.sections import Section, SectionSpec, chosen, template_dirs
from endvac.workspace import Workspace


@dataclass(frozen=True)
class ReportSummary:
    html: Path
    pdf: Path | None
    public: bool
    source: str
    sections: list[str]
    seconds: float


def build_report(workspace: Workspace, period: str, out: Path, *, public: bool = False,
                 pdf: bool = False, progress: Say | None = None,
                 lang: str | None = None,
                 sections: Sequence[SectionSpec] = builtin.SECTIONS) -> ReportSummary:
    """Write the report of ``period`` (a year) to ``out`` (HTML) and, with ``pdf``, the
    same report printed to ``out`` with the suffix ``.pdf``; in ``lang`` (default: the
    workspace's ``language``, ENDVAC_LANG, English — docs/languages.md). ``sections``
    are the chapters to build (default: the report's own; the CLI adds the others)."""
    lang = resolve_lang(lang, workspace.config.language)
    started = time.perf_counter()
    say = progress or (lambda _m: None)
    check_period(period)
    geojson = regions_geojson(workspace)
    say("reading the public release" if public else "reading the snapshot")
    data = public_data(workspace, period, say) if public else restricted_data(
        workspace, period, say)
    data.extra.update(geojson=geojson, region_property=workspace.config.report.region_property,
                      lang=lang)
    html = render_report(data, say, lang, sections)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    printed = None
    if pdf:
        say("printing to PDF with Chromium")
        printed = print_pdf(out, out.with_suffix(".pdf"))
    return ReportSummary(out, printed, public, str(data.provenance["source"]),
                         [s.name for s in _sections_of(html)], time.perf_counter() - started)


def build_sections(data: ReportData, say: Say,
                   specs: Sequence[SectionSpec]) -> list[Section]:
    """Each given chapter's section (a public report never holds a record-level one)."""
    out = []
    wanted = chosen(specs, data.public)
    for number, spec in enumerate(wanted, start=1):
        say(counted(number, len(wanted), f"building {spec.name}"))
        section = spec.build(data)
        if section is None or (data.public and section.record_level):
            continue
        out.append(section)
    return out


def render_report(data: ReportData, say: Say, lang: str = DEFAULT_LANG,
                  specs: Sequence[SectionSpec] = builtin.SECTIONS) -> str:
    """The whole report as one HTML document of the chapters ``specs``, in ``lang``."""
    sections = build_sections(data, say, specs)
    env = environment(lang, template_dirs(specs))
    places = data.snapshot.meta.get("place_names") if data.snapshot is not None else None
    with places_named(places if isinstance(places, dict) else None):
        rendered = [(s, Markup(env.get_template(s.template).render(section=s.data,
                                                                   data=data)))
                    for s in sections]
    css = env.loader.get_source(env, "report.css")[0] if env.loader else ""
    words = translations(lang).gettext
    kind = words("public situation analysis") if data.public else words(
        "restricted situation analysis")
    title = f"{data.country.get('name', '')} — {kind} {data.period}"
    return env.get_template("base.html").render(
        title=title, css=Markup(css), data=data, sections=sections, rendered=rendered,
        made=datetime.now().isoformat(sep=" ", timespec="minutes"))


def environment(lang: str = DEFAULT_LANG, extra: Sequence[Path] = ()) -> Environment:
    """The report's templates (then the chapters' own folders) in ``lang``: gettext
    (jinja2.ext.i18n), the names filters and the number filters with the language's
    separators."""
    loaders: list[Any] = [PackageLoader("endvac.report", "templates")]
    loaders += [FileSystemLoader(str(d)) for d in extra]
    env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True, extensions=EXTENSIONS)
    install(env, lang)
    words = translations(lang).gettext
    env.filters.update(
        value=lambda v, unit: fmt.value_text(v, unit, lang),
        count=lambda v: fmt.count_text(v, lang),
        interval=lambda row: fmt.interval_text(row, lang),
        ratio=lambda v: fmt.ratio_text(v, lang),
        change=lambda v, previous, unit: fmt.change_text(v, previous, unit, lang),
        withheld=fmt.withheld_text,
        unit=lambda unit: words(charts.unit_label(unit)) if charts.unit_label(unit) else "")
    return env


def regions_geojson(workspace: Workspace) -> dict[str, Any] | None:
    """The region boundaries named by ``report.regions_geojson``, or None."""
    path = workspace.config.report.regions_geojson
    if path is None:
        return None
    path = path if path.is_absolute() else workspace.root / path
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"report.regions_geojson {path} cannot be read as GeoJSON",
                          fix="give a GeoJSON FeatureCollection file, or remove the setting"
                          ) from exc
    if not isinstance(found, dict) or found.get("type") != "FeatureCollection":
        raise ConfigError(f"report.regions_geojson {path} is not a FeatureCollection",
                          fix="give a GeoJSON FeatureCollection of the regions")
    return found


def _sections_of(html: str) -> list[Section]:
    import re
    return [Section(name, name, "") for name in re.findall(r'data-section="([^"]+)"', html)]
