# Điều hành — set-up, demo, tests and benchmarks. Needs only Python 3.11+, Node/npm and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
ASSETS := dieuhanh/static/vendor/.copied
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo serve test bench loadtest lint messages clean browser office

setup: $(STAMP) $(ASSETS)

$(STAMP): requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(ASSETS): node_modules/.package-lock.json
	mkdir -p dieuhanh/static/vendor/bootstrap dieuhanh/static/vendor/htmx dieuhanh/static/vendor/echarts \
	   dieuhanh/static/vendor/flatpickr dieuhanh/static/vendor/swagger-ui
	# The source maps too: the minified files name them, and the production static storage refuses a missing one.
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map \
	   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map \
	   dieuhanh/static/vendor/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js dieuhanh/static/vendor/htmx/
	cp node_modules/echarts/dist/echarts.min.js dieuhanh/static/vendor/echarts/
	# The date picker and its Vietnamese names of months and weekdays (dates are typed dd/mm/yyyy).
	cp node_modules/flatpickr/dist/flatpickr.min.js node_modules/flatpickr/dist/flatpickr.min.css \
	   node_modules/flatpickr/dist/l10n/vn.js dieuhanh/static/vendor/flatpickr/
	# The API's docs page (/api/v1/docs): Swagger UI, served by us (government networks are often offline).
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
	   node_modules/swagger-ui-dist/swagger-ui.css.map dieuhanh/static/vendor/swagger-ui/
	touch $(ASSETS)

# Debian's Chromium for the browser tests (Playwright drives it; nothing downloads a browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install chromium"; fi; }

# LibreOffice (DOCX to PDF for official documents) and poppler (the PDF tests read the PDF back).
office:
	@{ command -v soffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libreoffice-writer-nogui poppler-utils fonts-liberation2 >/dev/null; \
	  else echo "PDF of official documents needs LibreOffice: sudo apt-get install libreoffice-writer-nogui poppler-utils fonts-liberation2"; fi; }

demo: setup
	DEBUG=1 $(MANAGE) migrate --noinput
	DEBUG=1 $(MANAGE) demo
	@echo "Web server: http://$(HOST):$(PORT)/   (Ctrl-C stops it and the background worker)"
	DEBUG=1 $(MANAGE) run_huey --workers 1 & HUEY_PID=$$!; \
	  trap "kill $$HUEY_PID 2>/dev/null" EXIT INT TERM; \
	  DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

# The production server in the foreground (DEBUG off): migrate, collectstatic, gunicorn (gunicorn.conf.py) and the
# worker; Ctrl-C stops both. Settings from the environment or ENV_FILE=path; docs/deployment.md.
serve: setup
	HOST=$(HOST) PORT=$(PORT) PY=$(PY) deploy/serve.sh

# On as many processes as the machine has cores (at most 4; pytest-xdist), each with its own test database.
test: setup browser office
	$(VENV)/bin/pytest --numprocesses auto --maxprocesses 4

bench: setup
	$(PY) -m dieuhanh.bench
	$(PY) -m dieuhanh.bench_analytics
	$(PY) -m dieuhanh.bench_monitoring

# Leaders' pages under a crowd: gunicorn + PostgreSQL (DATABASE_URL, default a database dieuhanh_load it creates),
# locust headless on 127.0.0.1: 100 leaders on the overview, then a mixed load of 200 users for LOADTEST_MINUTES
# (default 10). Prints the figures and PASS/FAIL; exits 1 on FAIL. dieuhanh/loadtest.py says more.
loadtest: setup
	$(PY) -m dieuhanh.loadtest

lint: setup
	$(VENV)/bin/ruff check .

# Regenerate translation catalogues (needs GNU gettext); the compiled .mo files are committed.
messages: setup
	cd dieuhanh && ../$(MANAGE) makemessages -l vi --no-obsolete && ../$(MANAGE) compilemessages -l vi

clean:
	rm -rf $(VENV) node_modules dieuhanh/static/vendor var
