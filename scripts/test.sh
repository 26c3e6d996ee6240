#!/usr/bin/env bash
# Run every test: unit tests and integration tests against a real Neo4j.
# Unless NEO4J_URI is set, a project-local Neo4j is started for the run on
# port 7688 (data in .neo4j-test/) and stopped afterwards, beside any dev
# instance on 7687.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [ -z "${NEO4J_URI:-}" ]; then
    export VETGRAPH_NEO4J_DIR="${VETGRAPH_TEST_NEO4J_DIR:-.neo4j-test}"
    export VETGRAPH_NEO4J_PORT="${VETGRAPH_TEST_NEO4J_PORT:-7688}"
    scripts/neo4j start
    trap 'VETGRAPH_NEO4J_DIR="$VETGRAPH_NEO4J_DIR" VETGRAPH_NEO4J_PORT="$VETGRAPH_NEO4J_PORT" scripts/neo4j stop' EXIT
    export NEO4J_URI="bolt://127.0.0.1:$VETGRAPH_NEO4J_PORT"
fi
echo "tests use Neo4j at $NEO4J_URI"

go vet ./...
log="$(mktemp)"
status=0
# -p 1: the integration packages share one Neo4j database.
go test -count=1 -p 1 -v ./... >"$log" 2>&1 || status=$?
grep -E '^(--- FAIL|FAIL|ok|panic:)|^\s+--- FAIL' "$log" || true
if [ "$status" -ne 0 ]; then
    echo "---- failing output ----"
    grep -B2 -A25 -E -- '--- FAIL' "$log" | head -400 || true
fi
passed=$(grep -cE -- '--- PASS' "$log" || true)
failed=$(grep -cE -- '--- FAIL' "$log" || true)
skipped=$(grep -cE -- '--- SKIP' "$log" || true)
integration=$(grep -c 'neo4jtest: integration test against Neo4j' "$log" || true)
echo "integration tests run against Neo4j: $integration"
echo "tests: $passed passed, $failed failed, $skipped skipped"
rm -f "$log"
exit "$status"
