# Task API: every command a developer needs. `make help` lists them.
# The virtualenv lives in backend/.venv and is (re)built from backend/requirements.lock.

PYTHON ?= python3
VENV := backend/.venv
BIN := $(CURDIR)/$(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help venv run serve migrate restore test test-integration integration-deps token lint format bench

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# Progress goes to stderr so that `TOKEN=$$(make token ...)` captures only the token.
$(INSTALLED): backend/requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	@echo "Creating $(VENV) and installing backend/requirements.lock ..." >&2
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r backend/requirements.lock >&2
	@touch $@

venv: $(INSTALLED) ## Create the virtualenv and install the pinned dependencies

migrate: venv ## Deploy step: [BACKUP_DIR=dir: pg_dump first] alembic upgrade head, verify head
	cd backend && $(BIN)/python -m src.cli.migrate $(if $(BACKUP_DIR),--backup-dir "$(abspath $(BACKUP_DIR))")

restore: venv ## Replace the database with a backup: FILE=backups/x.dump [YES=1: no question]
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/<name>.dump" >&2; exit 2; }
	cd backend && $(BIN)/python -m src.cli.restore "$(abspath $(FILE))" $(if $(YES),--yes)

run: migrate ## Migrate, then serve the API on http://$(HOST):$(PORT) (docs at /docs)
	cd backend && exec $(BIN)/uvicorn src.main:app --host $(HOST) --port $(PORT)

serve: venv ## Production serving: WORKERS=2 uvicorn workers, proxy headers, graceful stop
	exec scripts/serve

test: venv ## Run the whole test suite against real PostgreSQL
	cd backend && $(BIN)/pytest

integration-deps: ## Install the system services the integration tests use (Debian/Ubuntu, root)
	scripts/integration-deps

test-integration: venv ## Tests against pgbouncer, Redis and a headless browser (see README)
	cd backend && $(BIN)/pytest -m integration

token: venv ## Print a bearer token for local use: make token EMAIL=ada@example.com
	@cd backend && $(BIN)/python -m src.cli.token --email "$(EMAIL)"

lint: venv ## ruff check, ruff format --check and mypy
	cd backend && $(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy src tests alembic

format: venv ## Format the code with ruff
	cd backend && $(BIN)/ruff check --fix . && $(BIN)/ruff format .

bench: venv ## Benchmark (wrk, pgbench) -> docs/performance.md; BENCH_ARGS="--memory 10" etc.
	@command -v wrk >/dev/null || { echo "wrk is missing: sudo apt-get install wrk (macOS: brew install wrk)" >&2; exit 1; }
	@command -v pgbench >/dev/null || { echo "pgbench is missing: sudo apt-get install postgresql-client" >&2; exit 1; }
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt >&2
	$(BIN)/python bench/run.py $(BENCH_ARGS)
