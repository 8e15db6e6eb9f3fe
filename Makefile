# Two commands do all set-up on a fresh machine:
#   make run    install everything pinned, build the demo warehouse, start metricloop
#               (the Slack bot when SLACK_BOT_TOKEN is set, otherwise a local chat in the terminal)
#   make test   install everything pinned, lint (ruff) and run the whole test suite
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test bench demo fonts

setup: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	# torch is pinned (CPU build) in the same install as sentence-transformers
	$(VENV)/bin/pip install -e '.[dev]'
	-bash scripts/install_fonts.sh
	touch $(STAMP)

demo: setup
	$(VENV)/bin/metricloop demo --if-missing

run: demo
	$(VENV)/bin/metricloop start

test: setup
	$(VENV)/bin/ruff check src tests bench
	$(PY) -m pytest -n 2

bench: demo
	for b in bench/bench_*.py; do $(PY) $$b || exit 1; done
