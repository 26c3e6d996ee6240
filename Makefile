# vetgraph: the two commands a newcomer needs are `make run` and `make test`.
.PHONY: run test lint generate check-generate neo4j-start neo4j-stop build image image-check

run: ## build, start the embedded Neo4j if needed, load the seed graph, serve on :8080
	scripts/run.sh

test: ## every test, against a real Neo4j started for the run
	scripts/test.sh

lint: ## golangci-lint (pinned in tools/lint, config .golangci.yml)
	scripts/lint.sh

build:
	go build -ldflags "-X main.version=$$(git describe --tags --always --dirty 2>/dev/null)" -o bin/vetgraph ./cmd/vetgraph

generate: ## regenerate gqlgen's code from schema.graphqls
	go generate ./...

check-generate: generate ## fail when generated code is not up to date
	git diff --exit-code || (echo "generated code is stale: run make generate and commit" >&2; exit 1)

neo4j-start:
	scripts/neo4j start

neo4j-stop:
	scripts/neo4j stop

.PHONY: bench bench-smoke
bench: ## benchmark vetgraph against @neo4j/graphql and the raw-Bolt floor at 10k, 100k and 1M nodes (bench/report.md)
	cd bench/peer && npm ci --no-audit --no-fund --loglevel=error
	go run ./bench/cmd/vetbench $(BENCH_FLAGS)

bench-smoke: ## the benchmark's CI smoke run: ~2k nodes, correctness and db hits, no load (bench/smoke-report.md)
	cd bench/peer && npm ci --no-audit --no-fund --loglevel=error
	go run ./bench/cmd/vetbench -smoke $(BENCH_FLAGS)

# The container image, built without Docker and without a registry
# (tools/image: go-containerregistry, an empty base): the static binary, the
# data files, this machine's CA bundle, user 65532, `vetgraph serve` on :8080.
# The same commit gives the same image digest (every time in it is the
# commit's). IMAGE_ARCH=arm64 builds for arm64 (the check then cannot run it).
IMAGE_ARCH ?= $(shell go env GOARCH)
IMAGE_VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
IMAGE_REVISION := $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
IMAGE_CREATED := $(shell git log -1 --format=%cI 2>/dev/null || date -u +%Y-%m-%dT%H:%M:%SZ)
IMAGE_BIN := bin/linux-$(IMAGE_ARCH)/vetgraph
IMAGE_FLAGS = -arch $(IMAGE_ARCH) -version $(IMAGE_VERSION) -revision $(IMAGE_REVISION) \
	-oci $(CURDIR)/bin/vetgraph-oci -tar $(CURDIR)/bin/vetgraph-image.tar

image: ## OCI image without Docker: bin/vetgraph-oci/ (OCI layout) and bin/vetgraph-image.tar (docker load), then image-check
	CGO_ENABLED=0 GOOS=linux GOARCH=$(IMAGE_ARCH) go build -trimpath -ldflags "-s -w -X main.version=$(IMAGE_VERSION)" \
		-o $(IMAGE_BIN) ./cmd/vetgraph
	cd tools/image && go run . build $(IMAGE_FLAGS) -binary $(CURDIR)/$(IMAGE_BIN) -created $(IMAGE_CREATED) \
		-data $(CURDIR)/data -ca-certs /etc/ssl/certs/ca-certificates.crt
	$(MAKE) --no-print-directory image-check

image-check: ## read the built image back: manifest, config (entrypoint, user, env, labels), the layer's static binary; run it
	cd tools/image && go vet ./... && go test -count=1 ./... && go run . check $(IMAGE_FLAGS) -binary $(CURDIR)/$(IMAGE_BIN)
