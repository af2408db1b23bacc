# Quick start: `make run` (serves the app with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# The suite runs on every core; PYTEST_ARGS= (empty) runs it in one process.
PYTEST_ARGS ?= -n auto --dist loadfile

.PHONY: run test test-suite lint install install-test clean bench

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

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(BIN)/friendlygov setup
	$(BIN)/friendlygov serve --host $(HOST) --port $(PORT)

lint: install-test
	$(BIN)/ruff check friendlygov tests $(wildcard bench)
	$(BIN)/ruff format --check friendlygov tests $(wildcard bench)
	$(BIN)/mypy friendlygov
	@# no function of radon rank F (cyclomatic complexity above 40); radon itself exits 0 either way
	@found="$$($(BIN)/radon cc -n F -s friendlygov)"; test -z "$$found" || { echo "$$found"; echo "Functions of radon rank F (complexity above 40): split them into named helpers."; exit 1; }

test-suite: install-test
	$(BIN)/pytest -rs $(PYTEST_ARGS)

test: lint test-suite

bench: install-test
	$(BIN)/python bench/run.py --size small

clean:
	rm -rf $(VENV) var build *.egg-info
