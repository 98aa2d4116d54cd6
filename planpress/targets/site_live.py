"""The preview's website, kept between saves so that a save rebuilds only the pages it changed.

`python build.py serve` keeps one docs folder and one MkDocs build (its configuration, files,
navigation and theme) alive. On each save every page's Markdown is rendered again (cheap, and
a figure quoted on any page may have changed), but only the files whose text changed are
written, and MkDocs turns only those pages into HTML. The search index is the whole site's:
the changed pages' entries are replaced. Anything that changes the site's shape (a page added
or removed, a title, the configuration, mkdocs.yml, the theme's templates) rebuilds it whole,
into a fresh folder swapped in, as `build` does.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml

from planpress.load.content import PlanContent
from planpress.load.pack import Pack
from planpress.render import template_environment
from planpress.targets.site import (_run_mkdocs, _site_folder, docs_files, mkdocs_config, mkdocs_warnings,
                                    site_data, site_error)
from planpress.targets.site_pages import Page, render_pages
from planpress.write import replace_folder


class _Watcher:
    """A MkDocs plugin that keeps what a whole build made: its configuration, files, navigation and theme."""

    def __init__(self) -> None:
        self.config = self.files = self.nav = self.env = None

    def on_nav(self, nav, *, config, files):
        self.config, self.files, self.nav = config, files, nav
        return nav

    def on_env(self, env, *, config, files):
        self.env = env
        return env


@dataclass
class _Built:
    """The last good build: enough to rebuild single pages."""
    shape: object
    """What forces a whole build when it changes (see LiveSite._shape)."""
    texts: dict[str, str | Path]
    """Each docs file as written: its text, or the file it was copied from."""
    pages: list[Page]
    mkdocs: _Watcher
    search: object
    when: int = 0
    """When it was made (time.time_ns()): a file copied in since has changed."""


class LiveSite:
    """The website served by `serve`, in `site_dir`; its docs folder and MkDocs' state in `scratch`."""

    def __init__(self, scratch: Path, site_dir: Path) -> None:
        self.scratch, self.site_dir = scratch, site_dir
        self.docs = scratch / "docs"
        self.built: _Built | None = None
        self._layouts: tuple[tuple, jinja2.Environment] | None = None

    def update(self, content: PlanContent, downloads: list[Path]) -> str:
        """Bring the site up to date with `content`; say what was rebuilt. Raises BuildError (the site on
        disk then stays as it was)."""
        data = site_data(content, downloads, draft=True)
        pages = render_pages(self._environment(content.pack), data)
        texts = docs_files(pages, data, downloads, _site_folder(content.pack, "assets"))
        config = mkdocs_config(self.docs, self.site_dir, pages, data, content, draft=True)
        shape = _shape(content, config, texts)
        built = self.built
        self.built = None  # until this update succeeds, the next one starts afresh
        if built is None or built.shape != shape or built.search is UNKNOWN_SEARCH:
            self.built = self._whole(content, pages, texts, config, shape)
            return "the whole site"
        changed = [name for name, text in texts.items() if built.texts.get(name) != text or _newer(text, built)]
        self.built = self._pages(content, built, pages, texts, changed)
        count = sum(1 for page in pages if page.path in changed)
        return f"{count} page{'' if count == 1 else 's'}"

    def _environment(self, pack: Pack) -> jinja2.Environment:
        """Our page layouts, compiled once per pack (Jinja reloads a layout whose file changed)."""
        key = tuple(pack.layers)
        if self._layouts is None or self._layouts[0] != key:
            self._layouts = (key, template_environment(pack))
        return self._layouts[1]

    def _whole(self, content: PlanContent, pages: list[Page], texts: dict, config: dict, shape: object) -> _Built:
        """Build every page into a fresh folder and swap it in, as `build` does."""
        shutil.rmtree(self.docs, ignore_errors=True)
        _write(self.docs, texts, list(texts))
        fresh = Path(tempfile.mkdtemp(prefix=".serve-", dir=self.scratch))
        try:
            config_file = self.scratch / "mkdocs.yml"
            config_file.write_text(yaml.safe_dump({**config, "site_dir": str(fresh)}, sort_keys=False,
                                                  allow_unicode=True), encoding="utf-8")
            watcher = _Watcher()
            _run_mkdocs(config_file, pages, content.root, watcher)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        replace_folder(fresh, self.site_dir)
        _moved(watcher, self.site_dir)
        return _Built(shape, texts, pages, watcher, _search_index(watcher.config), time.time_ns())

    def _pages(self, content: PlanContent, built: _Built, pages: list[Page], texts: dict, changed: list[str]) -> _Built:
        """Write the changed docs files, turn the changed pages into HTML, and write them all only if MkDocs
        found nothing wrong."""
        from mkdocs.commands.build import _populate_page

        if not changed:  # a save that changes nothing shown (a comment in the YAML, say)
            return built
        _write(self.docs, texts, changed)
        mkdocs = built.mkdocs
        config, files = mkdocs.config, mkdocs.files
        redone = [files.get_file_from_path(name).page for name in changed if name.endswith(".md")]
        html: dict[str, bytes] = {}
        with mkdocs_warnings() as collected:
            for page in redone:
                if built.search is not None:
                    _forget(built.search, page.url)
                _populate_page(page, config, files)
            doc_files = files.documentation_pages()
            for page in redone:
                html[page.file.abs_dest_path] = _page_html(page, config, doc_files, mkdocs)
            for file in doc_files:  # a heading removed here may be linked from another page
                file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        if collected.messages:
            raise site_error(collected.messages, pages, content.root)
        for path, output in html.items():
            Path(path).write_bytes(output)
        files.copy_static_files(dirty=True)  # a chart or download that changed
        config.plugins.on_post_build(config=config)  # the search index, and its copy for a disk
        return _Built(built.shape, texts, pages, mkdocs, built.search, time.time_ns())


def _shape(content: PlanContent, config: dict, texts: dict) -> object:
    """What no single page holds: the configuration (navigation and titles included), the set of docs files,
    and the files MkDocs itself reads (mkdocs.yml, hooks, the theme's templates), by size and time of change."""
    overrides = _site_folder(content.pack, "overrides")
    hooks = [Path(hook) for hook in config.get("hooks", [])]  # the council's own and ours, read at each whole build
    read = [content.root / "mkdocs.yml", *hooks, *sorted(p for p in overrides.rglob("*") if p.is_file())]
    stats = [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in read if p.is_file()]
    return yaml.safe_dump(config, sort_keys=True), sorted(texts), stats


def _newer(text: str | Path, built: _Built) -> bool:
    """A file copied in (a download, an asset) that changed on disk since the last build."""
    return isinstance(text, Path) and text.stat().st_mtime_ns > built.when


def _write(docs: Path, texts: dict[str, str | Path], names: list[str]) -> None:
    for name in names:
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        source = texts[name]
        if isinstance(source, Path):
            shutil.copy2(source, path)
        else:
            path.write_text(source, encoding="utf-8")


def _moved(watcher: _Watcher, site_dir: Path) -> None:
    """The build was made in a fresh folder now at `site_dir`: point MkDocs' files there."""
    watcher.config["site_dir"] = str(site_dir)
    for file in watcher.files:
        file.dest_dir = str(site_dir)
        file.__dict__.pop("abs_dest_path", None)  # worked out once from the old folder


def _search_index(config) -> object:
    """Material's search index, whose entries we replace page by page; None without search. A search plugin of
    another kind keeps an index we do not know how to update: every save then rebuilds the whole site."""
    from material.plugins.search.plugin import SearchPlugin

    indexes = [getattr(plugin, "search_index", None) for name, plugin in config.plugins.items() if "search" in name]
    if any(not isinstance(plugin, SearchPlugin) for name, plugin in config.plugins.items() if "search" in name):
        return UNKNOWN_SEARCH
    return indexes[0] if indexes else None


UNKNOWN_SEARCH = object()


def _forget(index, url: str) -> None:
    """Drop a page's entries from the search index before it is indexed again."""
    index.entries[:] = [e for e in index.entries if str(e.get("location", "")).split("#")[0] != url]


def _page_html(page, config, doc_files, mkdocs: _Watcher) -> bytes:
    """MkDocs' own page build (mkdocs.commands.build._build_page), returning the HTML rather than writing it."""
    from mkdocs.commands.build import get_context

    config._current_page = page
    page.active = True
    try:
        context = get_context(mkdocs.nav, doc_files, config, page)
        template = mkdocs.env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=mkdocs.nav)
        output = config.plugins.on_post_page(template.render(context), page=page, config=config)
        return output.encode("utf-8", errors="xmlcharrefreplace")
    finally:
        page.active = False
        config._current_page = None
