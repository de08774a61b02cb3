# The two commands a newcomer needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Python 3.12+ is required (Django 6.1). pyenv reads .python-version (3.12) in this folder.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 python; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	echo $$p; break; fi; done)

.PHONY: run test check messages venv migrate demo lint format browser-deps axe-deps nginx-deps speech-deps clean prod

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
		echo "ERROR: Python 3.12 or newer is required and none was found on PATH."; \
		echo "       Install it (e.g. 'pyenv install 3.12' or 'apt-get install python3.12') and retry,"; \
		echo "       or name it explicitly: make PYTHON=/path/to/python3.12 $(MAKECMDGOALS)"; \
		exit 1; \
	fi
	@echo "Creating $(VENV) with $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

migrate: venv
	@mkdir -p var
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py demo
	$(PY) manage.py demo_agents
	$(PY) manage.py demo_messaging

# Development settings for every command run in this folder (read by config/settings.py).
.env:
	printf '# Written by make run: development settings. Delete it for production defaults.\nDEBUG=1\nOUTBOX_ENABLED=1\n' > .env

run: export DEBUG ?= 1
run: export OUTBOX_ENABLED ?= 1
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: .env speech-deps demo
	@echo "Portal on http://127.0.0.1:$(PORT)/  — outbox on http://127.0.0.1:$(PORT)/outbox/"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production processes of the Procfile, on this machine (README "Production"): PostgreSQL
# and Redis on 127.0.0.1 unless DATABASE_URL / REDIS_URL say otherwise, DEBUG off, a secret key
# generated once into var/prod-secret-key (git-ignored), the release step first, then web
# (gunicorn), worker and scheduler under honcho until Ctrl-C. Plain http on localhost, hence
# the only departures from production: no HTTPS redirect, HSTS or secure cookies, and e-mails
# printed by the worker instead of sent.
# honcho reads .env into its processes unless told otherwise (-e): the one `make run` writes
# (DEBUG=1) would turn the worker's queue into immediate delivery and its db_worker would refuse.
prod: export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
prod: export DEBUG = 0
prod: export OUTBOX_ENABLED = 0
prod: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/espace_pro_prod
prod: export REDIS_URL ?= redis://127.0.0.1:6379/0
prod: export ALLOWED_HOSTS ?= localhost,127.0.0.1
prod: export SITE_URL ?= http://localhost:$(PORT)
prod: export AGENT_ALLOWED_NETWORKS ?= 127.0.0.0/8,::1/128
prod: export SECURE_SSL_REDIRECT = 0
prod: export SECURE_HSTS_SECONDS = 0
prod: export SECURE_COOKIES = 0
prod: export EMAIL_BACKEND ?= django.core.mail.backends.console.EmailBackend
prod: export LETTERS_OUTBOX_DIR ?= $(CURDIR)/var/printer
prod: export WEB_CONCURRENCY ?= 2
prod: export PROMETHEUS_MULTIPROC_DIR ?= $(CURDIR)/var/prometheus
prod: venv
	@mkdir -p var
	@test -s var/prod-secret-key || (umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(64))' > var/prod-secret-key)
	@export SECRET_KEY="$$(cat var/prod-secret-key)" && \
		$(PY) manage.py ensure_database && \
		echo "release: $$(sed -n 's/^release: //p' Procfile)" && \
		sh -c "$$(sed -n 's/^release: //p' Procfile)" && \
		echo "Portal on http://localhost:$(PORT)/ (Ctrl-C stops it)" && \
		exec $(VENV)/bin/honcho -e /dev/null -f Procfile start -p $(PORT) web worker scheduler

# Browser tests need Debian's Chromium; install it when we can (root + apt), else they are
# skipped loudly (or fail, when REQUIRE_BROWSER=1 as in CI). Whether it worked is whether the
# program is there afterwards: apt-get can fail while a concurrent run installs it, or succeed
# in installing it and still exit non-zero (a trigger, the lock).
CHROMIUM ?= /usr/bin/chromium
browser-deps:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian's chromium for the browser tests…"; \
			apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1 || true; \
			[ -x $(CHROMIUM) ] || echo "WARNING: could not install chromium: browser tests will be SKIPPED."; \
		else \
			echo "WARNING: $(CHROMIUM) is missing and cannot be installed here: browser tests will be SKIPPED."; \
		fi; \
	fi

# axe-core checks every page the browser tests visit (tests/browser/axe.py): the npm package of
# package.json, at the version of package-lock.json (npm ci), in node_modules/ (git-ignored).
AXE := node_modules/axe-core/axe.min.js
axe-deps: $(AXE)
$(AXE): package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1 && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's npm for axe-core…"; \
		apt-get install -y -qq npm >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq npm >/dev/null 2>&1) || true; \
	fi
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $(AXE); \
	else \
		echo "WARNING: npm is missing and cannot be installed here: browser tests will be SKIPPED."; \
	fi

# The several-app-servers test (tests/production/) puts Debian's nginx in front of two
# gunicorn processes; installed like Chromium (its service is not left running).
NGINX ?= /usr/sbin/nginx
nginx-deps:
	@if [ ! -x $(NGINX) ]; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian's nginx for the several-app-servers test…"; \
			apt-get install -y -qq nginx >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq nginx) >/dev/null 2>&1 || true; \
			(service nginx stop >/dev/null 2>&1 || true); \
			[ -x $(NGINX) ] || echo "WARNING: could not install nginx: the several-app-servers test will be SKIPPED."; \
		else \
			echo "WARNING: nginx is missing and cannot be installed here: the several-app-servers test will be SKIPPED."; \
		fi; \
	fi

# The CAPTCHA's sound (« Ecouter l'extrait sonore ») is read by Debian's espeak-ng in French;
# installed like Chromium. Without it the pages say the sound is unavailable and its tests skip.
speech-deps:
	@if ! command -v espeak-ng >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian's espeak-ng for the CAPTCHA's sound…"; \
			apt-get install -y -qq espeak-ng >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq espeak-ng) >/dev/null 2>&1 || true; \
			command -v espeak-ng >/dev/null 2>&1 || echo "WARNING: could not install espeak-ng: the CAPTCHA has no sound."; \
		else \
			echo "WARNING: espeak-ng is missing and cannot be installed here: the CAPTCHA has no sound."; \
		fi; \
	fi

test: venv browser-deps axe-deps nginx-deps speech-deps
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# What CI checks besides the tests: lint, the layers' import contracts (.importlinter),
# migrations in step with the models, and Django's deployment checks with production-like
# settings (DEBUG off, a long random key, HTTPS only), warnings included.
check: lint speech-deps
	@mkdir -p var
	$(VENV)/bin/lint-imports
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=0 OUTBOX_ENABLED=0 SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
		ALLOWED_HOSTS=espace-pro.example.fr SITE_URL=https://espace-pro.example.fr AGENT_EMAIL_DOMAINS=agents.example.fr \
		AGENT_ALLOWED_NETWORKS=10.0.0.0/8 \
		$(PY) manage.py check --deploy --fail-level WARNING

# The French plurals of the project's messages (locale/fr). The source language is French:
# each new message is "translated" by itself (msgen), so that ngettext applies the French
# rule (0 and 1 singular). Needs GNU gettext (Debian: gettext).
messages: venv
	DEBUG=1 $(PY) manage.py makemessages -l fr --no-obsolete --no-location \
		--ignore=.venv --ignore=var --ignore=tests --ignore='*/tests/*' --ignore=bench
	msgen --no-wrap -o locale/fr/LC_MESSAGES/django.po locale/fr/LC_MESSAGES/django.po
	msgfmt --check -o locale/fr/LC_MESSAGES/django.mo locale/fr/LC_MESSAGES/django.po

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var node_modules
