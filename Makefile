# The course kit's commands. On a fresh machine: `make demo`, then `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Each command installs what it needs: `make demo` the runtime packages only, `make test` the test
# extras too. An environment is brought up to date when the package list changes.
PACKAGES := $(shell cksum pyproject.toml | cut -d' ' -f1)
ENV_STAMP := $(VENV)/.installed-runtime-$(PACKAGES)
TEST_STAMP := $(VENV)/.installed-test-$(PACKAGES)
# nbgrader calls `alembic`, which must be on PATH.
export PATH := $(abspath $(BIN)):$(PATH)
export MPLBACKEND ?= Agg

.PHONY: env test-env demo lint check test bench mutation release data lab notebooks clean

env: $(ENV_STAMP)
test-env: $(TEST_STAMP)

$(ENV_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	rm -f $(VENV)/.installed-runtime-* && touch $@

$(TEST_STAMP): $(ENV_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-test-* && touch $@

## demo: build the release, autograde the bundled example submissions, print the grade table
demo: env
	$(BIN)/python -m instructor.demo

## lint: ruff, rules E, F, W, lines up to 120 characters ([tool.ruff] in pyproject.toml); the first step of check and test
lint: test-env
	$(BIN)/ruff check .

## check: the fast tier for every day: the lint, then every test not marked slow (tests/conftest.py lists the slow files)
check: lint
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not slow"

## test: the lint, then the whole test suite (what CI runs)
test: lint
	$(BIN)/python -m pytest -n 2 --dist loadfile

## bench: the grader against stock nbgrader autograde, then 1,000 submissions (not a test; BENCH_ARGS="--submissions N")
bench: test-env
	$(BIN)/python bench/grading.py $(BENCH_ARGS)

## mutation: mutation testing of the trusted core, module by module, with the share of mutants killed and
## the survivors (a bench, ~1 h on 2 cores; MUTATION_ARGS="--modules wire.py,compare.py" for some modules only)
mutation: test-env
	nice -n 15 $(BIN)/python bench/mutation.py $(MUTATION_ARGS)

## data: rebuild the checks' expected outputs and mistake fingerprints from source/
data: env
	$(BIN)/python -m instructor.build

## release: rebuild the case file, then release/ with nbgrader generate_assignment, then notebooks/
release: data
	$(BIN)/python -m instructor.release
	$(BIN)/python -m instructor.selfstudy

## notebooks: rebuild the self-study edition notebooks/{en,zh}/ from source/
notebooks: env
	$(BIN)/python -m instructor.selfstudy

## lab: JupyterLab on your own copy of the self-study notebooks: work/ (copied from notebooks/ once;
## later runs add new notebooks but never overwrite yours, and notebooks/ stays as generated)
lab: env
	mkdir -p work && cp -rn notebooks/. work/
	$(BIN)/jupyter lab --notebook-dir=work

clean:
	rm -rf build .pytest_cache
