"""`python build.py absorb REVIEWED.docx [--comments-only]`: a partner's tracked changes and comments, back home.

The plan's DOCX carries a mark on each paragraph and table row saying which content file and
line it was built from (planpress/word/marks.py). A reviewed copy keeps them, so each paragraph
a reviewer changed leads back to its Markdown block, where the change is made as an ordinary
edit for the programme manager to read with `git diff` (nothing is committed). What cannot be
made safely is listed with its words instead: a figure or field from a data file (change the
data file, and every table and total follows), words not found in the source. Every comment
is listed as `file:line: author (date): text`.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from planpress.word.apply import Outcome, apply_to_block, hunks
from planpress.word.marks import Mark, words_digest
from planpress.word.review import Comment, NotBuiltHere, NotReadable, Revision, Untracked, read_review
from planpress.word.source_text import DATA_SUFFIXES, Block, front_matter_blocks, markdown_blocks, normal, plain_markdown

EXIT_OK, EXIT_PROBLEMS = 0, 1
QUOTED = 60
"""Characters of a paragraph's words shown beside what could not be placed."""
NEARBY = 5
"""Blocks after a paragraph where a paragraph a reviewer added after it may be already."""


@dataclass
class Tally:
    applied: list[str] = field(default_factory=list)
    already: int = 0
    reported: list[str] = field(default_factory=list)
    files: set[str] = field(default_factory=set)


def run(root: Path, args) -> int:
    if len(args.arguments) != 1:
        print("Error: absorb takes one Word file, the plan's DOCX after review: "
              "python build.py absorb REVIEWED.docx [--comments-only]", file=sys.stderr)
        return EXIT_PROBLEMS
    path = Path(args.arguments[0]).expanduser()
    if not path.is_file():
        print(f"Error: {path}: there is no such file. Give the path of the reviewed Word document (.docx).",
              file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        review = read_review(path)
    except NotBuiltHere:
        print(f"Error: {path}: this Word document was not built by planpress: it has none of the marks the build "
              "puts on each paragraph to say where it came from, so its changes cannot be traced to content/. "
              "Absorb takes back the plan's own DOCX (output/<area>-plan.docx) after review; "
              "bring a plan written in Word in with `python build.py import` instead.", file=sys.stderr)
        return EXIT_PROBLEMS
    except NotReadable as why:
        print(f"Error: {path}: this is not a Word document (.docx) that can be read ({why}). "
              "Open it in Word or LibreOffice and save it as a Word document (.docx), then run absorb again.",
              file=sys.stderr)
        return EXIT_PROBLEMS
    tally = Tally()
    if not getattr(args, "comments_only", False):
        _report_untracked(root, review.untracked, tally)
        _absorb_revisions(root, review.revisions, tally)
    _print(path, root, tally, review.comments, getattr(args, "comments_only", False))
    return EXIT_OK


def _absorb_revisions(root: Path, revisions: list[Revision], tally: Tally) -> None:
    """Each changed paragraph into its file, the last lines of a file first, so the lines of the marks
    still to come are where the build saw them."""
    added = [r for r in revisions if not r.mark and _addable(r)]
    # New paragraphs after one paragraph go in last to first, each just after it, so they end in order.
    placed = sorted((r for r in enumerate(revisions) if r[1].mark or r[1] in added),
                    key=lambda r: ((r[1].mark or r[1].follows).file, -(r[1].mark or r[1].follows).line,
                                   r[1].mark is None, -r[0]))
    for _, revision in placed:
        if revision.row:
            _absorb_row(root, revision, tally)
        elif revision.mark:
            _absorb_one(root, revision, tally)
        else:
            _add_paragraph(root, revision, tally)
    for revision in revisions:
        if revision.row == "added" and revision not in added:
            tally.reported.append(f'(no place found) {_who(revision)}: added the row "{" | ".join(revision.cells)}": '
                                  "no row above it came from content/; add it by hand if it is needed")
        elif revision.caption and not revision.mark:
            tally.reported.append(f'(no place found) {_who(revision)}: {_changes(revision)} in the caption '
                                  f'"{_short(revision.before)}": a chart\'s caption is written by the build, not typed '
                                  "in content/; not applied")
        elif not revision.mark and revision not in added:
            tally.reported.append(f'(no place found) {_who(revision)}: {_changes(revision)} in "{_short(revision.before)}": '
                                  "text the template writes, or a new paragraph; make this change by hand if it is needed")


def _block_for(root: Path, mark: Mark) -> Block | None:
    """The Markdown block a mark names: the one with the words the build wrote there, wherever it is now
    (lines may have been added above it since the document went out), else the block at the mark's line
    (a paragraph quoting a figure, or one changed in content/ since)."""
    path = root / mark.file
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    blocks = front_matter_blocks(mark.file, text) + markdown_blocks(mark.file, text)  # a heading may show a title
    same = [b for b in blocks if words_digest(normal(b.plain.text)) == mark.digest]
    if same:
        return min(same, key=lambda b: abs(b.line - mark.line))
    return next((b for b in blocks if b.line <= mark.line <= b.end_line), None)


def _report_untracked(root: Path, untracked: list[Untracked], tally: Tally) -> None:
    """Paragraphs changed with tracked changes off: listed with what changed, not applied, since nothing
    says who changed them or that the change was meant (read before any tracked change is applied)."""
    for changed in untracked:
        mark = changed.mark
        block = _block_for(root, mark) if not mark.file.endswith(DATA_SUFFIXES) else None
        if block is not None and words_digest(normal(block.plain.text)) == mark.digest:
            _, outcomes = apply_to_block(block, normal(block.plain.text), changed.words)  # worked out, not written
            for outcome in outcomes:
                tally.reported.append(f"{mark.file}:{outcome.line}: changed without tracked changes, not applied: "
                                      f"{outcome.hunk.describe()}")
        else:
            tally.reported.append(f'{mark.file}:{mark.line}: changed without tracked changes (or changed in content/ '
                                  f'since the build), not applied: it now reads "{_short(changed.words)}"')


def _addable(revision: Revision) -> bool:
    """A whole new paragraph or list item after a marked paragraph of a Markdown file, or a whole new row
    under a marked row (one in a table made from data is reported by _absorb_row, with its cells)."""
    if revision.row == "added":
        return revision.follows is not None
    return (not revision.before and not revision.in_table and revision.follows is not None
            and not revision.follows.file.endswith(DATA_SUFFIXES))


def _add_paragraph(root: Path, revision: Revision, tally: Tally) -> None:
    """A reviewer's new paragraph, written after the block of the paragraph before it, one sentence a line."""
    follows = revision.follows
    block = _block_for(root, follows)
    new = f'added the paragraph "{_short(revision.after)}"'
    if block is None:
        tally.reported.append(f"{follows.file}:{follows.line}: {_who(revision)}: {new}: the file no longer has the "
                              "paragraph before it; add it by hand")
        return
    if block.front:  # under a title from the front matter: the paragraph's place in the body cannot be told
        tally.reported.append(f"{follows.file}:{follows.line}: {_who(revision)}: {new} under the heading made from "
                              "this title: not applied; add it by hand where it belongs in the file")
        return
    lines = block.plain.source.split("\n")
    following = [b for b in markdown_blocks(follows.file, block.plain.source) if b.line > block.end_line]
    if any(b.plain.text == revision.after for b in following[:NEARBY]):  # added by an earlier absorb
        tally.already += 1
        return
    item = LIST_ITEM.match(lines[block.line - 1])
    if revision.listed and not item:
        tally.reported.append(f"{follows.file}:{follows.line}: {_who(revision)}: added the list item "
                              f'"{_short(revision.after)}": not applied, the paragraph before it is not a list item; '
                              "add it by hand")
        return
    if item and revision.listed:  # a list item goes on the next line, with the list's own marker
        with_list_item(lines, block.line - 1, block.end_line, _escaped(revision.after))
        new = f'added the list item "{_short(revision.after)}"'
        at = block.end_line + 1
    elif item:  # a paragraph after a list item: a blank line first, or it would read as part of the item
        lines[block.end_line:block.end_line] = ["", _escaped(revision.after)]
        at = block.end_line + 2
    else:
        lines[block.end_line:block.end_line] = ["", *SENTENCE_END.split(_escaped(revision.after))]
        at = block.end_line + 2
    (root / follows.file).write_text("\n".join(lines), encoding="utf-8")
    tally.files.add(follows.file)
    tally.applied.append(f"{follows.file}:{at}: {new} ({_who(revision)})")


def _absorb_row(root: Path, revision: Revision, tally: Tally) -> None:
    """A table row added or deleted whole: made in a pipe table typed in Markdown, reported for a table
    made from a data file (its cells listed, to be put in the data)."""
    mark = revision.mark or revision.follows
    cells = " | ".join(revision.cells)
    what = f'{"added" if revision.row == "added" else "deleted"} the row "{cells}"'
    if mark.file.endswith(DATA_SUFFIXES):
        what += " under the row from this line" if revision.row == "added" else ""
        tally.reported.append(f"{mark.file}:{mark.line}: {_who(revision)}: {what}, in a table made from this data "
                              f"file: not applied; {'add' if revision.row == 'added' else 'delete'} it there and build again")
        return
    path = root / mark.file
    text = path.read_text(encoding="utf-8")
    blocks = markdown_blocks(mark.file, text)
    block = _block_for(root, mark)
    if block is None or not block.cells:
        tally.reported.append(f"{mark.file}:{mark.line}: {_who(revision)}: {what}: not applied, the file no longer "
                              "has the row it was beside; make the change by hand")
        return
    lines = text.split("\n")
    wanted = tuple(normal(c) for c in revision.cells)
    if revision.row == "deleted":
        if block.cells != wanted:
            tally.already += 1  # its row is not there any more: deleted by an earlier absorb, or by hand
            return
        del lines[block.line - 1]
        at = block.line
    else:
        if any(b.cells == wanted for b in blocks if block.line < b.line <= block.line + NEARBY):
            tally.already += 1  # added by an earlier absorb
            return
        lines.insert(block.line, "| " + " | ".join(_escaped(c) for c in revision.cells) + " |")
        at = block.line + 1
    path.write_text("\n".join(lines), encoding="utf-8")
    tally.files.add(mark.file)
    tally.applied.append(f"{mark.file}:{at}: {what} ({_who(revision)})")


def with_list_item(lines: list[str], first: int, after: int, words: str) -> None:
    """`words` as a new item after the item on lines first..after-1 (0-based), with the list's own marker: a
    bullet the same; a number one more, with the numbers after it moved on, unless the list numbers every
    item alike ("1." each time, which Markdown allows), when the same number again."""
    item = LIST_ITEM.match(lines[first])
    indent = lines[first][:len(lines[first]) - len(lines[first].lstrip())]
    marker = item.group(1)
    number = marker[:-1]
    alike = number.isdigit() and _numbered_alike(lines, first, after, marker, indent)
    if number.isdigit() and not alike:
        marker = f"{int(number) + 1}{marker[-1]}"
    lines.insert(after, f"{indent}{marker} {words}")
    if number.isdigit() and not alike:
        _renumber(lines, after + 1, indent, int(number) + 1)


def _numbered_alike(lines: list[str], first: int, after: int, marker: str, indent: str) -> bool:
    """Whether the list gives its items one number alike: an item next to this one has its marker."""
    return any(LIST_ITEM.match(other).group(1) == marker and other.startswith(indent)
               and not other[len(indent)].isspace() for other in _neighbours(lines, first, after))


def _neighbours(lines: list[str], first: int, after: int) -> list[str]:
    """The item lines just before and after an item (the other items of its list nearest it)."""
    before = [line for line in lines[max(0, first - NEARBY):first] if LIST_ITEM.match(line)][-1:]
    following = [line for line in lines[after:after + NEARBY] if LIST_ITEM.match(line)][:1]
    return before + following


def _renumber(lines: list[str], start: int, indent: str, number: int) -> None:
    """The numbered items of a list from line `start` (0-based) on, numbered on from `number`, so the list reads
    1, 2, 3 in the Markdown as it does in the document."""
    for index in range(start, len(lines)):
        line = lines[index]
        item = LIST_ITEM.match(line)
        if item and line.startswith(indent) and not line[len(indent)].isspace() and item.group(1)[:-1].isdigit():
            number += 1
            lines[index] = f"{indent}{number}{item.group(1)[-1]}{line[item.end(1):]}"
        elif line.strip() and not line.startswith((indent + " ", indent + "\t")):
            return  # the list has ended
        elif not line.strip() and not _item_follows(lines, index, indent):
            return


def _item_follows(lines: list[str], index: int, indent: str) -> bool:
    """After a blank line, the list goes on when the next line that says something is one of its items."""
    following = next((line for line in lines[index:] if line.strip()), "")
    return bool(LIST_ITEM.match(following)) and following.startswith(indent) and not following[len(indent)].isspace()


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def _escaped(text: str) -> str:
    """A reviewer's words as Markdown that shows them as typed (an asterisk stays an asterisk)."""
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)


def _absorb_one(root: Path, revision: Revision, tally: Tally) -> None:
    mark = revision.mark
    where = f"{mark.file}:{mark.line}"
    if mark.file.endswith(DATA_SUFFIXES):
        where = f"{mark.file}:{_value_line(root / mark.file, mark.line, revision)}"
        tally.reported.append(f"{where}: {_who(revision)}: {_changes(revision)}, in a table or figure made from "
                              "this data file: not applied; change the value here and build again")
        return
    if not revision.after and not revision.in_table:
        _delete_paragraph(root, revision, tally)
        return
    block = _block_for(root, mark)
    if block is None:
        tally.reported.append(f"{where}: {_who(revision)}: {_changes(revision)}: the file no longer has this "
                              "paragraph; make the change by hand")
        return
    before, after = revision.before, revision.after
    if block.front:
        before, after = _title_words(block, before, after)
    text, outcomes = apply_to_block(block, before, after)
    if block.front and text != block.plain.source and not _reads_as(text, block.line, after):
        tally.reported.append(f"{where}: {_who(revision)}: {_changes(revision)}: not applied, the new words need "
                              "quotes in the front matter; change them there by hand")
        return
    if text != block.plain.source:
        (root / mark.file).write_text(text, encoding="utf-8")
        tally.files.add(mark.file)
    typed = block.plain.source[block.plain.offsets[0]:block.plain.ends[-1]] if block.plain.offsets else ""
    for outcome in outcomes:
        _count(tally, mark.file, outcome, revision, typed)


def _title_words(block: Block, before: str, after: str) -> tuple[str, str]:
    """A heading's words without the number or reference the template puts before the title ("2) ", "CH2: "),
    which the front matter does not hold."""
    value = normal(block.plain.text)
    prefix = before[:len(before) - len(value)] if before.endswith(value) else ""
    if not prefix and (first := re.match(r"\S{1,12} ", before)) and not value.startswith(first.group()):
        prefix = first.group()  # the title has changed since (an earlier absorb): its number is still first
    if prefix and after.startswith(prefix):
        return before[len(prefix):], after[len(prefix):]
    return before, after


def _reads_as(text: str, line: int, words: str) -> bool:
    """Whether front matter line `line` of `text` still reads, as YAML, as the words the reviewer left
    (a colon and a space, or a leading quote, would need quoting)."""
    try:
        value = next(iter((yaml.safe_load(text.split("\n")[line - 1]) or {None: None}).values()))
    except (yaml.YAMLError, AttributeError, StopIteration):
        return False
    return isinstance(value, str) and normal(value) == words


def _delete_paragraph(root: Path, revision: Revision, tally: Tally) -> None:
    """A paragraph the reviewer deleted whole: its lines go, with one blank line beside them (a list item
    keeps the lines around it, or the list would run into what follows)."""
    mark = revision.mark
    text = (root / mark.file).read_text(encoding="utf-8")
    blocks = markdown_blocks(mark.file, text)
    block = _block_for(root, mark)
    deleted = f'deleted the paragraph "{_short(revision.before)}"'
    if block is not None and block.front:
        tally.reported.append(f"{mark.file}:{block.line}: {_who(revision)}: deleted the heading "
                              f'"{_short(revision.before)}", made from this title: not applied; a section or scheme '
                              "keeps a title (remove the file if it is to go)")
        return
    if block is None or normal(block.plain.text) != revision.before:
        if not any(normal(b.plain.text) == revision.before for b in blocks):
            tally.already += 1  # not in the file any more: deleted by an earlier absorb, or by hand
        else:
            tally.reported.append(f"{mark.file}:{mark.line}: {_who(revision)}: {deleted}: not applied, the paragraph "
                                  "is no longer at this line; delete it by hand")
        return
    lines = text.split("\n")
    start, end = block.line - 1, block.end_line
    if not LIST_ITEM.match(lines[start]):
        if end < len(lines) and not lines[end].strip():
            end += 1
        elif start > 0 and not lines[start - 1].strip():
            start -= 1
    item = LIST_ITEM.match(lines[start])
    indent = lines[start][:len(lines[start]) - len(lines[start].lstrip())]
    renumber = item and item.group(1)[:-1].isdigit() and not _numbered_alike(lines, start, end, item.group(1), indent)
    del lines[start:end]
    if renumber:  # the items after a numbered one deleted move up one
        _renumber(lines, start, indent, int(item.group(1)[:-1]) - 1)
    (root / mark.file).write_text("\n".join(lines), encoding="utf-8")
    tally.files.add(mark.file)
    tally.applied.append(f"{mark.file}:{block.line}: {deleted} ({_who(revision)})")


LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s+")


def _value_line(path: Path, row_line: int, revision: Revision) -> int:
    """The line of a data file that holds the words a reviewer changed (a row is marked at its record's first field)."""
    changed = [" ".join(h.old) for h in hunks(revision.before, revision.after) if h.old]
    return _line_holding(path, row_line, changed[0]) if changed else row_line


def _line_holding(path: Path, from_line: int, words: str) -> int:
    """The first line at or after `from_line` that holds `words`; `from_line` when none does."""
    if not words or not path.is_file():
        return from_line
    lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    return next((n for n in range(from_line, len(lines) + 1) if words in lines[n - 1]), from_line)


def _count(tally: Tally, file: str, outcome: Outcome, revision: Revision, typed: str) -> None:
    """One change in the tally; `typed` is the block's Markdown, to tell a value from an expression."""
    if outcome.state == "applied":
        tally.applied.append(f"{file}:{outcome.line}: {outcome.hunk.describe()} ({_who(revision)})")
    elif outcome.state == "already":
        tally.already += 1
    elif "{{" in typed:
        tally.reported.append(f"{file}:{outcome.line}: {_who(revision)}: {outcome.hunk.describe()}: "
                              "not applied, the paragraph holds a value put in by {{ ... }}; change it by hand")
    else:
        tally.reported.append(f"{file}:{outcome.line}: {_who(revision)}: {outcome.hunk.describe()}: "
                              f"not applied, {outcome.why}")


def _changes(revision: Revision) -> str:
    return "; ".join(h.describe() for h in hunks(revision.before, revision.after))


def _who(revision: Revision) -> str:
    return ", ".join(revision.authors)


def _short(text: str) -> str:
    return text if len(text) <= QUOTED else text[:QUOTED].rsplit(" ", 1)[0] + "…"  # cut between words


def comment_line(root: Path, comment: Comment) -> str:
    """`file:line: author (date): text`, at the line that holds the words commented on when they are found."""
    date = f" ({comment.date})" if comment.date else ""
    if comment.mark is None:
        on = f' (on "{_short(comment.quoted)}")' if comment.quoted else ""
        return f"(no place found): {comment.author}{date}: {comment.text}{on}"
    line = comment.mark.line
    if comment.mark.file.endswith(DATA_SUFFIXES):
        line = _line_holding(root / comment.mark.file, line, comment.quoted)
    block = _block_for(root, comment.mark) if not comment.mark.file.endswith(DATA_SUFFIXES) else None
    if block:
        line = block.line
    if block and comment.quoted:
        at = block.plain.text.find(" ".join(plain_markdown(comment.quoted).text.split()))
        if at >= 0:
            line = block.plain.source.count("\n", 0, block.plain.offsets[at]) + 1
    return f"{comment.mark.file}:{line}: {comment.author}{date}: {comment.text}"


def _print(path: Path, root: Path, tally: Tally, comments: list[Comment], comments_only: bool) -> None:
    if tally.applied:
        print("Applied (review them with `git diff`; nothing was committed):")
        for line in tally.applied:
            print(f"  {line}")
        print()
    if tally.reported:
        print("Reported, not applied:")
        for line in tally.reported:
            print(f"  {line}")
        print()
    if comments:
        print(f"Comments ({len(comments)}):")
        for comment in comments:
            print(f"  {comment_line(root, comment)}")
        print()
    if comments_only:
        print(f"{path.name}: {_plural(len(comments), 'comment')}; nothing changed (--comments-only).")
        return
    files = f" ({_plural(len(tally.files), 'file')})" if tally.files else ""
    already = f", {tally.already} already in the source" if tally.already else ""
    print(f"{path.name}: {_plural(len(tally.applied), 'change')} applied{files}, {len(tally.reported)} reported, "
          f"{_plural(len(comments), 'comment')}{already}.")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")
