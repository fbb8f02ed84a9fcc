# mesa — make help lists the targets.
GO      ?= go
PKGS    := ./...
BIN     := bin/mesa
DEMO    := var/demo

.PHONY: help build test lint bench demo chaos fuzz screenshot clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  %-8s %s\n", $$1, $$2}'

build: ## build bin/mesa
	$(GO) build -o $(BIN) ./cmd/mesa

test: ## all tests, with the race detector, shuffled
	$(GO) test -race -shuffle=on -count=1 -timeout 9m $(PKGS)

lint: ## gofmt, go vet, and staticcheck when it can be installed
	@test -z "$$(gofmt -l cmd internal)" || { gofmt -l cmd internal; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet $(PKGS)
	@if $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 -version >/dev/null 2>&1; then \
		$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 $(PKGS); \
	else echo "staticcheck not installable here: skipped"; fi

bench: ## benchmarks (figures, no thresholds)
	$(GO) test -run '^$$' -bench . -benchmem -count=1 -timeout 30m $(PKGS)

demo: build ## seed a realistic office and run it through simulated weeks; results in var/demo
	rm -rf $(DEMO)
	$(BIN) demo --data $(DEMO)

chaos: ## 1000 seeded fault/crash schedules against the invariants of DESIGN.md §11 (make test runs 20)
	$(GO) test -run TestChaos -count=1 -timeout 45m ./internal/chaos/ -chaos.schedules=1000 -chaos.kill9=20 -v

fuzz: ## run every fuzz target for FUZZTIME (default 60s) each
	@for t in ./internal/forms:FuzzParseCSV ./internal/procedure:FuzzParseCaseNumber ./internal/procedure:FuzzParseDate ./internal/procedure:FuzzNorm ./internal/worker:FuzzParseSLA ./cmd/mesa:FuzzLoadConfig ./internal/workbook:FuzzA1 ./internal/workbook:FuzzPlan ./internal/notify:FuzzBuild; do \
		echo "== $$t"; $(GO) test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $${FUZZTIME:-60s} -fuzzminimizetime 5s $${t%%:*} || exit 1; done

screenshot: ## the monthly HTML report in headless Chromium (apt-get install chromium): PNG and PDF in var/screenshot
	mkdir -p var/screenshot
	$(GO) test -count=1 -run Chromium ./internal/report -screenshot $(CURDIR)/var/screenshot -v

clean: ## remove build output and local state
	rm -rf bin var
