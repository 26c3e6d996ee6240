#!/usr/bin/env bash
# Build vetgraph, start the embedded Neo4j unless NEO4J_URI is set, load the
# data files and serve. Ctrl-C stops the server; `scripts/neo4j stop` stops Neo4j.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mkdir -p bin
go build -ldflags "-X main.version=$(git describe --tags --always --dirty 2>/dev/null)" -o bin/vetgraph ./cmd/vetgraph
scripts/neo4j start
NEO4J_URI="$(scripts/neo4j uri)"
export NEO4J_URI
exec bin/vetgraph serve --load
