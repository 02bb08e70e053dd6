"""The files of a delivery checked before they are read (docs/ingest.md, "Files endvac
refuses").

* Only regular files directly inside the delivery folder are read: a symbolic link,
  or any path that resolves outside the folder, is refused, so a ``children.csv``
  linked to ``/etc/passwd`` or to the workspace's keys never reaches a finding.
* A 0-byte file is an error ("empty file"), not an empty delivery.
* A CSV file's encoding: a byte order mark of UTF-8, UTF-16 or UTF-32 decides it;
  UTF-16 text without one is refused with the encoding to give; a file that is not
  text (NUL bytes or control characters) is refused whole, so nothing of it is stored.
* In a workbook, a formula cell with a saved result is read as that result; one with
  no saved result is read as empty and reported (rule ``formula_without_value``).
* A header cell that is not readable text is never copied into a finding.
"""

from __future__ import annotations

import codecs
import os
import re
import zipfile
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from endvac.errors import BadInput
from endvac.ingest.findings import Finding, finding

SAMPLE_BYTES = 1 << 16
# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"))
# Share of control characters (other than tab, line feed, carriage return, form feed)
# above which a file is not text.
MAX_CONTROL_SHARE = 0.05
_SEPARATORS = ("\n", "\r", ",", ";", "\t", "|")
_TEXT_CONTROLS = frozenset(b"\t\n\r\f")
_MAX_HEADER_SHOWN = 64
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL_ROW = re.compile(r"[A-Z]+(\d+)$")


def delivery_entries(folder: Path) -> dict[str, Path]:
    """The regular files directly inside ``folder``, by lower-case name; a symbolic link
    or a file resolving outside the folder is refused."""
    root = folder.resolve()
    entries: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.is_symlink():
            raise BadInput(f"{folder}: {path.name} is a symbolic link; endvac reads only "
                           "files inside the delivery folder",
                           fix="copy the file itself into the delivery folder")
        if not path.is_file():
            continue
        if path.resolve().parent != root:
            raise BadInput(f"{folder}: {path.name} resolves outside the delivery folder",
                           fix="copy the file itself into the delivery folder")
        entries[path.name.lower()] = path
    return entries


def refuse_secrets(paths: list[Path], keys_dir: Path) -> None:
    """Refuse a delivery file that is one of the workspace's key files (a hard link
    placed in the delivery folder: not a symbolic link, but the same file)."""
    secrets = {(s.st_dev, s.st_ino) for s in (p.stat() for p in keys_dir.glob("*")
                                               if p.is_file())} if keys_dir.is_dir() else set()
    for path in paths:
        info = path.stat()
        if (info.st_dev, info.st_ino) in secrets:
            raise BadInput(f"{path.name}: is a key file of the workspace (a hard link)",
                           fix="deliver the agency's own files only")


def open_regular(path: Path) -> int:
    """A read-only descriptor of ``path``, refused when it is (now) a symbolic link."""
    try:
        return os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        if path.is_symlink():
            raise BadInput(f"{path}: is a symbolic link; endvac reads only files inside "
                           "the delivery folder",
                           fix="copy the file itself into the delivery folder") from exc
        raise


def check_not_empty(path: Path) -> None:
    """Refuse a 0-byte delivery file."""
    if path.stat().st_size == 0:
        raise BadInput(f"{path}: empty file (0 bytes)",
                       fix="deliver the file again with its header row, or leave it out")


def csv_encoding(path: Path, declared: str) -> str:
    """The encoding to read a CSV delivery file with: its byte order mark's, else the
    declared one; refused when it is UTF-16 without a mark or not text at all."""
    with os.fdopen(open_regular(path), "rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    for mark, encoding in BOMS:
        if sample.startswith(mark) and _reads_as(sample, encoding):
            return encoding
    if declared.replace("_", "-").lower().startswith(("utf-16", "utf-32")):
        return declared
    order = utf16_order(sample)
    if order:
        raise BadInput(f"{path}: file is UTF-16 ({order}, no byte order mark)",
                       fix=f"give encoding: utf-16-{order.lower()} in a mapping file, or "
                           "save the file as UTF-8")
    if not looks_like_text(sample):
        raise BadInput(f"{path}: is not a text file; nothing of the delivery was stored",
                       fix="deliver CSV text, an .xlsx workbook or a Parquet file")
    return declared


def _reads_as(sample: bytes, encoding: str) -> bool:
    """Whether the start of a file with a byte order mark is text in that encoding: it
    decodes and holds a line break or a separator (8-bit text that merely starts with
    the bytes ff fe does not)."""
    if encoding == "utf-8-sig":
        return True
    unit = 4 if encoding == "utf-32" else 2
    text = sample[:len(sample) - len(sample) % unit].decode(encoding, errors="replace")
    return any(mark in text for mark in _SEPARATORS)


def utf16_order(sample: bytes) -> str | None:
    """``LE`` or ``BE`` when ``sample`` reads as UTF-16 text of mostly Latin characters
    (most high or low bytes zero, none of the others), else None."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_zeros, odd_zeros = sample[0:pairs * 2:2].count(0), sample[1:pairs * 2:2].count(0)
    if odd_zeros >= 0.7 * pairs and even_zeros == 0:
        return "LE"
    if even_zeros >= 0.7 * pairs and odd_zeros == 0:
        return "BE"
    return None


def looks_like_text(sample: bytes) -> bool:
    """No NUL byte and few control characters: text in some 8-bit or UTF-8 encoding."""
    if b"\0" in sample:
        return False
    controls = sum(1 for byte in sample if byte < 32 and byte not in _TEXT_CONTROLS)
    return controls <= MAX_CONTROL_SHARE * max(len(sample), 1)


def shown_header(raw: str, index: int) -> str:
    """A header cell as a finding may show it: the name when it is short, readable text;
    else only its position (text of an unreadable file never reaches a finding)."""
    name = raw.strip()
    if name and len(name) <= _MAX_HEADER_SHOWN and name.isprintable() and "\ufffd" not in name:
        return name
    return f"(column {index + 1}: unreadable name)"


def formula_warnings(file: str, path: Path, sheet: str | None) -> list[Finding]:
    """A warning for each formula cell of ``sheet`` (default: the first) with no saved
    result: such a cell is read as empty."""
    return [finding(file, str(path), row, None, "formula_without_value",
                    f"cell {ref} holds a formula with no saved result; it was read as empty")
            for row, ref in formula_cells(path, sheet)]


def formula_cells(path: Path, sheet: str | None) -> list[tuple[int, str]]:
    """(row, cell reference) of every formula cell of ``sheet`` without a saved result."""
    try:
        with zipfile.ZipFile(path) as book:
            part = _sheet_part(book, sheet)
            if part is None or not _has_formulas(book, part):
                return []
            with book.open(part) as xml:
                return _empty_formulas(xml)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        return []  # the reader itself reports a damaged workbook


def _sheet_part(book: zipfile.ZipFile, sheet: str | None) -> str | None:
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    sheets = workbook.findall(f"{_MAIN}sheets/{_MAIN}sheet")
    chosen = next((s for s in sheets if sheet is None or s.get("name") == sheet), None)
    if chosen is None:
        return None
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    target = next((r.get("Target") for r in rels.findall(f"{_RELS}Relationship")
                   if r.get("Id") == chosen.get(_DOC_REL)), None)
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _has_formulas(book: zipfile.ZipFile, part: str) -> bool:
    """A cheap byte scan first: most delivered sheets hold no formula at all."""
    with book.open(part) as xml:
        tail = b""
        for block in iter(lambda: xml.read(1 << 20), b""):
            if re.search(rb"<(\w+:)?f[ >/]", tail + block):
                return True
            tail = block[-16:]
    return False


def _empty_formulas(xml: IO[bytes]) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for _, element in ElementTree.iterparse(xml):
        if element.tag == f"{_MAIN}c":
            value = element.find(f"{_MAIN}v")
            if element.find(f"{_MAIN}f") is not None and (value is None or not value.text):
                ref = element.get("r", "")
                match = _CELL_ROW.match(ref)
                found.append((int(match[1]) if match else 0, ref))
        elif element.tag == f"{_MAIN}row":
            element.clear()
    return found
