# DevCrew: `make run` serves the site with a Celery worker + beat; `make test` runs the suite.
# Both create .venv on first use and reinstall only when requirements or locks change.
# Installs take the ranges in requirements/*.txt with the exact versions of the locks
# (requirements/lock.txt, lock-dev.txt) as constraints; `make lock` recompiles the locks.

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: screenshots run serve test lint format typecheck bench bench-http install install-dev install-prod lock lock-upgrade migrate seed clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-base: $(VENV)/bin/python requirements/base.txt requirements/lock.txt
	$(PY) -m pip install --quiet -r requirements/base.txt -c requirements/lock.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-base requirements/dev.txt requirements/lock-dev.txt
	$(PY) -m pip install --quiet -r requirements/dev.txt -c requirements/lock-dev.txt
	touch $@

$(VENV)/.installed-prod: $(VENV)/.installed-base requirements/prod.txt requirements/lock.txt
	$(PY) -m pip install --quiet -r requirements/prod.txt -c requirements/lock.txt
	touch $@

install: $(VENV)/.installed-base
install-dev: $(VENV)/.installed-dev
install-prod: $(VENV)/.installed-prod

# After editing requirements/*.txt: pins every package (all platforms, Python >= 3.11),
# keeping current versions where the ranges allow. lock-upgrade takes the newest.
# Only uv is needed (at its locked version), so a stale lock cannot stop it.
lock: $(VENV)/bin/python
	$(PY) -m pip install --quiet -c requirements/lock-dev.txt uv
	$(PY) requirements/lock.py

lock-upgrade: $(VENV)/bin/python
	$(PY) -m pip install --quiet -c requirements/lock-dev.txt uv
	$(PY) requirements/lock.py --upgrade

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# daphne (HTTP + WebSocket) and a Celery worker with embedded beat, on the embedded
# defaults unless DATABASE_URL / REDIS_URL are set. Ctrl-C stops all of them.
run: seed
	@echo "DevCrew on http://$(HOST):$(PORT)/  (Ctrl-C stops the server and the worker)"
	@stop() { kill -TERM $$(jobs -p) 2>/dev/null; wait; }; \
	trap stop INT TERM; \
	$(VENV)/bin/celery -A config worker --beat --loglevel=INFO --concurrency=2 \
		--without-mingle --without-gossip \
		--schedule=var/celerybeat-schedule & \
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) config.asgi:application & \
	wait -n; stop

# The production layout on this machine (config/serve.py, README "Production processes"):
# nginx on HOST:PORT sends /ws/ and server-sent events to daphne and everything else to
# gunicorn (WSGI), plus the Celery worker and beat; migrate and collectstatic first.
# Settings come from the environment (production: SECRET_KEY, DATABASE_URL, REDIS_URL...).
# nginx comes from Debian's packages when missing.
serve: install-prod
	@command -v nginx >/dev/null || command -v /usr/sbin/nginx >/dev/null || \
		(apt-get update -qq && apt-get install -y -qq --no-install-recommends nginx-light)
	HOST=$(HOST) PORT=$(PORT) $(PY) -m config.serve

# wrk against both layouts on PostgreSQL and Redis (DATABASE_URL, REDIS_URL), interleaved
# rounds; prints the table BENCHMARKS.md "HTTP serving" records. BENCH_ARGS: e.g.
# "--rounds 5 --seconds 10 --layouts split".
bench-http: install-prod install-dev
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	@command -v nginx >/dev/null || command -v /usr/sbin/nginx >/dev/null || \
		(apt-get update -qq && apt-get install -y -qq --no-install-recommends nginx-light)
	$(PY) -m config.benchmarks.http_load $(BENCH_ARGS)

# One pytest run over every core (pytest-xdist; each worker has its own test database and
# Redis database). Live servers for browser and socket tests are spawned, not forked, so
# browser journeys run in the same session as async tests. PYTEST_WORKERS=0 runs serially;
# PYTEST_ARGS adds options (e.g. PYTEST_ARGS="-x chat").
PYTEST_WORKERS ?= auto
test: install-dev
	@mkdir -p var
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Full-page screenshots of the main pages, desktop and phone, into var/screenshots/
# (config/tests/test_screenshots.py, which also runs axe-core on each of them).
screenshots: install-dev
	@mkdir -p var/screenshots
	$(PY) -m pytest -n 0 -m screenshots config/tests/test_screenshots.py

# deptry (settings in requirements/deptry.toml): the app code imports only what base.txt
# declares and base.txt declares nothing unused; tests import only what dev.txt declares.
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/deptry --config requirements/deptry.toml .
	$(VENV)/bin/deptry --config requirements/deptry.toml --requirements-files requirements/dev.txt \
		--requirements-files-dev requirements/prod.txt --ignore DEP002 \
		--exclude '\.venv|var|\.git|.*/migrations/.*' .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: install-dev
	$(VENV)/bin/mypy .

# Benchmarks report numbers (see BENCHMARKS.md); they assert nothing about speed.
bench: install-dev
	$(PY) -m pytest -o python_files='bench_*.py' $(wildcard */benchmarks) -q -s

clean:
	rm -rf var .pytest_cache .ruff_cache .mypy_cache
