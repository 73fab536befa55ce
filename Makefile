# Vial: `make demo` serves the demo clinic, `make test` runs every test. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/vial
export DJANGO_SETTINGS_MODULE ?= vial.settings.dev

.DEFAULT_GOAL := help
.PHONY: help install demo serve test test-quick test-sqlite test-postgres screenshots lint security format bench lock lock-check \
	system-packages migrations-check check-html

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

# requirements-dev.lock: production's pins (requirements.lock) plus the test tools, every file checked
# against its hash. It pins pip itself, so no unpinned `pip install --upgrade pip` first.
$(VENV)/.installed: requirements-dev.lock requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the development lock (requirements-dev.lock, hashes checked)

demo: install ## Build everything, load the demo clinic (SQLite) and serve it on http://127.0.0.1:$(PORT)
	$(PY) manage.py migrate --noinput
	PORT=$(PORT) $(PY) manage.py load_demo
	$(PY) manage.py load_booking_demo
	@echo "Starting the background worker (search index, e-mails) and gunicorn (2 workers, static files by whitenoise)."
	@echo "E-mails (booking confirmations with their cancel and move links) are printed in THIS terminal by the worker."
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  PORT=$(PORT) $(PY) manage.py db_worker & worker=$$!; \
	  PORT=$(PORT) $(VENV)/bin/gunicorn vial.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -

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

test-quick: install ## The edit-test loop: every test but the browser ones, on SQLite, in parallel (pytest-xdist)
	DATABASE_URL= DJANGO_SETTINGS_MODULE=vial.settings.test $(PY) -m pytest -n auto -m "not browser" $(PYTEST_ARGS)

test-sqlite: install
	@echo "=== Test suite on SQLite ==="
	DATABASE_URL= DJANGO_SETTINGS_MODULE=vial.settings.test $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: install
	@echo "=== Test suite on PostgreSQL ==="
	DATABASE_URL=$(PG_URL) DJANGO_SETTINGS_MODULE=vial.settings.test $(PY) -m pytest $(PYTEST_ARGS)

# Browser tests write their screenshots to build/screenshots/; this is the one way to refresh the committed ones.
screenshots: install system-packages ## Refresh docs/screenshots/ (every public page type and booking step at 360 and 1280 px) on purpose
	DATABASE_URL= DJANGO_SETTINGS_MODULE=vial.settings.test SCREENSHOTS_DIR=docs/screenshots \
	  $(PY) -m pytest tests/browser/test_html_checks.py

# The W3C Nu HTML checker (vnu.jar, pinned in package-lock.json, run with java 17) and axe on every public page
# type and booking step; npm ci installs the checker into node_modules/ (git-ignored) when it is missing.
check-html: install system-packages ## axe (0 violations) and the Nu HTML checker (0 errors) on every page type and booking step
	@test -f node_modules/vnu-jar/build/dist/vnu.jar || npm ci --ignore-scripts --no-audit --no-fund
	DATABASE_URL= DJANGO_SETTINGS_MODULE=vial.settings.test $(PY) -m pytest tests/browser/test_html_checks.py

migrations-check: install ## Fail if a model change has no migration
	DJANGO_SETTINGS_MODULE=vial.settings.test $(PY) manage.py makemigrations --check --dry-run

lint: install ## ruff format check and lint
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

security: install ## bandit on vial/: no medium or high finding unless marked `# nosec BXXX  # reason`
	$(VENV)/bin/bandit -r vial -ll -q
	@if grep -rnE --include='*.py' '#\s*nosec[^#]*$$' vial; then \
	  echo "security: give each # nosec its reason after it, e.g. '# nosec B608  # our column names only'"; exit 1; fi

format: install ## Format and auto-fix with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install ## Run the benchmarks (public pages, booking, patient search); figures go to docs/benchmarks.md
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(PY) bench/run.py
	$(PY) bench/booking.py
	$(PY) bench/patients.py

# The locks are made on PyPI alone, whatever this machine's pip configuration adds (local wheels,
# mirrors, constraints): pip-compile keeps the versions already pinned unless an .in file asks otherwise.
PIP_COMPILE = env -u PIP_FIND_LINKS -u PIP_CONSTRAINT -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null \
  CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
  --strip-extras --index-url https://pypi.org/simple --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock: install ## Re-pin requirements.lock and requirements-dev.lock with hashes (needs PyPI; LOCK_ARGS=--upgrade-package=NAME)
	$(PIP_COMPILE) --output-file requirements.lock requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.lock requirements-dev.in
	$(PYTHON) .ci/locks.py stamp

lock-check: ## Fail if a lock is out of date with its .in file (offline, no .venv needed)
	$(PYTHON) .ci/locks.py check
