"""Printing the HTML report to PDF with Debian's Chromium, headless (no network)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from endvac.errors import UsageError, WorkspaceError

BROWSERS = ("chromium", "chromium-browser")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw")


def find_chromium() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise UsageError("--pdf needs Chromium, which is not installed",
                     fix="install the Debian package: apt-get install chromium "
                         "(or leave out --pdf and print the HTML from a browser)")


def print_pdf(html: Path, pdf: Path, timeout: float = 300) -> Path:
    """Print ``html`` (a local file) to ``pdf``; raises when Chromium fails."""
    browser = find_chromium()
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="endvac-chromium-") as profile:
        done = subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf.resolve()}",
             html.resolve().as_uri()],
            capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        raise WorkspaceError(f"Chromium could not print {html.name} to PDF "
                             f"(exit {done.returncode})",
                             fix="run the same command by hand to see Chromium's message; "
                                 "the HTML report is complete without the PDF")
    return pdf
