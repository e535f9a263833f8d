# briefgen: `make run` builds the sample briefing, `make test` runs the checks. Both set everything up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT := build

.PHONY: install run test lint typecheck pytest eval bench samples schemas system-deps clean

# WeasyPrint needs Pango (and fonts) from the system. Install them when missing and we are root; otherwise say how.
# The review page's tests drive Debian's Chromium (through Playwright's Python package, which downloads nothing).
system-deps:
	@if ! /sbin/ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || ! /sbin/ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so' \
	    || ! fc-list 2>/dev/null | grep -qi 'dejavu'; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Pango and fonts for WeasyPrint (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fontconfig >/dev/null; \
	  else \
	    echo "briefgen needs Pango, HarfBuzz and fonts for PDF output: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core" >&2; \
	    exit 1; \
	  fi; \
	fi
	@if ! command -v chromium >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Chromium for the review page's browser tests (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi
	@# Tesseract reads scanned reviews (OCR). Optional: without it a scanned PDF goes to review, as it says.
	@if ! command -v tesseract >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Tesseract for OCR (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr >/dev/null; \
	  else \
	    echo "note: scanned PDFs need Tesseract for OCR: sudo apt-get install tesseract-ocr" >&2; \
	  fi; \
	fi

$(STAMP): pyproject.toml | system-deps
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/briefgen build samples

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks samples/build_samples.py
	$(BIN)/ruff format --check src tests benchmarks samples/build_samples.py

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck pytest

# Accuracy on the labelled samples: screening decisions, dates, case features, precision/recall per code.
eval: $(STAMP)
	$(BIN)/briefgen -q screen samples/corpus --out $(OUT)/eval/screening.json
	$(BIN)/briefgen -q code $(OUT)/eval/screening.json --out $(OUT)/eval/coded.json
	$(BIN)/briefgen eval samples/labels.yaml --screening $(OUT)/eval/screening.json --coded $(OUT)/eval/coded.json \
	  --json $(OUT)/eval/eval.json

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

samples: $(STAMP)
	$(BIN)/python samples/build_samples.py

# The JSON Schemas shipped in codebooks/, from the models that read each file (a test keeps them equal).
schemas: $(STAMP)
	for name in codebook criteria overrides corrections briefing project lexicon labels; do \
	  $(BIN)/briefgen schema $$name --out codebooks/$$name.schema.json; done

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache
