"""One policy for author HTML on the website: what author text may become, for `check` and the build alike.

Author text reaches the website as Markdown: the sections and schemes, and every text of the
YAML files (a risk, a metric's name, a document's link, a title), which the layouts put into
tables, headings and paragraphs. Python-Markdown passes raw HTML through, and the attr_list
extension lets `{onclick=...}` add any attribute, so without a policy a `<script>`, an
`<img onerror=...>`, a `javascript:` link or an image fetched from another host would reach
the public pages.

The policy is an allowlist, applied by the maintained sanitizer nh3 (Rust's ammonia), never by
patterns of our own:

- the elements Python-Markdown renders with the site's extensions (paragraphs, headings,
  lists, tables, links, emphasis, code, quotes, abbreviations, definition lists, admonitions,
  images, ...), and the few the layouts add (figures, sections, insertions and deletions);
- on them only the attributes those renderings carry: `id` (but none of the theme's, which start
  with "__"), `title`, `href`, `src`, `alt`, the tables' `text-align` styles, a short list of
  classes (the layouts', the admonitions', the code highlighter's), the changes page's `scope`,
  `role` and `aria-labelledby`;
- links only to http, https, mailto and tel addresses, or relative ones (never javascript:,
  data: or vbscript:); an image only from the site itself (a relative address), so a reader's
  browser contacts no other host. A link to another website stays a link.

`clean()` is what the build runs on every page's content (planpress/targets/site_hooks.py);
`check()` reports each construct of author text that `clean()` would take out, at the file and
line it was written, so an author learns of it before a reader would have.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import nh3

from planpress.checks.references import LINK, markdown_blocks
from planpress.checks.unfinished import find_placeholders
from planpress.errors import Finding, Location
from planpress.load.content import PlanContent, SchemeDoc, SectionDoc
from planpress.load.yamlsource import YamlDoc, YamlProblem, parse_yaml

RULE = "unsafe-html"

# --- the allowlist -----------------------------------------------------------------------

# What Python-Markdown writes with the site's extensions (abbr, admonition, attr_list, def_list,
# md_in_html, tables, toc, fenced_code, pymdownx.superfences), and the plain inline and block
# elements an author may write as HTML to the same effect.
TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "a", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup",
    "abbr", "dfn", "cite", "q", "kbd", "samp", "var", "code", "pre", "blockquote",
    "img", "span", "div", "details", "summary",
    # our layouts: charts as figures, the changes pages' sections
    "figure", "figcaption", "section",
})

# Elements removed with everything inside them: their content is a program, a style sheet or
# another document, never text for the reader.
REMOVED_WITH_CONTENT = frozenset({
    "script", "style", "template", "noscript", "iframe", "frame", "frameset", "noframes", "object",
    "embed", "applet", "svg", "math", "xmp", "noembed", "plaintext", "textarea", "select", "title",
})

ATTRIBUTES: dict[str, set[str]] = {
    # `markdown` is md_in_html's marker, which Python-Markdown leaves on some elements: inert.
    "*": {"id", "title", "lang", "markdown"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "section": {"aria-labelledby"},
    "details": {"open"},
}

# Attributes allowed with only these values.
ATTRIBUTE_VALUES: dict[str, dict[str, set[str]]] = {
    # The tables extension aligns a column with a style, exactly so.
    "td": {"style": {"text-align: left;", "text-align: right;", "text-align: center;"}},
    "th": {"style": {"text-align: left;", "text-align: right;", "text-align: center;"},
           "scope": {"row", "col", "rowgroup", "colgroup"}},
    "p": {"role": {"status"}},
}

# Material's admonition types (admonition extension): `!!! note "Title"`.
_ADMONITIONS = {"admonition", "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important",
                "success", "check", "done", "question", "help", "faq", "warning", "caution", "attention",
                "failure", "fail", "missing", "danger", "error", "bug", "example", "quote", "cite", "inline", "end"}


def _code_classes() -> tuple[set[str], set[str]]:
    """The highlighter's token classes (span) and language classes (code, div), from Pygments itself."""
    try:
        from pygments.lexers import get_all_lexers
        from pygments.token import STANDARD_TYPES
    except ImportError:  # without Pygments, code blocks carry no token classes
        return set(), {"language-text"}
    tokens = {name for name in STANDARD_TYPES.values() if name}
    languages = {f"language-{alias}" for _, aliases, _, _ in get_all_lexers() for alias in aliases}
    return tokens, languages | {"language-text", "language-plaintext"}


_TOKENS, _LANGUAGES = _code_classes()

CLASSES: dict[str, set[str]] = {
    # the layouts' own: charts, the template's question, the changes pages
    "figure": {"pp-chart"},
    # a chart drawn twice, for a wide screen and for a phone; the style sheet shows one
    "img": {"pp-wide", "pp-narrow"},
    "div": {"pp-changes", "highlight", "footnote", *_ADMONITIONS, *_LANGUAGES},
    "details": {"pp-question", *_ADMONITIONS},
    "p": {"legend", "summary", "admonition-title"},
    "span": {"badge", "visually-hidden", "filename", *_TOKENS},
    "td": {"num"},
    "pre": {"highlight"},
    "code": set(_LANGUAGES),
    "a": {"footnote-ref", "footnote-backref"},
}

URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def local_address(value: str) -> bool:
    """An address on the site itself: no scheme, no host (`//host`, `/\\host`, as browsers read them)."""
    text = "".join(ch for ch in value.strip() if ch not in "\t\n\r").replace("\\", "/")
    if text.startswith("//"):
        return False
    parts = urlsplit(text)
    return not parts.scheme and not parts.netloc


# The theme names its own elements with ids that start so (__config holds its settings, __search its
# search box); an author's element with such an id would take their place in the theme's scripts.
THEME_IDS = "__"


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # Loading attributes may only name the site's own files: a reader's browser contacts no other host.
    if attribute == "src" and not local_address(value):
        return None
    if attribute == "id" and value.strip().startswith(THEME_IDS):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(REMOVED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    tag_attribute_values={tag: {a: set(v) for a, v in values.items()} for tag, values in ATTRIBUTE_VALUES.items()},
    allowed_classes={tag: set(names) for tag, names in CLASSES.items()},
    attribute_filter=_attribute_filter,
    url_schemes=set(URL_SCHEMES),
    link_rel=None,  # links are kept as written; none opens a new window, so none needs noopener
    strip_comments=True,  # authors' notes to each other (<!-- ... -->) are not for readers
)

_TEXT_ONLY = nh3.Cleaner(tags=set(), clean_content_tags=set(REMOVED_WITH_CONTENT), attributes={}, link_rel=None)


def clean(fragment: str) -> str:
    """An HTML fragment with everything the policy does not allow taken out."""
    return _CLEANER.clean(fragment)


def text_only(fragment: str) -> str:
    """An HTML fragment as its text alone (still HTML: `&amp;` stays an entity), for the table of contents."""
    return _TEXT_ONLY.clean(fragment)


_QUOTE_OPENS = re.compile(r'(^|[\s(\[{])"')


def plain_title(text: object) -> str:
    """A title as plain text that is safe wherever the theme puts it: <title>, the navigation, an
    attribute, escaped or not. Markup is taken out (a script with its content); what could still
    read as markup becomes its typographic look-alike: < and > as ‹ and ›, straight double quotes
    as curly ones. An ampersand stays (no character reference is left to decode)."""
    value = html.unescape(text_only(str(text)))
    while (decoded := html.unescape(value)) != value:  # "&amp;lt;" reads "&lt;": decode until none is left
        value = decoded
    value = value.replace("<", "‹").replace(">", "›")
    value = _QUOTE_OPENS.sub("\\1“", value).replace('"', "”")
    return " ".join(value.split())


# --- what the policy removes -------------------------------------------------------------


@dataclass(frozen=True)
class Removed:
    """One construct of an HTML fragment that `clean()` takes out."""

    message: str
    """What it is and why it goes, as an author reads it."""
    hint: str
    needle: str
    """Text to look for in the author's source to find its line."""
    harmless: bool = False
    """An element or attribute the website does not know, which could do no harm: a prompt such as
    <date> or <dd/mm/yyyy> is one, which `check` reports as unfinished text instead."""


# Elements that have no content and no end tag.
_EMPTY = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                    "track", "wbr"})


@dataclass
class _Element:
    tag: str
    attributes: dict[str, str]
    within_removed: bool = False
    """Inside an element removed with its content (the <circle> of an <svg>): reported with it."""


class _Elements(HTMLParser):
    """The start tags of a fragment, in order, with their attributes (comments are left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[_Element] = []
        self.open_removed: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)
        if tag in REMOVED_WITH_CONTENT and tag not in _EMPTY:
            self.open_removed.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open_removed:
            while self.open_removed and self.open_removed.pop() != tag:
                pass

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes: dict[str, str] = {}
        for name, value in attrs:
            attributes.setdefault(name, value or "")
        self.found.append(_Element(tag, attributes, bool(self.open_removed)))


def _elements(fragment: str) -> list[_Element]:
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    return parser.found


def removed(fragment: str) -> list[Removed]:
    """Each element, attribute or address of `fragment` that `clean()` takes out, named and explained.

    nh3 decides; this compares the fragment's elements before and after cleaning to say what went.
    """
    found: list[Removed] = []
    for old, new in _aligned(_elements(fragment), _elements(_CLEANER.clean(fragment))):
        if new is not None:
            found += _attributes_removed(old, new)
        elif not old.within_removed:
            found.append(_element_removed(old.tag))
    return found


_WRAPPERS = frozenset({"html", "head", "body", "tbody", "thead", "tr", "colgroup", "p"})
"""Elements the HTML parser adds around others where they are missing (a table's <tbody>)."""


def _aligned(before: list[_Element], after: list[_Element]) -> Iterator[tuple[_Element, _Element | None]]:
    """Each element before cleaning with what it became after, or None where cleaning removed it.

    Cleaning only takes elements out (the parser may add a wrapper such as <tbody>), so one pass in
    order matches them, in time in proportion to the elements (difflib took minutes on a long table)."""
    at = 0
    for old in before:
        ahead = at
        while ahead < len(after) and after[ahead].tag != old.tag and after[ahead].tag in _WRAPPERS:
            ahead += 1
        if ahead < len(after) and after[ahead].tag == old.tag:
            yield old, after[ahead]
            at = ahead + 1
        else:
            yield old, None


_WHY_ELEMENT = {
    "script": "it would run a program in readers' browsers",
    "noscript": "it only matters beside a script",
    "style": "it would restyle the whole page",
    "link": "it would load a file from another address",
    "meta": "it would redirect readers or change how the page is read",
    "base": "it would send every link of the page elsewhere",
    "iframe": "it would show another website inside the page",
    "frame": "it would show another website inside the page",
    "frameset": "it would show another website inside the page",
    "object": "it would run a plug-in or embed another document",
    "embed": "it would run a plug-in or embed another document",
    "applet": "it would run a plug-in",
    "form": "a form could send what readers type to another website",
    "input": "a form could send what readers type to another website",
    "button": "a form could send what readers type to another website",
    "textarea": "a form could send what readers type to another website",
    "select": "a form could send what readers type to another website",
    "svg": "drawn graphics can carry scripts; the website's charts are made from the figures",
    "math": "it can carry scripts and other markup the website does not show",
    "audio": "it would load media from elsewhere",
    "video": "it would load media from elsewhere",
    "source": "it would load media from elsewhere",
    "picture": "it would load images from elsewhere",
    "template": "its content is for programs, not readers",
}


def _element_removed(tag: str) -> Removed:
    why = _WHY_ELEMENT.get(tag, "it is not one of the elements the website shows")
    kept = "" if tag in REMOVED_WITH_CONTENT or tag in _EMPTY else " (its text is kept)"
    article = "an" if tag[:1] in "aeiou" else "a"
    return Removed(f"Author text may not contain {article} <{tag}> element ({why}): the website removes it{kept}",
                   "Remove it; write the text in Markdown (headings, paragraphs, lists, links, pipe tables)",
                   f"<{tag}", harmless=tag not in _WHY_ELEMENT)


def _attributes_removed(old: _Element, new: _Element) -> Iterator[Removed]:
    for name, value in old.attributes.items():
        if name in new.attributes and new.attributes[name] == value:
            continue
        if name == "class" and name in new.attributes:
            gone = sorted(set(value.split()) - set(new.attributes[name].split()))
            if not gone:
                continue
            yield Removed(f"Author text may not give an element the class '{' '.join(gone)}' (it is not one of "
                          "the website's own): the website removes it",
                          "Remove the class; the website's layouts style the page", " ".join(gone))
        elif name in ("href", "src") and name in new.attributes:
            continue  # kept (written differently, as the sanitizer normalises addresses)
        elif name in ("href", "src"):
            yield _address_removed(old.tag, name, value)
        elif name == "id":
            yield Removed(f"Author text may not give an element the id '{value}' (ids starting '{THEME_IDS}' are the "
                          "theme's own, and its scripts would take the element for theirs): the website removes it",
                          "Choose an id (or a heading) that does not start with underscores", value)
        elif name.startswith("on"):
            yield Removed(f"Author text may not give an element the '{name}' attribute (an event handler runs "
                          "a program in readers' browsers): the website removes it",
                          "Remove the attribute (written as HTML, or in braces such as {onclick=...})", name)
        elif name == "style":
            yield Removed("Author text may not style an element with a 'style' attribute (it could hide text, "
                          "cover the page or load from elsewhere): the website removes it",
                          "Remove the attribute; the website's layouts style the page", "style")
        else:
            yield Removed(f"Author text may not give a <{old.tag}> element the '{name}' attribute (it is not one "
                          "the website allows there): the website removes it",
                          "Remove the attribute (written as HTML, or in braces such as {name=...})", name,
                          harmless=True)


def _address_removed(tag: str, attribute: str, value: str) -> Removed:
    address = " ".join(value.split())
    shown = address if len(address) <= 60 else address[:57] + "..."
    scheme = urlsplit("".join(address.split())).scheme.lower()
    if attribute == "src" and (not scheme or scheme in ("http", "https")):
        host = urlsplit(address.replace("\\", "/")).netloc or address
        return Removed(f"Author text may not show an image from another website ({host}): the website "
                       "removes its address, since readers' browsers would fetch it from there",
                       "Link to the image instead ([the picture](https://...)), or have it published with the site",
                       address[:40])
    if scheme in ("javascript", "vbscript"):
        why = f"a {scheme}: address runs a program in readers' browsers"
    elif scheme == "data":
        why = "a data: address can hold a whole page or a program"
    else:
        why = "the website links only to http, https, mailto and tel addresses, or its own pages"
    what = "link to" if attribute == "href" else f"load ({attribute}) from"
    return Removed(f"Author text may not {what} '{shown}' ({why}): the website removes the address",
                   "Give the address of a web page (https://...), an email (mailto:...) or a link to part of the "
                   "plan (such as [the risk log](section:risks))", address[:40] or attribute)


# --- Markdown as the website renders it --------------------------------------------------

# Extensions the pages rely on, added when a council's mkdocs.yml leaves them out (the site
# target adds them too); MkDocs always adds its own builtins.
REQUIRED_EXTENSIONS = ["abbr", "attr_list", "footnotes", "md_in_html", "tables", "toc"]
MKDOCS_BUILTINS = ["toc", "tables", "fenced_code"]


def with_required_extensions(configured: list) -> list:
    """A mkdocs.yml's markdown_extensions with the ones the pages rely on added."""
    names = {next(iter(item)) if isinstance(item, dict) else item for item in configured}
    return [*configured, *(name for name in REQUIRED_EXTENSIONS if name not in names)]


def _extension_list(root: Path) -> tuple[list[str], dict[str, dict]]:
    configured: list = []
    path = root / "mkdocs.yml"
    if path.is_file():
        try:
            from mkdocs.utils.yaml import yaml_load

            with path.open(encoding="utf-8") as file:
                configured = (yaml_load(file) or {}).get("markdown_extensions") or []
        except Exception:  # a broken mkdocs.yml is the build's to report; check with the required ones
            configured = []
    names: list[str] = []
    configs: dict[str, dict] = {}
    for item in [*MKDOCS_BUILTINS, *with_required_extensions(list(configured))]:
        name, config = (next(iter(item.items())) if isinstance(item, dict) else (item, None))
        if not isinstance(name, str):
            continue
        if name not in names:
            names.append(name)
        if isinstance(config, dict):
            configs[name] = config
    return names, configs


@lru_cache(maxsize=8)
def _markdown_for(root: str, stamp: float):
    import markdown

    names, configs = _extension_list(Path(root))
    try:
        return markdown.Markdown(extensions=names, extension_configs=configs)
    except Exception:  # an extension that will not load: the build says so; check with the required ones
        return markdown.Markdown(extensions=[*MKDOCS_BUILTINS, *REQUIRED_EXTENSIONS])


def site_markdown(root: Path):
    """A Python-Markdown converter with the extensions the website uses (from the plan's mkdocs.yml)."""
    path = root / "mkdocs.yml"
    stamp = path.stat().st_mtime if path.is_file() else 0.0
    return _markdown_for(str(root.resolve()), stamp)


def render(markdown_text: str, converter) -> str:
    converter.reset()
    try:
        return converter.convert(markdown_text)
    except Exception:  # Markdown that cannot be rendered is the build's to report
        return ""


# --- check -------------------------------------------------------------------------------

# Text that cannot become HTML the policy removes: no raw HTML (<), attribute list ({), link or
# image address (](, ]:). Only a shortcut: whatever has one of these is rendered and cleaned.
_MAY_HOLD_HTML = ("<", "{", "](", "]:")
# A link to a page of the site or of the web, or an email address or telephone number, as written in
# Markdown ("](/scheme/PE1)", "](https://...)"): the website keeps it as it is.
_KEPT_LINK = re.compile(r"\]\((?:/(?![/\\])|https?://|mailto:|tel:)[^\s()<>\"'\\`{}]*\)")


def _may_hold_html(text: str) -> bool:
    """Whether the website could remove something from `text`: a mark of HTML outside the links it keeps.
    Any picture ("![") is rendered and looked at."""
    if "![" in text:
        return True
    kept_out = _KEPT_LINK.sub("]", text) if "](" in text else text
    return any(mark in kept_out for mark in _MAY_HOLD_HTML)


# Addresses that would run a program, or hold a page, if a layout made a link of them.
_PROGRAMS = frozenset({"javascript", "vbscript", "data"})


def check(content: PlanContent) -> Iterator[Finding]:
    """Every construct of author text the website removes, at the file and line it was written."""
    converter = site_markdown(content.root)
    prompts = content.pack.placeholders if content.pack else []
    seen: set[tuple[str, int, str]] = set()
    for finding in _all_findings(content, converter, prompts):
        key = (finding.location.file, finding.location.line, finding.message)
        if key not in seen:
            seen.add(key)
            yield finding


def _all_findings(content: PlanContent, converter, prompts: list) -> Iterator[Finding]:
    for doc in _text_docs(content):
        yield from _markdown_findings(doc, converter, prompts)
    glossary = _glossary(content)
    for source in [*content.sources.values(), *([glossary] if glossary is not None else [])]:
        yield from _yaml_findings(source, converter, prompts)


def _text_docs(content: PlanContent) -> list[SectionDoc | SchemeDoc]:
    """The sections and schemes, with figures quoted in the text filled in as the website shows them."""
    docs = [*content.sections, *content.schemes]
    if not any("{{" in text or "{%" in text for doc in docs for text, _ in markdown_blocks(doc)):
        return docs
    try:
        from planpress.render.prose import render_prose

        rendered, _ = render_prose(content)
        return [*rendered.sections, *rendered.schemes]
    except Exception:  # prose that cannot be rendered is reported by its own check
        return docs


# Addresses of a link written in Markdown ([text](scheme:PE1)) that are this check's to report; any other
# "kind:" is a link to part of the plan, which the website makes a link to its page, or `check` reports
# as a broken link.
_ADDRESSES = frozenset({*URL_SCHEMES, "ftp", "file", "data", "javascript", "vbscript"})


def _site_links(text: str) -> str:
    """Author links to parts of the plan as the website makes them: an address on the site."""
    return LINK.sub(lambda m: m.group(0) if m.group(1) in _ADDRESSES else f"](/{m.group(1)}/{m.group(2)})", text)


def _markdown_findings(doc: SectionDoc | SchemeDoc, converter, prompts: list) -> Iterator[Finding]:
    pieces = [(_site_links(text), line) for text, line in markdown_blocks(doc)]
    pieces += [(f"## {part.heading}", part.line) for part in doc.parts]
    for text, first_line in pieces:
        for item, offset in _removed_from(text, [text], converter, prompts):
            line = first_line + (text.count("\n", 0, offset) if offset >= 0 else 0)
            yield Finding(Location(doc.file, line), "error", item.message, item.hint, rule=RULE)


def _yaml_findings(doc: YamlDoc, converter, prompts: list) -> Iterator[Finding]:
    for path, value in _strings(doc.data, ()):
        # As written (a paragraph, a heading, a list item), and as one table cell (the `cell` filter
        # joins the lines), since the layouts use the text both ways; and a text that is an address (a
        # document's link) as the link a layout makes of it.
        variants = [value, " ".join(value.split())]
        address = value.strip()
        if address and not any(ch.isspace() for ch in address) and urlsplit(address).scheme.lower() in _PROGRAMS:
            variants.append(f"[link](<{address}>)")
        for item, _ in _removed_from(value, variants, converter, prompts):
            yield Finding(doc.at(path), "error", item.message, item.hint, rule=RULE)


MAX_NAMED_PER_TEXT = 50
"""Constructs the website removes named in one text: beyond that, naming each takes long and helps no one."""


def _removed_from(text: str, variants: list[str], converter, prompts: list) -> Iterator[tuple[Removed, int]]:
    """What the website removes from `text` (rendered as each variant), each once, with where it is in
    `text` (-1 if it cannot be found). A harmless unknown element that is a prompt to fill in (<date>)
    is left to the unfinished-text check."""
    if not any(_may_hold_html(variant) for variant in variants):
        return
    spans: list[tuple[int, int]] | None = None  # worked out only for a harmless element: a scan of the whole text
    seen: set[str] = set()
    cursor = 0
    outside_code = _without_code(text)
    for variant in dict.fromkeys(variants):
        for item in removed(render(variant, converter)):
            if item.message in seen:
                continue
            if len(seen) == MAX_NAMED_PER_TEXT:  # the rest show once these are taken out
                return
            seen.add(item.message)
            offset = _find(outside_code, text, item.needle, cursor)
            if offset >= 0:
                cursor = offset + 1
            if item.harmless:
                if spans is None:
                    spans = _placeholder_spans(text, prompts)
                if any(start <= offset < end for start, end in spans):
                    continue
            yield item, offset


def _placeholder_spans(text: str, prompts: list) -> list[tuple[int, int]]:
    """Where the placeholders (prompts to fill in, such as <date>) are in `text`."""
    return [(start, start + len(found)) for start, found, _ in find_placeholders(text, prompts)] if prompts else []


_CODE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1|`[^`\n]+`", re.MULTILINE | re.DOTALL)


def _without_code(text: str) -> str:
    """The text with its code blanked out (code shows HTML as text), each character's place kept."""
    return _CODE.sub(lambda m: " " * len(m.group(0)), text)


def _find(outside_code: str, text: str, needle: str, start: int) -> int:
    """Where `needle` is in the author's text, from `start` on, outside code if it can be (`outside_code` is
    the text with its code blanked out). A needle that is a word (an attribute's name) is a whole word."""
    pattern = re.compile((r"(?<![\w-])" + re.escape(needle) + r"(?![\w-])") if re.fullmatch(r"[\w-]+", needle)
                         else re.escape(needle), re.IGNORECASE)
    for haystack in (outside_code, text):
        found = pattern.search(haystack, start) or pattern.search(haystack)
        if found:
            return found.start()
    return -1


def _strings(value: object, path: tuple) -> Iterator[tuple[tuple, str]]:
    """Every text in a YAML document with its path: values, and the keys of mappings (a map's keys are shown too)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield path + (key,), key
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))


def _glossary(content: PlanContent) -> YamlDoc | None:
    """The pack's glossary, when the plan holds its own pack: its terms are shown on every page."""
    if content.pack is None:
        return None
    path = content.pack.find("glossary.yaml")
    if path is None:
        return None
    try:
        file = path.resolve().relative_to(content.root.resolve()).as_posix()
    except ValueError:
        return None  # a pack of planpress itself: reviewed with its code
    try:
        return parse_yaml(path.read_text(encoding="utf-8"), file)
    except (OSError, UnicodeDecodeError, YamlProblem):
        return None
