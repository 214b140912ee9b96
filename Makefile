# Task API: every command a developer needs. `make help` lists them.
# The virtualenv lives in backend/.venv: serving installs backend/requirements.lock, tests and
# lint add backend/requirements-dev.lock (scripts/lock writes both).

PYTHON ?= python3
VENV := backend/.venv
BIN := $(CURDIR)/$(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help venv dev-venv run serve migrate restore prune relay test test-integration integration-deps token lint format bench

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# Two stamps: serving (`make run`, `serve`, `migrate`...) installs backend/requirements.lock
# only; `make test`, `lint` and `bench` add the test and lint tools of requirements-dev.lock.
# pip's progress goes to stderr so that `TOKEN=$$(make token ...)` captures only the token.
# --no-compile: Python compiles what it imports, when it first does, instead of everything.
DEV_INSTALLED := $(VENV)/.installed-dev
PIP_INSTALL = $(BIN)/python -m pip install --disable-pip-version-check --no-compile --progress-bar on

$(INSTALLED): backend/requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	@echo "Installing what serving needs into $(VENV) (backend/requirements.lock; about 150 MB, 15-60 s) ..." >&2
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip uninstall --quiet --yes setuptools >/dev/null 2>&1 || true
	@$(PIP_INSTALL) -r backend/requirements.lock >&2
	@touch $@

$(DEV_INSTALLED): $(INSTALLED) backend/requirements-dev.lock
	@echo "Adding the test and lint tools to $(VENV) (backend/requirements-dev.lock) ..." >&2
	@$(PIP_INSTALL) -r backend/requirements-dev.lock >&2
	@touch $@

venv: $(INSTALLED) ## Create the virtualenv with what serving needs (pinned)

dev-venv: $(DEV_INSTALLED) ## The virtualenv plus the test and lint tools (pinned)

migrate: venv ## Deploy step: [BACKUP_DIR=dir: pg_dump first] alembic upgrade head, verify head
	cd backend && $(BIN)/python -m src.cli.migrate $(if $(BACKUP_DIR),--backup-dir "$(abspath $(BACKUP_DIR))")

restore: venv ## Replace the database with a backup: FILE=backups/x.dump [YES=1: no question]
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/<name>.dump" >&2; exit 2; }
	cd backend && $(BIN)/python -m src.cli.restore "$(abspath $(FILE))" $(if $(filter 1,$(YES)),--yes)

prune: venv ## Housekeeping (cron, hourly): expired Idempotency-Keys, old tombstones, unpublished events
	cd backend && $(BIN)/python -m src.cli.prune

relay: venv ## Publish task events from the outbox to NATS JetStream (NATS_URL) until stopped
	cd backend && exec $(BIN)/python -m src.cli.relay

run: migrate ## Migrate, then serve the API on http://$(HOST):$(PORT) (docs at /docs)
	cd backend && exec $(BIN)/uvicorn src.main:app --host $(HOST) --port $(PORT)

serve: venv ## Production serving: WORKERS=2 uvicorn workers, proxy headers, graceful stop
	exec scripts/serve

test: dev-venv ## Run the whole test suite against real PostgreSQL
	cd backend && $(BIN)/pytest

integration-deps: ## Install the system services the integration tests use (Debian/Ubuntu, root)
	scripts/integration-deps

test-integration: dev-venv ## Tests against pgbouncer, Redis and a headless browser (see README)
	cd backend && $(BIN)/pytest -m integration

token: venv ## Print a bearer token for local use: make token EMAIL=ada@example.com
	@cd backend && $(BIN)/python -m src.cli.token --email "$(EMAIL)"

lint: dev-venv ## ruff check, ruff format --check and mypy
	cd backend && $(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy src tests alembic

format: dev-venv ## Format the code with ruff
	cd backend && $(BIN)/ruff check --fix . && $(BIN)/ruff format .

bench: dev-venv ## Benchmark (wrk, pgbench) -> docs/performance.md; BENCH_ARGS="--memory 10" etc.
	@command -v wrk >/dev/null || { echo "wrk is missing: sudo apt-get install wrk (macOS: brew install wrk)" >&2; exit 1; }
	@command -v pgbench >/dev/null || { echo "pgbench is missing: sudo apt-get install postgresql-client" >&2; exit 1; }
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt >&2
	$(BIN)/python bench/run.py $(BENCH_ARGS)
