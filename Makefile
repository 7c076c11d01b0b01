# Pinned versions of the front-end packages vendored into static/ and testdata.
NHSUK_FRONTEND_VERSION := 10.6.1
AXE_CORE_VERSION := 4.11.1
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable

.PHONY: run test test-sqlite test-postgres lint assets build docs-report bench-smoke

# Runs the service on the embedded SQLite database with demo data.
run:
	go run ./app --demo

build:
	go build -o bin/app ./app

# Every test on SQLite, then on PostgreSQL. Without a reachable PostgreSQL
# the second run is skipped with a message, except in CI (CI=true) where
# it fails.
test: test-sqlite test-postgres

test-sqlite:
	@echo "== tests on SQLite (temporary files)"
	TEST_DATABASE_URL= go test -count=1 ./...

test-postgres:
	@if pg_isready -q -d "$(TEST_DATABASE_URL)" 2>/dev/null || psql "$(TEST_DATABASE_URL)" -c 'SELECT 1' >/dev/null 2>&1; then \
		echo "== tests on PostgreSQL ($(TEST_DATABASE_URL), a fresh schema per test)"; \
		TEST_DATABASE_URL="$(TEST_DATABASE_URL)" go test -count=1 ./... ; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable at $(TEST_DATABASE_URL): CI requires it"; exit 1; \
	else \
		echo "== PostgreSQL not reachable at $(TEST_DATABASE_URL): PostgreSQL run skipped (set TEST_DATABASE_URL)"; \
	fi

# Runs every Go benchmark once, on SQLite, to prove they still work. This is
# a smoke run, not a measurement: see docs/reports.md for the figures and
# the commands that measure them.
bench-smoke:
	TEST_DATABASE_URL= go test -run XXX -bench . -benchtime 1x ./...

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	go vet ./...
	go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

# Refreshes the vendored NHS.UK frontend and axe-core from npm at the pinned versions.
assets:
	rm -rf .assets-tmp && mkdir -p .assets-tmp
	cd .assets-tmp && npm pack --silent nhsuk-frontend@$(NHSUK_FRONTEND_VERSION) axe-core@$(AXE_CORE_VERSION) >/dev/null
	cd .assets-tmp && tar xzf nhsuk-frontend-$(NHSUK_FRONTEND_VERSION).tgz && mv package nhsuk
	cd .assets-tmp && tar xzf axe-core-$(AXE_CORE_VERSION).tgz && mv package axe
	cp .assets-tmp/nhsuk/dist/nhsuk/nhsuk-frontend.min.css .assets-tmp/nhsuk/dist/nhsuk/nhsuk-frontend.min.js static/nhsuk/
	sed -i 's#/assets/images/#/static/images/#g' static/nhsuk/nhsuk-frontend.min.css
	sed -i '/sourceMappingURL/d' static/nhsuk/nhsuk-frontend.min.js static/nhsuk/nhsuk-frontend.min.css
	cp .assets-tmp/nhsuk/dist/nhsuk/assets/images/*.svg .assets-tmp/nhsuk/dist/nhsuk/assets/images/*.png .assets-tmp/nhsuk/dist/nhsuk/assets/images/favicon.ico static/images/
	echo "$(NHSUK_FRONTEND_VERSION)" > static/nhsuk/VERSION
	cp .assets-tmp/axe/axe.min.js handlers/testdata/axe.min.js
	cp .assets-tmp/axe/LICENSE handlers/testdata/axe-LICENSE.txt
	rm -rf .assets-tmp

# Regenerates the PNG pages of the demo board report in docs/board-report.
docs-report:
	rm -rf .report-tmp && mkdir -p .report-tmp
	DEMO_REPORT_OUT=$(CURDIR)/.report-tmp TEST_DATABASE_URL= go test ./app -run TestDemoBoardReport -count=1
	rm -f docs/board-report/*.png
	pdftoppm -png -r 50 .report-tmp/demo-board-report-2025-26.pdf docs/board-report/page
	rm -rf .report-tmp
