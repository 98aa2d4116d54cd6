"""Small helpers on an author's Markdown that loading and the checks share."""

from __future__ import annotations

import re

HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def without_comments(markdown: str) -> str:
    """The text a reader sees: a comment (such as the template's question in a new plan) is no answer."""
    return HTML_COMMENT.sub("", markdown)
