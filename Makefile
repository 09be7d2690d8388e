# Dealix Customer Ops — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
PY := $(VENV)/bin/python
# A Python >= 3.12: .python-version through pyenv, else python3.12 / python3.13 on PATH.
PYTHON_FOR_VENV := $(shell \
	for c in "$$(ls -d $$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/$$(cat .python-version 2>/dev/null)/bin/python3 2>/dev/null)" \
	         "$$(ls -d $$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/3.12*/bin/python3 2>/dev/null | tail -1)" \
	         "$$(command -v python3.12)" "$$(command -v python3.13)" "$$(command -v python3)"; do \
	  [ -n "$$c" ] && [ -x "$$c" ] && "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo "$$c"; break; }; \
	done)
STAMP := $(VENV)/.installed
# Local commands run with development settings unless told otherwise (production: DJANGO_DEBUG=0).
export DJANGO_DEBUG ?= 1

.PHONY: setup run test lint fmt ci bench fuzz crash serve-prod migrate seed clean constraints

$(STAMP): pyproject.toml constraints.txt
	@if [ -z "$(PYTHON_FOR_VENV)" ]; then \
	  echo "No Python 3.12 or newer found: install Python 3.12 (e.g. 'pyenv install 3.12.1' or your system's python3.12 package) and run make again."; \
	  exit 1; fi
	@[ -x $(PY) ] || $(PYTHON_FOR_VENV) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check uv
	@UV_PYTHON_DOWNLOADS=never $(VENV)/bin/uv pip install --quiet --python $(PY) -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

migrate: setup
	@$(PY) manage.py migrate --noinput

seed: migrate
	@$(PY) manage.py seed_demo

# The port `make run` serves (make run PORT=8001); links in emails follow it.
PORT ?= 8000

run: seed
	@echo
	@echo "Dealix Customer Ops on http://127.0.0.1:$(PORT)  (Arabic; English via the header switch)"
	@echo "With the task worker and the scheduler (sweeps, reminders, notifications). Ctrl-C stops all three."
	@echo "Demo logins:  founder / $${DEMO_PASSWORD:-dealix-demo}   (approves drafts)"
	@echo "              operator / $${DEMO_PASSWORD:-dealix-demo}  (daily work)"
	@echo
	@DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) -m dealix.serve_dev --port $(PORT)

test: setup
	@$(PY) -m pytest -q $(PYTEST_ARGS)

lint: setup
	@$(PY) -m ruff check .
	@$(PY) -m ruff format --check .
	@$(PY) -m mypy
	@$(PY) manage.py check
	@$(PY) manage.py makemigrations --check --dry-run

fmt: setup
	@$(PY) -m ruff check --fix .
	@$(PY) -m ruff format .

# Crash safety on PostgreSQL, longer than the one-kill run in `make test`: 5 rounds of a
# 1,000-request burst of ticket creations and draft approvals/sends, each cut by SIGKILL.
crash: setup
	@test -n "$$DATABASE_URL" || { echo "make crash needs DATABASE_URL (PostgreSQL), e.g. postgres://postgres@127.0.0.1:5432/dealix"; exit 1; }
	@CRASH_ROUNDS=$${CRASH_ROUNDS:-5} CRASH_BURST=$${CRASH_BURST:-1000} $(PY) -m pytest -q -s tests/crash -p no:logging

# Production profile on this machine: DEBUG off, PostgreSQL, gunicorn + task worker + scheduler.
serve-prod: setup
	@test -n "$$DATABASE_URL" || { echo "serve-prod needs DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/dealix)"; exit 1; }
	@test -n "$$DJANGO_SECRET_KEY" || { echo "serve-prod needs DJANGO_SECRET_KEY (any long random string)"; exit 1; }
	@DJANGO_DEBUG=0 DATABASE_URL=$${DATABASE_OWNER_URL:-$$DATABASE_URL} $(PY) manage.py migrate --noinput
	@if [ -n "$$DATABASE_OWNER_URL" ]; then DJANGO_DEBUG=0 DATABASE_URL=$$DATABASE_OWNER_URL $(PY) manage.py grant_app_role "$${DATABASE_APP_ROLE:?set DATABASE_APP_ROLE, the role of DATABASE_URL}"; fi
	@DJANGO_DEBUG=0 $(PY) manage.py collectstatic --noinput -v0
	@DJANGO_DEBUG=0 $(PY) manage.py check --deploy --fail-level WARNING
	@DJANGO_DEBUG=0 $(PY) -m dealix.serve_prod

bench: setup
	@$(PY) bench/run.py

# Schema fuzzing, longer than the bounded run in `make test`: every operation of /api/schema/,
# schemathesis' coverage, fuzzing and stateful phases, a fresh seed each run (printed; rerun
# one with FUZZ_SEED=<seed>). Add DATABASE_URL=postgres://... to fuzz on PostgreSQL.
fuzz: setup
	@FUZZ_PHASES=$${FUZZ_PHASES:-examples,coverage,fuzzing,stateful} FUZZ_MAX_EXAMPLES=$${FUZZ_MAX_EXAMPLES:-100} \
	  FUZZ_SEED=$${FUZZ_SEED:-random} $(PY) -m pytest -q -s -m fuzz tests/fuzz -p no:logging

ci:
	@bash .ci/run

# Refresh the pinned versions (run deliberately, commit the result).
constraints:
	@$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python $(PY) -o constraints.txt --quiet

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
