#!/usr/bin/env python3
"""Check and build the Better Care Fund plan in content/. Run `python build.py --help`."""

import sys
from pathlib import Path

from planpress.cli import main

if __name__ == "__main__":
    sys.exit(main(root=Path(__file__).resolve().parent))
