# Two commands on a fresh machine: `make demo` and `make test`. Both create the virtualenv and build
# the pinned Pulumi CLI from Go modules when needed (cached outside the repo, see scripts/install-pulumi).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: all venv pulumi lint generate test demo bench clean
all: test

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q --upgrade pip
	$(BIN)/python -m pip install --disable-pip-version-check -q -e '.[test]'
	touch $@

venv: $(INSTALLED)

pulumi: $(INSTALLED)
	scripts/install-pulumi $(VENV)

# The quality gates, with the versions and rules pinned in pyproject.toml.
lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Rewrite what is derived from the models: the typed resource classes, schema.json, docs/<cloud>.md.
generate: $(INSTALLED)
	$(BIN)/relaytask generate

test: lint pulumi
	$(BIN)/pytest

demo: pulumi
	$(BIN)/python scripts/demo.py

# Not part of `make test`: each CLI step on N tasks per cloud against its floor (README, "Benchmarks").
# Options go through BENCH_ARGS, e.g. make bench BENCH_ARGS="--tasks 20 --repeat 1 --clouds huawei".
bench: pulumi
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .demo .pytest_cache .mypy_cache .ruff_cache
