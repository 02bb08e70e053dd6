"""The situation-analysis report (docs/report.md)."""

from endvac.report.build import ReportSummary, build_report
from endvac.report.data import ReportData
from endvac.report.sections import Section, register_section

__all__ = ["ReportData", "ReportSummary", "Section", "build_report", "register_section"]
