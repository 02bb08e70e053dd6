"""Loading one delivery atomically: every file checked, rows loaded or quarantined.

The whole delivery is one transaction on the analytic store; an error or
Ctrl-C anywhere rolls it back and discards the staged identifier file, so the
workspace is exactly as before.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from endvac.encoding.records import protect
from endvac.errors import BadInput, ConfigError
from endvac.facts.views import current_rows_sql
from endvac.ingest import bookkeeping, checks, identifiers, messages, removals
from endvac.ingest.delivery import DeliveryFile, Manifest, check_manifest, discover, fingerprint
from endvac.ingest.files import refuse_secrets
from endvac.ingest.findings import Finding, finding
from endvac.ingest.read import SourceTable, read_parts
from endvac.ingest.references import reference_notices
from endvac.ingest.result import FileResult, IngestResult
from endvac.interchange.mapping import DEFAULT_MAPPING, Mapping, load_mapping
from endvac.interchange.spec import ERROR_RULES, FileSpec, file_spec
from endvac.progress import Progress, counted
from endvac.store import db
from endvac.store.db import ident
from endvac.store.schema import fact_table, stored_columns
from endvac.workspace import Workspace, ensure_schema

# The staged rows, each identical repeat left out (the first copy stands for them);
# registered once per file by _stage.
FIRST = "stage_first"
# The current child records that staged rows refer to (not the whole store).
STAGED_CHILDREN = "(" + current_rows_sql(
    file_spec("children"), "(SELECT DISTINCT agency, record_id FROM stage_first)") + ")"


def ingest(workspace: Workspace, folder: Path, mapping_path: Path | None = None,
           progress: Progress | None = None, dry_run: bool = False) -> IngestResult:
    """Load the delivery in ``folder`` into ``workspace``; see docs/ingest.md. With
    ``dry_run``, run every check and count what would load, changing nothing."""
    say = progress or (lambda _msg: None)
    mapping = load_mapping(mapping_path) if mapping_path else DEFAULT_MAPPING
    files, ignored = discover(folder, mapping)
    refuse_secrets([f.path for f in files] + ignored, workspace.keys_dir)
    result = IngestResult(folder, ignored_files=[p.name for p in ignored], dry_run=dry_run)
    result.findings += [finding("delivery", str(p), None, None, "unknown_file") for p in ignored]
    digest = fingerprint(files, mapping_path)
    if dry_run:
        return _dry_run(workspace, result, files, mapping, digest, say)
    with workspace.analytic() as con:
        committed = {r[0] for r in db.rows(con, "list deliveries",
                                           "SELECT delivery_id FROM deliveries")}
        identifiers.retire_clear_identifiers(workspace.root)
        identifiers.settle(workspace.identifiers_dir, committed)
        result.already_loaded_as = _loaded_as(con, digest)
        if result.already_loaded_as is not None:
            return result
        delivery_id = max(committed, default=0) + 1
        db.run(con, "begin delivery", "BEGIN TRANSACTION")
        try:
            _load_all(workspace, con, result, files, mapping, delivery_id, say)
            bookkeeping.record_delivery(workspace, con, result, delivery_id, digest,
                                         mapping_path)
            db.run(con, "commit delivery", "COMMIT")
        except BaseException:
            db.run(con, "roll back delivery", "ROLLBACK")
            identifiers.discard(workspace.identifiers_dir, delivery_id)
            raise
        identifiers.publish(workspace.identifiers_dir, delivery_id)
    result.delivery_id = delivery_id
    return result


def _loaded_as(con: duckdb.DuckDBPyConnection, digest: str) -> int | None:
    """The delivery that loaded these same files already (withdrawn ones do not count)."""
    earlier = db.scalar(con, "find delivery", "SELECT delivery_id FROM deliveries "
                        "WHERE content_sha256 = ? AND delivery_id NOT IN "
                        "(SELECT delivery_id FROM delivery_withdrawals) "
                        "ORDER BY delivery_id LIMIT 1", [digest])
    return None if earlier is None else int(earlier)


def _dry_run(workspace: Workspace, result: IngestResult, files: list[DeliveryFile],
             mapping: Mapping, digest: str, say: Progress) -> IngestResult:
    """Every check of a load, run on a private copy of the store that is then deleted:
    the store, the linkage zone and the history are left byte for byte as they were."""
    settings = workspace.settings
    with tempfile.TemporaryDirectory(prefix="endvac-dry-run-") as scratch:
        store = workspace.analytic_path
        for path in (store, store.with_name(store.name + ".wal")):
            if path.exists():
                shutil.copyfile(path, Path(scratch) / path.name)
        con = db.connect(Path(scratch) / store.name, threads=settings.threads,
                         memory_limit=settings.memory_limit, temp_dir=settings.temp_dir,
                         force_compression=settings.force_compression)
        try:
            ensure_schema(con)
            result.already_loaded_as = _loaded_as(con, digest)
            if result.already_loaded_as is None:
                last = db.scalar(con, "list deliveries", "SELECT max(delivery_id) FROM deliveries")
                db.run(con, "begin dry run", "BEGIN TRANSACTION")
                _load_all(workspace, con, result, files, mapping, int(last or 0) + 1, say,
                          keep_identifiers=False)
                db.run(con, "roll back dry run", "ROLLBACK")
        finally:
            con.close()
    return result


def _load_all(workspace: Workspace, con: duckdb.DuckDBPyConnection, result: IngestResult,
              files: list[DeliveryFile], mapping: Mapping, delivery_id: int, say: Progress,
              keep_identifiers: bool = True) -> None:
    manifest = Manifest()
    code_list = _register_iccs_codes(workspace, con)
    id_tables: list[pa.Table] = []
    key = workspace.row_hash_key()
    chunk = workspace.settings.chunk_rows
    read: set[Path] = set()
    hidden: set[str] = set()  # words of the delivery's identifiers: never shown back
    for number, item in enumerate(files, start=1):
        say(counted(number, len(files), f"reading {item.path.name}"
                    + (f" [{item.sheet}]" if item.sheet else "")))
        parts = read_parts(item.spec, item.path, item.format, mapping, key, chunk, item.sheet,
                           item.path not in read)
        read.add(item.path)
        if item.spec.name == "manifest":
            manifest = result.manifest = _read_manifest(con, parts[0], mapping)
            continue
        for index, source in enumerate(parts, start=1):
            encoded = _protect(workspace, con, source, result, hidden)
            if encoded is not None:
                id_tables.append(encoded)
            file_result, found = _load_file(con, source, mapping, manifest, delivery_id,
                                            code_list, (index, len(parts)), hidden)
            say(f"{source.where}: {file_result.rows_in} rows, {file_result.loaded} loaded, "
                f"{file_result.quarantined} quarantined")
            result.files.append(file_result)
            result.findings += found
    result.findings += bookkeeping.delivery_warnings(con, delivery_id, result)
    result.findings += reference_notices(con, delivery_id, str(result.source))
    if keep_identifiers:
        identifiers.stage(workspace.identifiers_dir, delivery_id, id_tables)


def _register_iccs_codes(workspace: Workspace, con: duckdb.DuckDBPyConnection) -> bool:
    """Register the configured ICCS code list as ``iccs_codes``; False when none is set."""
    configured = workspace.config.ingest.iccs_code_list
    if configured is None:
        return False
    path = configured if configured.is_absolute() else workspace.root / configured
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError) as exc:
        raise ConfigError(f"cannot read the ICCS code list {path}",
                          fix="fix ingest.iccs_code_list in endvac.yaml") from exc
    codes = sorted({line.split(",")[0].strip() for line in lines
                    if line.strip() and line.strip()[0].isdigit()})
    con.register("iccs_codes", pa.table({"code": pa.array(codes, pa.string())}))
    return True


def _protect(workspace: Workspace, con: duckdb.DuckDBPyConnection, source: SourceTable,
             result: IngestResult, hidden: set[str]) -> pa.Table | None:
    """Tokens and encodings of the file's identifiers (the clear values leave memory here);
    bad agency-encoded values become findings of their rows."""
    if source.identifiers.num_columns <= 2:
        source.identifiers = source.identifiers.select([])
        return None
    agencies = [None if a is None else a.lower()
                for a in source.cells.column("agency").to_pylist()]
    keys = pa.table({"agency": pa.array(agencies, pa.string()),
                     "record_id": source.cells.column("record_id")})
    encoded, bad, version = protect(source.identifiers, keys, workspace.identity_key,
                                    source.where)
    hidden.update(messages.identifier_words(source.identifiers))
    source.identifiers = source.identifiers.select([])  # drop the clear values
    source.problems += [finding(source.spec.name, source.where, row, column,
                                "bad_encoded_value") for row, column in bad]
    if version is not None:
        earlier = {r[0] for r in db.rows(con, "read normalisation versions",
                                         "SELECT DISTINCT normalisation_version FROM deliveries "
                                         "WHERE normalisation_version IS NOT NULL")}
        if earlier - {version}:
            raise BadInput(f"{source.path}: normalisation version {version} differs from the "
                           f"loaded deliveries' {sorted(earlier)}",
                           fix="encode every delivery with the same endvac version")
        result.normalisation_version = version
    return encoded.add_column(0, "file", pa.array([source.spec.name] * encoded.num_rows,
                                                  pa.string()))


def _params(mapping: Mapping, manifest: Manifest) -> dict[str, Any]:
    """The date parameters of a delivery: its formats and its reference date."""
    return {**checks.split_formats(mapping.date_formats),
            "ref": manifest.extracted or date.today()}


def _bound(sql: str, params: dict[str, Any] | None) -> dict[str, Any] | None:
    """The parameters ``sql`` uses (DuckDB refuses unused named parameters)."""
    used = {k: v for k, v in (params or {}).items() if f"${k}" in sql}
    return used or None


def _stage(con: duckdb.DuckDBPyConnection, source: SourceTable, mapping: Mapping,
           manifest: Manifest) -> None:
    con.register("stage_raw", source.cells)
    step = f"type {source.path.name}"
    params = _params(mapping, manifest)
    sql = checks.typed_select(source.spec, frozenset(params), "stage_raw")
    typed = db.run(con, step, sql, _bound(sql, params)).to_arrow_table()
    con.register("stage_typed", typed)
    first = db.run(con, step, "SELECT * FROM stage_typed QUALIFY row_number() OVER "
                   "(PARTITION BY _hash ORDER BY _row) = 1").to_arrow_table()
    con.register("stage_first", first)


def _read_manifest(con: duckdb.DuckDBPyConnection, source: SourceTable, mapping: Mapping
                   ) -> Manifest:
    where = source.where
    if source.rows_in != 1:
        raise BadInput(f"{where}: a manifest has one row, this one has {source.rows_in}",
                       fix="keep one row under the header")
    if source.problems:
        raise BadInput(source.problems[0].describe())
    _stage(con, source, mapping, Manifest())
    found = _sql_findings(con, source, checks.cell_checks(source.spec, source.columns_present,
                                                          "stage_typed"))
    if found:
        raise BadInput(f"manifest: {found[0].describe()}")
    values = db.records(con, "read manifest", "SELECT * FROM stage_typed")[0]
    return check_manifest(values, where)


def _sql_findings(con: duckdb.DuckDBPyConnection, source: SourceTable, queries: list[str],
                  params: dict[str, Any] | None = None, hidden: set[str] | None = None
                  ) -> list[Finding]:
    if not queries:
        return []
    sql = " UNION ALL ".join(queries) + " ORDER BY 1, 2, 3"
    found = db.rows(con, f"check {source.path.name}", sql, _bound(sql, params))
    return [finding(source.spec.name, source.where, row, col, rule,
                    messages.message(source.spec, col, rule, value, hidden or set()))
            for row, col, rule, value in found]


def _load_file(con: duckdb.DuckDBPyConnection, source: SourceTable, mapping: Mapping,
               manifest: Manifest, delivery_id: int, code_list: bool = False,
               part: tuple[int, int] = (1, 1), hidden: set[str] | None = None
               ) -> tuple[FileResult, list[Finding]]:
    """Check and load one file (or part ``part[0]`` of ``part[1]`` of a flat file)."""
    spec, name = source.spec, source.path.name
    result = FileResult(spec.name, source.where, source.format, rows_in=source.rows_in)
    _stage(con, source, mapping, manifest)
    copies = {r[0] for r in db.rows(con, f"find duplicates in {name}",
                                    checks.duplicate_copies("stage_typed"))}
    result.duplicates = len(copies)
    found = [f for f in source.problems if f.row not in copies]
    found += _missing_columns(con, source)
    found += _sql_findings(con, source, [
        *checks.cell_checks(spec, source.columns_present, FIRST),
        *checks.row_checks(spec, source.columns_present, FIRST),
        checks.duplicate_keys(spec, FIRST),
        *checks.reference_checks(spec, source.columns_present, FIRST, STAGED_CHILDREN),
        *checks.restored_iccs(spec, FIRST),
        *(checks.iccs_in_code_list(spec, FIRST) if code_list else []),
        *_period_checks(spec, manifest),
    ], {**_params(mapping, manifest), **(_period_params(spec, manifest) or {})}, hidden)
    found = _cascade(con, source, found, delivery_id)
    bad_rows = sorted({f.row for f in found if f.rule in ERROR_RULES and f.row is not None})
    result.quarantined = len(bad_rows)
    result.warnings = sum(1 for f in found if f.rule not in ERROR_RULES)
    con.register("stage_errors", pa.table({"_row": pa.array(bad_rows, pa.int64())}))
    _classify(con, spec, name, result)
    _insert(con, spec, name, delivery_id)
    _quarantine(con, source, found, bad_rows, delivery_id)
    if spec.name == "withdrawals":
        found += removals.withdraw_listed(con, source, delivery_id)
    if manifest.mode == "full" and spec.period_column:
        removals.keep_keys(con, spec, first=part[0] == 1)
        if part[0] == part[1]:
            result.removed = removals.replace_full(con, spec, manifest, delivery_id)
    return result, found


def _cascade(con: duckdb.DuckDBPyConnection, source: SourceTable, found: list[Finding],
             delivery_id: int) -> list[Finding]:
    """An unknown record whose child row was quarantined in this delivery says so."""
    if not any(f.rule == "unknown_record" for f in found):
        return found
    children = {r[0]: (r[1], r[2]) for r in db.rows(con, "find quarantined child records", (
        "SELECT s._row, min(q.\"row\"), arg_min(q.rules, q.\"row\") FROM stage_first AS s "
        "JOIN quarantine AS q ON q.delivery_id = ? AND q.file = 'children' "
        "AND json_extract_string(q.cells, '$.record_id') = s.record_id "
        "AND lower(json_extract_string(q.cells, '$.agency')) = s.agency GROUP BY s._row"),
        [delivery_id])}
    return [replace(f, message=messages.child_quarantined(*children[f.row]))
            if f.rule == "unknown_record" and f.row in children else f for f in found]


def _missing_columns(con: duckdb.DuckDBPyConnection, source: SourceTable) -> list[Finding]:
    missing = [c for c in source.spec.required if c not in source.columns_present]
    if not missing:
        return []
    first_rows = [r[0] for r in db.rows(con, "list rows", f"SELECT _row FROM {FIRST} ORDER BY 1")]
    return [finding(source.spec.name, source.where, row, col, "missing_column")
            for row in first_rows for col in missing]


def _period_checks(spec: FileSpec, manifest: Manifest) -> list[str]:
    if not (spec.period_column and manifest.period_start and manifest.period_end):
        return []
    col = ident(spec.period_column)
    return [f"SELECT _row, {db.literal(spec.period_column)} AS col, 'outside_period' AS rule, "
            f"CAST({col} AS VARCHAR) AS value FROM {FIRST} "
            f"WHERE {col} < $period_start OR {col} > $period_end"]


def _period_params(spec: FileSpec, manifest: Manifest) -> dict[str, Any] | None:
    if not _period_checks(spec, manifest):
        return None
    return {"period_start": manifest.period_start, "period_end": manifest.period_end}


def _key_join(spec: FileSpec, left: str, right: str) -> str:
    return " AND ".join(f"{left}.{ident(k)} IS NOT DISTINCT FROM {right}.{ident(k)}"
                        for k in spec.key)


def _classify(con: duckdb.DuckDBPyConnection, spec: FileSpec, name: str,
              result: FileResult) -> None:
    keys = ", ".join(f"s.{ident(k)}" for k in spec.key)
    status = db.run(con, f"compare {name} with loaded rows", (
        f"SELECT s._row, {keys}, CASE WHEN c._hash IS NULL THEN 'new' "
        "WHEN c._hash = s._hash THEN 'unchanged' ELSE 'replaced' END AS status "
        f"FROM {FIRST} AS s LEFT JOIN ({current_rows_sql(spec, FIRST)}) AS c "
        f"ON {_key_join(spec, 's', 'c')} "
        "WHERE s._row NOT IN (SELECT _row FROM stage_errors)")).to_arrow_table()
    con.register("stage_status", status)
    counts = dict(db.rows(con, "count statuses",
                          "SELECT status, count(*) FROM stage_status GROUP BY 1"))
    result.new, result.replaced = counts.get("new", 0), counts.get("replaced", 0)
    result.unchanged = counts.get("unchanged", 0)


def _insert(con: duckdb.DuckDBPyConnection, spec: FileSpec, name: str, delivery_id: int) -> None:
    cols = [n for n, _ in stored_columns(spec)]
    names = ", ".join(ident(c) for c in [*cols, "_delivery", "_row", "_hash"])
    select = ", ".join(ident(c) for c in cols)
    db.run(con, f"load {name}", (
        f"INSERT INTO {ident(fact_table(spec))} ({names}) SELECT {select}, ?, _row, _hash "
        "FROM stage_typed WHERE _row IN (SELECT _row FROM stage_status "
        "WHERE status <> 'unchanged')"), [delivery_id])


def _quarantine(con: duckdb.DuckDBPyConnection, source: SourceTable, found: list[Finding],
                bad_rows: list[int], delivery_id: int) -> None:
    if not bad_rows:
        return
    rules: dict[int, set[str]] = {}
    for item in found:
        if item.row is not None and item.rule in ERROR_RULES:
            rules.setdefault(item.row, set()).add(item.rule)
    con.register("stage_rules", pa.table({
        "_row": pa.array(bad_rows, pa.int64()),
        "rules": pa.array([" ".join(sorted(rules[r])) for r in bad_rows], pa.string())}))
    cells = ", ".join(f"{db.literal(c)}, {ident('raw$' + c)}"
                      for c in source.cells.column_names[2:])
    db.run(con, f"quarantine rows of {source.path.name}", (
        "INSERT INTO quarantine SELECT ?, ?, ?, s._row, r.rules, "
        f"json_object({cells}) FROM stage_typed AS s JOIN stage_rules AS r USING (_row)"),
        [delivery_id, source.spec.name, source.where])
