"""The plan as one pandoc Markdown document, rendered by Jinja from the checked content."""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import SimpleNamespace

from planpress.render.charts import Chart, make_charts, metric_chart_filename
from planpress.targets.documents.pictures import Picture, with_local_pictures
from planpress.figures import Figures, compute
from planpress.load.content import PlanContent, SectionDoc, TextPart
from planpress.render.context import layout_context
from planpress.load.pack import PackSection
from planpress.render import anchor_id, number, render_template, template_environment
from planpress.collaborate.version import version_stamp

TEMPLATE = "document/plan.md.j2"


@dataclass(frozen=True)
class SectionEntry:
    """A template section, the file answering it (None if there is none) and any stray parts of it."""

    pack: PackSection
    doc: SectionDoc | None
    extra_parts: list[TextPart]


@dataclass(frozen=True)
class PlanDocument:
    markdown: str
    charts: list[Chart]
    draft: bool
    draft_note: str
    pictures: tuple[Picture, ...] = ()
    """The authors' pictures the Markdown shows, to be put beside it (documents/pictures.py)."""


def render_plan_markdown(content: PlanContent, draft: bool) -> PlanDocument:
    """The whole submission document as pandoc Markdown, and the charts it embeds.

    `draft` marks every page DRAFT: the build says so unless it is a final build of an agreed plan.
    """
    assert content.plan and content.pack
    figures = compute(content)
    charts = make_charts(content, figures)
    env = template_environment(content.pack)
    env.filters.update(yaml_text=yaml_text, attribute=attribute, number_or_dash=number_or_dash)
    shown, pictures = with_local_pictures(content)
    data = _template_data(shown, figures, charts, draft)
    markdown = render_template(env, TEMPLATE, data=data, **vars(data))
    return PlanDocument(markdown, charts, draft, data.draft_note, pictures)


def draft_note(content: PlanContent) -> str:
    """Why a draft is a draft, in the words on every page."""
    if content.plan.status != "agreed":
        return "DRAFT: not agreed by the Health and Wellbeing Board"
    return "DRAFT: a draft build, not the submitted document"


def _template_data(content: PlanContent, figures: Figures, charts: list[Chart], draft: bool) -> SimpleNamespace:
    plan = content.plan
    stamp = version_stamp(content.root, plan.version)
    return SimpleNamespace(**layout_context(content, figures) | dict(
        charts=charts,
        sections=_sections(content),
        draft=draft,
        draft_note=draft_note(content),
        status_label=plan.status.capitalize(),
        stamp=str(stamp),
        stamp_short=stamp.short,
        stamp_date=f"{stamp.date.day} {stamp.date:%B %Y}" if stamp.date else "",
        metric_chart_filename=metric_chart_filename,
        anchor=anchor,
        links=DocumentLinks(content.pack.document.link_anchors),
    ))


def _sections(content: PlanContent) -> list[SectionEntry]:
    by_id = {s.meta.id: s for s in content.sections}
    entries = []
    for pack_section in content.pack.sections:
        doc = by_id.get(pack_section.id)
        extra = [p for p in doc.parts if p.pack_part is None] if doc else []
        entries.append(SectionEntry(pack_section, doc, extra))
    return entries


class DocumentLinks:
    """Links inside the document, for the shared table macros: an item description's heading, a row of
    a table of items. The pack's filters.lua makes an author's (risk:R3) links the same way."""

    def __init__(self, one_place: dict[str, str]):
        self.one_place = one_place
        """Kinds whose links all go to one heading (the pack's document.link_anchors)."""

    def url(self, kind: str, name: str) -> str:
        return "#" + self.anchor(kind, name)

    def anchor(self, kind: str, name: str) -> str:
        if kind == "section":
            return f"section-{name}"
        return self.one_place.get(kind, anchor_id(kind, name))


def yaml_text(value: object) -> str:
    """A value for the YAML metadata block: JSON's quoting is valid YAML, and keeps colons and quotes safe."""
    return json.dumps(str(value), ensure_ascii=False)


def attribute(value: object) -> str:
    """Text for a pandoc attribute value in double quotes."""
    return " ".join(str(value).split()).replace("\\", "\\\\").replace('"', '\\"')


def anchor(identifier: str) -> str:
    """A heading's identifier in pandoc's attribute syntax (Jinja would read "{#" as a comment)."""
    return "{#" + identifier + "}"


def number_or_dash(value: object) -> str:
    return value if isinstance(value, str) else number(value)
