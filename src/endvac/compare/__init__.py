"""Countries (or regions) side by side (docs/compare.md): several public releases — release
folders, workspaces' latest releases or SDMX exports, never record-level data — with
rates and shares, their intervals, and rate ratios against a reference."""

from endvac.compare.sources import Source, read_source
from endvac.compare.table import CompareCell, CompareLine, Comparison, compare, compare_paths

__all__ = ["CompareCell", "CompareLine", "Comparison", "Source", "compare", "compare_paths",
           "read_source"]
