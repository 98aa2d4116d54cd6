"""On which page each heading of the Word file lands: the file laid out by LibreOffice, when installed.

Word writes the page numbers of its contents only when it updates the field, and asking it to
on opening makes it ask the reader about fields "that may refer to other files"; LibreOffice
never works them out. So the build lays the finished file out once with LibreOffice (its PDF
export, each bookmark a named destination) and writes the numbers into the contents itself.
"""

from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# The PDF export's option that names each Writer bookmark (pandoc's heading ids) in the PDF.
EXPORT = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
NO_LIBREOFFICE = ("Note: the Word file's contents page lists its headings without page numbers: counting them "
                  "needs LibreOffice (sudo apt-get install libreoffice-writer), then build again.")
_said = False
_early: Path | None = None
"""The profile of a LibreOffice started early (started_early), waiting for the Word file; None without one."""


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
        copy = _without_pictures(docx, folder / "layout" / docx.name)
        early = _claim_early()
        pdf = _laid_out(program, early or folder / "profile", copy, folder)
        if pdf is None and early is not None:  # the early one was gone: start one of our own
            pdf = _laid_out(program, folder / "profile", copy, folder)
        if pdf is None:
            return None
        reader = PdfReader(str(pdf))
        pages = {}
        for name, destination in reader.named_destinations.items():
            try:
                pages[name.lstrip("/")] = reader.get_destination_page_number(destination) + 1
            except Exception:  # a destination pypdf cannot place: that entry keeps no number
                continue
        return pages


def _without_pictures(docx: Path, copy: Path) -> Path:
    """A copy of the Word file whose PNG pictures are each one blank pixel: the pages fall the same (a picture's
    size on the page is set in the document, not by its pixels), and LibreOffice lays it out in two thirds of
    the time, as it no longer decodes and re-encodes every chart."""
    copy.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            blank = item.filename.startswith("word/media/") and item.filename.lower().endswith(".png")
            target.writestr(item, _BLANK_PNG if blank else source.read(item))
    return copy


def _png(width: int, height: int, pixels: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b"")


_BLANK_PNG = _png(1, 1, b"\x00" * 5)  # one row: its filter byte, then one transparent pixel


def _laid_out(program: str, profile: Path, docx: Path, folder: Path) -> Path | None:
    """The Word file as LibreOffice lays it out, as a PDF in `folder`; None if LibreOffice made none.
    With the profile of a LibreOffice already running, that one does the work (its own start-up is done)."""
    pdf = folder / f"{docx.stem}.pdf"
    pdf.unlink(missing_ok=True)
    command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--convert-to", EXPORT, "--outdir", str(folder), str(docx)]
    try:
        subprocess.run(command, capture_output=True, timeout=180, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return pdf if pdf.exists() else None


@contextmanager
def started_early(scratch: Path) -> Iterator[None]:
    """LibreOffice started now, in the background, while the plan is read and checked and pandoc writes the
    Word file, so that laying it out does not wait for LibreOffice to start (a second or so). The first
    bookmark_pages of the build, in whichever job, hands its file to it; it is stopped when the build ends."""
    global _early
    program = soffice()
    if program is None:
        yield
        return
    profile = scratch / "libreoffice-early"
    try:
        process = subprocess.Popen([program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                                    "--nologo", "--nodefault"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        yield
        return
    _early = profile
    try:
        yield
    finally:
        _early = None
        try:
            os.killpg(process.pid, signal.SIGKILL)  # it and what it started (its own session)
        except (ProcessLookupError, PermissionError):
            pass
        process.wait()


def _claim_early() -> Path | None:
    """The early LibreOffice's profile for the first job that asks (it lays out one file, then ends)."""
    if _early is None:
        return None
    try:
        (_early.parent / "libreoffice-early-claimed").mkdir()  # once, across the build's processes
    except OSError:
        return None
    return _early


def _say_once() -> None:
    global _said
    if not _said:
        print(NO_LIBREOFFICE, file=sys.stderr)
        _said = True
