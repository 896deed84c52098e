# Two commands: `make run` and `make test`. Everything else is a step they use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test install lint migrations-check serve worker bench clean screenshots

# pip's own chatter (index warnings, build-backend notices) goes to var/install.log, so the
# demo logins are not buried under it; when pip fails, the end of the log is printed.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@mkdir -p var
	@echo "Installing the dependencies into $(VENV) (log: var/install.log)"
	@{ $(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip \
	  && $(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'; } \
	  > var/install.log 2>&1 || { tail -n 40 var/install.log; exit 1; }
	touch $@

install: $(VENV)/.installed

# Installs, migrates, loads the demo data and serves on http://$(HOST):$(PORT).
# With REDIS_URL set, a Celery worker runs beside the server and stops with it.
# Links in emails start with SITE_URL: the address served here, unless SITE_URL is set.
run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(PY) manage.py seed_demo
	@export SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}; \
	if [ -n "$$REDIS_URL" ]; then \
	  echo "Starting a Celery worker against $$REDIS_URL"; \
	  $(VENV)/bin/celery -A clustermissions worker --beat --loglevel=INFO --concurrency=2 & \
	  worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT); \
	else \
	  DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT); \
	fi

test: install
	@# axe-core for the browser tests; without npm they skip (and fail under CI=true).
	@if command -v npm >/dev/null && [ ! -f node_modules/axe-core/axe.min.js ]; then \
	  npm ci --silent --no-audit --no-fund; fi
	$(PY) -m pytest $(PYTEST_ARGS)

# A screenshot gallery for review: every role's main pages at 1280 and 390 px and the
# documents (PDFs rendered to PNG), into var/screenshots/ (ignored). Needs Chromium and poppler.
screenshots: install
	$(PY) scripts/screenshots.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var/db.sqlite3 var/staticfiles
