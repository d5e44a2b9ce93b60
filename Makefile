# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test test-sqlite test-postgres lint format deps test-deps check-migrations bench clean translations docs-images

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.deps: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements-test.txt requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

CATALOGUES := $(wildcard translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

# Compiled catalogues (.mo) are build products, rebuilt whenever a .po changes.
translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(VENV)/.deps
	$(BIN)/pybabel compile --use-fuzzy -d translations -l $* >/dev/null

deps: $(VENV)/.deps $(COMPILED)

## make translations: extract Vietnamese msgids, update every catalogue, compile
translations: $(VENV)/.deps
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  --omit-header --no-wrap -o translations/messages.pot . >/dev/null
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching \
	  --no-wrap --ignore-obsolete
	$(BIN)/pybabel compile -d translations

SEAL_EVERY ?= 300
## make run: install, migrate the SQLite default, seed (and seal) the demo once, serve on :$(PORT),
## sealing new answers every $(SEAL_EVERY) s as the production timer does (docs/integrity.md)
run: deps
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@echo "Hài Lòng QR: http://127.0.0.1:$(PORT)  (Ctrl+C to stop)"
	(while sleep $(SEAL_EVERY); do $(FLASK) seal >/dev/null 2>&1; done) & sealer=$$!; \
	trap 'kill $$sealer' EXIT INT TERM; \
	PORT=$(PORT) $(BIN)/gunicorn -c deploy/gunicorn.conf.py wsgi:app

test-deps: $(VENV)/.test-deps $(COMPILED)
	./scripts/install-test-deps.sh

## make test: the whole suite on SQLite, then on a throwaway PostgreSQL
test: test-deps
	$(BIN)/ruff check survey tests bench
	$(MAKE) check-migrations
	$(BIN)/pytest --db sqlite
	$(BIN)/pytest --db postgres

test-sqlite: test-deps
	$(BIN)/pytest --db sqlite -m "not browser"

test-postgres: test-deps
	$(BIN)/pytest --db postgres -m "not browser"

## make docs-images: retake the user guide's screenshots (docs/images) from the Chromium tests
docs-images: test-deps
	UPDATE_DOC_IMAGES=1 $(BIN)/pytest --db sqlite tests/browser/test_console_flows.py

check-migrations: $(VENV)/.deps
	DATABASE_URL=sqlite:///$$(mktemp -d)/check.sqlite3 sh -c '$(FLASK) db upgrade >/dev/null 2>&1 && $(FLASK) db check'

lint: $(VENV)/.test-deps
	$(BIN)/ruff check survey tests bench
	$(BIN)/ruff format --check survey tests bench

format: $(VENV)/.test-deps
	$(BIN)/ruff format survey tests bench
	$(BIN)/ruff check --fix survey tests bench

clean:
	rm -rf $(VENV) instance/*.sqlite3*
