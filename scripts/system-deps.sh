#!/usr/bin/env bash
# Install the programs the tests drive for real, from Debian's packages, when they are missing.
# Only root can install; anyone else is told what to install, and the tests that need a
# missing program fail with that message rather than being skipped.
set -euo pipefail

packages=()
need() { command -v "$1" >/dev/null 2>&1 || packages+=("$2"); }

# (Later capabilities add their programs here, e.g. need chromium chromium.)

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
