# Aiguillage — the two commands of README.md: `make run` and `make test`.
SYSTEM_PYTHON ?= /usr/bin/python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
WORKERS ?= 2
# Test processes: one per core, at most 4 (each one loads the bundled data into its own
# SpatiaLite and PostGIS databases once; the browser tests share one worker and one server).
TEST_PROCESSES ?= $(shell n=$$(nproc); [ $$n -gt 4 ] && n=4; echo $$n)
LOAD_USERS ?= 15  # make load: simulated users, one request per second each
export SPATIALITE_LIBRARY_PATH := mod_spatialite
FLASK := $(VENV)/bin/flask --app wsgi

.PHONY: run test lint migrations-check openapi system-run system-test venv db data bench clean assets messages \
  load load-fault memory audit

run: system-run venv data  # gunicorn.conf.py: migrations and index at start, one log line per request (path only)
	$(VENV)/bin/gunicorn --config gunicorn.conf.py --workers $(WORKERS) --bind 127.0.0.1:$(PORT) wsgi:app

test: system-test venv lint migrations-check audit
	@admin_url="$$(scripts/ensure-postgres.sh)"; \
	AIGUILLAGE_TEST_POSTGRES_ADMIN_URL="$$admin_url" $(PY) -m pytest -n $(TEST_PROCESSES) --dist loadgroup \
	  --durations=20 --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

system-run:
	scripts/ensure-system-packages.sh run

system-test:
	scripts/ensure-system-packages.sh test

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(SYSTEM_PYTHON) -m venv $(VENV)
	$(PY) -c "import sqlite3; sqlite3.connect(':memory:').enable_load_extension(True)" \
	  || (echo "Ce Python ne charge pas les extensions SQLite : recréez .venv avec $(SYSTEM_PYTHON)" && exit 1)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dev]'
	$(PY) -m pip install --quiet --no-deps $$($(PY) -c 'import tomllib; \
	  print(*tomllib.load(open("pyproject.toml", "rb"))["tool"]["aiguillage"]["no-deps-requirements"])')
	touch $@

db: venv
	$(FLASK) db upgrade

data: db
	$(FLASK) data import-bundled

lint: venv
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy geodata directory routing web admin
	$(VENV)/bin/lint-imports

migrations-check: venv
	@tmp="$$(mktemp -d)"; \
	AIGUILLAGE_DATABASE_URL="sqlite:///$$tmp/check.db" $(FLASK) db upgrade >/dev/null && \
	AIGUILLAGE_DATABASE_URL="sqlite:///$$tmp/check.db" $(FLASK) db check; \
	status=$$?; rm -rf "$$tmp"; exit $$status

audit: venv  # known vulnerabilities of the installed packages; AUDIT_REQUIRED=1: fail if it cannot run
	AUDIT_REQUIRED=$(AUDIT_REQUIRED) $(PY) scripts/audit_dependencies.py

openapi: venv
	$(FLASK) openapi write docs/openapi.json

bench: venv  # the quick ones; docs/BENCHMARKS.md lists every benchmark with its options
	$(PY) -m bench.import_bundled --runs 1
	$(PY) -m bench.geodata_geocoding --queries 10000

# Load, faults and memory (docs/BENCHMARKS.md, docs/RELIABILITY.md): gunicorn + PostGIS on a
# private PostgreSQL cluster in bench/out/load-pg (the shared server is never stopped).
load: system-test venv  # Locust, 60 s at LOAD_USERS requests/s: search, orientation, partner pages, GeoJSON
	$(PY) -m bench.load --duration 60 --users $(LOAD_USERS)

load-fault: system-test venv  # the same, PostgreSQL stopped 10 s in the middle
	$(PY) -m bench.load --duration 60 --users $(LOAD_USERS) --fault --outage 10

memory: system-test venv  # one worker's resident memory over 10 000 mixed requests
	$(PY) -m bench.worker_memory --requests 10000

messages: venv  # the gettext template of the pages' strings (web/translations/messages.pot)
	$(VENV)/bin/pybabel extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 --no-location \
	  --sort-output --omit-header -o web/translations/messages.pot .

assets:  # copy Leaflet and its cluster plugin from npm into web/static/vendor/ (committed)
	scripts/vendor-assets.sh

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache .coverage
