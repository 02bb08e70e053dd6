"""Protecting a file's identifiers in memory: clear values become tokens and Bloom
encodings before any store sees them; agency-encoded values are checked as they are."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable

import pyarrow as pa

from endvac.encoding.encode import BITS, FOLDED, STORED_BYTES, encoder
from endvac.encoding.keys import IdentityKey
from endvac.encoding.normalise import NORMALISATION_VERSION
from endvac.errors import BadInput
from endvac.interchange.spec import IDENTIFIER_FIELDS

_TOKEN = re.compile(r"[0-9a-f]{64}")
KeySource = Callable[[], IdentityKey]


def _schema() -> pa.Schema:
    fields = [("_row", pa.int64()), ("agency", pa.string()), ("record_id", pa.string())]
    for name in IDENTIFIER_FIELDS:
        fields += [(f"{name}_token", pa.string()), (f"{name}_bloom", pa.binary())]
        if name in FOLDED:
            fields.append((f"{name}_fold", pa.string()))
    return pa.schema(fields)


def _valid_bloom(text: str) -> bytes | None:
    try:
        data = base64.b64decode(text, validate=True)
    except ValueError:
        return None
    if len(data) != STORED_BYTES or int.from_bytes(data, "big").bit_count() != BITS:
        return None
    return data


def _version(ids: pa.Table, where: str) -> str | None:
    if "normalisation_version" not in ids.column_names:
        return None
    versions = {v for v in ids.column("normalisation_version").to_pylist() if v}
    if len(versions) > 1 or (versions and versions != {NORMALISATION_VERSION}):
        raise BadInput(f"{where}: encoded with normalisation version(s) {sorted(versions)}; "
                       f"this endvac uses {NORMALISATION_VERSION}",
                       fix="encode the delivery again with this endvac's endvac encode")
    return NORMALISATION_VERSION if versions else None


def protect(ids: pa.Table, keys: pa.Table, key: KeySource, where: str
            ) -> tuple[pa.Table, list[tuple[int, str]], str | None]:
    """(encoded table, [(row, column) of bad encoded values], normalisation version).

    ``ids`` holds the clear or encoded identifiers of a file (with ``_row``), ``keys``
    the rows' agency and record_id. The clear values are dropped from memory here."""
    names = set(ids.column_names)
    clear = [f for f in IDENTIFIER_FIELDS if f in names]
    encoded = [f for f in IDENTIFIER_FIELDS if f"{f}_token" in names or f"{f}_bloom" in names]
    both = sorted(set(clear) & set(encoded))
    if both:
        raise BadInput(f"{where}: {both[0]} is given both in the clear and encoded",
                       fix="send either the clear column or its encoded columns")
    columns: dict[str, list[object]] = {n: [None] * ids.num_rows for n in _schema().names}
    columns["_row"] = ids.column("_row").to_pylist()
    columns["agency"] = keys.column("agency").to_pylist()
    columns["record_id"] = keys.column("record_id").to_pylist()
    if clear:
        identity = key()
        for name in clear:
            field_encoder = encoder(identity, name)
            pairs = [None if v is None else field_encoder.encode(v)
                     for v in ids.column(name).to_pylist()]
            columns[f"{name}_token"] = [None if p is None else p[0] for p in pairs]
            columns[f"{name}_bloom"] = [None if p is None else p[1] for p in pairs]
            if name in FOLDED:  # agency-encoded names carry none: that level is skipped
                columns[f"{name}_fold"] = [None if v is None else field_encoder.folded_token(v)
                                           for v in ids.column(name).to_pylist()]
    bad: list[tuple[int, str]] = []
    for name in encoded:
        bad += _take_encoded(ids, name, columns)
    version = NORMALISATION_VERSION if clear else _version(ids, where)
    return pa.table(columns, schema=_schema()), bad, version


def _checked_tokens(ids: pa.Table, column: str, rows: list[object],
                    bad: list[tuple[int, str]]) -> list[object]:
    """A column of hex tokens, each malformed one noted in ``bad`` and dropped."""
    tokens: list[object] = list(ids.column(column).to_pylist())
    for i, value in enumerate(tokens):
        if value is not None and not _TOKEN.fullmatch(str(value)):
            bad.append((int(str(rows[i])), column))
            tokens[i] = None
    return tokens


def _take_encoded(ids: pa.Table, name: str, columns: dict[str, list[object]]
                  ) -> list[tuple[int, str]]:
    bad: list[tuple[int, str]] = []
    rows = columns["_row"]
    # the folded token is optional: deliveries encoded before it have none
    for column in (f"{name}_token", f"{name}_fold"):
        if column in ids.column_names:
            columns[column] = _checked_tokens(ids, column, rows, bad)
    if f"{name}_bloom" in ids.column_names:
        blooms: list[object] = []
        for i, value in enumerate(ids.column(f"{name}_bloom").to_pylist()):
            decoded = None if value is None else _valid_bloom(value)
            if value is not None and decoded is None:
                bad.append((int(str(rows[i])), f"{name}_bloom"))
            blooms.append(decoded)
        columns[f"{name}_bloom"] = blooms
    return bad
