# The README's two commands: `make run` (set up, demo data, web + Celery worker + beat) and
# `make test` (the whole suite). Both install what is missing and are fast the second time.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Test processes (pytest-xdist); each gets its own database, broker folder and media.
TEST_WORKERS ?= 2
# `make fuzz`: cases per API operation and phase; 1 for a fresh seed instead of CI's fixed one.
FUZZ_EXAMPLES ?= 20
FUZZ_EXPLORE ?=
HOST ?= 127.0.0.1
STAMPS := var/.stamps
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages: command that proves it is there = package that provides it.
APT_RUN := ffmpeg=ffmpeg msgfmt=gettext node=nodejs npm=npm fc-list=fontconfig
APT_FONTS := fonts-noto-cjk fonts-wqy-zenhei
# nginx: media delivery at scale (secure_link) is tested against the real server.
APT_TEST := chromium=chromium nginx=nginx

.PHONY: help run test fuzz setup setup-test lint format messages check-deploy clean-test-db

help:
	@echo "make run   — set up, load demo data and start web + Celery worker + beat on :$(PORT)"
	@echo "make test  — run the whole test suite on the embedded defaults"
	@echo "make fuzz  — schemathesis over the API schema (FUZZ_EXAMPLES, FUZZ_EXPLORE=1)"
	@echo "make lint  — ruff check and format check"

define apt_install
	@missing=""; for pair in $(1); do cmd=$${pair%%=*}; pkg=$${pair#*=}; \
	  command -v $$cmd >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	for pkg in $(2); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if ! $(PYTHON) -c "import ensurepip, venv" >/dev/null 2>&1; then missing="$$missing python3-venv"; fi; \
	if [ -n "$$missing" ]; then \
	  echo ">> installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

$(STAMPS)/apt-run:
	$(call apt_install,$(APT_RUN),$(APT_FONTS))
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/apt-test: $(STAMPS)/apt-run
	$(call apt_install,$(APT_TEST),)
	@touch $@

$(BIN)/activate: | $(STAMPS)/apt-run
	$(PYTHON) -m venv $(VENV)

$(STAMPS)/pip: requirements.txt $(BIN)/activate
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/npm: package.json package-lock.json | $(STAMPS)/apt-run
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMPS) && touch $@

messages: $(STAMPS)/pip
	@$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=var -v 0

setup: $(STAMPS)/apt-run $(STAMPS)/pip $(STAMPS)/npm messages

setup-test: setup $(STAMPS)/apt-test

run: setup
	@DJANGO_SETTINGS_MODULE=lms.settings.dev $(BIN)/python manage.py migrate --noinput -v 0
	@DJANGO_SETTINGS_MODULE=lms.settings.dev $(BIN)/python manage.py load_demo_data
	@echo ""
	@echo "  党建慕课 is starting on http://$(HOST):$(PORT)/   (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "  Demo logins, password partymooc-demo:"
	@echo "    admin (site admin)  trainer  reviewer  secretary (branch head)  member  member2"
	@echo "  Stop with Ctrl+C."
	@echo ""
	DJANGO_SETTINGS_MODULE=lms.settings.dev HOST=$(HOST) \
	  $(BIN)/honcho start --procfile lms/Procfile --app-root . --port $(PORT)

test: setup-test
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not fuzz" $(PYTEST_ARGS)

# The API fuzz run (tests/api/test_fuzz.py) on its own, in one process: it builds the demo
# site once and sends every operation's cases to it. CI runs the bounded, repeatable default;
# FUZZ_EXAMPLES=200 FUZZ_EXPLORE=1 make fuzz looks further with a fresh seed each time.
fuzz: $(STAMPS)/pip messages
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_EXPLORE=$(FUZZ_EXPLORE) \
	  $(BIN)/pytest -p no:xdist -m fuzz tests/api/test_fuzz.py $(PYTEST_ARGS)

# ruff, the layers of README.md's architecture (import-linter contracts in pyproject.toml) and the
# types of lms/ and courses/ (mypy with django-stubs, [tool.mypy] in pyproject.toml);
# the no-cycle check is a test (tests/core/test_architecture.py).
lint: $(STAMPS)/pip
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

format: $(STAMPS)/pip
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-deploy: $(STAMPS)/pip $(STAMPS)/npm
	DJANGO_SETTINGS_MODULE=lms.settings.production \
	  SECRET_KEY=$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')} \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING
