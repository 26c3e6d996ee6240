# vetgraph: the two commands a newcomer needs are `make run` and `make test`.
.PHONY: run test lint generate check-generate neo4j-start neo4j-stop build

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
