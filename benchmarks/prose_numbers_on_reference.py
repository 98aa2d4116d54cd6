"""Run the checks of numbers in prose over the real 2014 plans in /work/shared/reference and print every hit.

    .venv/bin/python benchmarks/prose_numbers_on_reference.py [folder]

The plans are text taken from PDFs, not Markdown, and hold no data files, so `quoted-figures` (which
needs the finance data) does not run. Each paragraph counts as a section of its own for `same-figure`,
the harshest reading: a figure that differs anywhere is shown. Read each hit: a real mistake, or a
false alarm to fix in the rules.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planpress.checks.prose_figures import (HEDGES, NumberFormatParams, PercentagesParams,  # noqa: E402
                                            SameFigureParams, _mentions, _stated, differing_figures,
                                            malformed_numbers, wrong_percentages)
from planpress.checks.prose_numbers import text_sentences  # noqa: E402

REFERENCE = Path("/work/shared/reference")


def paragraphs(text: str) -> list[tuple[int, str]]:
    """Each run of non-blank lines, with the number of its first line."""
    found, start, lines = [], 0, []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            start = start or number
            lines.append(line)
        elif lines:
            found.append((start, "\n".join(lines)))
            start, lines = 0, []
    if lines:
        found.append((start, "\n".join(lines)))
    return found


def sentences_of(path: Path) -> list:
    return [sentence for line, paragraph in paragraphs(path.read_text(encoding="utf-8"))
            for sentence in text_sentences(f"{path.name} (paragraph at {line})", line, paragraph)]


def looked_at(found: list) -> str:
    """How much the rules had to go on: numbers read, percentages found beside their figures, named figures."""
    numbers = sum(len(sentence.numbers()) for sentence in found)
    stated = [f"line {s.line_at(st.percent.start)}: {st.part.written} / {st.whole.written} / {st.percent.written}"
              for s in found for st in _stated(s, set(HEDGES))]
    named = sum(1 for _ in _mentions(found, SameFigureParams()))
    return (f"{numbers} numbers read; {len(stated)} percentages beside their figures, all checked"
            + "".join(f"\n    {item}" for item in stated) + f"\n  {named} figures named by the words around them")


def hits(path: Path) -> list[str]:
    found = sentences_of(path)
    findings = [*malformed_numbers(found, NumberFormatParams()), *wrong_percentages(found, PercentagesParams()),
                *differing_figures(found, SameFigureParams())]
    return [f"{finding.rule}: {finding}" for finding in findings]


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else REFERENCE
    total = 0
    for path in sorted(folder.glob("*.txt")):
        found = hits(path)
        total += len(found)
        print(f"{path.name}: {len(found)} hit(s)")
        print(f"  {looked_at(sentences_of(path))}")
        for hit in found:
            print(f"  {hit}")
    print(f"{total} hit(s) in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
