"""The unfinished-text patterns run over the two real 2014 plans, to count true finds and false alarms.

Run: .venv/bin/python benchmarks/unfinished_on_reference.py [folder of .txt plans]
(default: /work/shared/reference). Each hit is printed with its file, line and pattern; read each
one to judge it. The texts were extracted from PDFs: a tab separates the cells of a table, so it is
read as a cell's edge ("|"), as a table in content/ would be written.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planpress.checks.unfinished import (  # noqa: E402
    PromptIndex, _alike_prompt, _empty_rows, _sentences, find_placeholders, prompt_words, template_prompts)
from planpress.errors import Location  # noqa: E402
from planpress.load.content import load_content  # noqa: E402

REFERENCE = Path("/work/shared/reference")


def hits(text: str, pack) -> list[tuple[int, str, str]]:
    """(line, what was found, why) for every placeholder and every template prompt in `text`."""
    prompts = PromptIndex(template_prompts(pack))
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        cells = line.replace("\t", " | ")
        for _, matched, pattern in find_placeholders(cells, pack.placeholders):
            found.append((number, matched, pattern.name))
        for _, matched, pattern in find_placeholders(cells.strip(" #|"), pack.placeholders, look_in="heading"):
            if len(line) < 80 and not line.rstrip().endswith("."):  # only a line that could be a heading
                found.append((number, matched, f"heading: {pattern.name}"))
        for sentence in _sentences(cells):
            prompt = _alike_prompt(prompt_words(sentence), prompts)
            if prompt:
                found.append((number, sentence, f"template prompt: {prompt[:60]}"))
        if "\t" in line:  # a table's row: one left empty is unfinished too
            for finding in _empty_rows(f"| {cells} |", Location("", number)):
                found.append((number, line.strip(), "empty row"))
    return found


def main(folder: Path) -> None:
    content, _ = load_content(ROOT)  # the example plan's pack (bcf-2014) and its patterns
    total = 0
    for path in sorted(folder.glob("*.txt")):
        found = hits(path.read_text(encoding="utf-8"), content.pack)
        total += len(found)
        print(f"{path.name}: {len(found)} hits")
        for line, matched, why in found:
            print(f"  {line}: '{matched}' ({why})")
    print(f"{total} hits in all")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REFERENCE)
