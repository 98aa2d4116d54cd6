"""The public website: the plan as pages built by MkDocs and Material, for a council's web space.

Stages, in order: gather the figures, charts and version once; render every page's Markdown
from our templates into a temporary docs folder (never into the repo); write a MkDocs
configuration that INHERITs the repo's mkdocs.yml (the council's branding); build in strict
mode, so a broken link or anchor stops the build with the file and line to fix.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import yaml

from planpress.render.charts import make_charts
from planpress.build import CheckedPlan
from planpress.checks.html_policy import plain_title, with_required_extensions
from planpress.collaborate.changes_html import CSS as CHANGES_CSS
from planpress.errors import BuildError, Finding
from planpress.collaborate.history import changes_since, history, is_repository, last_tag
from planpress.collaborate.status import status_rows
from planpress.figures import compute, progress
from planpress.render.progress_charts import progress_charts
from planpress.load.content import PlanContent
from planpress.load.pack import Pack
from planpress.render import template_environment
from planpress.targets.site_pages import (Download, Page, PageData, SiteLinks, load_glossary, render_pages,
                                          size_to_come)
from planpress.targets import BuildContext, Target
from planpress.collaborate.version import version_stamp

SITE = "site"
SITE_TEMPLATES = "site"  # templates/<pack>/site/ first, then templates/common/site/
# The Markdown extensions the pages rely on (html_policy.REQUIRED_EXTENSIONS) are added to a council's
# list in one place, so that `check` renders author text with the same ones as the site.
# MkDocs hooks: every page's content passes through the HTML policy (planpress/checks/html_policy.py).
HOOKS = Path(__file__).with_name("site_hooks.py")
DISK_SEARCH_SHIM = "assets/iframe-worker-shim.js"  # Material's offline plugin adds none when a polyfill names iframe-worker
# What MkDocs should treat as a mistake: every one stops a strict build.
VALIDATION = {"omitted_files": "warn", "not_found": "warn", "absolute_links": "relative_to_docs",
              "unrecognized_links": "warn", "anchors": "warn"}


def build(context: BuildContext) -> list[str]:
    site_dir = context.stage.folder_for(SITE)
    checked = CheckedPlan(context.content, list(context.findings))
    build_site(context.content, site_dir, _downloads_in(context), draft=context.draft, findings=context.findings,
               checked=checked, to_come=[path.name for path in _downloads_to_come(context)])
    return [f"{SITE}/index.html"]


def finish(context: BuildContext) -> None:
    """Once the other targets have written: copy their files in as the site's downloads, and put their
    sizes where the pages say size_to_come (the site was built side by side with them)."""
    site_dir = context.stage.folder / SITE
    sizes = {}
    for path in _downloads_to_come(context):
        if path.is_file():
            shutil.copy2(path, site_dir / "downloads" / path.name)
            sizes[size_to_come(path.name)] = Download(path.name, path.stat().st_size).size_text
        else:  # a target that wrote less than it promised: say nothing of a size rather than a placeholder
            sizes[size_to_come(path.name)] = "not built"
    if not sizes:
        return
    pattern = re.compile("|".join(re.escape(token) for token in sizes))
    for page in site_dir.rglob("*"):
        if page.suffix in (".html", ".json", ".js") and page.is_file():
            text = page.read_text(encoding="utf-8")
            if "PPSIZEOF-" in text:
                page.write_text(pattern.sub(lambda found: sizes[found.group(0)], text), encoding="utf-8")


def _downloads_to_come(context: BuildContext) -> list[Path]:
    """The files the other targets of this build will write (the site is built beside them)."""
    from planpress.targets import all_targets

    others = [target for target in all_targets() if target.name in context.building and target.name != SITE]
    return [context.stage.folder / name for target in others for name in target.will_write(context)]


def build_site(content: PlanContent, site_dir: Path, download_files: list[Path], draft: bool,
               findings: tuple[Finding, ...] = (), checked: CheckedPlan | None = None,
               to_come: list[str] = ()) -> None:
    """Render the plan's pages and build them with MkDocs into `site_dir` (emptied first).

    `download_files` are offered as downloads; so are the files named in `to_come`, which other jobs
    of the build are still writing: their sizes and copies are put in by finish().

    `draft` puts a banner on every page: always while the plan is not agreed, and for any
    build that is not the final one (see BuildContext.draft).
    """
    data = site_data(content, download_files, draft, findings, checked, to_come)
    pages = render_pages(template_environment(content.pack), data)
    with tempfile.TemporaryDirectory(prefix="planpress-site-") as scratch:
        docs = Path(scratch) / "docs"
        _write_docs(docs, pages, data, download_files, _site_folder(content.pack, "assets"), to_come)
        config_file = _write_config(Path(scratch), docs, site_dir, pages, data, content,
                                    draft or content.plan.status != "agreed")
        _run_mkdocs(config_file, pages, content.root)


def site_data(content: PlanContent, download_files: list[Path], draft: bool,
              findings: tuple[Finding, ...] = (), checked: CheckedPlan | None = None,
              to_come: Sequence[str] = ()) -> PageData:
    """Everything the pages show, gathered once so every page sees the same figures."""
    root = content.root
    figures = compute(content)
    quarters = tuple(progress(content, figures, quarter) for quarter in content.progress)
    in_git = is_repository(root)
    tag = last_tag(root) if in_git and draft else None
    charts = make_charts(content, figures) + [c for q in quarters for c in progress_charts(q)]
    data = PageData(
        content=content, figures=figures, charts=charts, draft=draft, findings=tuple(findings), progress=quarters,
        history=tuple(history(root)) if in_git else (), in_git=in_git,
        draft_changes=changes_since(root, tag.tag) if tag else None,
        status=tuple(status_rows(root, checked)) if draft and checked else (),
        stamp=version_stamp(root), links=SiteLinks(content),
        glossary=load_glossary(content.pack),
        downloads=sorted([Download(p.name, p.stat().st_size) for p in download_files]
                         + [Download(name, None) for name in to_come], key=lambda d: d.name),
    )
    return data


def _downloads_in(context: BuildContext) -> list[Path]:
    """The files the last build left in the stage of the targets this build does not make, offered as downloads."""
    from planpress.targets import all_targets

    patterns = [name for target in all_targets() if target.name not in (SITE, *context.building)
                for name in target.outputs(context.slug)]
    return sorted(path for pattern in patterns for path in context.stage.folder.glob(pattern) if path.is_file())


def _site_folder(pack: Pack, name: str) -> Path:
    found = pack.find(f"{SITE_TEMPLATES}/{name}")
    if found is not None and found.is_dir():
        return found
    raise BuildError(f"There is no templates/common/{SITE_TEMPLATES}/{name}/ folder: the website needs it")


def _write_docs(docs: Path, pages: list[Page], data: PageData, downloads: list[Path], assets: Path,
                to_come: Sequence[str] = ()) -> None:
    for name, source in docs_files(pages, data, downloads, assets, to_come).items():
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, Path):
            shutil.copy2(source, path)
        else:
            path.write_text(source, encoding="utf-8")


def docs_files(pages: list[Page], data: PageData, downloads: list[Path], assets: Path,
               to_come: Sequence[str] = ()) -> dict[str, str | Path]:
    """Every file of the docs folder by its path there: its text, or the file to copy. A download another
    job is still writing (`to_come`) is an empty file, for MkDocs to link to; finish() copies it in."""
    files: dict[str, str | Path] = {page.path: page.markdown for page in pages}
    for chart in data.charts:
        files[chart.filename] = chart.svg
        if chart.narrow:
            files[chart.narrow_filename] = chart.narrow
    files |= {f"assets/{p.relative_to(assets).as_posix()}": p for p in sorted(assets.rglob("*")) if p.is_file()}
    files["assets/changes.css"] = CHANGES_CSS
    files |= {f"downloads/{file.name}": file for file in downloads}
    files |= {f"downloads/{name}": "" for name in to_come}
    return files


# --- the MkDocs configuration ----------------------------------------------------------


def _write_config(scratch: Path, docs: Path, site_dir: Path, pages: list[Page], data: PageData,
                  content: PlanContent, draft: bool) -> Path:
    config = mkdocs_config(docs, site_dir, pages, data, content, draft)
    path = scratch / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def mkdocs_config(docs: Path, site_dir: Path, pages: list[Page], data: PageData, content: PlanContent,
                  draft: bool) -> dict:
    """The MkDocs configuration: the repo's mkdocs.yml INHERITed, with our pages, theme overrides and plugins."""
    root, plan = content.root, content.plan
    parent_file = root / "mkdocs.yml"
    if not parent_file.is_file():
        raise BuildError("mkdocs.yml is missing: the website takes its settings and branding from it. "
                         "Copy it back from the planpress repository.")
    parent = _read_mkdocs_yml(parent_file)
    theme = parent.get("theme") if isinstance(parent.get("theme"), dict) else {"name": parent.get("theme") or "material"}
    config = {
        "INHERIT": str(parent_file.resolve()),
        # Titles are plain text wherever the theme shows them (<title>, navigation, attributes).
        "site_name": plain_title(plan.title),
        "docs_dir": str(docs),
        "site_dir": str(site_dir),
        "strict": True,
        "nav": _nav(pages),
        "theme": {**theme, "custom_dir": str(_site_folder(content.pack, "overrides"))},
        "extra_css": [*parent.get("extra_css", []), "assets/planpress.css", "assets/changes.css"],
        "extra_javascript": [*parent.get("extra_javascript", []), "assets/planpress.js"],
        "markdown_extensions": _extensions(parent.get("markdown_extensions") or []),
        "hooks": [*_parent_hooks(parent, parent_file), str(HOOKS)],
        "validation": VALIDATION,
        # Search from a disk too: Material's offline plugin writes the index as a script, and the
        # shim (our own copy, so nothing loads from another host) runs the search without a worker.
        "plugins": _with_offline(parent.get("plugins", ["search"])),
        "extra": {"polyfills": [DISK_SEARCH_SHIM], "planpress": {"draft": draft, "status": plan.status, "stamp": str(data.stamp),
                                "open_problems": len(data.findings), "readiness": data.draft}},
    }
    return config


def _with_offline(plugins: list | dict) -> list | dict:
    """The council's plugins (MkDocs's own default is search alone) and Material's offline plugin."""
    if isinstance(plugins, dict):
        return {**plugins, "offline": plugins.get("offline") or {}}
    named = {next(iter(p)) if isinstance(p, dict) else p for p in plugins or []}
    return [*(plugins or []), *([] if "offline" in named else ["offline"])]


def _read_mkdocs_yml(path: Path) -> dict:
    from mkdocs.utils.yaml import yaml_load

    try:
        with path.open(encoding="utf-8") as file:
            return yaml_load(file) or {}
    except Exception as error:  # MkDocs' loader raises several kinds; all mean the same to an author
        raise BuildError(f"mkdocs.yml cannot be read: {error}") from None


def _extensions(configured: list) -> list:
    return with_required_extensions(configured)


def _parent_hooks(parent: dict, parent_file: Path) -> list[str]:
    """A council's own hooks from its mkdocs.yml, kept (ours runs after them), with their paths made whole."""
    hooks = parent.get("hooks") or []
    return [str((parent_file.parent / hook).resolve()) for hook in hooks if isinstance(hook, str)]


def _nav(pages: list[Page]) -> list:
    """Home, the plan's sections, the schemes, then the data pages, in the order they were rendered."""
    nav: list = []
    groups: dict[str, list] = {}
    for page in pages:
        folder = page.path.split("/")[0] if "/" in page.path else ""
        group_name = {"sections": "The plan", "schemes": "Schemes", "progress": "Progress",
                      "changes": "Changes"}.get(folder)
        if group_name is None:
            nav.append({plain_title(page.title): page.path})
        else:
            if group_name not in groups:
                groups[group_name] = []
                nav.append({group_name: groups[group_name]})
            groups[group_name].append({plain_title(page.title): page.path})
    return nav


# --- running MkDocs --------------------------------------------------------------------


class _Warnings(logging.Handler):
    """Collects what MkDocs warns about, so a failed build can say exactly what to fix."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _run_mkdocs(config_file: Path, pages: list[Page], root: Path, watcher: object = None) -> None:
    """Build the site with MkDocs in strict mode; `watcher`, a MkDocs plugin, is told of the build as it goes
    (serve keeps what it learns, to rebuild single pages later)."""
    with mkdocs_warnings() as collected:
        _build_collecting(config_file, pages, root, watcher, collected)


@contextmanager
def mkdocs_warnings() -> Iterator[_Warnings]:
    """What MkDocs warns about meanwhile, collected rather than printed (we report them ourselves)."""
    logger = logging.getLogger("mkdocs")
    collected = _Warnings()
    logger.addHandler(collected)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield collected
    finally:
        logger.removeHandler(collected)
        logger.propagate = propagate


def _build_collecting(config_file: Path, pages: list[Page], root: Path, watcher: object, collected: _Warnings) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    try:
        config = load_config(config_file=str(config_file))
        if watcher is not None:
            config.plugins["planpress-live"] = watcher
        mkdocs_build(config)
        if not config.site_url:
            # Without site_url MkDocs links the 404 page from the host's root, which breaks
            # on a web space's subfolder; the council's own 404 page serves better.
            (Path(config.site_dir) / "404.html").unlink(missing_ok=True)
    except (Abort, ConfigurationError) as error:
        raise site_error(collected.messages or [str(error)], pages, root) from None


def site_error(messages: list[str], pages: list[Page], root: Path) -> BuildError:
    """What stopped MkDocs, each message pointing at the content file and line behind it where there is one."""
    details = [_explain(message, pages, root) for message in messages]
    return BuildError("The website could not be built:\n  " + "\n  ".join(details))


_QUOTED = re.compile(r"'([^']*)'")


def _explain(message: str, pages: list[Page], root: Path) -> str:
    """Point at the content file and line behind a MkDocs warning about a generated page, if there is one."""
    message = " ".join(message.split())
    quoted = _QUOTED.findall(message)
    page = next((p for p in pages if p.path in quoted), None)
    if page is None:
        return message
    if not page.source:
        return f"{message} (a page made from the templates in templates/*/site/)"
    link = next((q for q in quoted if q != page.path), "")
    line = _line_of(root / page.source, link.lstrip("/").split("#")[0] or link) if link else 0
    where = f"{page.source}:{line}" if line else page.source
    return f"{where}: {message}"


def _line_of(path: Path, text: str) -> int:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 0
    return next((number for number, line in enumerate(lines, 1) if text in line), 0)


TARGET = Target(
    name=SITE,
    summary="the public website (MkDocs) in output/site/",
    outputs=lambda slug: [SITE],
    build=build,
    weight=2.5,
    finish=finish,
)
