"""The content answers the template: one file per section, every question answered, no stray headings."""

from __future__ import annotations

from collections.abc import Iterator

from planpress.checks.references import did_you_mean
from planpress.errors import Finding, Location
from planpress.load.content import SECTIONS_DIR, PlanContent, SchemeDoc, SectionDoc
from planpress.load.pack import PackPart
from planpress.load.text import without_comments


def check(content: PlanContent) -> Iterator[Finding]:
    if content.pack is None:
        return
    yield from _section_files(content)
    for section in content.sections:
        if section.pack_section is not None:
            yield from _parts(section, section.pack_section.parts, f"section {section.pack_section.number}")
    for scheme in content.schemes:
        yield from _parts(scheme, content.pack.scheme_parts, f"the description of {scheme.meta.reference}")


def _section_files(content: PlanContent) -> Iterator[Finding]:
    pack = content.pack
    assert pack is not None
    seen: dict[str, SectionDoc] = {}
    for section in content.sections:
        section_id = section.meta.id
        if section.pack_section is None:
            yield Finding(section.meta.where("id"), "error",
                          f"The template {pack.id} has no section '{section_id}'",
                          did_you_mean(section_id, (s.id for s in pack.sections)), rule="unknown-section")
        elif section_id in seen:
            yield Finding(section.meta.where("id"), "error",
                          f"Section '{section_id}' is already answered by {seen[section_id].file}",
                          "Keep one file per section: merge the two", rule="duplicate-section")
        else:
            seen[section_id] = section
    broken = any(f.startswith(SECTIONS_DIR) for f in content.broken_files)
    for number, pack_section in enumerate(pack.sections, start=1):
        if pack_section.id not in seen and not broken:
            yield Finding(Location(SECTIONS_DIR), "error",
                          f"Section {pack_section.numbered_title} has no file",
                          f"Create {SECTIONS_DIR}/{number:02d}-{pack_section.id}.md with 'id: {pack_section.id}' "
                          "in its front matter", rule="missing-section")


def _parts(doc: SectionDoc | SchemeDoc, pack_parts: list[PackPart], what: str) -> Iterator[Finding]:
    titles = [p.title for p in pack_parts]
    answered = set()
    for part in doc.parts:
        if part.pack_part is None:
            yield Finding(Location(doc.file, part.line), "warning",
                          f"The heading '{part.heading}' is not a part of {what}",
                          f"{did_you_mean(part.heading, titles)} Use '###' for a heading inside a part",
                          rule="unknown-heading")
            continue
        if part.pack_part.id in answered:
            yield Finding(Location(doc.file, part.line), "warning",
                          f"'{part.heading}' is answered twice in this file",
                          "Merge the two into one heading", rule="duplicate-part")
        answered.add(part.pack_part.id)
        if not without_comments(part.markdown).strip() and part.pack_part.data is None:
            yield Finding(Location(doc.file, part.line), "warning",
                          f"'{part.heading}' has a heading but no answer",
                          f"Answer the template's question under it: {part.pack_part.question}",
                          rule="unanswered")
    for pack_part in pack_parts:
        if pack_part.id not in answered and pack_part.data is None:
            yield Finding(Location(doc.file, doc.intro_line), "warning",
                          f"The question '{pack_part.numbered_title}' of {what} has no answer",
                          f"Add a heading '## {pack_part.title}' and answer under it: {pack_part.question}",
                          rule="unanswered")
