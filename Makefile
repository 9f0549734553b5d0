# The two commands of the README: `make run` and `make test`.
# Both create the virtual environment and install what they need on first use.

VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: run test

$(VENV)/installed: requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	$(VENV)/bin/pip install --quiet --no-deps --editable .
	touch $@

# Relais with the demo on SQLite at http://127.0.0.1:8000 (demo log-ins are printed),
# with the task worker (imports) in the background; both stop together.
run: $(VENV)/installed
	RELAIS_DEMO_MODE=1 $(PY) manage.py migrate --noinput
	RELAIS_DEMO_MODE=1 $(PY) manage.py demo
	RELAIS_DEMO_MODE=1 $(PY) manage.py db_worker & worker=$$!; trap 'kill $$worker' EXIT; RELAIS_DEMO_MODE=1 $(PY) manage.py runserver 127.0.0.1:8000

# The whole suite; set DATABASE_URL to run it on PostgreSQL.
test: $(VENV)/installed
	$(PY) -m pytest
