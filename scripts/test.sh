#!/usr/bin/env bash
# Run every test: unit tests and integration tests against a real Neo4j, then
# the browser tests of the graph page and the playground (web/test/, headless
# Chromium from Debian's package driven by playwright-core) against a server
# started for them. A subset of the integration tests runs twice: through
# bolt:// with the others, and again through a neo4j:// routing URI (see
# routing_tests below; VETGRAPH_TEST_ROUTING_URI names another).
# Unless NEO4J_URI is set, a project-local Neo4j is started for the run on
# port 7688 (data in .neo4j-test/) and stopped afterwards, beside any dev
# instance on 7687. VETGRAPH_SKIP_BROWSER=1 skips the browser tests. The
# GraphQL-over-HTTP audit (graphql-http's serverAudits, pinned in
# tools/http-audit/package.json) runs against the same server, browser
# tests or not: every MUST and SHOULD audit must pass.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
    if [ -n "${stop_neo4j:-}" ]; then
        VETGRAPH_NEO4J_DIR="$VETGRAPH_NEO4J_DIR" VETGRAPH_NEO4J_PORT="$VETGRAPH_NEO4J_PORT" scripts/neo4j stop
    fi
}
trap cleanup EXIT

browser=1
[ "${VETGRAPH_SKIP_BROWSER:-}" = 1 ] && browser=0
if [ "$browser" = 1 ]; then
    # What the browser tests need: Debian's Chromium (never a browser that a
    # test tool downloads), CJK fonts for the screenshots, the pinned npm
    # packages; and the committed web/dist must be what web/src builds to.
    missing=()
    command -v chromium >/dev/null || missing+=(chromium)
    # (grep without -q reads all of fc-list's output: no SIGPIPE under pipefail)
    fc-list 2>/dev/null | grep 'Noto Sans CJK' >/dev/null || missing+=(fonts-noto-cjk)
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "installing ${missing[*]} (Debian packages)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
    (cd web && npm run --silent check-build)
fi
(cd tools/http-audit && npm ci --no-audit --no-fund --loglevel=error)

if [ -z "${NEO4J_URI:-}" ]; then
    export VETGRAPH_NEO4J_DIR="${VETGRAPH_TEST_NEO4J_DIR:-.neo4j-test}"
    export VETGRAPH_NEO4J_PORT="${VETGRAPH_TEST_NEO4J_PORT:-7688}"
    stop_neo4j=1
    scripts/neo4j start
    export NEO4J_URI="bolt://127.0.0.1:$VETGRAPH_NEO4J_PORT"
fi
echo "tests use Neo4j at $NEO4J_URI"

go vet ./...
status=0
# The tests that need no Neo4j, under the race detector (the integration
# run below is without it: it would take twice as long).
race_log="$(mktemp)"
if go test -race -short -count=1 ./... >"$race_log" 2>&1; then
    echo "unit tests under -race (go test -race -short ./...): ok"
else
    echo "---- unit tests under -race failed ----"
    grep -vE '^(ok|\?) ' "$race_log" | head -200
    status=1
fi
rm -f "$race_log"
log="$(mktemp)"
# -p 1: the integration packages share one Neo4j database.
go test -count=1 -p 1 -timeout 30m -v ./... >"$log" 2>&1 || status=1
grep -E '^(--- FAIL|FAIL|ok|panic:)|^\s+--- FAIL' "$log" || true
if [ "$status" -ne 0 ]; then
    echo "---- failing output ----"
    grep -B2 -A25 -E -- '--- FAIL' "$log" | head -400 || true
fi
passed=$(grep -cE -- '--- PASS' "$log" || true)
failed=$(grep -cE -- '--- FAIL' "$log" || true)
skipped=$(grep -cE -- '--- SKIP' "$log" || true)
integration=$(grep -c 'neo4jtest: integration test against Neo4j' "$log" || true)
rm -f "$log"

# Second pass, through a neo4j:// (routing) URI. With bolt:// the driver
# talks to the one server named; with neo4j:// it first asks for a routing
# table, then sends each read transaction to a reader and each write to the
# writer, as it does against Aura or a cluster. A standalone Neo4j 5 serves
# routing on its Bolt port with nothing to configure (it names itself
# writer, reader and router), so this pass runs against the same database.
# The whole suite takes ~10 min, so only a subset runs again (~40 s): one
# or two tests for each way the code reaches Neo4j.
routing_tests=(
    TestLookups                   # store reads (ExecuteQuery routed to readers)
    TestReadyRunsAQuery           # /readyz's read session, one attempt
    TestCommonNeighbors           # exploration: reads with a transaction timeout
    TestExplorationTimeout        # ... that timeout, through routing, is UNAVAILABLE
    TestAPIKeyLifecycle           # statements routed to the writer (ExecuteQuery)
    TestIdempotencyKey            # curation's write transactions and change log
    TestCurationSurvivesLoad      # the load's one write transaction
    TestAddRelationTypeConcurrent # schema statements (an index per added type), concurrent writes
    TestExportSeed                # export: one read transaction over the whole graph
    TestImportDryRun              # import's read session
    TestRoutes                    # the HTTP server over the store: /readyz, /graphql
    TestReplicasBehindProxy       # two server processes behind a proxy: bookmarks across them, vocabulary refresh
)
routing_uri="${VETGRAPH_TEST_ROUTING_URI:-}"
if [ -z "$routing_uri" ]; then
    case "$NEO4J_URI" in
    bolt://*) routing_uri="neo4j://${NEO4J_URI#bolt://}" ;;
    bolt+s://*) routing_uri="neo4j+s://${NEO4J_URI#bolt+s://}" ;;
    bolt+ssc://*) routing_uri="neo4j+ssc://${NEO4J_URI#bolt+ssc://}" ;;
    esac
fi
routing_integration=0
if [ -z "$routing_uri" ]; then
    echo "NEO4J_URI ($NEO4J_URI) already routes: the pass above was the routing pass"
else
    echo "---- integration tests again through $routing_uri: ${#routing_tests[@]} tests ----"
    rlog="$(mktemp)"
    pattern="^($(IFS='|'; echo "${routing_tests[*]}"))\$"
    NEO4J_URI="$routing_uri" go test -count=1 -p 1 -v -run "$pattern" ./internal/store/ ./cmd/vetgraph/ >"$rlog" 2>&1 || status=$?
    grep -E '^(--- FAIL|FAIL|ok|panic:)|^\s+--- FAIL' "$rlog" || true
    for name in "${routing_tests[@]}"; do
        if ! grep -qE -- "^--- (PASS|FAIL): $name " "$rlog"; then
            echo "--- FAIL: $name did not run in the routing pass (renamed? update routing_tests in scripts/test.sh)"
            failed=$((failed + 1))
            status=1
        fi
    done
    if grep -qE -- '--- FAIL|^FAIL|panic:' "$rlog"; then
        status=1
        echo "---- failing output (through $routing_uri) ----"
        grep -B2 -A25 -E -- '--- FAIL|panic:' "$rlog" | head -400 || true
    fi
    passed=$((passed + $(grep -cE -- '--- PASS' "$rlog" || true)))
    failed=$((failed + $(grep -cE -- '--- FAIL' "$rlog" || true)))
    skipped=$((skipped + $(grep -cE -- '--- SKIP' "$rlog" || true)))
    routing_integration=$(grep -c 'neo4jtest: integration test against Neo4j' "$rlog" || true)
    rm -f "$rlog"
fi

browser_passed=0
browser_failed=0
audit_passed=0
audit_failed=0
# A server of this tree on a free port, against the test Neo4j, for the
# GraphQL-over-HTTP audit and the browser tests.
echo "---- server for the audit and the browser tests ----"
go build -o "$work/vetgraph" ./cmd/vetgraph
VETGRAPH_ADDR=127.0.0.1:0 VETGRAPH_LOG_LEVEL=warn "$work/vetgraph" serve --load >"$work/server.log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 240); do
    url="$(sed -n 's|^vetgraph is up: playground \(http://[^ ]*\)/ .*|\1|p' "$work/server.log")"
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.25
done
# node --test's closing counts: "ℹ pass N", "ℹ fail N", "ℹ skipped N".
node_count() { sed -n "s/^ℹ $1 \([0-9]*\)\$/\1/p" "$2" | tail -1; }
if [ -z "$url" ]; then
    echo "the server did not start:"; cat "$work/server.log"
    audit_failed=1
    [ "$browser" = 1 ] && browser_failed=1
    status=1
else
    echo "---- GraphQL-over-HTTP audit (graphql-http $(cd tools/http-audit && node -p "require('./package.json').devDependencies['graphql-http']")) ----"
    astatus=0
    VETGRAPH_URL="$url" node --test --test-reporter=spec tools/http-audit/ >"$work/audit.log" 2>&1 || astatus=$?
    grep -E '^(✖|ℹ (pass|fail|tests))|notice' "$work/audit.log" || true
    if [ "$astatus" -ne 0 ]; then
        echo "---- failing audits ----"
        grep -A6 -E '^✖' "$work/audit.log" | head -120 || true
    fi
    audit_passed=$(node_count pass "$work/audit.log")
    audit_failed=$(node_count fail "$work/audit.log")
    audit_passed=${audit_passed:-0}
    audit_failed=${audit_failed:-0}
    if [ "$astatus" -ne 0 ] && [ "$audit_failed" -eq 0 ]; then audit_failed=1; fi
    if [ "$astatus" -ne 0 ]; then status=1; fi
    echo "GraphQL-over-HTTP audit: $audit_passed passed, $audit_failed failed"
fi
if [ "$browser" = 1 ] && [ -n "$url" ]; then
    echo "---- browser tests (web/test/, Chromium $(chromium --version 2>/dev/null | awk '{print $2}')) ----"
    bstatus=0
    VETGRAPH_URL="$url" node --test --test-reporter=spec web/test/ >"$work/browser.log" 2>&1 || bstatus=$?
    cat "$work/browser.log"
    browser_passed=$(node_count pass "$work/browser.log")
    browser_failed=$(node_count fail "$work/browser.log")
    browser_skipped=$(node_count skipped "$work/browser.log")
    skipped=$((skipped + ${browser_skipped:-0}))
    browser_passed=${browser_passed:-0}
    browser_failed=${browser_failed:-0}
    if [ "$bstatus" -ne 0 ] && [ "$browser_failed" -eq 0 ]; then browser_failed=1; fi
    if [ "$bstatus" -ne 0 ]; then status=1; fi
    echo "browser tests: $browser_passed passed, $browser_failed failed (screenshots in test-artifacts/)"
fi
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=""

echo "integration tests run against Neo4j: $integration, and again through ${routing_uri:-neo4j://}: $routing_integration"
echo "tests: $((passed + browser_passed + audit_passed)) passed, $((failed + browser_failed + audit_failed)) failed, $skipped skipped"
exit "$status"
