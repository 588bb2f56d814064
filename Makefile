# Jianfu (监扶) — see README.md. `make run` and `make test` are the two
# commands a newcomer needs; CI runs `make test` and `make check`.
SHELL := /bin/bash
GO ?= go
TEMPL_VERSION := $(shell $(GO) list -m -f '{{.Version}}' github.com/a-h/templ)
TEMPL := $(GO) run github.com/a-h/templ/cmd/templ@$(TEMPL_VERSION)
# staticcheck runs at a pinned version outside go.mod: as a tool dependency
# it would pull its golang.org/x/tools into the module graph, which ent's
# code generation formats with.
STATICCHECK := $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
ADDR ?= 127.0.0.1:8080
DB ?= sqlite:data/jianfu.db
# Packages whose code runs concurrently get the race detector; the storage
# and end-to-end suites run without it (modernc's pure-Go SQLite is ~10×
# slower under -race) and have their own concurrency tests.
RACE_PKGS := ./forms/... ./workflows/... ./roles/... ./ui/...

.PHONY: run build test check generate bench fmt vet lint

run: build
	./bin/jianfu serve --addr $(ADDR) --db $(DB)

build:
	$(GO) build -o bin/jianfu ./cmd/jianfu

test:
	@./.ci/probe
	$(GO) test -race -count=1 $(RACE_PKGS)
	$(GO) test -count=1 $$($(GO) list ./... | grep -v -e /forms -e /workflows -e /roles -e /ui)

check: fmt vet lint
	@./.ci/generated-fresh

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

lint:
	$(STATICCHECK) ./...

generate:
	$(GO) generate ./ent
	$(TEMPL) generate -path ui

bench:
	$(GO) run ./cmd/jianfu bench --out docs/BENCHMARKS.md
