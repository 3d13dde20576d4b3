# Two commands a newcomer needs: `make desk` and `make test`. Both create/reuse .venv.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: desk test check install bench clean help

help:  ## list targets
	@grep -E '^[a-z]+:.*## ' Makefile | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,cluster]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the project with the test and cluster (Ray) extras

desk: $(STAMP)  ## install, make sure a model is installed, open the desk on seeds/
	$(BIN)/translator models ensure
	$(BIN)/translator desk seeds/

test: $(STAMP)  ## install and run the test suite
	$(BIN)/python -m pytest -q

check: $(STAMP)  ## static checks: ruff (lint) and mypy (types)
	$(BIN)/ruff check translator tests bench
	$(BIN)/mypy translator

bench: $(STAMP)  ## run the benchmarks in bench/
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:  ## remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache build *.egg-info
