# Kennisbank: `make serve` (default) and `make test` are all a newcomer needs.
# Every target installs what it needs first and is quick when nothing changed.

SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
# MkDocs prints a banner about its 2.0 pre-release otherwise; we stay on 1.x.
export NO_MKDOCS_2_WARNING := 1
HOST ?= 127.0.0.1
PORT ?= 8000
# Rebuild only what a saved file touches (kennisbank/incremental.py completes MkDocs'
# --dirty so listings, search and feeds stay right).
SERVE_OPTIONS := --dirty

# Targets whose failures are explained in Dutch end without make's English
# "make: *** … Error 1" after the message (see scripts/recipe-shell).
build new-post: SHELL := scripts/recipe-shell

.DEFAULT_GOAL := serve
.PHONY: serve edit build test lint bench bench-serve bench-site setup lock clean new-post

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

# Brotli's best on the Pyodide runtime takes ~30 s; its files change only with
# its version, so that is done once here, into the build's content cache
# (kennisbank/compression.py), and no build waits for it.
.cache/.runtime-compressed: node_modules/.installed $(VENV)/.installed kennisbank/compression.py
	$(PY) -m kennisbank.compression --runtime node_modules/pyodide --cache .cache/compressed
	@touch $@

setup: $(VENV)/.installed node_modules/.installed .cache/.runtime-compressed

serve: setup
	$(PY) -m mkdocs serve $(SERVE_OPTIONS) --dev-addr $(HOST):$(PORT)

# The site with the web editor at /admin/ (Decap CMS); its local proxy writes
# only inside docs/ and listens on 127.0.0.1:CMS_PORT. Ctrl-C stops both.
CMS_PORT ?= 8081
edit: setup
	$(PY) -m scripts.edit --host $(HOST) --port $(PORT) --cms-port $(CMS_PORT) \
	  -- $(MAKE) --no-print-directory -o setup serve HOST=$(HOST) PORT=$(PORT)

# A draft post with today's date: make new-post TITLE="Titel van het artikel"
new-post: $(VENV)/.installed
	@TITLE="$$TITLE" HOST=$(HOST) PORT=$(PORT) $(PY) -m scripts.new_post

# Incremental, like `make serve`: a changed post rewrites only the pages that show
# it (kennisbank/build_state.py); anything else changed rebuilds the whole site.
build: setup
	$(PY) -m mkdocs build --strict --dirty

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

# How quickly `make serve` shows an edited post, with today's posts and 300 more
# (handbook/performance.md).
bench-serve: setup
	$(PY) -m scripts.bench_serve --calculator --serve-options="$(SERVE_OPTIONS)"

# Full production builds with 1,000 generated posts: cold, after one changed post,
# and plain Material with the same posts (handbook/performance.md). POSTS=100 for a quick look.
POSTS ?= 1000
bench-site: setup
	$(PY) -m scripts.bench_build --posts $(POSTS)

# Re-pin requirements.lock after editing requirements.in.
lock: $(VENV)/.installed
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-find-links --no-emit-index-url --output-file requirements.lock requirements.in

clean:
	rm -rf site build dist .pytest_cache .ruff_cache
