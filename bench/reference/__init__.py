"""Independent pandas reference implementation of the endvac indicators (see README.md)."""

from .indicators import DEFAULT_CONFIG, compute, compute_tables, load_tables

__all__ = ["DEFAULT_CONFIG", "compute", "compute_tables", "load_tables"]
