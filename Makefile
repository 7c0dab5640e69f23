# akhbar: `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SITE ?= enabbaladi
OUT ?= output

.PHONY: demo test crawl scrapyd scrapyd-stop redis redis-stop lint typecheck bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,bench,scrapyd]"
	touch $(STAMP)

## Crawl the bundled replica of Enab Baladi over loopback and show a record (offline).
demo: $(STAMP)
	$(BIN)/akhbar demo

## Run the whole test suite.
test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

## Crawl the real site (needs the internet): make crawl SITE=enabbaladi
crawl: $(STAMP)
	$(BIN)/akhbar crawl $(SITE) --out $(OUT)

## scrapyd on 127.0.0.1:6800: start it, deploy akhbar, schedule SITE (BASE_URL for a mirror).
scrapyd: $(STAMP)
	scripts/scrapyd.sh start
	scripts/scrapyd.sh deploy
	scripts/scrapyd.sh schedule $(SITE) $(BASE_URL)

scrapyd-stop:
	scripts/scrapyd.sh stop

## Redis for distributed crawls on 127.0.0.1:6379 (installs redis-server; data in state/redis).
redis:
	scripts/redis.sh start

redis-stop:
	scripts/redis.sh stop

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy && $(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache state
