"""Encoding: direct identifiers protected as they are read (the linkage zone's side)."""
