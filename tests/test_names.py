"""Names, not codes: every code a person reads has a name in every language."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import duckdb
import jinja2
import pytest

from endvac.config import BREAKDOWN_NAMES
from endvac.errors import ConfigError
from endvac.indicators.change import Verdict
from endvac.indicators.definitions import load_definitions
from endvac.interchange import spec
from endvac.names import BREAKDOWN_KINDS, LANGUAGES, Names, catalogues, load_names
from endvac.names.catalogue import _catalogue
from endvac.pathways.definitions import load_pathway_definitions
from endvac.safeguards.rates import rate_definitions
from endvac.safeguards.rules import load_rules
from endvac.strategy.codes import load_codes
from endvac.strategy.progress import TargetStatus
from endvac.workspace import Workspace
from indicator_helpers import load_all

# Every code list of spec.py and the kind that names it; a list added to spec.py without a
# kind here fails test_every_code_list_of_the_spec_is_named.
SPEC_KINDS = {
    "AGENCIES": "agency", "FLAG_VALUES": "flag", "SEX": "sex", "POPULATION_SEX": "sex",
    "EVENT_TYPES": "event_type", "ALL_MEASURES": "measure", "ROLES": "role",
    "VICTIM_DEFAULT_EVENTS": "event_type", "VICTIM_PATHWAY_EVENTS": "event_type",
    "AUTHORITIES": "authority", "BASES": "basis",
    "END_REASONS": "end_reason", "RELEASE_REASONS": "end_reason",
    "FACILITY_TYPES": "facility_type", "MODES": "mode", "EVIDENCE": "evidence",
    "WITHDRAWABLE_FILES": "file", "ERROR_RULES": "finding",
    "UNCTS_MEASURES": "uncts_measure",
}
# Lists of spec.py that are column or file names, never shown as values.
NOT_SHOWN = {"IDENTIFIER_FIELDS", "LOAD_ORDER"}
# Alert statuses (docs/safeguards.md: breach, possible, no_evidence).
ALERT_STATUSES = ("breach", "possible", "no_evidence")
# Names that are rightly the same word as the English one.
SAME_AS_ENGLISH = {
    ("unit", "percent", "pt"), ("unit", "percent", "fr"), ("unit", "percent", "es"),
    ("agency", "police", "fr"), ("authority", "police", "fr"),
    ("respondent_type", "police", "fr"), ("flag", "n", "es"), ("score", "0", "fr"),
    ("score", "1", "fr"), ("action_type", "inspection", "fr"), ("severity", "error", "es"),
}
# a marker, or a code left in place of a name (a word with ``_``)
PLACEHOLDER = re.compile(r"\b(TODO|TBD|FIXME|XXX)\b|\?\?|^-+$|^\[.*\]$|^[a-z0-9]+(_[a-z0-9]+)+$")
ARABIC = re.compile(r"[\u0600-\u06FF]")


def _code_lists() -> list[tuple[str, str]]:
    """(kind, code) of every code a person may read, from the modules that define them."""
    wanted: list[tuple[str, str]] = []
    for name, kind in SPEC_KINDS.items():
        wanted += [(kind, code) for code in getattr(spec, name)]
    wanted += [("finding", r.code) for r in spec.RULES]
    wanted += [("severity", r.severity) for r in spec.RULES]
    rules = load_rules().rules
    wanted += [("rule", r.id) for r in rules] + [("severity", r.severity) for r in rules]
    for defs in (load_definitions(), rate_definitions()):
        wanted += [("indicator", i.id) for i in defs.indicators]
        wanted += [("indicator_plain", i.id) for i in defs.indicators]
        wanted += [("indicator", p.id) for p in defs.decision_points]
        wanted += [("unit", i.unit) for i in defs.indicators]
        wanted += [("better", i.better) for i in defs.indicators]
        wanted += [("breakdown", b) for b in defs.breakdowns]
    wanted += [("breakdown", b) for b in BREAKDOWN_NAMES]
    pathways = load_pathway_definitions()
    wanted += [("pathway_stage", s.id) for s in pathways.stages]
    wanted += [("outcome_group", g.id) for g in pathways.groups]
    wanted += [("pathway_interval", i.id) for i in pathways.intervals]
    wanted += [("status", s) for s in ALERT_STATUSES]
    wanted += [("verdict", v.value) for v in Verdict] + [("verdict", "no_data")]
    wanted += [("iccs", f"{section:02d}") for section in range(1, 12)]
    codes = load_codes()
    wanted += [("strategy_base", str(b.id)) for b in codes.bases]
    wanted += [("strategy_base_text", str(b.id)) for b in codes.bases]
    wanted += [("score", str(s)) for s in codes.score_labels]
    for kind, values in (("adoption_status", codes.adoption_statuses),
                         ("respondent_type", codes.respondent_types),
                         ("checklist_status", codes.checklist_statuses),
                         ("action_type", codes.action_types),
                         ("action_status", codes.action_statuses), ("sex", codes.sexes),
                         ("role", codes.roles), ("profession", codes.professions),
                         ("target_status", get_args(TargetStatus))):
        wanted += [(kind, v) for v in values]
    return sorted(set(wanted))


def test_every_code_list_of_the_spec_is_named() -> None:
    lists = {name for name, value in vars(spec).items() if name.isupper()
             and isinstance(value, tuple) and value and all(isinstance(v, str) for v in value)}
    assert lists - NOT_SHOWN == set(SPEC_KINDS)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_code_has_a_real_name_in_every_language(lang: str) -> None:
    names = load_names(lang)
    english = load_names("en")
    problems = []
    for kind, code in _code_lists():
        if not names.known(kind, code):
            problems.append(f"{kind} {code}: no name")
            continue
        text = names.label(kind, code)
        if not text.strip() or PLACEHOLDER.search(text):
            problems.append(f"{kind} {code}: placeholder {text!r}")
        if lang == "ar" and not ARABIC.search(text) and (kind, code) != ("unit", "percent"):
            problems.append(f"{kind} {code}: not Arabic {text!r}")
        if lang in ("pt", "fr", "es") and text == english.label(kind, code) \
                and (kind, code, lang) not in SAME_AS_ENGLISH:
            problems.append(f"{kind} {code}: same as English {text!r}")
    assert problems == []


def test_every_catalogue_names_each_code_in_exactly_the_five_languages() -> None:
    for catalogue in catalogues().values():
        assert sorted(catalogue.verified) == sorted(LANGUAGES), catalogue.kind
        assert catalogue.source.strip(), catalogue.kind
        for code, entry in catalogue.names.items():
            assert sorted(entry) == sorted(LANGUAGES), (catalogue.kind, code)


def test_the_english_descriptions_are_the_definitions_own() -> None:
    english = load_names("en")
    for defs in (load_definitions(), rate_definitions()):
        for ind in defs.indicators:
            assert english.label("indicator_plain", ind.id) == ind.plain, ind.id
            assert english.label("indicator", ind.id) == ind.name, ind.id
        for point in defs.decision_points:
            assert english.label("indicator", point.id) == point.name, point.id
    for rule in load_rules().rules:
        assert english.label("rule", rule.id) == rule.name, rule.id
    for basis in load_codes().bases:
        assert english.label("strategy_base", basis.id) == basis.short, basis.id
    for stage in load_pathway_definitions().stages:
        assert english.label("pathway_stage", stage.id) == stage.name, stage.id
    for interval in load_pathway_definitions().intervals:
        assert english.label("pathway_interval", interval.id) == interval.name, interval.id
        assert english.label("strategy_base_text", basis.id) == basis.text, basis.id


def test_iccs_section_05_in_five_languages() -> None:
    # hand-checked: ICCS v1.0 section 05 and its UN-language wording
    assert load_names("en").label("iccs", "05") == "Acts against property only"
    assert load_names("fr").label("iccs", "05") == "Actes portant atteinte aux biens seulement"
    assert load_names("es").label("iccs", "05") == "Actos contra la propiedad solamente"
    assert load_names("ar").label("iccs", "05") == "الأفعال المرتكبة ضد الممتلكات فقط"
    assert load_names("pt").label("iccs", "05") == "Atos contra o património apenas"


def test_spot_values_of_other_kinds() -> None:
    assert load_names("en").label("iccs", "11") == "Other criminal acts not elsewhere classified"
    assert load_names("pt").label("rule", "held_with_adults") == \
        "Criança detida não totalmente separada dos adultos"
    assert load_names("fr").label("indicator", "JJ2") == "Enfants en détention"
    assert load_names("es").label("sex", "u") == "no registrado"
    assert load_names("ar").label("status", "breach") == "انتهاك"
    assert load_names("en").label("iccs", "0101") == "Intentional homicide"


def test_an_unknown_code_is_shown_as_itself() -> None:
    names = load_names("fr")
    assert names.label("iccs", "0999") == "0999"
    assert names.label("no_such_kind", "abc") == "abc"
    assert names.label("sex", None) == ""
    assert not names.known("iccs", "0999")


def test_cells_are_named_by_their_breakdown() -> None:
    names = load_names("pt")
    assert set(BREAKDOWN_KINDS) == set(BREAKDOWN_NAMES)
    assert names.cell("sex", "f") == "feminino"
    assert names.cell("sex", "unknown") == "desconhecido"
    assert names.cell("offence_section", "05") == "Atos contra o património apenas"
    assert names.cell("disability", "y") == "sim"
    assert names.cell("age_group", "12-13") == "12–13 anos"
    assert names.cell("age_group", "unknown") == "desconhecido"
    # open codes (groups, nationalities) are shown as delivered
    assert names.cell("group", "g1") == "g1"
    assert names.cell("nationality", "MOZ") == "MOZ"


def test_region_and_facility_names_come_from_the_delivered_files() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE regions (region VARCHAR, name VARCHAR, parent VARCHAR)")
    con.execute("INSERT INTO regions VALUES ('NOR1', 'Northern Hills', NULL), "
                "('SOU3', '', NULL)")
    con.execute("CREATE TABLE facilities (facility_id VARCHAR, name VARCHAR)")
    con.execute("INSERT INTO facilities VALUES ('RH-NOR', 'Northern remand home')")
    for lang in ("en", "ar"):
        names = load_names(lang, con)
        assert names.label("region", "NOR1") == "Northern Hills"
        assert names.cell("region", "NOR1") == "Northern Hills"
        assert names.label("facility", "RH-NOR") == "Northern remand home"
        assert names.label("region", "SOU3") == "SOU3"  # an empty name: the code
    # a store without the reference files: codes
    assert load_names("en", duckdb.connect()).label("region", "NOR1") == "NOR1"


def test_jinja_filters() -> None:
    env = jinja2.Environment(autoescape=True)
    env.filters.update(load_names("es").jinja_filters())
    page = env.from_string("{{ '0101'|name('iccs') }} / {{ 'm'|cell('sex') }}").render()
    assert page == "Homicidio intencional / masculino"


def test_a_language_outside_the_five_is_refused() -> None:
    with pytest.raises(ConfigError, match="language 'de'"):
        Names("de")


def test_a_name_holding_an_unquoted_comma_is_caught() -> None:
    # YAML reads {en: a, b, pt: …} as a key "b": the entry then has a language too many
    raw = {"kind": "x", "source": "s", "verified": {}, "names": {
        "c": {"en": "a", "b": None, "pt": "p", "fr": "f", "es": "e", "ar": "ع"}}}
    with pytest.raises(ConfigError, match="x c: needs a non-empty name"):
        _catalogue(raw, "test.yaml")


def test_verified_is_per_language_with_entry_overrides() -> None:
    iccs = catalogues()["iccs"]
    assert iccs.is_verified("05", "en") and not iccs.is_verified("05", "pt")
    assert not iccs.is_verified("0802", "en")  # wording not checked against ICCS v1.0


def test_docs_list_every_catalogue_with_its_source_and_verified_languages() -> None:
    from endvac.names.docs import render_catalogues

    page = (Path(__file__).parent.parent / "docs" / "names.md").read_text(encoding="utf-8")
    # regenerate with: python -m endvac.names.docs docs/names.md
    assert render_catalogues() in page


def test_every_iccs_code_the_synthetic_country_delivers_is_named() -> None:
    from endvac.synth.pathways import OFFENCE_CODES
    from endvac.synth.victims import VICTIM_CODES

    codes = {code for code, _ in OFFENCE_CODES + VICTIM_CODES}
    for lang in LANGUAGES:
        names = load_names(lang)
        assert [c for c in sorted(codes) if not names.known("iccs", c)] == [], lang


def test_a_snapshot_keeps_the_place_names_for_the_web_and_the_report(
        ws: Workspace, tmp_path: Path) -> None:
    from endvac.publish import load_snapshot, publish

    load_all(ws, tmp_path, {})  # the reference files only (indicator_helpers.REGISTERS)
    publish(ws, [2025])
    places = load_snapshot(ws).meta["place_names"]
    # regions.csv names R1 Province, D1 District one, D2 District two; facilities.csv
    # gives no name column, so no facility is named
    assert places == {"region": {"R1": "Province", "D1": "District one",
                                 "D2": "District two"}, "facility": {}}
    names = load_names("ar", places=places)
    assert (names.label("region", "D1"), names.label("facility", "F1")) == ("District one", "F1")
