# Balkan Watch. `make run` and `make test` set everything up themselves.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8501
SIZE   ?= 10000

.PHONY: run test install lint sample bench browser clean help

help:
	@echo "make run      set up, build the sample database, start the dashboard on http://127.0.0.1:$(PORT)"
	@echo "make test     set up (incl. Chromium) and run every test, browser tests included"
	@echo "make install  create $(VENV) and install the project with test extras"
	@echo "make lint     ruff"
	@echo "make bench    benchmark (SIZE=$(SIZE))"

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,postgres]"
	touch $(STAMP)

install: $(STAMP)

sample: $(STAMP)
	$(PY) -m dashboard build-sample

run: sample
	$(VENV)/bin/streamlit run dashboard/app.py --server.headless true --server.address 127.0.0.1 --server.port $(PORT)

browser:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || { \
	  echo "Installing Debian Chromium for the browser tests (apt)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) browser
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check dashboard tests scripts

bench: $(STAMP)
	$(PY) -m pip install --quiet -e ".[test,postgres,bench]"
	$(PY) -m bench --size $(SIZE)

clean:
	rm -rf $(VENV) data/balkan_watch.db data/balkan_watch.db-wal data/balkan_watch.db-shm
