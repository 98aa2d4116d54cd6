"""On which page each heading of the Word file lands: the file laid out by LibreOffice, when installed.

Word writes the page numbers of its contents only when it updates the field, and asking it to
on opening makes it ask the reader about fields "that may refer to other files"; LibreOffice
never works them out. So the build lays the finished file out once with LibreOffice (its PDF
export, each bookmark a named destination) and writes the numbers into the contents itself.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# The PDF export's option that names each Writer bookmark (pandoc's heading ids) in the PDF.
EXPORT = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
NO_LIBREOFFICE = ("Note: the Word file's contents page lists its headings without page numbers: counting them "
                  "needs LibreOffice (sudo apt-get install libreoffice-writer), then build again.")
_said = False


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def bookmark_pages(docx: Path) -> dict[str, int] | None:
    """{bookmark: page number} as LibreOffice lays the file out; None (said once) without LibreOffice."""
    program = soffice()
    if program is None:
        _say_once()
        return None
    from pypdf import PdfReader  # only needed here

    with tempfile.TemporaryDirectory(prefix="planpress-pages-") as scratch:
        folder = Path(scratch)
        command = [program, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                   "--convert-to", EXPORT, "--outdir", str(folder), str(docx)]
        try:
            subprocess.run(command, capture_output=True, timeout=180, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        pdf = folder / f"{docx.stem}.pdf"
        if not pdf.exists():
            return None
        reader = PdfReader(str(pdf))
        pages = {}
        for name, destination in reader.named_destinations.items():
            try:
                pages[name.lstrip("/")] = reader.get_destination_page_number(destination) + 1
            except Exception:  # a destination pypdf cannot place: that entry keeps no number
                continue
        return pages


def _say_once() -> None:
    global _said
    if not _said:
        print(NO_LIBREOFFICE, file=sys.stderr)
        _said = True
