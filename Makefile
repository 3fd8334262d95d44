# Kennisbank: `make serve` (default) and `make test` are all a newcomer needs.
# Every target installs what it needs first and is quick when nothing changed.

SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
# MkDocs prints a banner about its 2.0 pre-release otherwise; we stay on 1.x.
export NO_MKDOCS_2_WARNING := 1
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := serve
.PHONY: serve build test lint bench setup lock clean new-post

# Python tools, pinned with hashes in requirements.lock. The editable install
# of this project makes `calculators`, `kennisbank` and `hooks` importable for MkDocs.
$(VENV)/.installed: requirements.lock pyproject.toml
	@python=$$(scripts/find-python) || exit 1; \
	  if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

# The Pyodide runtime, pinned exactly in package.json and package-lock.json.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm (Node.js >= 20) is required: https://nodejs.org/ or 'apt-get install nodejs npm'" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.installed node_modules/.installed

serve: setup
	$(PY) -m mkdocs serve --dev-addr $(HOST):$(PORT)

# A draft post with today's date: make new-post TITLE="Titel van het artikel"
new-post: $(VENV)/.installed
	@TITLE="$$TITLE" $(PY) -m scripts.new_post

build: setup
	$(PY) -m mkdocs build --strict --clean

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: setup lint
	$(PY) -m pytest

# Start-up, recalculation and transfer figures in headless Chromium (see handbook/performance.md).
# The site is built for the address the benchmark serves it on, as a deployed
# site is: instant navigation only follows links of its own site_url.
BENCH_PORT ?= 8766
bench: export SITE_URL := http://127.0.0.1:$(BENCH_PORT)/
bench: build
	$(PY) -m scripts.bench --site site

# Re-pin requirements.lock after editing requirements.in.
lock: $(VENV)/.installed
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-find-links --no-emit-index-url --output-file requirements.lock requirements.in

clean:
	rm -rf site build dist .pytest_cache .ruff_cache
