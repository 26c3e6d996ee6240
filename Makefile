# vetgraph: the two commands a newcomer needs are `make run` and `make test`.
.PHONY: run test generate check-generate neo4j-start neo4j-stop build

run: ## build, start the embedded Neo4j if needed, load the seed graph, serve on :8080
	scripts/run.sh

test: ## every test, against a real Neo4j started for the run
	scripts/test.sh

build:
	go build -o bin/vetgraph ./cmd/vetgraph

generate: ## regenerate gqlgen's code from schema.graphqls
	go generate ./...

check-generate: generate ## fail when generated code is not up to date
	git diff --exit-code || (echo "generated code is stale: run make generate and commit" >&2; exit 1)

neo4j-start:
	scripts/neo4j start

neo4j-stop:
	scripts/neo4j stop
