"""The interchange format (spec/interchange.md, version 1) as data, and its value rules."""

from endvac.interchange.spec import FILES, RULES, Column, FileSpec, Rule, file_spec

__all__ = ["FILES", "RULES", "Column", "FileSpec", "Rule", "file_spec"]
