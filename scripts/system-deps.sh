#!/usr/bin/env bash
# Install the programs the tests drive for real, from Debian's packages, when they are missing.
# Only root can install; anyone else is told what to install, and the tests that need a
# missing program fail with that message rather than being skipped.
set -euo pipefail

packages=()
need() { command -v "$1" >/dev/null 2>&1 || packages+=("$2"); }

# (Later capabilities add their programs here, e.g. need chromium chromium.)
# The documents: LibreOffice opens the Word file as a reader would; poppler reads the PDFs.
need soffice libreoffice-writer
need pdfinfo poppler-utils
# The Part 2 workbook: LibreOffice Calc recalculates its formulas in the tests.
[ -e /usr/lib/libreoffice/program/scalc ] || packages+=(libreoffice-calc)
# Fonts the PDF embeds: Liberation Sans matches Arial, the Word house font.
[ -d /usr/share/fonts/truetype/liberation2 ] || packages+=(fonts-liberation2)
# The website's browser tests: a real headless Chromium, and the font its charts name first.
need chromium chromium
[ -d /usr/share/fonts/truetype/dejavu ] || packages+=(fonts-dejavu-core)

if [ ${#packages[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "Please install these Debian packages (as root): ${packages[*]}" >&2
    exit 0
fi
echo "Installing ${packages[*]} ..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
