# Two commands set up a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint env docs clean

env: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

## Check the bundled demo workbook, then render its quarter reports into outputs/2026Q3.
demo: $(STAMP)
	$(BIN)/kamkit validate
	$(BIN)/kamkit run parameters/2026Q3.yaml

## Lint and type-check, then run the whole test suite (notebooks included) on both cores:
## the CI gate.
test: lint
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n 2

## The fast tier while developing: every test that starts no kernel and no browser and is
## not marked slow. Bytecode is written even where PYTHONDONTWRITEBYTECODE is set: each test
## process would otherwise compile kamkit and rewrite every test module's asserts again
## (about 4 s of CPU per process).
test-fast: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -m "not notebook and not browser and not slow" -n 2 -q

## ruff, then mypy on the kamkit package ([tool.mypy] in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

## Regenerate docs/workbook.md from kamkit/schema.py and docs/run-definition.md from the
## run options declared in kamkit/batch/definition.py.
docs: $(STAMP)
	$(BIN)/python -m kamkit.schema_docs
	$(BIN)/python -m kamkit.batch.definition_docs

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
