#!/usr/bin/env python3
"""Check and build the Better Care Fund plan in content/. Run `python build.py --help`."""

import sys
from pathlib import Path

from planpress.cli import main
from planpress.write import recover_output


def _project(argv: list[str], default: Path) -> Path:
    """The plan's folder as --project names it (the command line proper is read by planpress.cli)."""
    for i, word in enumerate(argv):
        if word == "--project" and i + 1 < len(argv):
            return Path(argv[i + 1]).resolve()
        if word.startswith("--project="):
            return Path(word.partition("=")[2]).resolve()
    return default


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    # Whatever the command: if a build was killed mid-swap where output/ cannot be swapped in
    # one step, put the previous output/ back first (planpress/write.py explains).
    recover_output(_project(sys.argv[1:], here))
    sys.exit(main(root=here))
