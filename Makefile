# Balkan Watch. `make run` and `make test` set everything up themselves.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8501
SIZE   ?= 10000
DB     ?= sqlite

.PHONY: run test install lint sample bench system-deps clean help

help:
	@echo "make run      set up, build the sample database, start the dashboard on http://127.0.0.1:$(PORT)"
	@echo "make test     set up (incl. Chromium) and run every test, browser tests included"
	@echo "make install  create $(VENV) and install the project with test extras"
	@echo "make lint     ruff"
	@echo "make bench    benchmark (SIZE=$(SIZE))"

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,postgres,bench]"
	touch $(STAMP)

install: $(STAMP)

sample: $(STAMP)
	$(PY) -m dashboard build-sample

run: sample
	$(VENV)/bin/streamlit run dashboard/app.py --server.headless true --server.address 127.0.0.1 --server.port $(PORT)

# Debian packages the tests drive for real: Chromium (browser tests, kaleido exports), PostgreSQL
# (the shared-server tests), poppler-utils (PDF briefings checked page by page).
system-deps:
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages for the tests:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

test: $(STAMP) system-deps
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check dashboard tests scripts bench

bench: $(STAMP)
	$(PY) -m bench --size $(SIZE) $(if $(filter postgres,$(DB)),--postgres on,)

clean:
	rm -rf $(VENV) data/balkan_watch.db data/balkan_watch.db-wal data/balkan_watch.db-shm
