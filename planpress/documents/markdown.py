"""The plan as one pandoc Markdown document, rendered by Jinja from the checked content."""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import SimpleNamespace

from planpress.charts import Chart, make_charts, metric_chart_filename
from planpress.figures import Figures, compute
from planpress.load import PlanContent, SchemeDoc, SectionDoc, TextPart
from planpress.pack import PackSection
from planpress.render import number, render_template, template_environment
from planpress.version import version_stamp

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


def render_plan_markdown(content: PlanContent, draft: bool) -> PlanDocument:
    """The whole submission document as pandoc Markdown, and the charts it embeds.

    `draft` marks every page DRAFT: the build says so unless it is a final build of an agreed plan.
    """
    assert content.plan and content.pack
    figures = compute(content)
    charts = make_charts(content, figures)
    env = template_environment(content.root, content.pack.id)
    env.filters.update(yaml_text=yaml_text, attribute=attribute, number_or_dash=number_or_dash)
    data = _template_data(content, figures, charts, draft)
    markdown = render_template(env, TEMPLATE, data=data, **vars(data))
    return PlanDocument(markdown, charts, draft, data.draft_note)


def draft_note(content: PlanContent) -> str:
    """Why a draft is a draft, in the words on every page."""
    if content.plan.status != "agreed":
        return "DRAFT: not agreed by the Health and Wellbeing Board"
    return "DRAFT: a draft build, not the submitted document"


def _template_data(content: PlanContent, figures: Figures, charts: list[Chart], draft: bool) -> SimpleNamespace:
    plan = content.plan
    stamp = version_stamp(content.root, plan.version)
    schemes_by_ref = {s.meta.reference: s for s in content.schemes}
    return SimpleNamespace(
        plan=plan, pack=content.pack, figures=figures, charts=charts,
        sections=_sections(content),
        schemes=_schemes_in_list_order(content, schemes_by_ref),
        schemes_by_ref=schemes_by_ref,
        themes=content.themes, themes_by_id={t.id: t for t in content.themes.themes},
        finance=content.finance, metrics=content.metrics, risks=content.risks,
        milestones=content.milestones, governance=content.governance,
        documents=content.documents, providers=content.providers,
        draft=draft,
        draft_note=draft_note(content),
        status_label=plan.status.capitalize(),
        stamp=str(stamp),
        stamp_short=stamp.short,
        stamp_date=f"{stamp.date.day} {stamp.date:%B %Y}" if stamp.date else "",
        metric_chart_filename=metric_chart_filename,
        anchor=anchor,
        links=DocumentLinks(),
    )


def _sections(content: PlanContent) -> list[SectionEntry]:
    by_id = {s.meta.id: s for s in content.sections}
    entries = []
    for pack_section in content.pack.sections:
        doc = by_id.get(pack_section.id)
        extra = [p for p in doc.parts if p.pack_part is None] if doc else []
        entries.append(SectionEntry(pack_section, doc, extra))
    return entries


def _schemes_in_list_order(content: PlanContent, by_ref: dict[str, SchemeDoc]) -> list[SchemeDoc]:
    """Annex 1 follows the list of planned schemes (4d); a scheme missing from the list comes last."""
    listed = [by_ref[ref] for theme in content.themes.themes for ref in theme.schemes if ref in by_ref]
    return listed + [s for s in content.schemes if s not in listed]


class DocumentLinks:
    """Links inside the document, for the shared table macros: a scheme's Annex 1 heading, a row of
    the milestone or risk table. filters.lua makes an author's (scheme:PE1) links the same way."""

    def url(self, kind: str, name: str) -> str:
        return "#" + self.anchor(kind, name)

    def anchor(self, kind: str, name: str) -> str:
        return {"section": f"section-{name}", "metric": "annex-figures"}.get(kind, f"{kind}-{name.lower()}")


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
