"""The report as PDF, printed from its HTML by headless Chromium.

Chromium is what the browser tests already use (Debian's `chromium`, installed by `make system-deps`), and
its print engine is made for this: it lays the same HTML and CSS out as a reader's browser does, follows
`@page` and `break-inside: avoid` so table rows and figures are not split across pages, repeats table
headers, keeps text as text, and embeds the subset of the CJK font it drew with, so Japanese reads in any
PDF viewer. It prints the whole report in about a second. (WeasyPrint, the pure-Python candidate, took
22 s for the same report here; ReportLab or fpdf2 would mean laying the report out a second time by hand.)

`$ALLIANCE_C2_CHROMIUM` names another Chromium or Chrome binary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_ENV = "ALLIANCE_C2_CHROMIUM"
_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")
# Without these, headless Chromium reaches for the network (updates, sync, field trials) at every start.
_FLAGS = ("--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--disable-extensions", "--no-pdf-header-footer",
          "--run-all-compositor-stages-before-draw", "--disable-dev-shm-usage")


def chromium() -> str | None:
    """The Chromium binary to print with ($ALLIANCE_C2_CHROMIUM, else the first on PATH), or None."""
    override = os.environ.get(CHROMIUM_ENV)
    if override:
        return override if Path(override).exists() else None
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


class PdfJob:
    """A PDF being printed in the background (`start`), then awaited (`wait`): the report's other files are
    written meanwhile."""

    def __init__(self, html: Path, pdf: Path) -> None:
        self.html = html
        self.pdf = pdf
        self._tmp = pdf.with_name(f".{pdf.stem}-{os.getpid()}.pdf")
        self._profile = tempfile.TemporaryDirectory(prefix="alliance-c2-chromium-")
        self._proc: subprocess.Popen[bytes] | None = None
        self.problem: str | None = None

    def start(self) -> PdfJob:
        exe = chromium()
        if exe is None:
            self.problem = (f"report.pdf not written: no Chromium found (install Debian's chromium, e.g. "
                            f"`make system-deps` as root, or set ${CHROMIUM_ENV})")
            return self
        flags = [*_FLAGS, f"--user-data-dir={self._profile.name}", f"--print-to-pdf={self._tmp}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            flags.append("--no-sandbox")  # Chromium refuses to start its sandbox as root
        try:
            self._proc = subprocess.Popen([exe, *flags, self.html.resolve().as_uri()], stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        except OSError as exc:
            self.problem = f"report.pdf not written: {exe}: {exc.strerror or exc}"
        return self

    def wait(self, timeout: float = 120.0) -> str | None:
        """Wait for the PDF; None when it was written, else one line saying why not."""
        try:
            if self._proc is not None:
                try:
                    self._proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait()
                    self.problem = f"report.pdf not written: Chromium did not finish within {timeout:.0f} s"
                if self.problem is None and (not self._tmp.exists() or self._tmp.stat().st_size == 0):
                    self.problem = f"report.pdf not written: Chromium exited with code {self._proc.returncode}"
                if self.problem is None:
                    self._tmp.replace(self.pdf)
            return self.problem
        finally:
            self._tmp.unlink(missing_ok=True)
            self._profile.cleanup()


def write_pdf(html: Path, pdf: Path) -> str | None:
    """Print `html` to `pdf`; None on success, else one line saying why it was not written."""
    return PdfJob(html, pdf).start().wait()
