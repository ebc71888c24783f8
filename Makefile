# Alliance C2 Workbench: `make demo` and `make test` each create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
APT_PACKAGES := chromium fonts-noto-cjk

.PHONY: demo test lint system-deps bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP) system-deps
	$(VENV)/bin/alliance-c2 compare-all
	$(VENV)/bin/alliance-c2 evaluate --out alliance-c2-report

# Debian packages for the real-browser tests (Chromium, CJK fonts). Installs only what is
# missing, and only as root; otherwise it says what to install.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "system packages present:$(APT_PACKAGES)"; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null && echo "installed:$$missing"; \
	else echo "note: browser tests need these Debian packages (run as root: apt-get install$$missing)"; fi

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy

# PostgreSQL tests run against $$ALLIANCE_C2_TEST_PG_URL, else the default local server when it
# answers; otherwise one line says they are skipped and why.
test: $(STAMP) system-deps lint
	@url="$$($(PY) .ci/pg_test_url.py)"; \
	if [ -n "$$url" ]; then echo "PostgreSQL tests: $$url"; export ALLIANCE_C2_TEST_PG_URL="$$url"; fi; \
	$(VENV)/bin/pytest -q -n 2

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
