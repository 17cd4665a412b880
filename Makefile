# Billport — the two commands that matter: `make run` and `make test`.
# Each installs the Debian packages it needs when they are missing (as root, or with sudo).

SWIFT        ?= swift
APT_PACKAGES := libsqlite3-dev libssl-dev libcurl4-openssl-dev python3-aiosmtpd python3-venv pkg-config sqlite3 fonts-dejavu-core poppler-utils qpdf zbar-tools libpq-dev postgresql
ONLY         ?=

.PHONY: deps build run test test-venv test-tools bench fuzz sample-pdf screenshots clean

deps:
	@missing=""; \
	for package in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing missing Debian packages:$$missing"; \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build

# Builds the debug binaries and starts everything in one process on data/billport.sqlite.
run: build
	@.build/debug/billport demo
	@echo ""
	@echo "Billport is starting on data/billport.sqlite (Ctrl-C drains and stops)."
	@echo "  Inspect the queue:      .build/debug/billport jobs stats"
	@echo "  Emails (no SMTP set):   data/outbox/*.eml"
	@echo "  See the schedules:      .build/debug/billport schedules"
	@echo ""
	.build/debug/billport serve

# Every test: unit tests, then integration tests against real processes and a real SQLite file.
# Every test on SQLite, then the suites that touch a store once more on PostgreSQL (a throwaway
# server the tests start themselves from the postgresql package), then the multi-host test alone:
# its seven processes and 10,000 jobs would starve the timing-sensitive tests beside it.
POSTGRES_SUITES = ^(PostgreSQLTests|BillingStoreTests|QueueTests|SchedulerTests|WorkerTests|APITests|BillportAppTests\.SharedSecretsTests)\.
test: deps test-venv test-tools
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip MultiHostTests
	BILLPORT_TEST_BACKEND=postgres $(SWIFT) test --skip-build --filter '$(POSTGRES_SUITES)'
	$(SWIFT) test --skip-build --filter MultiHostTests

# PyPI tools the tests check Billport against, in .build/test-venv: `standardwebhooks` verifies
# the outgoing webhook signatures; `prometheus_client` parses /metrics scrapes (MetricsProcessTests);
# `schemathesis` tests a live server against docs/openapi.json (OpenAPIConformanceTests); `saxonche`,
# `factur-x` and `drafthorse` check the e-invoices (EInvoiceValidationTests), `pikepdf` the PDF/A-3
# files (ArchivalPDFTests, FacturXPDFTests). A test
# whose tool could not be installed is skipped, saying so.
test-venv:
	@[ -x .build/test-venv/bin/python ] && .build/test-venv/bin/python -c "import standardwebhooks" 2>/dev/null || { echo "Installing standardwebhooks (PyPI) into .build/test-venv"; python3 -m venv .build/test-venv && .build/test-venv/bin/pip install -q standardwebhooks || echo "standardwebhooks unavailable; its signature check is skipped"; }
	@[ -x .build/test-venv/bin/python ] && .build/test-venv/bin/python -c "import prometheus_client" 2>/dev/null || { echo "Installing prometheus_client (PyPI) into .build/test-venv"; { [ -x .build/test-venv/bin/python ] || python3 -m venv .build/test-venv; } && .build/test-venv/bin/pip install -q prometheus_client || echo "prometheus_client unavailable; the metrics scrape tests are skipped"; }
	@[ -x .build/test-venv/bin/schemathesis ] || { echo "Installing schemathesis (PyPI) into .build/test-venv"; { [ -x .build/test-venv/bin/python ] || python3 -m venv .build/test-venv; } && .build/test-venv/bin/pip install -q "schemathesis>=4,<5" || echo "schemathesis unavailable; the OpenAPI conformance run is skipped"; }
	@[ -x .build/test-venv/bin/python ] && .build/test-venv/bin/python -c "import saxonche, facturx, drafthorse, pikepdf" 2>/dev/null || { echo "Installing saxonche, factur-x, drafthorse, pikepdf (PyPI) into .build/test-venv"; { [ -x .build/test-venv/bin/python ] || python3 -m venv .build/test-venv; } && .build/test-venv/bin/pip install -q saxonche factur-x drafthorse pikepdf || echo "e-invoice validators unavailable; the CII validation is skipped"; }

# nginx, unpacked into .build/tools without installing it (no daemon, no system change), so that
# DeploymentFilesTests runs `nginx -t` on deploy/nginx/billport.conf; skipped, saying so, if absent.
# Headless Chromium renders the buyer's page for PaymentCodeTests (zbarimg reads its payment code).
test-tools:
	@command -v chromium >/dev/null 2>&1 || { echo "Installing chromium (headless, for the payment-code test of the buyer's page)"; if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends chromium || echo "chromium unavailable; the page's payment-code test is skipped"; }
	@command -v nginx >/dev/null 2>&1 || [ -x .build/tools/usr/sbin/nginx ] || { echo "Unpacking nginx into .build/tools (for nginx -t on the sample config)"; mkdir -p .build/tools && cd .build/tools && apt-get download -q nginx >/dev/null 2>&1 && dpkg-deb -x nginx_*.deb . && rm -f nginx_*.deb || echo "nginx unavailable; the nginx -t check is skipped"; }

# Release build; prints a table and `BENCH <metric> <value> <unit>` lines. `make bench ONLY=queue`
# or ONLY=http (wrk on loopback against billport serve and a Hummingbird 2 hello-world yardstick
# built outside the repository by bench/hummingbird-peer.sh), or ONLY=email (SMTP to a local
# aiosmtpd sink, Python's smtplib as the yardstick), or ONLY=einvoice (the CII XML of the sample invoice),
# or ONLY=postgres (the queue and the buyer's JSON view on a throwaway PostgreSQL server, beside SQLite's).
bench: deps
	@command -v wrk >/dev/null 2>&1 || { echo "Installing wrk"; if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends wrk; }
	@[ -x .build/weasyprint-venv/bin/python ] || { echo "Installing WeasyPrint (PyPI) as the PDF yardstick"; python3 -m venv .build/weasyprint-venv && .build/weasyprint-venv/bin/pip install -q weasyprint || echo "WeasyPrint unavailable; the pdf group runs without it"; }
	$(SWIFT) build -c release --product billport
	$(SWIFT) build -c release --product billport-bench
	.build/release/billport-bench $(if $(ONLY),--only $(ONLY),)

# libFuzzer (with ASan) on every target of Fuzz/run.sh (HTTP parser, logo images, TrueType, JSON
# request bodies, provider events, MIME) for
# FUZZ_SECONDS (60) seconds each, from the seeds in Fuzz/corpus/<target>; fails on any crash.
fuzz: deps
	bash Fuzz/run.sh

# A sample legal invoice (multilingual, seller and buyer details, two VAT rates, bank details; 3 pages with a logo-free header) and PNGs of its pages, to look at.
sample-pdf: build
	@mkdir -p .build/sample
	.build/debug/billport sample-pdf --out .build/sample/sample-invoice.pdf --lines 40
	pdftoppm -png -r 80 .build/sample/sample-invoice.pdf .build/sample/page
	@ls .build/sample

# PNGs of the buyer's page at phone and desktop widths (headless Chromium, installed if missing).
screenshots: build
	bash scripts/screenshots.sh

clean:
	rm -rf .build
