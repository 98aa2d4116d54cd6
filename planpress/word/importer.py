"""`python build.py import PLAN.docx [--template ID] [--into DIR]`: an existing Word plan into a plan repository.

The stages, in order: read the Word file (pandoc), choose the pack it follows, sort its blocks into
the pack's sections, parts and schemes (walk.py), read its tables as the pack's data (data.py),
write the content (one sentence per line), then say what went where and what `check` says now.
Everything is written into a staging folder and moved into place in one step at the end, so a
failed import leaves nothing behind.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from planpress.errors import PlanError
from planpress.load.pack import Pack
from planpress.load.pack_loader import known_packs, read_pack_by_id
from planpress.word.data import Data, from_properties, read_tables
from planpress.word.docx_read import plain, properties, read_docx
from planpress.word.place import pack_score
from planpress.word.trouble import Trouble, message, under
from planpress.word.walk import Sorted, sort_blocks
from planpress.word.write import Written, write_plan


def run(root: Path, args: argparse.Namespace) -> int:
    try:
        return import_plan(root, args)
    except PlanError as error:
        print(f"Error: {error} Nothing was written.", file=sys.stderr)
        return 1
    except Trouble as trouble:
        print(message(Path(args.arguments[0]).name, trouble), file=sys.stderr)
        return 1


def import_plan(root: Path, args: argparse.Namespace) -> int:
    if len(args.arguments) != 1:
        raise PlanError("say which Word file to import, such as `python build.py import plan.docx --into ../our-plan`.")
    source = Path(args.arguments[0]).expanduser()
    into = getattr(args, "into", None)
    target = (Path(into).expanduser() if into else root).resolve()
    if target.exists() and not target.is_dir():
        raise PlanError(f"{target} is a file, not a folder. Give --into a folder for the plan, such as ../our-plan.")
    if (target / "content").exists():
        hint = "another folder" if into else "a new folder with --into, such as --into ../our-plan"
        raise PlanError(f"{target / 'content'} already exists: a plan is there. Import into {hint}.")
    with tempfile.TemporaryDirectory(prefix="planpress-import-") as scratch:
        media = Path(scratch) / "media"
        with under(""):
            blocks = read_docx(source, media)
            pack, why = choose_pack(root, args.template, blocks)
        sorted_ = sort_blocks(pack, blocks)  # each heading's blocks, and each table, under their heading
        data = read_tables(pack, sorted_)
        with under(""):
            from_properties(pack, properties(source), data)
            written = write_plan(target, Path(scratch), pack, sorted_, data, media, source)
    report(root, source, target, pack, why, sorted_, data, written)
    return 0


def choose_pack(root: Path, template: str | None, blocks: list) -> tuple[Pack, str]:
    """The pack named, or the one whose section and part titles the document's headings use most."""
    if template:
        pack, _problems = read_pack_by_id(root, template)
        if pack is None:
            raise PlanError(f"there is no usable template pack '{template}'. Known: {', '.join(known_packs(root))}.")
        return pack, "as asked (--template)"
    headings = [plain(b) for b in blocks if b["t"] == "Header"]
    scored = []
    for pack_id in known_packs(root):
        pack, _problems = read_pack_by_id(root, pack_id)
        if pack is not None and pack.data is not None:
            scored.append((pack_score(pack, headings), pack_id, pack))
    if not scored:
        raise PlanError("no template pack could be read. Run `python build.py templates` to see why.")
    scored.sort(key=lambda s: (-s[0], s[1]))
    best = scored[0]
    others = ", ".join(f"{pid} {score}" for score, pid, _ in scored[1:])
    return best[2], (f"{best[0]} of its {len(headings)} headings name a section or part of {best[1]}"
                     f" (the others: {others}); choose another with --template")


def report(root: Path, source: Path, target: Path, pack: Pack, why: str, sorted_: Sorted, data: Data,
           written: Written) -> None:
    from planpress.build import check_plan

    print(f"Imported {source.name} into {target / 'content'}, following {pack.id} ({pack.name}): {why}.")
    print()
    print("What went where:")
    for line in written.placed:
        print(f"  {line}")
    for line, count in dict.fromkeys(data.report, 0).items():
        times = data.report.count(line)
        print(f"  {line}" + (f" (x{times})" if times > 1 else ""))
    if sorted_.questions_left_out:
        print(f"  {sorted_.questions_left_out} paragraphs that repeat the template's questions: left out "
              "(the outputs print each question beside its answer)")
    if sorted_.toc_left_out:
        print(f"  the table of contents ({sorted_.toc_left_out} lines): left out (every output makes its own)")
    print()
    if written.findings:
        print(f"To look at ({len(written.findings)}):")
        for finding in written.findings:
            print(f"  {finding}")
        print()
    checked = check_plan(target)
    rules: dict[str, int] = {}
    for finding in checked.findings:
        rules[finding.rule or "other"] = rules.get(finding.rule or "other", 0) + 1
    counts = ", ".join(f"{rule} ({count})" for rule, count in sorted(rules.items()))
    errors, warnings = len(checked.errors), len(checked.warnings)
    print(f"`check` now finds {errors} error{'' if errors == 1 else 's'} and {warnings} "
          f"warning{'' if warnings == 1 else 's'}"
          + (f": {counts}." if counts else "."))
    here = "" if target == root.resolve() else f" --project {target}"
    print(f"Next: python build.py check{here}  (every problem, with its file and line)")
