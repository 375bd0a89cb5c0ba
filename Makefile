# make run: install, build the demo district if no data is published, serve on http://localhost:8501
# make test: install what the tests need (Chromium, Noto CJK fonts) and run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run serve test demo bench sysdeps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The project itself is installed in editable mode (pyproject.toml): everything imports it by name.
$(VENV)/.run-deps: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.test-deps: requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@ $(VENV)/.run-deps

run: $(VENV)/.run-deps
	@./scripts/sysdeps.sh || echo "note: without chromium and fonts-noto-cjk, chart images and the meeting pack cannot be made on this server (everything else works)"
	$(BIN)/python -m loaders demo --if-empty
	$(BIN)/streamlit run server.py

# make serve PROCS=2 [ADDRESS=10.1.2.3] [PORT=8501] [TLS_CERT=/etc/ssl/rb.crt TLS_KEY=/etc/ssl/rb.key]:
# several app processes behind nginx, over HTTPS with the office's certificate when given (docs/deploy.md)
PROCS ?= 2
ADDRESS ?= 127.0.0.1
PORT ?= 8501
TLS_CERT ?=
TLS_KEY ?=
serve: $(VENV)/.run-deps
	$(BIN)/python -m loaders demo --if-empty
	PROCS=$(PROCS) ADDRESS=$(ADDRESS) PORT=$(PORT) BIN=$(BIN) TLS_CERT=$(TLS_CERT) TLS_KEY=$(TLS_KEY) ./scripts/serve.sh

demo: $(VENV)/.run-deps
	$(BIN)/python -m loaders demo

sysdeps:
	./scripts/sysdeps.sh test

# the OpenID Connect provider the single sign-on tests sign in at (tests/oidc, npm's oidc-provider, pinned)
tests/oidc/node_modules/.installed: tests/oidc/package.json tests/oidc/package-lock.json | sysdeps
	npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error
	touch $@

test: $(VENV)/.test-deps sysdeps tests/oidc/node_modules/.installed
	RIVERBOARD_REQUIRE_TOOLS=1 $(BIN)/python -m pytest

# make bench: timings printed, by hand (docs/benchmarks.md); the province needs ~20 minutes and ~4 GB.
# SCALES="1x 10x" for a shorter run.
SCALES ?= 1x 10x 100x province
bench: $(VENV)/.test-deps sysdeps
	$(BIN)/python scripts/bench.py
	for s in $(SCALES); do $(BIN)/python scripts/bench.py --scale $$s --paint || exit 1; done
	$(BIN)/python scripts/bench_import.py
	$(BIN)/python scripts/bench_accounts.py

clean:
	rm -rf $(VENV) tests/artifacts .pytest_cache
