# KneeCare: the front door. `make run` to try it, `make test` to check it.
# Every target honours DATABASE_URL and PORT from the environment.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
export PORT

.DEFAULT_GOAL := help
.PHONY: help install content run test test-postgres lint format schema bench bench-growth bench-load check-deploy check-python browser-deps clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s "$$(printf '\t')"

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || { \
	  echo "KneeCare needs Python 3.12+ (Django 6.1). '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "With pyenv: 'pyenv install 3.12' (the committed .python-version selects it), or run 'make PYTHON=python3.12 ...'."; \
	  exit 1; }

$(VENV)/.installed: requirements.txt requirements-dev.txt | check-python
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed  ## create .venv and install the pinned requirements

content: install  ## migrate and load the launch content (idempotent)
	$(PY) manage.py migrate --no-input --verbosity 0
	$(PY) manage.py load_launch_content

run: content  ## install, load the content and serve on 127.0.0.1:$PORT
	$(PY) manage.py ensure_local_users
	@echo ""
	@echo "  KneeCare is starting on http://$(HOST):$(PORT)/"
	@echo "  API:      http://$(HOST):$(PORT)/api/v1/"
	@echo "  Docs:     http://$(HOST):$(PORT)/api/v1/docs/  (Swagger UI)  and  /api/v1/redoc/"
	@echo "  Admin:    http://$(HOST):$(PORT)/admin/  (local logins are listed above)"
	@echo ""
	@echo "  Worker:   change notices and webhooks (manage.py db_worker); Ctrl-C stops both"
	@echo ""
	@$(PY) manage.py db_worker --interval 1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(VENV)/bin/gunicorn kneecare.wsgi:application --bind $(HOST):$(PORT) --workers 2 --threads 4 --graceful-timeout 5 --access-logfile -

test: install  ## install and run the whole test suite
	$(PY) -m pytest

test-postgres: install  ## the suite against PostgreSQL at DATABASE_URL
	@test -n "$$DATABASE_URL" || { echo "set DATABASE_URL=postgres://..."; exit 2; }
	$(PY) -m pytest

lint: install  ## ruff lint and format check, migrations and schema checks
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --api-version v1 --validate --fail-on-warn --file /dev/null
	@$(MAKE) --no-print-directory check-deploy

check-deploy: install  ## `check --deploy` with the documented production environment: 0 warnings
	DJANGO_ENV=production DJANGO_ALLOWED_HOSTS=api.example.org \
	  DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	  $(PY) manage.py check --deploy --fail-level WARNING

format: install  ## apply ruff fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

schema: install  ## regenerate the committed OpenAPI contract openapi/v1.yaml
	$(PY) manage.py spectacular --api-version v1 --validate --fail-on-warn --file openapi/v1.yaml

bench: content  ## load benchmark on loopback (needs wrk: apt-get install wrk)
	$(PY) bench/run.py

bench-growth: install  ## cost at 1x/10x/100x content (PostgreSQL at DATABASE_URL, and SQLite); drops GROWTH_DB_NAME
	$(PY) bench/growth.py

bench-load: install  ## mixed load on gunicorn 2x4 in production mode; `ARGS=--outage` for outages
	$(PY) bench/load.py $(ARGS)

clean:  ## remove the venv, local database and caches
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache tests/partners/ts/node_modules
