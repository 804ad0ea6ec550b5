# monenfant — `make run` serves the embedded site, `make test` runs every test. See README.md.
SHELL := /bin/bash
PYTHON_SYSTEM ?= /usr/bin/python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
APT_PACKAGES := gdal-bin libgdal32 libgeos-c1v5 libproj25 libsqlite3-mod-spatialite python3-venv espeak-ng libharfbuzz-subset0
APT_TEST_PACKAGES := postgresql-15-postgis-3 redis-server chromium poppler-utils nginx-light openssl

.PHONY: run test setup deps test-deps test-apt data serve benchmark lint clean requirements prod prod-stop prod-check prod-donnees prod-benchmark

run: setup data
	PORT=$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

setup: deps $(VENV)/.installed node_modules/.installed .env .staticfiles-collected

# The runner installs what is missing itself (timed as its first stage); no demo database is built.
test:
	bash scripts/run-tests.sh $(ARGS)

# System packages with apt when root and something is missing; otherwise say what to install.
deps:
	@bash scripts/apt-ensure.sh $(APT_PACKAGES)
	@command -v npm >/dev/null || bash scripts/apt-ensure.sh nodejs npm

# The system packages first: the venv is made with a Python that must load SpatiaLite.
test-deps: test-apt $(VENV)/.installed-dev

test-apt:
	@bash scripts/apt-ensure.sh $(APT_PACKAGES) $(APT_TEST_PACKAGES)

# What production runs (requirements.txt), every package pinned with its hashes: pip refuses a file whose
# hash is not listed (README, "Dependencies").
define VENV_CREATE
	@$(PYTHON_SYSTEM) -c "import sqlite3; c = sqlite3.connect(':memory:'); c.enable_load_extension(True); c.load_extension('mod_spatialite')" \
	  || { echo "$(PYTHON_SYSTEM) ne peut pas charger SpatiaLite : installez python3-venv et libsqlite3-mod-spatialite (apt)."; exit 1; }
	test -x $(PY) || { $(PYTHON_SYSTEM) -m venv $(VENV) && $(PY) -m pip install --quiet --upgrade pip; }
endef

$(VENV)/.installed: requirements.txt
	$(VENV_CREATE)
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt
	touch $@

# Tests and tools on top (make test, make lint): both files in one pip call, so that pip checks them together;
# on a new checkout it is the only one (scripts/run-tests.sh asks for it before `setup`).
$(VENV)/.installed-dev: requirements.txt requirements-dev.txt
	$(VENV_CREATE)
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt
	touch $@ $(VENV)/.installed

# requirements.txt and requirements-dev.txt compiled from their .in files by pip-tools, in a virtualenv of its
# own thrown away after (README, "Dependencies"). The versions already pinned stay unless the .in changes them
# or UPGRADE says so: make requirements UPGRADE="--upgrade-package celery". This machine's package mirror is
# read when it exists; the compiled files name no index.
PIP_TOOLS := pip==26.3 pip-tools==7.6.2
PIP_INDEX := $(if $(wildcard /opt/wheels),--find-links /opt/wheels) \
  $(if $(wildcard /opt/pypi/simple),--extra-index-url file:///opt/pypi/simple) \
  $(if $(wildcard /opt/pypi-more/simple),--extra-index-url file:///opt/pypi-more/simple)
PIP_COMPILE := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links

requirements:
	@tmp=$$(mktemp -d /tmp/monenfant-pip-tools.XXXXXX) && trap 'rm -rf "$$tmp"' EXIT && \
	  $(PYTHON_SYSTEM) -m venv "$$tmp" && "$$tmp/bin/pip" install --quiet $(PIP_TOOLS) && \
	  export CUSTOM_COMPILE_COMMAND="make requirements" && \
	  "$$tmp/bin/pip-compile" $(PIP_COMPILE) $(PIP_INDEX) $(UPGRADE) -o requirements.txt requirements.in && \
	  "$$tmp/bin/pip-compile" $(PIP_COMPILE) $(PIP_INDEX) $(UPGRADE) -o requirements-dev.txt requirements-dev.in

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# A random SECRET_KEY for this checkout; production sets its own in the environment.
.env:
	@echo "SECRET_KEY=$$($(PYTHON_SYSTEM) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@

# The marker stays out of staticfiles/: whatever lies there is served.
.staticfiles-collected: $(VENV)/.installed node_modules/.installed $(shell find static -type f 2>/dev/null)
	$(PY) manage.py collectstatic --noinput -v0
	touch $@

data: setup
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py import_geographie
	$(PY) manage.py load_demo
	$(PY) manage.py load_demo_accounts
	$(PY) manage.py load_demo_guichets
	$(PY) manage.py recapitulatif_besoins --tout
	$(PY) manage.py publier_donnees_ouvertes

# The production topology on loopback (docs/deploy.md): nginx (TLS) → 2 gunicorn → PostGIS, Redis, Celery
# worker and beat, a local SMTP sink. `make prod-check` breaks it one fault at a time (docs/prod-check.md).
prod: setup
	bash scripts/prod.sh start

prod-stop:
	bash scripts/prod.sh stop

prod-check: setup
	bash scripts/prod-check.sh

# 300,000 fiches and 1,000,000 demandes in the topology's database, for docs/benchmark.md.
prod-donnees: setup
	bash scripts/prod.sh donnees-nationales

# The load figures of docs/benchmark.md, on `make prod` after `make prod-donnees` (about 12 minutes).
prod-benchmark: setup
	bash scripts/prod-benchmark.sh

benchmark: setup
	$(PY) manage.py benchmark

lint: setup $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

clean:
	-bash scripts/prod.sh stop 2>/dev/null
	rm -rf $(VENV) node_modules staticfiles .staticfiles-collected var test-artifacts
