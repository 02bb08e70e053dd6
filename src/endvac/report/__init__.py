"""The situation-analysis report (docs/report.md)."""

from endvac.report.build import ReportSummary, build_report
from endvac.report.data import ReportData
from endvac.report.sections import Section, SectionSpec

__all__ = ["ReportData", "ReportSummary", "Section", "SectionSpec",
           "build_report"]
