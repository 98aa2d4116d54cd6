"""MkDocs hooks for the plan's website, named in the configuration planpress writes (planpress/targets/site.py).

Every page's content passes through the HTML policy (planpress/checks/html_policy.py) as soon as
Markdown has made it HTML, before any plugin sees it (the search index, and whatever plugin a
council adds), so nothing author text could carry (a script, an event handler, a javascript: link,
an image from another host) reaches the site, even in a draft build that `check` would have
stopped as final. What a plugin adds after that is the plugin's own, trusted like mkdocs.yml.
The table of contents beside each page is made from the headings' text: it gets the same
treatment, as text alone.
"""

from __future__ import annotations

from mkdocs.plugins import event_priority

from planpress.checks.html_policy import clean, text_only


@event_priority(100)  # first: every plugin after it sees the author's HTML as the policy leaves it
def on_page_content(html, page, config, files):
    for link in _links(page.toc):
        link.title = text_only(link.title)
    return clean(html)


def _links(items):
    for item in items or []:
        yield item
        yield from _links(getattr(item, "children", None))
