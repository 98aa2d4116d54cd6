"""Findings and the few exceptions the library raises; the CLI turns them into messages."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in the content: a file relative to the project, and a line (1-based; 0 if unknown)."""

    file: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Finding:
    """One problem for an author to fix: where, how bad, what is wrong and how to fix it."""

    location: Location
    severity: Severity
    message: str
    hint: str = ""
    rule: str = ""
    owner: str = field(default="", compare=False)
    blocks_build: bool = field(default=False, compare=False)
    """True when no output can be built until it is fixed (the content could not be read whole)."""

    def as_dict(self) -> dict[str, object]:
        return {"file": self.location.file, "line": self.location.line, "severity": self.severity,
                "message": self.message, "hint": self.hint, "rule": self.rule, "owner": self.owner}

    def __str__(self) -> str:
        text = f"{self.location}: {_sentence(self.message)}"
        return printable(f"{text} {_sentence(self.hint)}" if self.hint else text)


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text safe to print on a terminal: a control character (a file named with an escape sequence
    could clear the screen or hide a line) is shown as its code, such as \\x1b."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name an author most probably meant by `name`, if one is close enough."""
    known = list(known)
    lowered = name.lower()
    for candidate in known:
        shorter, longer = sorted((lowered, candidate.lower()), key=len)
        if len(shorter) >= 3 and longer.startswith(shorter):
            return candidate
    guess = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    return guess[0] if guess else None


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


class PlanError(Exception):
    """Something an author or the build's surroundings must fix; never shown as a traceback."""


class ContentErrors(PlanError):
    """The content could not be loaded or checked cleanly; carries every finding."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__(f"{len(findings)} problem(s) in the content")


class FinalBuildRefused(ContentErrors):
    """A final build found errors or unfinished text."""


class BuildError(PlanError):
    """A build stage failed (a template, pandoc, a tool); the message names the item."""
