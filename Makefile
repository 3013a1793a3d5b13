# Two entry points: `make run` serves the demo, `make test` checks lint and types, then runs the whole suite.
# Both set up their own virtual environment; `make test` also installs what the tests need
# (Chromium, the local model server and its model).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint install install-test eval bench clean

$(BIN)/coachbot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

install: $(BIN)/coachbot

run: install
	$(BIN)/coachbot serve --host $(HOST) --port $(PORT)

install-test: install
	bash scripts/install-test-deps.sh $(VENV)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -p no:cacheprovider

# The unit suite alone: no browser, operations, local-model or PostgreSQL tests (and no lint: `make lint`).
test-fast: install-test
	$(BIN)/python -m pytest -p no:cacheprovider -m "not browser and not ops and not model and not postgres"

# The test halves of the LTA question banks (the tuning halves are for tuning).
eval: install
	$(BIN)/coachbot eval --cases tests/banks/lta_in_scope.jsonl --cases tests/banks/lta_out_of_scope.jsonl \
		--cases tests/banks/lta_borderline.jsonl --half test

bench: install-test
	$(BIN)/python benchmarks/retrieval.py

clean:
	rm -rf $(VENV) instance build *.egg-info
