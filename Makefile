# Two commands for a newcomer: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL the suite runs on after SQLite (trust auth on the development machine and in CI).
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
MANAGE := $(BIN)/python manage.py
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install install-test translations lint imports checks test-sqlite test-postgres bench clean

# One script installs what a fresh Debian machine lacks (see its header); each step is skipped when done.
install:
	@PYTHON=$(PYTHON) VENV=$(VENV) scripts/bootstrap run

install-test:
	@PYTHON=$(PYTHON) VENV=$(VENV) PG_TEST_URL=$(PG_TEST_URL) scripts/bootstrap test

translations: install
	$(MANAGE) compile_translations

# The address `make run`'s QR codes carry follows PORT; with HOST=0.0.0.0 give the machine's LAN address.
run: export PIMPASA_PUBLIC_URL ?= http://127.0.0.1:$(PORT)

## run: the embedded default: SQLite, demo content, the Procfile's web + worker under honcho (Ctrl-C stops both)
run: install translations
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) setup
	$(MANAGE) load_demo
	@echo "Pimpasa at http://$(HOST):$(PORT)/ (admin: /admin/). Ctrl-C stops the web server and the task worker."
	PATH="$(abspath $(BIN)):$$PATH" HOST=$(HOST) DJANGO_SETTINGS_MODULE=pimpasa.settings.dev \
		$(BIN)/honcho start --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The borders between the apps (DESIGN.md) as import contracts: pyproject.toml [tool.importlinter].
imports: install
	$(BIN)/lint-imports --no-cache

checks: install translations
	DJANGO_SETTINGS_MODULE=pimpasa.settings.test $(MANAGE) check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=pimpasa.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=pimpasa.settings.test $(MANAGE) check_translations
	$(MANAGE) compile_translations

test-sqlite: install translations
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

# Under CI=true an unreachable PostgreSQL fails the run; on a laptop it is skipped loudly.
test-postgres: install translations
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_TEST_URL)', connect_timeout=5).close()" 2>/dev/null; then \
		echo "== pytest on PostgreSQL ($(PG_TEST_URL))"; \
		DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL at $(PG_TEST_URL) is unreachable; under CI this fails the run." >&2; exit 1; \
	else \
		echo "!! WARNING: PostgreSQL at $(PG_TEST_URL) is unreachable: the PostgreSQL pass was SKIPPED." >&2; \
	fi

## test: lint, import contracts, Django checks, migrations, translations, then pytest on SQLite and on PostgreSQL
test: install-test lint imports checks test-sqlite test-postgres

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
