# The two commands: `make demo` and `make test`. Both install what they need on a fresh machine.
SHELL := /bin/bash
# `python3 -m uv` works right after `pip install uv`, whatever PATH says (pyenv shims need a rehash).
UV := python3 -m uv
PY := $(UV) run python
# manage.py loads the production settings when DJANGO_SETTINGS_MODULE is unset (and refuses to start without a secret
# key): the demo and the translations name the local settings; the test suites take theirs from pyproject.toml.
LOCAL := DJANGO_SETTINGS_MODULE=config.settings.local
DEMO_STAFF ?= 2000
DEMO_SEED ?= 7
APT_PACKAGES := postgresql redis-server chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 gettext wrk

.PHONY: demo test setup system-packages python-env assets lint typecheck test-unit test-postgres test-redis test-browser messages clean

demo: setup
	$(LOCAL) $(PY) manage.py seed_demo --staff $(DEMO_STAFF) --seed $(DEMO_SEED) --reset
	$(LOCAL) $(PY) manage.py runserver --insecure 127.0.0.1:8000

# The suites are single processes: two at a time use both cores (SQLite and PostgreSQL share nothing; the browser
# and Redis tests each start their own server on a free port). Output is kept per suite.
test: setup lint typecheck
	$(MAKE) -j2 --output-sync=target test-unit test-postgres
	$(MAKE) -j2 --output-sync=target test-redis test-browser

setup: system-packages python-env assets messages

# Debian packages: PostgreSQL and Redis for the integration tests, Chromium for the browser tests,
# Pango for WeasyPrint, gettext for compiling translations, wrk for the check-in benchmark. Installed only when missing. npm (for the front-end
# packages) and pip (to fetch uv) are looked for as commands, since they may come from elsewhere (NodeSource, pyenv):
# Debian's npm would conflict with another Node.js.
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	python3 -m uv --version >/dev/null 2>&1 || python3 -m pip --version >/dev/null 2>&1 || missing="$$missing python3-pip"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

python-env:
	@python3 -m uv --version >/dev/null 2>&1 || PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet uv
	$(UV) sync --frozen --quiet

assets:
	@[ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --silent

messages:
	$(LOCAL) $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

lint:
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run lint-imports

typecheck:
	$(UV) run mypy

test-unit: setup
	$(UV) run pytest -m "not postgres and not redis and not browser" -q --durations=25

# The same suite again on PostgreSQL, plus the tests marked postgres (concurrent approvals, the audit trigger), less
# those marked own_process (their code runs in a child process on its own database or none: the same in both suites).
# pg_virtualenv makes a throwaway cluster (owned by postgres, since initdb refuses root), exports
# PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE, runs pytest, and removes the cluster. The locale is explicit: in a bare
# CI environment (no LANG) initdb would pick SQL_ASCII, and Vietnamese text would neither sort nor case-fold.
# Durability is off: the cluster lives for one run. `-t` keeps the cluster in a fresh temporary directory even as root,
# so a run killed half-way (which leaves /etc/postgresql/15/regress behind) or a second run at the same time cannot make
# the next one refuse to start.
PG_VIRTUALENV := pg_virtualenv -t -c "--locale=C.UTF-8 --encoding=UTF8" -o shared_buffers=64MB -o fsync=off -o synchronous_commit=off -o full_page_writes=off
test-postgres: setup
	$(PG_VIRTUALENV) $(UV) run pytest --postgres -m "not redis and not browser and not own_process" -q -p no:cacheprovider --durations=25

# A redis-server on a free loopback port and a Celery worker thread, started by the tests' fixtures.
test-redis: setup
	$(UV) run pytest -m redis -q

# Playwright drives Debian's chromium (never `playwright install`); failures leave screenshots in var/screenshots/.
test-browser: setup
	$(UV) run pytest -m browser -q --durations=25

clean:
	rm -rf var/*.sqlite3* var/static
