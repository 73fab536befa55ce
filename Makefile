# Vial: `make demo` serves the demo clinic, `make test` runs every test. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/vial
export DJANGO_SETTINGS_MODULE ?= vial.settings.dev

.DEFAULT_GOAL := help
.PHONY: help install demo serve test test-sqlite test-postgres lint format bench lock system-packages migrations-check

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the pinned dependencies

demo: install ## Build everything, load the demo clinic (SQLite) and serve it on http://127.0.0.1:$(PORT)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py load_booking_demo
	@echo "Starting the background worker (search index, e-mails) and the web server..."
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py db_worker >/dev/null 2>&1 & worker=$$!; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Debian packages the tests drive for real: Chromium (browser tests), nginx with the purge module (front cache).
SYSTEM_PACKAGES := chromium nginx-light libnginx-mod-http-cache-purge
system-packages: ## Install the Debian packages the tests need (Chromium, nginx + purge module), if missing
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/sbin/nginx ] || [ ! -f /usr/lib/nginx/modules/ngx_http_cache_purge_module.so ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES); fi

test: install system-packages ## Run the whole suite on SQLite, then on PostgreSQL when reachable (REQUIRE_POSTGRES=1 insists)
	$(MAKE) --no-print-directory migrations-check
	$(MAKE) --no-print-directory test-sqlite
	@if $(PY) -c "import psycopg,sys; psycopg.connect('postgresql://postgres@127.0.0.1:5432/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  $(MAKE) --no-print-directory test-postgres; \
	elif [ "$$REQUIRE_POSTGRES" = "1" ]; then echo "PostgreSQL is required but not reachable on 127.0.0.1:5432"; exit 1; \
	else echo "PostgreSQL not reachable: suite ran on SQLite only"; fi

test-sqlite: install
	@echo "=== Test suite on SQLite ==="
	DATABASE_URL= DJANGO_SETTINGS_MODULE=vial.settings.test $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: install
	@echo "=== Test suite on PostgreSQL ==="
	DATABASE_URL=$(PG_URL) DJANGO_SETTINGS_MODULE=vial.settings.test $(PY) -m pytest $(PYTEST_ARGS)

migrations-check: install ## Fail if a model change has no migration
	DJANGO_SETTINGS_MODULE=vial.settings.test $(PY) manage.py makemigrations --check --dry-run

lint: install ## ruff format check and lint
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: install ## Format and auto-fix with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install ## Run the benchmarks (public pages, then booking); figures go to docs/benchmarks.md
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(PY) bench/run.py
	$(PY) bench/booking.py

lock: ## Re-pin requirements.lock from requirements.in (needs network access to PyPI)
	$(PYTHON) -m venv /tmp/vial-lock && /tmp/vial-lock/bin/pip install -q -r requirements.in && /tmp/vial-lock/bin/pip freeze > requirements.lock
