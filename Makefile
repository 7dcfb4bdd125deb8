# curator: see README.md. Every target works on a machine with only Go installed;
# targets that need more (protoc, staticcheck) install it themselves.

GO        ?= go
BIN       ?= bin/curator
TAGS      ?=
GOBIN     := $(shell $(GO) env GOPATH)/bin
STATICCHECK_VERSION := v0.8.2
POOL_DOCS ?= 20000
POOL_DIR  ?= /tmp/curator-pool-$(POOL_DOCS)

.PHONY: build test race lint docs proto bench example example-cluster test-faults fuzz clean screenshots

## build: bin/curator, stamped with its VCS revision when built in a git checkout (run.json records it).
## TAGS=trafilatura adds the extract step's trafilatura engine.
build:
	$(GO) build -buildvcs=auto -tags '$(TAGS)' -o $(BIN) ./curator

## test: every test, with the race detector (the README's test command).
test:
	bash .ci/test.sh

lint:
	$(GO) vet ./...
	@test -x $(GOBIN)/staticcheck || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	$(GOBIN)/staticcheck ./...
	@test -z "$$(gofmt -l .)" || { echo "not gofmt-formatted:"; gofmt -l .; exit 1; }

## docs: regenerate docs/recipes.md from the step registry.
docs:
	$(GO) run ./curator steps --markdown > docs/recipes.md

## proto: regenerate proto/*.pb.go (installs protoc and protoc-gen-go if missing).
proto:
	bash proto/gen.sh

## example: the README's first command: DCLM-Baseline and the weak recipe on the
## bundled sample, evaluated; out/example/report.html is its report.
example:
	$(GO) run ./curator run --overwrite --recipe recipes/dclm-baseline.yaml --recipe recipes/weak-langid.yaml --eval --output out/example testdata/example

## screenshots: the browser tests, saving their screenshots of the example run's
## report and of a live dashboard in docs/ (installs nothing: needs chromium).
screenshots:
	CURATOR_SCREENSHOTS=$(CURDIR)/docs $(GO) test -count=1 -run 'InBrowser' ./internal/e2e/

## bench: Go benchmarks of the hot paths, then the end-to-end run on a pool
## from ../shared/bench/make_pool.py (needs python3 and ../shared).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	@test -d $(POOL_DIR) || python3 ../shared/bench/make_pool.py --docs $(POOL_DOCS) --out $(POOL_DIR)
	bash .ci/bench-pool.sh --update $(POOL_DIR)

## fuzz: a short fuzzing round of every parser.
fuzz:
	bash .ci/fuzz.sh 30s

clean:
	rm -rf bin out

## example-cluster: the example in cluster mode on loopback: a NATS JetStream
## server, a coordinator and two workers (real processes), then stops them.
example-cluster:
	bash scripts/example-cluster.sh

## test-faults: every cluster fault test (the CI runs the -short subset).
test-faults:
	$(GO) test -count=1 -v -timeout 30m ./internal/faults/
