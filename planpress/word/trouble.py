"""An unexpected error while reading or placing a Word plan, told as one line: the file, and the heading.

A damaged file or a table shaped as no one foresaw should not end an import in a traceback: the
author learns which Word file, and under which heading, the import stopped, and that nothing was
written (the import writes into a staging folder, moved into place only at the end).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from planpress.errors import PlanError


class Trouble(Exception):
    """What went wrong, and the heading of the Word file it was under (empty when not known)."""

    def __init__(self, error: BaseException, heading: str = "") -> None:
        super().__init__(" ".join(f"{type(error).__name__}: {error}".split()))
        self.heading = heading


@contextmanager
def under(heading: str) -> Iterator[None]:
    """Any error but an author's (PlanError) inside the block becomes a Trouble naming the heading."""
    try:
        yield
    except (PlanError, Trouble):
        raise
    except Exception as error:  # noqa: BLE001 - any error at all is told in one line
        raise Trouble(error, heading) from error


def message(source_name: str, trouble: Trouble) -> str:
    where = f", under the heading '{trouble.heading}'" if trouble.heading else ""
    return (f"Error: {source_name}: the import stopped{where} ({trouble}). Open the file in Word or LibreOffice, "
            "check that part, save it again as .docx and import that. Nothing was written.")
