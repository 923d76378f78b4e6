# Two commands for a new machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test quick lint bench bench-large sample clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q stakeworks screens widgets db  # quicker first start where bytecode is not written
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/stakeworks demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2

quick: $(STAMP)  # while developing: everything but the tests marked slow (crashes, packaging, bench smoke)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

sample: $(STAMP)
	$(BIN)/python scripts/make_sample.py sample.db

bench: $(STAMP)
	$(BIN)/python -m bench.run

bench-large: $(STAMP)  # the 50,000-account store beside the 10k figures (generated once: ~2 min, 0.8 GB)
	$(BIN)/python -m bench.run --large

clean:
	rm -rf $(VENV) .pytest_cache
