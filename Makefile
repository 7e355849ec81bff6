# Netzwerk-Timer: `make run` and `make test` on a fresh clone, nothing else needed but Python 3.11+.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
export DEBUG ?= 1

.PHONY: install run test lint bench fuzz loadtest backup restore clean

$(PY):
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || (echo "Python 3.11+ is needed" && exit 1)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: $(PY) requirements.txt requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund; else echo "npm not found: iCal checks with ical.js and the axe audit will be skipped"; fi
	touch $@

install: $(VENV)/.installed

# Web, Celery worker and beat together, on the embedded defaults (SQLite, file broker).
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	$(PY) manage.py import_demo_feeds
	$(PY) manage.py ensure_dev_superuser
	@echo "Portal: http://$(HOST):$(PORT)/   Admin: http://$(HOST):$(PORT)/admin/"
	PORT=$(PORT) HOST=$(HOST) $(VENV)/bin/honcho -f Procfile.dev start

test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

bench: install
	$(PY) -m bench.run

# Property-based fuzzing of the importer (hypothesis): 100,000 examples; count, slowest, exceptions.
fuzz: install
	$(PY) -m bench.fuzz 100000

loadtest: install  ## needs PostgreSQL, Redis and wrk (apt-get install wrk)
	$(PY) -m bench.loadtest

# Database and uploaded files into backups/<timestamp>/ (pg_dump on PostgreSQL, the backup API on SQLite).
backup: install
	$(PY) manage.py backup --dir backups

# make restore BACKUP=backups/netzwerktimer-YYYYmmdd-HHMMSS
restore: install
	@test -n "$(BACKUP)" || (echo "usage: make restore BACKUP=backups/netzwerktimer-..." && exit 1)
	$(PY) manage.py restore $(BACKUP)

clean:
	rm -rf $(VENV) var staticfiles node_modules tests/artifacts
