# The two set-up commands of the README, plus what they are built from.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000

.PHONY: run test venv lint typecheck migrations-check pytest messages bench clean

# Python keeps compiled modules (and pytest its rewritten test modules) even where the environment
# says not to: without them every pytest worker spends about 7 s of its start rewriting the 580 test
# modules again, and every `kotacerdas` subprocess of the tests compiles the project again.
unexport PYTHONDONTWRITEBYTECODE

$(BIN)/kotacerdas: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

venv: $(BIN)/kotacerdas

## make run: KotaCerdas with the demo data on SQLite at http://127.0.0.1:8000
run: venv
	KOTACERDAS_DEBUG=true $(BIN)/kotacerdas setup
	KOTACERDAS_DEBUG=true $(BIN)/kotacerdas demo
	@echo "KotaCerdas runs at http://$(HOST)/ with its job worker (stop with Ctrl+C)."
	KOTACERDAS_DEBUG=true $(BIN)/kotacerdas db_worker --no-reload -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	KOTACERDAS_DEBUG=true $(BIN)/kotacerdas runserver $(HOST)

## make test: lint, types, migration check and every test (SQLite unless KOTACERDAS_DATABASE_URL is set)
# The checks run beside the tests (mypy alone takes half a minute of one core on a fresh clone); their
# output follows the tests' and either failing fails `make test`.
test: venv
	@checks=$$(mktemp); \
	( $(MAKE) --no-print-directory lint typecheck migrations-check > "$$checks" 2>&1; echo "$$?" > "$$checks.rc" ) & \
	$(MAKE) --no-print-directory pytest; tests=$$?; \
	wait; cat "$$checks"; failed=$$(cat "$$checks.rc"); rm -f "$$checks" "$$checks.rc"; \
	if [ "$$failed" != 0 ]; then echo "make test: the checks above failed" >&2; exit 1; fi; \
	exit $$tests

lint: venv
	$(BIN)/ruff check kotacerdas bench tests conftest.py
	$(BIN)/ruff format --check kotacerdas bench tests conftest.py

typecheck: venv
	$(BIN)/mypy kotacerdas

migrations-check: venv
	KOTACERDAS_DEBUG=true $(BIN)/kotacerdas makemigrations --check --dry-run

# One pytest worker per core (pytest-xdist; each has its own test database); PYTEST_WORKERS=0 runs
# in one process, e.g. to read a failure in order. PYTEST_ARGS adds options, e.g.
# PYTEST_ARGS='-m "not browser"'.
# The test databases are made from the models (--no-migrations: 0.5 s instead of 7-8 s of CPU per
# worker); the migrations themselves are applied from an empty database by the tests that set up a
# laptop install and move it to PostgreSQL, and by `make run` (docs/decisions/0016-ci-time.md,
# 0019-squashed-migrations.md).
PYTEST_WORKERS ?= auto
PYTEST_ARGS ?=
pytest: venv
	$(BIN)/pytest -n $(PYTEST_WORKERS) --no-migrations $(PYTEST_ARGS)

## make messages: refresh the translation catalogue after changing user-facing text
messages: venv
	cd kotacerdas && KOTACERDAS_DEBUG=true ../$(BIN)/kotacerdas makemessages -l id --no-obsolete --add-location file
	cd kotacerdas && KOTACERDAS_DEBUG=true ../$(BIN)/kotacerdas compilemessages -l id

bench: venv
	KOTACERDAS_DEBUG=true $(BIN)/python bench/region_home_queries.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
