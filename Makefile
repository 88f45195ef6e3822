# Terres rares: every command sets up what it needs on a fresh machine.
#   make site    build the static site into _build/html (every chapter executed); with
#                REPOSITORY_URL=https://github.com/owner/repo the chapters get Binder and Colab buttons
#   make serve   serve the built site on http://127.0.0.1:8000
#   make live    JupyterLab on the chapters, for instructors
#   make lint    ruff: lint and format check of the Python (run by make test)
#   make test    every test: units, data, notebooks (nbval), browser, built-site gates, reproducible
#   make bench   build time, rebuild time, page weights, first chart, slider, test time (printed)
#   make pdf     the printable edition, _build/terres-rares.pdf (pages printed by chromium)
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BUILD := _build/html
PORT ?= 8000
JB_FLAGS := -W -n --keep-going
# The public GitHub repository of the book, for the Binder and Colab launch buttons (none if
# empty). Colab opens the executed .ipynb copies from the branch the site is published on,
# gh-pages (ghp-import -n -p -f _build/html); Binder opens the chapters on main.
REPOSITORY_URL ?=

help:
	@sed -n '2,9p' Makefile | sed 's/^# \{0,1\}//'

$(VENV)/.installed: requirements.txt constraints.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e . 2>/dev/null
	touch $@

venv: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

book/_vendor/vendor/versions.json: node_modules/.installed tools/vendor.py
	$(PY) tools/vendor.py

vendor: venv book/_vendor/vendor/versions.json

site: venv vendor
	@bash tools/invalidate-cache.sh
	@# A build that starts from nothing (no site, no doctrees, no executed-notebook cache) is a clean
	@# build: _build/.clean-build says so, and `make reproducible` then compares this site with ONE
	@# more clean build instead of building twice. Any later build removes the mark first.
	@rm -f _build/.clean-build; \
	  if [[ ! -e _build/html && ! -e _build/.doctrees && ! -e _build/.jupyter_cache ]]; then fresh=1; fi; \
	  echo "$(VENV)/bin/jupyter-book build . --builder html $(JB_FLAGS)"; \
	  TERRES_RARES_REPOSITORY_URL="$(REPOSITORY_URL)" $(VENV)/bin/jupyter-book build . --builder html $(JB_FLAGS) && \
	  if [[ -n $${fresh:-} ]]; then date -u +%FT%TZ > _build/.clean-build; fi
	@echo "Site built: open $(CURDIR)/$(BUILD)/index.html or run 'make serve'"

serve:
	@test -f $(BUILD)/index.html || $(MAKE) site
	@echo "Serving $(BUILD) on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(PY) -m http.server $(PORT) --bind 127.0.0.1 --directory $(BUILD)

live: venv
	$(VENV)/bin/jupyter lab --notebook-dir=. --ServerApp.ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root) \
	  --ServerApp.contents_manager_class=jupytext.TextFileContentsManager

browser:
	@bash tools/ensure-chromium.sh

# The Nu Html Checker of tests/test_built_site.py: vnu.jar (npm devDependency) under Java 17+.
checker: node_modules/.installed
	@command -v java >/dev/null || { \
	  if [[ $$(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's Java runtime for the HTML checker..."; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	  else echo "java is missing: install a Java 17+ runtime (sudo apt-get install default-jre-headless)" >&2; exit 1; fi; }

# Two clean builds in temporary folders give the same site (random ids aside): tools/reproducible.sh.
reproducible: venv vendor
	@bash tools/reproducible.sh

# One style whoever writes the file: ruff lints and checks the formatting (config in pyproject.toml).
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# `make site` as `make test` needs it. Any `make site` on an existing site removes the clean-build
# mark (_build/.clean-build), and then `make reproducible` builds twice. When that rebuild leaves
# every file of _build/html byte for byte as the clean build wrote it (an unchanged rebuild does:
# measured 2026-12-01; .buildinfo aside, which the comparison skips too), the site still is that
# clean build, and the mark is put back, so only one more clean build runs.
SITE_DIGEST = find $(BUILD) -type f ! -name .buildinfo -print0 2>/dev/null | sort -z | xargs -0 -r sha256sum | sha256sum
test-site:
	@mark=$$(cat _build/.clean-build 2>/dev/null || true); before=$$($(SITE_DIGEST)); \
	  $(MAKE) --no-print-directory site || exit 1; \
	  if [[ -n $$mark && ! -e _build/.clean-build && $$before == $$($(SITE_DIGEST)) ]]; then \
	    echo "$$mark" > _build/.clean-build; \
	    echo "test-site: the site is still the clean build of $$mark (no file changed)"; fi

# The checks that read the five source documents (every locator of data/evidence.csv is found in
# its document) and the reference data run when their folders are named; elsewhere pytest says so
# in one line:  TERRES_RARES_SEEDS=/path/to/seeds TERRES_RARES_REFERENCE=/path/to/reference make test
#
# pytest runs on two workers (pytest-xdist); --dist loadfile keeps each file on one worker, so a
# chapter's cells run in order in one kernel and a module's fixtures are built once; each worker
# starts its own chromium and server (free ports) and its own temporary folders.
# The reproducibility check (tools/reproducible.sh) needs one more clean build, in a temporary
# folder: it runs beside make site's build (each build keeps one core busy; on a site already
# built it runs alone), then compares the two sites, and the tests run after it, alone. Run
# beside the tests it cost more than it took (2026-12-01, 2 cores: the tests 724 s instead of
# 493 s, the build 493 s instead of 131 s). tools.bench_suite records the time and the 10
# slowest tests in bench-results/test-suite.json for `make bench`.
PYTEST_ARGS := -p no:randomly -p tools.bench_suite --nbval-lax -n 2 --dist loadfile --durations=10 tests book
test: lint venv vendor browser checker
	@start=$$SECONDS; work=$$(mktemp -d "$${TMPDIR:-/tmp}/terres-rares-reproducible.XXXXXX"); \
	  trap 'rm -rf "$$work"' EXIT; \
	  echo "tools/reproducible.sh build $$work/b   (beside make site; log in $$work/b/build.log)"; \
	  bash tools/reproducible.sh build "$$work/b" > "$$work/reproducible.log" 2>&1 & reproducible=$$!; \
	  $(MAKE) --no-print-directory test-site || { kill $$reproducible 2>/dev/null; exit 1; }; \
	  wait $$reproducible && bash tools/reproducible.sh compare "$$work/b" >> "$$work/reproducible.log" 2>&1; \
	  same=$$?; cat "$$work/reproducible.log"; \
	  echo "make test: site and reproducibility check $$((SECONDS - start)) s"; \
	  echo "$(PY) -m pytest $(PYTEST_ARGS)"; \
	  $(PY) -m pytest $(PYTEST_ARGS); tests=$$?; \
	  status=$$(( tests != 0 || same != 0 )); \
	  $(PY) -m tools.bench_suite total $$((SECONDS - start)) $$status; \
	  echo "make test: $$((SECONDS - start)) s (pytest exit status $$tests, reproducible $$same)"; \
	  exit $$status

pdf: site browser
	$(PY) -m tools.print_pdf

bench: site browser
	TERRES_RARES_PYTEST_ARGS="$(PYTEST_ARGS)" $(PY) -m tools.bench

clean:
	rm -rf _build book/_vendor

.PHONY: help venv vendor site serve live browser checker lint reproducible test-site test bench pdf clean
