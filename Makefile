# consentgate — two commands do all the set-up:
#   make run    creates .venv, installs, and serves the gateway on 127.0.0.1:8000
#   make test   the same install, then the test suite
VENV ?= .venv
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
BIN = $(VENV)/bin
STAMP = $(VENV)/.consentgate-installed

.PHONY: install run test bench lint fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch==2.9.1 + torchaudio==2.9.1 are pinned in pyproject.toml (the pair Coqui TTS needs).
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/consentgate serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/overhead.py
	$(BIN)/python bench/engine_times.py
	$(BIN)/python bench/voice.py
	$(BIN)/python bench/speaker_similarity.py --language en
	$(BIN)/python bench/speaker_similarity.py --language cmn
	$(BIN)/python bench/copy_detection.py
	$(BIN)/python bench/phrase_check.py --n 40
	$(BIN)/python bench/content_rules.py
	$(BIN)/python bench/audit_search.py
	$(BIN)/python bench/load.py --scenario denied --rate 50 200 --duration 10 --set rate_limit_client_per_minute=1000000
	$(BIN)/python bench/load.py --scenario image speech --rate 5 20 --duration 10
	$(BIN)/python bench/audit_verify.py
	$(BIN)/python bench/signed_appends.py
	$(BIN)/python bench/memory.py

fuzz: install
	$(BIN)/python bench/fuzz_api.py --examples 200

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
