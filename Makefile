# Pregón: the two commands a newcomer needs are `make run` and `make test`.
.DEFAULT_GOAL := help
SHELL := /bin/bash
VENV := .venv/bin
PORT ?= 8000
# The PostgreSQL server the second half of the suite runs on.
PG_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
# pytest-xdist workers ("auto": one per core); PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto

.PHONY: help install install-dev run test lint typecheck test-sqlite test-postgres messages clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

install:  ## install the runtime packages, front-end assets and translations
	@scripts/bootstrap.sh

install-dev:  ## install everything, including the development tools
	@scripts/bootstrap.sh dev

# Every step sees PORT, so the demo's published addresses name the port served (see SITE_URL).
run: export PORT := $(PORT)
run: install  ## install, migrate, load the demo data if empty, rebuild the search index if stale, collect the static files, serve on http://127.0.0.1:$(PORT) with the task worker (PREGON_DEBUG=1: Django's debug pages)
	@$(VENV)/pregon migrate --no-input
	@$(VENV)/pregon demo --if-empty --no-accounts
	@$(VENV)/pregon search reindex --if-stale  # a database from before the search (or restored) gets its index
	@$(VENV)/pregon collectstatic --no-input
	@$(VENV)/pregon serve --port $(PORT)

lint:  ## ruff, the import contracts (the layers), cython-lint (the kernels) and the migrations check
	@echo "==> ruff"
	@$(VENV)/ruff check .
	@$(VENV)/ruff format --check .
	@echo "==> import contracts (layers: see docs/architecture.md)"
	@$(VENV)/lint-imports --no-cache
	@echo "==> cython-lint"
	@PATH="$(VENV):$$PATH" $(VENV)/cython-lint --max-line-length 100 src/pregon/ocds/*.pyx
	@echo "==> migrations are up to date"
	@$(VENV)/pregon makemigrations --check --dry-run

typecheck:  ## mypy
	@echo "==> mypy"
	@$(VENV)/mypy

test-sqlite:  ## the whole pytest suite on SQLite
	@echo "==> pytest on SQLite"
	@env -u DATABASE_URL $(VENV)/pytest -n $(PYTEST_WORKERS)

test-postgres:  ## the whole pytest suite on PostgreSQL ($$DATABASE_URL, default the local server)
	@echo "==> pytest on PostgreSQL"
	@url="$${DATABASE_URL:-$(PG_DATABASE_URL)}"; \
	if $(VENV)/python scripts/db_reachable.py "$$url"; then \
		DATABASE_URL="$$url" $(VENV)/pytest -n $(PYTEST_WORKERS); \
	elif [ -n "$$CI" ]; then \
		echo "error: PostgreSQL is not reachable at $$url and CI is set; start it (see docs/operations.md)." >&2; exit 1; \
	else \
		echo "warning: PostgreSQL is not reachable at $$url; skipped the PostgreSQL run (start it to run it)." >&2; \
	fi

test: install-dev lint typecheck test-sqlite test-postgres  ## install the dev tools, then ruff, cython-lint, mypy, migrations check and pytest on SQLite and PostgreSQL

messages:  ## extract the translatable strings into the .po files
	@cd src/pregon && for lang in es pt_BR fr; do ../../$(VENV)/pregon makemessages -l $$lang --ignore="static/*" --no-obsolete >/dev/null; done

clean:  ## remove the virtual environments, built kernels, assets and local database
	rm -rf .venv .tools node_modules var src/pregon/web/static/vendor build src/*.egg-info
	find src -name '*.so' -delete
