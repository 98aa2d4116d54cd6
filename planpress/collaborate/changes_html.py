"""The changes report as one self-contained, accessible HTML page (no scripts, no outside files).

Insertions and deletions are real <ins> and <del> elements, styled apart by more than colour
(underline and strike-through, with a marker in the text for screen readers), so the page
reads correctly aloud, in high-contrast mode and on paper.
"""

from __future__ import annotations

from html import escape

from planpress.collaborate.compare import DocChange, FigureChange, PlanChanges, TextChange, WordDiff

CSS = """
.pp-changes { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; line-height: 1.5;
  color: #1b1b1b; max-width: 60rem; }
.pp-changes ins { background: #dff3e4; color: #0b4a1e; text-decoration: underline 2px; }
.pp-changes del { background: #fbe3e4; color: #6e0b10; text-decoration: line-through 2px; }
.pp-changes .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
.pp-changes .summary { font-size: 1.15rem; border-left: 0.35rem solid #1f4e79; padding: 0.5rem 1rem;
  background: #eef3f8; }
.pp-changes .badge { display: inline-block; padding: 0 0.4rem; border: 1px solid currentColor;
  border-radius: 0.25rem; font-size: 0.85rem; font-weight: 600; }
.pp-changes table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; width: 100%; }
.pp-changes caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
.pp-changes th, .pp-changes td { border: 1px solid #8a8a8a; padding: 0.25rem 0.5rem; vertical-align: top;
  text-align: left; }
.pp-changes td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.pp-changes thead th { background: #1f4e79; color: #fff; }
.pp-changes .legend { font-size: 0.95rem; }
"""


def render_page(changes: PlanChanges, title: str) -> str:
    """A whole HTML page for output/changes/, readable offline."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n"
        f"<body>\n<main class=\"pp-changes\">\n<h1>{escape(title)}</h1>\n{render_fragment(changes)}</main>\n"
        "</body>\n</html>\n"
    )


def render_fragment(changes: PlanChanges, heading_level: int = 2) -> str:
    """The report's body, for embedding in a page of the website (style it with CSS above)."""
    h = heading_level
    out = [
        f"<p>Changes from <strong>{escape(changes.before)}</strong> to <strong>{escape(changes.after)}</strong>.</p>",
        f"<p class=\"summary\" role=\"status\">{escape(changes.summary())}</p>",
    ]
    out += [f"<p><strong>Note:</strong> {escape(note)}</p>" for note in changes.notes]
    if changes.documents:
        out.append("<p class=\"legend\">In the text below, <ins>inserted words are underlined on green</ins> "
                   "and <del>deleted words are struck through on red</del>.</p>")
    for kind, heading in (("section", "Sections"), ("scheme", "Schemes")):
        docs = [d for d in changes.documents if d.kind == kind]
        if docs:
            out.append(f"<h{h}>{heading}</h{h}>")
            out += [_doc(d, h + 1) for d in docs]
    if changes.figures:
        out.append(f"<h{h}>Figures</h{h}>")
        out += _figure_tables(changes.figures)
    return "\n".join(out) + "\n"


def _doc(doc: DocChange, h: int) -> str:
    out = [f"<section aria-labelledby=\"{doc.kind}-{escape(doc.key)}\">",
           f"<h{h} id=\"{doc.kind}-{escape(doc.key)}\">{escape(doc.title)} "
           f"<span class=\"badge\">{escape(doc.change)}</span></h{h}>"]
    for text in doc.texts:
        out.append(_text(text, h + 1))
    out.append("</section>")
    return "\n".join(out)


def _text(text: TextChange, h: int) -> str:
    label = escape(text.label) + ("" if text.change == "changed" else f" ({escape(text.change)})")
    return f"<h{h}>{label}</h{h}>\n" + diff_html(text.diff)


def diff_html(diff: WordDiff) -> str:
    """Paragraphs of a word diff, with <ins> and <del> around the changed words."""
    paragraphs = []
    for runs in diff.paragraphs(changed_only=True):
        pieces = []
        for op, text in runs:
            if op == "insert":
                pieces.append(f"<ins><span class=\"visually-hidden\">[inserted:] </span>{escape(text)}</ins>")
            elif op == "delete":
                pieces.append(f"<del><span class=\"visually-hidden\">[deleted:] </span>{escape(text)}</del>")
            else:
                pieces.append(escape(text))
        paragraphs.append("<p>" + " ".join(pieces) + "</p>")
    return "\n".join(paragraphs)


def _figure_tables(figures: tuple[FigureChange, ...]) -> list[str]:
    groups: dict[str, list[FigureChange]] = {}
    for figure in figures:
        groups.setdefault(figure.group, []).append(figure)
    tables = []
    for group, rows in groups.items():
        body = "\n".join(
            f"<tr><th scope=\"row\">{escape(f.item)}</th><td>{escape(f.measure)}</td>"
            f"<td class=\"{_align(f)}\">{_value(f, f.before)}</td><td class=\"{_align(f)}\">{_value(f, f.after)}</td>"
            f"<td class=\"num\">{escape(f.difference) or ('changed' if f.before is not None and f.after is not None else '')}</td></tr>"
            for f in rows)
        tables.append(
            f"<table>\n<caption>{escape(group)}: {len(rows)} figure{'s' if len(rows) != 1 else ''} changed</caption>\n"
            "<thead><tr><th scope=\"col\">Item</th><th scope=\"col\">Figure</th><th scope=\"col\">Before</th>"
            f"<th scope=\"col\">After</th><th scope=\"col\">Difference</th></tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>")
    return tables


def _align(figure: FigureChange) -> str:
    return "" if figure.kind == "text" else "num"


def _value(figure: FigureChange, value: object) -> str:
    if value is None:
        return "<em>(none)</em>"
    return escape(figure.shown(value))
