"""The list of items (schemes grouped by theme) and the item descriptions agree, both ways."""

from __future__ import annotations

from collections.abc import Iterator

from planpress.checks.references import did_you_mean, scheme_key
from planpress.checks.registry import rule_family
from planpress.errors import Finding
from planpress.load.content import PlanContent
from planpress.load.models import Record


class SchemeListParams(Record):
    file: str = "themes"
    """The data file that lists the items by group."""
    groups: str = "themes"
    """The field of that file holding the groups."""
    items: str = "schemes"
    """The field of each group listing its items' references."""
    group_field: str = "theme"
    """The front-matter field of an item's description naming its group."""
    description: str = ""
    """What the template calls an item's description, for messages, such as "its detailed description"."""


@rule_family("scheme-list", SchemeListParams, blocking=True)
def check(content: PlanContent, params: SchemeListParams) -> Iterator[Finding]:
    listing = content.data.get(params.file)
    if listing is None:
        return
    kind = content.pack.data.schemes.kind
    folder = content.schemes_folder()
    schemes = {scheme_key(s): s for s in content.schemes}
    listed: dict[str, str] = {}
    for group in getattr(listing, params.groups):
        for index, ref in enumerate(getattr(group, params.items)):
            where = group.where(params.items, index)
            if ref in listed:
                yield Finding(where, "error",
                              f"{kind.capitalize()} '{ref}' is listed twice (also under {params.group_field} {listed[ref]})",
                              f"List each {kind} once, under its {params.group_field}", rule=f"duplicate-{kind}")
                continue
            listed[ref] = group.id
            scheme = schemes.get(ref)
            if scheme is None and not content.schemes_complete():
                continue  # its file may be the broken one: that finding says enough
            if scheme is None:
                yield Finding(where, "error", f"{kind.capitalize()} '{ref}' is listed but has no description in {folder}/",
                              f"Add {folder}/{ref}.md{f' ({params.description})' if params.description else ''}, "
                              "or correct the reference. " + did_you_mean(ref, schemes),
                              rule=f"{kind}-without-description")
            elif getattr(scheme.meta, params.group_field) != group.id:
                yield Finding(scheme.meta.where(params.group_field), "error",
                              f"{kind.capitalize()} '{ref}' says its {params.group_field} is "
                              f"'{getattr(scheme.meta, params.group_field)}', "
                              f"but {content.data_files()[params.file]} lists it under '{group.id}'",
                              "Make the two agree", rule=f"{params.group_field}-mismatch")
    for scheme in content.schemes:
        ref = scheme_key(scheme)
        if ref not in listed:
            yield Finding(scheme.meta.where("reference"), "error",
                          f"{kind.capitalize()} '{ref}' has a description but is not in the list of {kind}s",
                          f"Add {ref} to its {params.group_field}'s '{params.items}' in "
                          f"{content.data_files()[params.file]}", rule=f"{kind}-not-listed")
