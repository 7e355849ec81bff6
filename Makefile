# Netzwerk-Timer: `make run` and `make test` on a fresh clone, nothing else needed but Python 3.11+.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Every absolute link in mails, feeds and the copied calendar address starts with SITE_URL;
# `make run` derives it from HOST and PORT (set SITE_URL to override). Only the run target passes it on.
SITE_URL ?= http://$(HOST):$(PORT)
export DEBUG ?= 1

.PHONY: install install-run run test lint bench fuzz loadtest backup restore clean

$(PY):
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || (echo "Python 3.11+ is needed" && exit 1)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# What the site needs to run (make run), without the test toolchain.
$(VENV)/.installed-run: $(PY) requirements.txt
	$(PIP) install --quiet -r requirements.txt
	touch $@

# Everything: the site, the test tools (pytest, Playwright, ruff) and the npm checks (make test, CI).
$(VENV)/.installed: $(VENV)/.installed-run requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund; else echo "npm not found: iCal checks with ical.js and the axe audit will be skipped"; fi
	touch $@

install: $(VENV)/.installed

install-run: $(VENV)/.installed-run

# Web, Celery worker and beat together, on the embedded defaults (SQLite, file broker).
# Every start keeps what the last one made: demo events are loaded into an empty calendar
# only (manage.py load_demo --force reloads them), the admin's password is set only
# when the user is created. Ctrl+C stops all three; honcho's exit on it is no error.
run: install-run
	SITE_URL=$(SITE_URL) $(PY) manage.py migrate --no-input
	SITE_URL=$(SITE_URL) $(PY) manage.py load_demo
	SITE_URL=$(SITE_URL) $(PY) manage.py import_demo_feeds
	SITE_URL=$(SITE_URL) $(PY) manage.py ensure_dev_superuser
	@echo "Portal: $(SITE_URL)/   Admin: $(SITE_URL)/admin/   (Ctrl+C stops)"
	@# Ctrl+C reaches make, this shell and honcho; honcho stops the three and exits with 130.
	@# The shell ignores the signal, so that it lives to turn that 130 into a clean exit.
	@trap '' INT; PORT=$(PORT) HOST=$(HOST) SITE_URL=$(SITE_URL) $(VENV)/bin/honcho -f Procfile.dev start; status=$$?; \
		if [ $$status -eq 130 ] || [ $$status -eq 143 ]; then echo "Stopped."; else exit $$status; fi

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
