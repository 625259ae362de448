# Mend: `make run` sets up everything and serves on 127.0.0.1:8000; `make test` runs all checks.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Django 6 needs Python 3.12+. Use the first one found: on PATH, else a pyenv install.
PYTHON ?= $(shell for p in python3.12 python3.13 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -V); do \
	"$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo "$$p"; break; }; done)
TEST_ENV := MEND_ENV=test DJANGO_SETTINGS_MODULE=mend.settings_test
DEV_ENV := MEND_ENV=development DJANGO_SETTINGS_MODULE=mend.settings
PYTEST_WORKERS ?= 2
# The browser tests wait on their pages more than they compute (the suite used 610 s of CPU
# in 26 min of wall time on a loaded machine): a third worker uses the idle core-time.
BROWSER_WORKERS ?= 3
# What the test targets need first; make test sets up once and passes SETUP= to its groups.
SETUP ?= setup
APPS_WITH_LOCALE = $(notdir $(patsubst %/locale,%,$(wildcard mend/*/locale)))
MSG_IGNORE := --ignore=.venv --ignore=node_modules --ignore=mend/static/vendor --ignore=var

.PHONY: help setup native run manage serve test lint types test-py test-sqlite test-postgres test-replica test-js test-browser \
	test-prod test-crypto bench-all vendor messages makemessages chromium lock demo bench clean

help:
	@echo "make run   - set up everything (venv, packages, database, demo data) and serve on 127.0.0.1:8000"
	@echo "make test  - lint, types, pytest on SQLite and PostgreSQL (and a streaming replica), JS tests, browser tests, production smoke test"

# --- set-up -----------------------------------------------------------------------------

$(VENV)/.installed: requirements.lock
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (apt-get install python3.12 or pyenv install 3.12)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@# This machine's pip config names local mirrors that may not exist; hide only that noise.
	$(BIN)/pip install --quiet --disable-pip-version-check --require-virtualenv -r requirements.lock 2>&1 \
	  | { grep -v '^WARNING: Location .* is ignored' || true; }
	touch $@

node_modules/.installed: package-lock.json package.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Browser libraries come from npm (package-lock.json) and are served from our own origin.
vendor: node_modules/.installed
	mkdir -p mend/static/vendor/libsodium
	@# The ESM builds carry their WebAssembly inline: no .wasm fetch, no eval fallback.
	cp node_modules/libsodium-wrappers-sumo/dist/modules-sumo-esm/libsodium-wrappers.mjs \
	   node_modules/libsodium-sumo/dist/modules-sumo-esm/libsodium-sumo.mjs mend/static/vendor/libsodium/
	cp node_modules/libsodium-sumo/LICENSE mend/static/vendor/libsodium/LICENSE.libsodium-sumo
	cp node_modules/libsodium-wrappers-sumo/LICENSE mend/static/vendor/libsodium/LICENSE.libsodium-wrappers-sumo
	@# The results map (mend/static/js/directory/map.js): d3-geo projects the points, the
	@# ES module sources of topojson-client decode the Census state boundaries of us-atlas,
	@# already projected to Albers USA at 975x610. No tiles: nothing is fetched elsewhere.
	mkdir -p mend/static/vendor/d3 mend/static/vendor/topojson-client mend/static/vendor/us-atlas
	cp node_modules/d3-geo/dist/d3-geo.mjs node_modules/d3-array/dist/d3-array.mjs mend/static/vendor/d3/
	cp node_modules/d3-geo/LICENSE mend/static/vendor/d3/LICENSE.d3-geo
	cp node_modules/d3-array/LICENSE mend/static/vendor/d3/LICENSE.d3-array
	cp node_modules/topojson-client/src/*.js node_modules/topojson-client/LICENSE mend/static/vendor/topojson-client/
	cp node_modules/us-atlas/states-albers-10m.json node_modules/us-atlas/LICENSE mend/static/vendor/us-atlas/
	@# BIP-39 word lists for the recovery words (vault/words.js); only the lists, no code.
	mkdir -p mend/static/vendor/scure-bip39/wordlists
	cp node_modules/@scure/bip39/wordlists/english.js node_modules/@scure/bip39/wordlists/spanish.js \
	   mend/static/vendor/scure-bip39/wordlists/
	cp node_modules/@scure/bip39/LICENSE mend/static/vendor/scure-bip39/LICENSE

# gettext catalogues are compiled here, not committed.
messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext; }
	$(DEV_ENV) $(PY) manage.py compilemessages $(MSG_IGNORE) -v0

makemessages: $(VENV)/.installed
	@# Each app keeps its own catalogue (mend/<app>/locale); mend/locale has the shared pages.
	@# Training's lessons and questions live in content files, not in code: their text is
	@# written out as a Python file for the run (and removed after), so that --no-obsolete
	@# keeps their entries and translations (docs/training.md, "Translations").
	trap 'rm -f mend/training/content_strings.py' EXIT; \
	$(DEV_ENV) $(PY) manage.py training_strings --output mend/training/content_strings.py; \
	for app in $(APPS_WITH_LOCALE); do (cd mend/$$app && $(DEV_ENV) ../../$(PY) ../../manage.py makemessages -l es --no-obsolete -v0); done
	cd mend && $(DEV_ENV) ../$(PY) ../manage.py makemessages -l es --no-obsolete -v0 --ignore=static/vendor/* $(foreach app,$(APPS_WITH_LOCALE),--ignore=$(app)/*)

chromium:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# A place search's distance loop and an API page's documents in C (mend/search/_near.c),
# compiled for this venv's Python when its source changed; without it the same loops run
# in Python.
native: $(VENV)/.installed
	$(PY) mend/search/build_near.py

setup: $(VENV)/.installed native vendor messages

run: setup
	mkdir -p var
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_demo
	@# A full rebuild each start: cheap for a development directory, and an index made by
	@# an older Mend (before the search vocabulary or the term table) is brought up to date.
	$(DEV_ENV) $(PY) manage.py rebuild_search_index
	$(DEV_ENV) $(PY) manage.py rebuild_search_index --daily
	@echo "Mend is at http://127.0.0.1:8000/ (development mode; press Ctrl+C to stop)"
	@# The background worker (escrow match notices, counselor assignment, the daily
	@# opening-hours refresh) runs beside the server
	@# and stops with it.
	$(DEV_ENV) $(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

# Any manage.py command against this checkout's development database, e.g.
#   make manage CMD="create_staff gina --role editor"
# The database is migrated first (a no-op when it is current), so a command works on a
# fresh clone before `make run`. CMD is checked by make, not the shell: it may hold quotes.
manage: $(VENV)/.installed
	$(if $(strip $(CMD)),,@echo 'say which command: make manage CMD="create_staff gina --role editor"'; exit 2)
	@$(DEV_ENV) $(PY) manage.py migrate --noinput -v0
	$(DEV_ENV) $(PY) manage.py $(CMD)

# --- tests --------------------------------------------------------------------------------

# The single-process checks run two at a time (the machine has two cores; the suites use
# both through pytest -n): the whole run stays under 20 minutes on two cores.
# SETUP= : set up once here, not again in each group.
test:
	@# pip and npm fetch at once (each waits on the network more than on a core); then the
	@# rest of the set-up, which needs both.
	$(MAKE) --no-print-directory -j2 --output-sync=target $(VENV)/.installed node_modules/.installed
	$(MAKE) --no-print-directory setup chromium
	@# All the single-process checks in one group, the longest first: no core waits at the
	@# end of a group for the other's last check.
	$(MAKE) --no-print-directory SETUP= -j2 --output-sync=target types test-replica test-prod \
	  test-crypto lint test-js
	$(MAKE) --no-print-directory SETUP= test-sqlite test-postgres
	$(MAKE) --no-print-directory SETUP= test-browser
	@echo "make test: all checks passed"

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(VENV)/.installed
	$(TEST_ENV) $(BIN)/mypy mend tests $(wildcard bench/*.py)

# The crypto core is pure Python: every branch must be exercised (issue 3).
test-crypto: $(VENV)/.installed
	$(BIN)/pytest mend/crypto -p no:django -q --cov=mend/crypto --cov-branch --cov-fail-under=100 --cov-report=term-missing:skip-covered

test-sqlite: $(SETUP)
	$(TEST_ENV) $(BIN)/pytest mend -n $(PYTEST_WORKERS) -q
	$(TEST_ENV) $(BIN)/pytest tests/vault_crash -q

test-postgres: $(SETUP)
	$(TEST_ENV) $(PY) -m mend.lib.pgtemp -- $(BIN)/pytest mend tests/vault_crash -n $(PYTEST_WORKERS) -q

# A primary and a streaming replica on the loopback: searches read the replica, survivors'
# data the primary, and a replica behind the index or down gives way (docs/deployment.md).
test-replica: $(SETUP)
	$(TEST_ENV) $(PY) -m mend.lib.pgtemp --replica -- $(BIN)/pytest mend/search/tests/test_replica.py -n 0 -q

test-js: node_modules/.installed $(VENV)/.installed
	node --test tests/js/

test-browser: $(SETUP) chromium
	$(TEST_ENV) DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest tests/browser -n $(BROWSER_WORKERS) -q --durations=8

test-prod: $(SETUP)
	$(TEST_ENV) $(PY) -m mend.lib.pgtemp -- $(BIN)/pytest tests/prod -q

# --- maintenance ---------------------------------------------------------------------------

lock:
	rm -rf /tmp/mend-lock && $(PYTHON) -m venv /tmp/mend-lock
	/tmp/mend-lock/bin/pip install --quiet -r requirements.in
	(echo "# Generated by 'make lock' from requirements.in; do not edit by hand."; \
	 /tmp/mend-lock/bin/pip freeze --exclude-editable) > requirements.lock

# Benchmarks print figures (docs/performance.md); they are not tests and not part of make test.
bench: setup chromium
	$(TEST_ENV) $(PY) bench/crypto.py

bench-all: bench
	$(TEST_ENV) $(PY) bench/vault.py
	$(TEST_ENV) $(PY) bench/vault_import.py
	$(TEST_ENV) $(PY) bench/directory.py
	$(TEST_ENV) $(PY) bench/escrow.py
	$(TEST_ENV) $(PY) bench/training.py
	$(TEST_ENV) $(PY) bench/leave.py
	$(TEST_ENV) $(PY) bench/certificates.py
	$(TEST_ENV) $(PY) bench/dialogue.py

clean:
	rm -rf $(VENV) node_modules mend/static/vendor var mend/search/_near.*.so
