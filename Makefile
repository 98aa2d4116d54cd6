# The two commands a plan's authors need (see README.md):
#   make build   set everything up and build the plan into output/
#   make test    set everything up and run the whole test suite
# Both create a private Python environment in .venv/ the first time.

VENV := .venv
PY := $(VENV)/bin/python

.PHONY: build check serve test setup system-deps clean

build: setup
	$(PY) build.py

check: setup
	$(PY) build.py check

test: setup system-deps
	$(PY) -m pytest -n auto --dist loadfile

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# Programs the tests drive for real (a browser, LibreOffice); installed when missing and root.
system-deps:
	bash scripts/system-deps.sh

clean:
	rm -rf output .output-* .planpress-cache
