#!/usr/bin/env bash
# Lint: golangci-lint v2 at the version pinned in tools/lint/go.mod, built
# from source into bin/ (no prebuilt download: only the Go module proxy is
# reachable here) and rebuilt when the pin changes; the reviewed
# configuration is .golangci.yml. --fix first formats the code (gofumpt).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
want="$(cd tools/lint && go list -m -f '{{.Version}}' github.com/golangci/golangci-lint/v2)"
bin="bin/golangci-lint-$want"
if [ ! -x "$bin" ]; then
    echo "building golangci-lint $want (once)"
    mkdir -p bin
    (cd tools/lint && go build -o "../../$bin" github.com/golangci/golangci-lint/v2/cmd/golangci-lint)
fi
if [ "${1:-}" = --fix ]; then
    "$bin" fmt ./...
fi
"$bin" run ./...
