"""The plan as one JSON file: every figure and sentence of content/, typed, for other tools."""

from __future__ import annotations

import json

from planpress.load.content import SchemeDoc, SectionDoc
from planpress.targets import BuildContext, Target
from planpress.collaborate.version import VersionStamp, version_stamp


def build(context: BuildContext) -> list[str]:
    content = context.content
    data = {
        "build": {"draft": context.draft, "open_problems": context.open_problems,
                  "version": _stamp(version_stamp(content.root, content.plan.version)),
                  "findings": [f.as_dict() for f in context.findings]},
        "plan": content.plan.model_dump(mode="json"),
        "sections": [_text_doc(doc) for doc in content.sections],
        "schemes": [_text_doc(doc) for doc in content.schemes],
        **{name: record.model_dump(mode="json") for name, record in content.data.items() if record is not None},
    }
    name = f"{context.slug}-plan.json"
    context.stage.path(name).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return [name]


def _stamp(stamp: VersionStamp) -> dict[str, object]:
    """The version the file was built from: label, commit (None outside git), date, uncommitted changes."""
    return {"label": stamp.label, "commit": stamp.commit, "date": stamp.date.isoformat() if stamp.date else None,
            "dirty": stamp.dirty, "text": str(stamp)}


def _text_doc(doc: SectionDoc | SchemeDoc) -> dict:
    """A section or scheme: its front matter, its file, and the (rendered) text of each part."""
    return {**doc.meta.model_dump(mode="json"), "file": doc.file, "intro": doc.intro.strip(),
            "parts": [{"heading": p.heading, "part": p.pack_part.id if p.pack_part else None,
                       "markdown": p.markdown.strip()} for p in doc.parts]}


TARGET = Target(
    name="data",
    summary="the whole plan as one JSON file, for other tools",
    outputs=lambda slug: [f"{slug}-plan.json"],
    build=build,
)
