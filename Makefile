# Digest: `make run` to try it, `make test` to check it. Needs Python 3.11+ (python3 -m venv).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
TEST_STAMP := $(VENV)/.test-installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve worker backup lint test test-fast bench clean

# `make run` installs only what running needs; the test tools come with `make test`.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(TEST_STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py setup_demo  # imports samples/ on the first run only
	@echo "Digest: open http://$(HOST):$(PORT)/ (admin at http://$(HOST):$(PORT)/admin/)"
	@echo "Background: a db_worker and a run_scheduler run beside the server and stop with it"
	@$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	$(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production-style serving on one machine: gunicorn (2 x CPUs + 1 workers, at most 9) with
# WhiteNoise for /static/, one task worker and the scheduler; all stop together (Ctrl-C). Works
# locally as it is; for a real deployment see README "Production" (systemd units, TLS proxy).
WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); w=$$((2 * n + 1)); [ $$w -gt 9 ] && w=9; echo $$w)
serve: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Digest: gunicorn with $(WORKERS) workers on http://$(HOST):$(PORT)/, a db_worker and a run_scheduler beside it"
	@$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	$(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(BIN)/gunicorn digest_site.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --timeout 60 \
		--access-logfile - --error-logfile -

# A consistent backup of the whole site into data/backups/ (the last line is its path); keeps 14.
KEEP ?= 14
backup: install
	@$(BIN)/python manage.py backup --keep $(KEEP)

# Production-style background work in the foreground: the scheduler beside one worker.
worker: install
	@$(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(BIN)/python manage.py db_worker --no-reload

# The whole suite, browsers included; ruff first (a lint error fails `make test`, so CI too).
test: lint
	$(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -m "not e2e"

clean:
	rm -rf $(VENV) .pytest_cache

# Figures into docs/BENCHMARKS.md; bench/load.py: 50 users on one paragraph, SQLite (and PostgreSQL
# when DATABASE_URL is set), failing on any error or lost write.
BENCH_STAMP := $(VENV)/.bench-installed-stamp
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/load.py --write-docs
	$(BIN)/python bench/import_scale.py
