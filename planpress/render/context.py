"""What every layout of a pack sees: the plan, each data file by its pack name, the figures.

Layouts (site pages, the document, the report, the workbook) are the pack's own templates,
trusted like code; they are given the same names, so a pack's partials work in all of them.
"""

from __future__ import annotations

from planpress.figures import Figures
from planpress.load.content import PlanContent, SchemeDoc


def layout_context(content: PlanContent, figures: Figures) -> dict[str, object]:
    """plan, pack, each data file by name, sections, the item descriptions in list order, figures, and
    what the pack's families work out (such as a performance fund) by its name."""
    schemes = schemes_in_order(content)
    return {
        **{name: value for name, value in content.data.items()},
        **figures.extra,
        "plan": content.plan, "pack": content.pack, "figures": figures,
        "sections": content.sections, "schemes": schemes,
        "schemes_by_ref": {str(getattr(s.meta, "reference", "")): s for s in content.schemes},
        **_items_by_key(content),
    }


def schemes_in_order(content: PlanContent) -> list[SchemeDoc]:
    """Item descriptions in the order of the list that groups them (the scheme-list rule), then any others."""
    params = content.models.rule_params.get("scheme-list") if content.models else None
    listing = content.data.get(params.file) if params else None
    order = ([ref for group in getattr(listing, params.groups) for ref in getattr(group, params.items)]
             if listing is not None else [])
    rank = {ref: i for i, ref in enumerate(order)}
    return sorted(content.schemes, key=lambda s: (rank.get(s.meta.reference, len(rank)), s.meta.reference))


def _items_by_key(content: PlanContent) -> dict[str, dict[str, object]]:
    """Each declared list of items by its key, named after the list: themes_by_id, boards_by_name, ..."""
    from planpress.checks.references import items_of_kind

    found = {}
    for kind, (_, path, key) in content.pack.data.kinds().items():
        found[f"{path[-1]}_by_{key}"] = {getattr(item, key): item for item in items_of_kind(content, kind) or []}
    return found
