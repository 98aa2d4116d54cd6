"""Write a copy of the example plan grown to any number of schemes, for measuring how cost grows.

Each of the example's 13 schemes is copied until there are `schemes` of them; the original keeps
its reference and each copy gets a new one that fits the pack's pattern (PE1 -> PEAA101, PEAA102,
...: the theme, two letters and three digits). Everything that lists schemes follows: the themes'
lists, the expenditure lines, the protection breakdown and each quarter's outturns. A scheme's money
is shared between it and its copies, the original taking the remainder, so every total the plan
states still adds up and the generated plan checks like the example. Risks, milestones and links in
the prose keep naming the original schemes, which still exist.

Run: .venv/bin/python benchmarks/bigger_plan.py DESTINATION [SCHEMES]
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("content", "templates", "mkdocs.yml")
MONEY = re.compile(r"^£[\d,]+$")
REFERENCE = re.compile(r"^([A-Z]+)(\d)$")


def write_bigger_plan(destination: Path, schemes: int) -> Path:
    """Copy the example plan into `destination` and grow it to `schemes` schemes; return the plan's folder."""
    _copy_example(destination)
    content = destination / "content"
    originals = _scheme_order(content)
    if schemes < len(originals):
        raise ValueError(f"the example has {len(originals)} schemes; ask for at least that many")
    copies = _copies(originals, schemes)
    _write_scheme_files(content / "schemes", copies)
    _write_themes(content / "data" / "themes.yaml", copies)
    _write_finance(content / "data" / "finance.yaml", copies)
    for quarter in sorted((content / "progress").glob("*.yaml")):
        _write_progress(quarter, copies)
    return destination


def _copy_example(destination: Path) -> None:
    destination.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_PARTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, dirs_exist_ok=True)
        elif source.is_file():
            shutil.copy2(source, destination / name)


def _scheme_order(content: Path) -> list[str]:
    """The example's schemes in the order the themes list them."""
    themes = yaml.safe_load((content / "data" / "themes.yaml").read_text(encoding="utf-8"))["themes"]
    return [ref for theme in themes for ref in theme["schemes"]]


def _copies(originals: list[str], schemes: int) -> dict[str, list[str]]:
    """Each original reference -> its references, itself first, shared out so they total `schemes`."""
    each, extra = divmod(schemes, len(originals))
    return {ref: [ref] + [_copy_reference(ref, k) for k in range(1, each + (index < extra))]
            for index, ref in enumerate(originals)}


def _copy_reference(ref: str, k: int) -> str:
    """The k-th copy's reference: theme letters, two letters counting hundreds, the scheme's digit, k % 100."""
    theme, digit = REFERENCE.match(ref).groups()
    hundreds = k // 100
    letters = chr(ord("A") + hundreds // 26) + chr(ord("A") + hundreds % 26)
    return f"{theme}{letters}{digit}{k % 100:02d}"


def _write_scheme_files(folder: Path, copies: dict[str, list[str]]) -> None:
    for ref, refs in copies.items():
        text = (folder / f"{ref}.md").read_text(encoding="utf-8")
        for new in refs[1:]:
            grown = re.sub(rf"(?m)^reference: {ref}$", f"reference: {new}", text, count=1)
            grown = re.sub(r"(?m)^name: (.*)$", lambda match: f"name: {match.group(1)} ({new})", grown, count=1)
            (folder / f"{new}.md").write_text(grown, encoding="utf-8")


def _write_themes(path: Path, copies: dict[str, list[str]]) -> None:
    data = _read(path)
    for theme in data["themes"]:
        theme["schemes"] = [new for ref in theme["schemes"] for new in copies[ref]]
    _write(path, data)


def _write_finance(path: Path, copies: dict[str, list[str]]) -> None:
    data = _read(path)
    data["expenditure"] = _shared_lines(data["expenditure"], copies)
    data["protection_breakdown"] = _shared_lines(data["protection_breakdown"], copies)
    _write(path, data)


def _write_progress(path: Path, copies: dict[str, list[str]]) -> None:
    data = _read(path)
    if data.get("schemes"):
        data["schemes"] = _shared_lines(data["schemes"], copies)
    _write(path, data)


def _shared_lines(lines: list[dict], copies: dict[str, list[str]]) -> list[dict]:
    """Each line naming a scheme, repeated for each of its copies with its money shared between them."""
    grown = []
    for line in lines:
        refs = copies.get(line.get("scheme"), [line.get("scheme")])
        for index, ref in enumerate(refs):
            grown.append(_share(line, ref, index, len(refs)))
    return grown


def _share(line: dict, ref: str, index: int, count: int) -> dict:
    """The line for copy `index` of `count`: whole pounds, the remainder to the original (index 0)."""
    def part(value: object) -> object:
        if isinstance(value, dict):
            return {key: part(inner) for key, inner in value.items()}
        if isinstance(value, str) and MONEY.match(value):
            pounds = int(value[1:].replace(",", ""))
            share = pounds // count
            return f"£{(pounds - share * (count - 1)) if index == 0 else share:,}"
        return value
    return {key: (ref if key == "scheme" else part(value)) for key, value in line.items()}


def _read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")


def main(argv: list[str]) -> None:
    destination = Path(argv[0]) if argv else Path("bigger-plan")
    schemes = int(argv[1]) if len(argv) > 1 else 130
    write_bigger_plan(destination, schemes)
    written = len(list((destination / "content" / "schemes").glob("*.md")))
    print(f"wrote a plan with {written} schemes to {destination}")


if __name__ == "__main__":
    main(sys.argv[1:])
