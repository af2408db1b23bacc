# Quick start: `make run` (serves the app with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# The suite runs on every core, a file at a time per worker, the longest files first (LONGEST_FIRST in
# tests/conftest.py; --no-loadscope-reorder keeps that order). PYTEST_ARGS= (empty) runs it in one process.
PYTEST_ARGS ?= -n auto --dist loadfile --no-loadscope-reorder

.PHONY: run test test-suite lint install install-test clean bench messages

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "friendlygov needs Python 3.11 or newer (PYTHON=python3.12 make …)"; exit 1; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "Could not create .venv: on Debian/Ubuntu install python3-venv (sudo apt install python3-venv)"; exit 1; }
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

# axe-core for the browser tests' accessibility checks (pinned in js/package-lock.json). Without npm the
# tests that need it are skipped, saying why.
AXE_JS := js/node_modules/axe-core/axe.min.js

$(AXE_JS): js/package.json js/package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix js --no-audit --no-fund && touch $@; \
	else echo "npm is not installed: the WCAG checks (axe-core) of the browser tests will be skipped (apt install npm)"; fi

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test $(AXE_JS)

run: install
	$(BIN)/friendlygov setup
	$(BIN)/friendlygov serve --host $(HOST) --port $(PORT)

lint: install-test
	$(BIN)/ruff check friendlygov tests $(wildcard bench)
	$(BIN)/ruff format --check friendlygov tests $(wildcard bench)
	$(BIN)/mypy friendlygov
	$(BIN)/lint-imports
	@# no function of radon rank F (cyclomatic complexity above 40); radon itself exits 0 either way
	@found="$$($(BIN)/radon cc -n F -s friendlygov)"; test -z "$$found" || { echo "$$found"; echo "Functions of radon rank F (complexity above 40): split them into named helpers."; exit 1; }

test-suite: install-test
	$(BIN)/pytest -rs $(PYTEST_ARGS)

test: lint test-suite

# The English catalogue is friendlygov/locale/en/LC_MESSAGES/django.po: this extracts new strings into it
# (write their English in the msgstr lines) and compiles django.mo; the suite fails on an untranslated string.
# Needs GNU gettext (Debian: gettext).
messages: install-test
	cd friendlygov && ../$(BIN)/django-admin makemessages -l en --no-obsolete --add-location=file
	cd friendlygov && ../$(BIN)/django-admin compilemessages -l en

bench: install-test
	$(BIN)/python bench/run.py --size small

clean:
	rm -rf $(VENV) var build *.egg-info js/node_modules
