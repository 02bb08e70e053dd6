"""Docs that the tests keep honest: format, CLI, settings and config."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from endvac.cli.main import app
from endvac.config import (
    AppRules,
    CountingRules,
    Country,
    IngestRules,
    LinkageRules,
    PeriodDefaults,
    PrivacyRules,
    PublishRules,
    ReleaseRules,
    ReportRules,
)
from endvac.interchange.docs import render_reference
from endvac.interchange.spec import EVENT_TYPES, FILES, MEASURES, file_spec
from endvac.settings import Settings

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"


def test_generated_reference_is_current() -> None:
    assert (DOCS / "interchange-reference.md").read_text(encoding="utf-8") == render_reference()


def _spec_sections() -> dict[str, str]:
    text = (DOCS / "spec" / "interchange.md").read_text(encoding="utf-8")
    parts = re.split(r"^## (\w+)\.csv.*$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_definitions_follow_the_contract_tables() -> None:
    """Every column of the contract (docs/spec/interchange.md) exists, required as written."""
    sections = _spec_sections()
    assert set(sections) == {f.name for f in FILES}
    for name, body in sections.items():
        spec = file_spec(name)
        table = re.findall(r"^\| ([a-z_, ]+) \| (yes\*?|no) \|", body, flags=re.M)
        for cells, req in table:
            for column in (c.strip() for c in cells.split(",")):
                assert column in spec.column_names, (name, column)
                if req == "yes":
                    assert spec.column(column).required, (name, column)
                elif req == "no":
                    assert not spec.column(column).required, (name, column)
        if not table and name != "manifest":  # regions, policy, withdrawals: inline lists
            first = re.sub(r"\([^)]*\)", "", body.strip().splitlines()[0])
            inline = re.findall(r"`([a-z_]+)`", first)
            assert inline and set(inline) <= set(spec.column_names), name
        if name == "manifest":
            listed = re.findall(r"^\| ([a-z_, ]+) \|", body, flags=re.M)[1:]
            names = {c.strip() for cells in listed for c in cells.split(",")}
            assert names == set(spec.column_names)


def test_event_types_and_measures_follow_the_contract() -> None:
    """The contract's event types, then those of the victims' pathway extension (its own
    section of docs/spec/interchange.md), are the definitions' in order."""
    body = _spec_sections()["events"]
    text = (DOCS / "spec" / "interchange.md").read_text(encoding="utf-8")
    extension = text.partition("## Extension of version 1: the victims' pathway")[2]
    bullets = re.findall(r"^- `([a-z_]+)` —(.*)$", body, flags=re.M)
    assert len(bullets) == 15
    bullets += re.findall(r"^- `([a-z_]+)` —(.*)$", extension, flags=re.M)
    assert tuple(t for t, _ in bullets) == EVENT_TYPES
    for event_type, text in bullets:
        listed = tuple(re.findall(r"`([a-z_]+)`", text.split("measure:")[1].split(". ")[0])) \
            if "measure:" in text else ()
        assert listed == MEASURES.get(event_type, ()), event_type


def _commands() -> dict[str, typer.core.TyperCommand]:
    """Every command by its full name; a sub-app (`strategy`) and each of its commands
    (`strategy import`) are listed apart."""
    group = typer.main.get_command(app)
    found: dict[str, typer.core.TyperCommand] = {}
    for name, command in group.commands.items():  # type: ignore[attr-defined]  # TyperGroup
        found[name] = command
        for sub, inner in getattr(command, "commands", {}).items():
            found[f"{name} {sub}"] = inner
    return found


def test_every_command_has_help_with_an_example_and_a_docs_entry() -> None:
    cli_doc = (DOCS / "cli.md").read_text(encoding="utf-8")
    commands = _commands()
    assert {"init", "ingest", "deliveries", "quarantine", "status", "synth"} <= set(commands)
    for name, command in commands.items():
        assert "Example: endvac " + name in (command.help or ""), name
        assert f"## endvac {name}" in cli_doc, name


def test_every_setting_and_config_key_is_documented() -> None:
    workspace_doc = (DOCS / "workspace.md").read_text(encoding="utf-8")
    for field in Settings.model_fields:
        assert f"ENDVAC_{field.upper()}" in workspace_doc, field
    for model in (Country, PeriodDefaults, CountingRules, IngestRules, PrivacyRules,
                  ReleaseRules, AppRules, LinkageRules, PublishRules, ReportRules):
        for field in model.model_fields:
            assert f"`{field}`" in workspace_doc, field


def test_every_rule_is_documented_in_ingest_docs() -> None:
    ingest_doc = (DOCS / "ingest.md").read_text(encoding="utf-8")
    from endvac.interchange.spec import RULES
    for rule in RULES:
        assert f"`{rule.code}`" in ingest_doc, rule.code


def test_indicator_reference_is_current_and_every_indicator_is_explained() -> None:
    from endvac.indicators.definitions import load_definitions
    from endvac.indicators.docs import render_reference as render_indicators
    assert (DOCS / "indicators-reference.md").read_text(encoding="utf-8") == render_indicators()
    guide = (DOCS / "indicators.md").read_text(encoding="utf-8")
    for ind in load_definitions().indicators:
        assert re.search(rf"^\| [A-Za-z0-9, ]*\b{ind.id}\b", guide, flags=re.M), ind.id


def test_definitions_cover_the_spec_tables() -> None:
    """Every indicator row of docs/spec/indicators.md has a definition of that unit."""
    from endvac.indicators.definitions import load_definitions
    spec = (DOCS / "spec" / "indicators.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (J\w+|VAC\d+[a-z]?) \| .* \| (\w+)(?: \(median\))? \|$", spec,
                      flags=re.M)
    defs = {i.id: i for i in load_definitions().indicators}
    assert {r[0] for r in rows} == set(defs)
    for indicator, unit in rows:
        assert defs[indicator].unit == unit, indicator


def test_every_safeguard_rule_and_profile_key_is_documented() -> None:
    import yaml

    from endvac.profiles import Profile, international_text
    from endvac.safeguards.rules import load_rules
    doc = (DOCS / "safeguards.md").read_text(encoding="utf-8")
    for rule in load_rules().rules:
        assert f"| `{rule.id}` |" in doc, rule.id
    for key in Profile.model_validate(yaml.safe_load(international_text())).limits:
        assert f"| `{key}` |" in doc, key


def test_architecture_page_names_modules_that_exist() -> None:
    """docs/architecture.md: every module or folder it names is there, and every package
    of src/endvac has its place on the page (so a new package needs a line)."""
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(endvac/[\w/]+(?:\.\w+)?)`", text))
    named |= {f"endvac/{folder}/{name}" for folder, names in re.findall(
        r"`endvac/(\w+)/` \(([^)]*)\)", text) for name in re.findall(r"`([\w.]+)`", names)}
    src = ROOT / "src"
    assert sorted(n for n in named if not (src / n).exists()) == []
    packages = {p.parent.name for p in (src / "endvac").glob("*/__init__.py")}
    assert sorted(p for p in packages if f"`endvac/{p}/`" not in text) == []
    # the typed values passed between the steps
    for name in ("IngestResult", "Facts", "materialise", "Result", "Note(kind, count)",
                 "AlertReport", "Release", "Snapshot", "EndvacError"):
        assert f"`{name}" in text, name
