# Two commands: `make demo` and `make test`. Both create .venv at the repo root.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo-out
DEMO_CHILDREN ?= 2000
DEMO_SEED ?= 7

.PHONY: venv demo test lint bench clean sysdeps messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

sysdeps:
	@bash scripts/sysdeps.sh

demo: venv sysdeps
	@bash scripts/demo.sh "$(DEMO_DIR)" "$(DEMO_CHILDREN)" "$(DEMO_SEED)"

test: venv sysdeps
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

# bench/ingest.py by default; BENCH=linkage (or indicators, safeguards, privacy, release,
# report, web) runs another script of bench/ (see bench/README.md).
BENCH ?= ingest
bench: venv sysdeps
	$(BIN)/python bench/$(BENCH).py

# The translations (docs/languages.md): extract every marked message (babel.cfg), merge
# it into each language's catalogue, compile the .mo files beside the .po files.
LOCALE := src/endvac/i18n/locale
LANGS := pt fr es ar
messages: venv
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --no-wrap --omit-header \
		-k N_ -o $(LOCALE)/endvac.pot src
	for lang in $(LANGS); do \
		$(BIN)/pybabel update --ignore-obsolete --no-fuzzy-matching --no-wrap -D endvac \
			-i $(LOCALE)/endvac.pot -d $(LOCALE) -l $$lang || exit 1; done
	$(BIN)/pybabel compile --statistics -D endvac -d $(LOCALE)

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache
