//go:build tools

// Package lint pins the linter the project runs (scripts/lint.sh), in a
// module of its own so that its dependencies stay out of vetgraph's go.mod.
package lint

import _ "github.com/golangci/golangci-lint/v2/cmd/golangci-lint"
