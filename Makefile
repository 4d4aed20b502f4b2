# Guild — build, run and test. `make run` starts the local devnet; `make test` is what CI runs.
GO        ?= go
BIN       := build/guildd
PKGS      := ./...
export GUILDD_BIN := $(CURDIR)/$(BIN)

.PHONY: build run test test-unit test-e2e lint proto proto-check bench clean
.PHONY: test-chaos

build:
	$(GO) build -o $(BIN) ./cmd/guildd

run: build
	./$(BIN) dev $(ARGS)

# Everything CI runs: formatting, vet, generated code up to date, unit + keeper + app tests, guards
# and the end-to-end tests against real guildd processes. One package at a time (-p 1): the
# end-to-end tests run devnets and workloads, and the process-driver tests time real signals.
test: build lint proto-check
	$(GO) test -p 1 -count=1 -timeout 60m $(PKGS)
	$(GO) test -count=1 -tags upgradetest ./x/provider/... ./app/...

test-unit:
	$(GO) test -count=1 $$($(GO) list ./... | grep -v /tests/e2e)

test-e2e: build
	$(GO) test -count=1 -timeout 40m ./tests/e2e/...

# The long "load under chaos" run: 90 s of load while validators are killed and restarted.
test-chaos: build
	GUILD_CHAOS_LONG=1 $(GO) test -count=1 -timeout 15m -run TestLoadUnderChaos -v ./tests/e2e/

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '\.pb\.go$$\|\.pb\.gw\.go$$')); \
	  if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

# Go code, gRPC-gateway routes and the OpenAPI document (internal/openapi/openapi.json).
proto:
	bash scripts/protocgen.sh

# Regenerates into the tree and fails if anything changed.
proto-check:
	@if command -v protoc >/dev/null; then \
	  bash scripts/protocgen.sh >/dev/null && git diff --exit-code -- '*.pb.go' '*.pb.gw.go' internal/openapi/openapi.json \
	    || { echo "generated protobuf code is stale: run make proto"; exit 1; }; \
	else echo "protoc not installed; skipping proto-check (CI installs it)"; fi

bench: build
	bash bench/run.sh

clean:
	rm -rf build
