"""Running the pandoc that pypandoc-binary bundles; a failure keeps the command, status and stderr."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pypandoc

from planpress.errors import BuildError

# No raw attribute (```{=openxml}, `x`{=typst}): text in the document, the plan's or a pack's, never
# reaches the Word or Typst writer as code of its own. A pack that needs something only a writer can
# say puts a class on a div, and the pack's filters.lua writes the raw code (templates/common/document/).
# No citations either: the plan has no bibliography, and with them pandoc takes time without bound on
# a few dozen unmatched brackets. (Pandoc may still be slow on some hostile text, such as dozens of
# nested <span>s: `check` reads every piece of author text as this reader does, within a time
# limit, and names any it cannot read in time; planpress/checks/author_markup.py.)
READER = "markdown+pipe_tables+fenced_divs-raw_attribute-citations"


def pandoc_path() -> str:
    return pypandoc.get_pandoc_path()


def run_pandoc(source: Path, output: Path, writer: str, *options: str, cwd: Path | None = None) -> str:
    """Convert `source` (pandoc Markdown) with `writer`; return pandoc's warnings (stderr)."""
    command = [pandoc_path(), str(source), "--from", READER, "--to", writer, "--output", str(output), *options]
    try:
        result = subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=300)
    except (OSError, subprocess.SubprocessError) as error:
        raise BuildError(f"Could not run pandoc ({' '.join(command)}): {error}") from None
    if result.returncode != 0:
        raise BuildError(f"pandoc failed with exit status {result.returncode}.\n"
                         f"Command: {' '.join(command)}\n{result.stderr.strip()}")
    return result.stderr
