"""The command line: `python build.py [command]`. Library errors become messages and exit status 1 here."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path

from typing import TYPE_CHECKING

# Only what every command needs: a build that reuses the cache's files must not wait for the
# plan's models and the targets to be imported (planpress.build is imported when needed).
from planpress.errors import ContentErrors, FinalBuildRefused, Finding, PlanError, printable
from planpress.write import recover_output

if TYPE_CHECKING:
    from planpress.build import CheckedPlan

TARGET_NAMES = ("data", "documents", "workbook", "reports", "site")
"""The targets' names, which are commands too (planpress.targets.all_targets(); a test keeps them the same)."""

EXIT_OK, EXIT_PROBLEMS = 0, 1

# Commands that are not outputs: the module that runs each (its `run(root, args) -> exit status`),
# and one line of help. Their extra words arrive in args.arguments.
TOOL_COMMANDS: dict[str, tuple[str, str]] = {
    "report": ("planpress.targets.report", "build one quarter's progress report to the board: report 2025-q3"),
    "changes": ("planpress.collaborate.changes", "what changed between two versions: changes FROM [TO] (git tags or commits)"),
    "status": ("planpress.collaborate.status", "each section and scheme with its owner, status, last change and open problems"),
    "codeowners": ("planpress.collaborate.codeowners", "write CODEOWNERS from the owners in content/, so reviews go to them"),
    "fields": ("planpress.load.reference", "every field the plan's template holds, with its type and help (Markdown)"),
    "templates": ("planpress.start", "list the template packs (rounds and kinds of plan) a plan can follow"),
    "new": ("planpress.start:new", "start a plan: new FOLDER --template ID (every question, every field to fill in)"),
    "next-round": ("planpress.next_round", "carry this plan into the next round: next-round FOLDER --template ID"),
    "audit": ("planpress.audit", "test the website's accessibility in Chromium (axe-core and the keyboard, every page at "
              "390 and 1280 px) and write the result into the audit record the accessibility statement is made from"),
    "absorb": ("planpress.word.absorb", "take a reviewed copy of the plan's DOCX back: absorb REVIEWED.docx applies its "
               "tracked changes to content/ (for `git diff`) and lists its comments by file and line"),
    "import": ("planpress.word.importer", "bring an existing Word plan in: import PLAN.docx [--template ID] [--into DIR]"),
    "fmt": ("planpress.collaborate.fmt", "lay out content/ the merge-friendly way (one sentence per line; YAML comments kept)"),
}


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    parser = _parser(with_summaries=any(word in ("-h", "--help") for word in words))
    args = parser.parse_args(argv)
    root = (args.project or root or Path.cwd()).resolve()
    if not root.is_dir():
        print(f"Error: there is no folder {root}. Give --project the folder that holds the plan's content/ "
              "(or run the command inside it).", file=sys.stderr)
        return EXIT_PROBLEMS
    # Whatever the command: if a build was killed mid-swap where output/ cannot be swapped in one
    # step, put the previous output/ back first (planpress/write.py explains).
    recover_output(root)
    try:
        if args.command == "serve":
            from planpress.serve import serve
            return serve(root, port=args.port)
        if args.command in TOOL_COMMANDS:
            module_name, _, function = TOOL_COMMANDS[args.command][0].partition(":")
            return getattr(importlib.import_module(module_name), f"run_{function}" if function else "run")(root, args)
        if args.arguments:
            parser.error(f"'{args.command or 'build'}' takes no further arguments: {' '.join(args.arguments)}")
        if args.explain is not None and args.command != "check":
            parser.error("--explain goes with check: python build.py check --explain RULE")
        if args.command == "check" and args.explain is not None:
            from planpress.explain import explain
            return explain(root, args.explain)
        if args.command == "check":
            return _check(root, args.format)
        return _build(root, None if args.command in (None, "build") else args.command, args)
    except FinalBuildRefused as refused:
        _print_by_owner(refused.findings, sys.stderr)
        print(f"The final build was refused: {_plural(len(refused.findings), 'problem')} left (above, by owner). "
              "Nothing was written: output/ is as it was. A draft build (without --final) still works.",
              file=sys.stderr)
        return EXIT_PROBLEMS
    except ContentErrors as problems:
        _print_findings(problems.findings, sys.stderr)
        print("Nothing was written: output/ is as it was. Fix the errors above and build again.",
              file=sys.stderr)
        return EXIT_PROBLEMS
    except PlanError as error:
        print(printable(f"Error: {error}"), file=sys.stderr)
        print("Nothing was written: output/ is as it was.", file=sys.stderr)
        return EXIT_PROBLEMS


def _parser(with_summaries: bool = True) -> argparse.ArgumentParser:
    """The command line's parser; each target's summary in the help only when asked for (it imports them all)."""
    if with_summaries:
        from planpress.targets import all_targets
        summaries = {target.name: target.summary for target in all_targets()}
    else:
        summaries = {name: "" for name in TARGET_NAMES}
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="Check and build the Better Care Fund plan in content/.",
        epilog="With no command, checks the plan and builds every output into output/.",
    )
    commands = ["build", "check", "serve", *TOOL_COMMANDS, *TARGET_NAMES]
    parser.add_argument("command", nargs="?", choices=commands, metavar="command",
                        help="check: report every problem in the plan; build: build every output; "
                        "serve: preview the website locally, rebuilt as files are saved; "
                        + "".join(f"{name}: {summary}; " for name, (_, summary) in TOOL_COMMANDS.items())
                        + "; ".join(f"{name}: build only {summaries[name]}" for name in TARGET_NAMES))
    parser.add_argument("arguments", nargs="*", metavar="argument",
                        help="what the command works on, such as a quarter for report (2025-q3)")
    parser.add_argument("--final", action="store_true",
                        help="build the submission: refuse while any error or unfinished text remains")
    parser.add_argument("--format", choices=["text", "json"], default="text",
                        help="how check reports its findings (json for CI and other tools)")
    parser.add_argument("--explain", metavar="RULE",
                        help="check: what a rule looks for, why, an example and the fix, such as placeholder")
    parser.add_argument("--template", help="new: the template pack the plan follows, such as bcf-2026")
    parser.add_argument("--into", type=Path, help="import: the folder the imported plan goes in (default: this one)")
    parser.add_argument("--project", type=Path, help="the plan's folder (default: this one)")
    parser.add_argument("--port", type=_port, default=8000,
                        help="the local port serve listens on, from 1 to 65535 (default: 8000)")
    parser.add_argument("--owner", help="status: only the work of this person (any part of their name)")
    parser.add_argument("--check", action="store_true",
                        help="fmt and codeowners: change nothing, list what would change, exit 1 if anything would")
    parser.add_argument("--comments-only", action="store_true",
                        help="absorb: list the reviewed document's comments and change nothing")
    return parser


def _port(text: str) -> int:
    """A port number for serve, or a message saying what one is."""
    try:
        port = int(text.strip())
    except ValueError:
        port = None
    if port is None or not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a port: give a whole number from 1 to 65535, such as 8000 (the default) or 8001")
    return port


def _check(root: Path, output_format: str) -> int:
    from planpress.build import check_plan

    started = time.perf_counter()
    checked = check_plan(root)
    elapsed = time.perf_counter() - started
    if output_format == "json":
        print(json.dumps({"errors": len(checked.errors), "warnings": len(checked.warnings),
                          "unfinished": len(checked.unfinished),
                          "findings": [f.as_dict() for f in checked.findings]}, indent=2, ensure_ascii=False))
        return EXIT_PROBLEMS if checked.errors else EXIT_OK
    _print_findings(checked.findings, sys.stdout)
    _print_left_by_owner(checked.unfinished, sys.stdout)
    _print_rules(checked.findings, sys.stdout)
    print(_summary(checked, elapsed))
    return EXIT_PROBLEMS if checked.errors else EXIT_OK


def _build(root: Path, target: str | None, args) -> int:
    """Build every target (`target` None) or one; the cache's copy when nothing has changed (planpress/cache.py)."""
    from planpress.cache import reuse_build

    started = time.perf_counter()
    reused = reuse_build(root, target, args.final)
    if reused is not None:
        checked, written = reused
    else:
        from planpress.build import build
        from planpress.targets import all_targets

        targets = None if target is None else [t for t in all_targets() if t.name == target]
        checked, written = build(root, targets, final=args.final)
    _print_findings(checked.findings, sys.stdout)
    for name in written:
        print(f"Wrote output/{name}")
    kind = "final" if args.final else "draft"
    reused = ("; nothing that goes into them had changed, so the last build's files were reused"
              if getattr(checked, "reused", True) else "")
    print(f"Built {len(written)} output(s) in {time.perf_counter() - started:.1f} s ({kind} build{reused}).")
    if not args.final:
        problems = len(checked.findings)
        # A count only when there is something to count ("0 open problems" reads as an alarm).
        counted = f" ({_plural(problems, 'open problem')})" if problems else ""
        print(f"Every output is marked DRAFT{counted}. Build the submission with `python build.py --final`.")
    return EXIT_OK


def _summary(checked: CheckedPlan, elapsed: float) -> str:
    errors, warnings = len(checked.errors), len(checked.warnings)
    counts = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    if errors:
        return f"The plan has {counts}. Fix the errors, then run `python build.py check` again."
    return f"The plan is ready to build: {counts} (checked in {elapsed:.2f} s)."


def _print_findings(findings: list[Finding], stream) -> None:
    for severity, heading in (("error", "Errors"), ("warning", "Warnings")):
        chosen = [f for f in findings if f.severity == severity]
        if chosen:
            print(f"{heading} ({len(chosen)}):", file=stream)
            for finding in chosen:
                print(f"  {finding}", file=stream)
            print(file=stream)


def _print_left_by_owner(findings: list[Finding], stream) -> None:
    """How much each person has left before a final build: the errors and the unfinished text they own."""
    if not findings:
        return
    counts: dict[str, int] = {}
    for finding in findings:
        owner = finding.owner or "No owner named"
        counts[owner] = counts.get(owner, 0) + 1
    print("Left to do before a final build, by owner:", file=stream)
    for owner, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {owner}: {count}", file=stream)
    print(file=stream)


def _print_rules(findings: list[Finding], stream) -> None:
    """The rules the findings come from, so an author can ask what one means."""
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.rule:
            counts[finding.rule] = counts.get(finding.rule, 0) + 1
    if counts:
        print("Rules: " + ", ".join(f"{rule} ({count})" for rule, count in sorted(counts.items())) + ".", file=stream)
        print("Run `python build.py check --explain RULE` to learn what a rule looks for and how to fix it.",
              file=stream)
        print(file=stream)


def _print_by_owner(findings: list[Finding], stream) -> None:
    """What is left, grouped by the person who answers for it."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.owner or "No owner named (add one in content/plan.yaml: data_owners)",
                          []).append(finding)
    for owner in sorted(groups):
        print(f"{owner} ({len(groups[owner])}):", file=stream)
        for finding in groups[owner]:
            print(f"  {finding}", file=stream)
        print(file=stream)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


if __name__ == "__main__":
    sys.exit(main())
