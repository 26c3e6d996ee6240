package config

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestDefaultsAreValid(t *testing.T) {
	for _, k := range []string{"NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "VETGRAPH_CORS_ORIGINS"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.Neo4jURI != "bolt://127.0.0.1:7687" || c.MaxPage != 100 || len(c.CORSOrigins) != 0 {
		t.Errorf("defaults = %+v", c)
	}
}

func TestValidateSaysWhatToFix(t *testing.T) {
	for _, tc := range []struct{ env, value, want string }{
		{"NEO4J_URI", "http://localhost:7474", "NEO4J_URI"},
		{"VETGRAPH_CORS_ORIGINS", "*", "explicitly"},
		{"VETGRAPH_CORS_ORIGINS", "vet.example", "not an origin"},
		{"NEO4J_USER", "neo4j", "set both or neither"},
		{"VETGRAPH_MAX_PAGE_SIZE", "0", "VETGRAPH_MAX_PAGE_SIZE must be at least 1"},
		{"VETGRAPH_LOG_LEVEL", "loud", "VETGRAPH_LOG_LEVEL"},
		{"VETGRAPH_REQUEST_TIMEOUT", "soon", "VETGRAPH_REQUEST_TIMEOUT"},
		{"VETGRAPH_EXPLORE_TIMEOUT", "20s", "at most VETGRAPH_REQUEST_TIMEOUT"},
		{"VETGRAPH_EXPLORE_TIMEOUT", "0s", "VETGRAPH_EXPLORE_TIMEOUT must be positive"},
		{"VETGRAPH_ADDR", "nonsense", "VETGRAPH_ADDR"},
		{"VETGRAPH_SHUTDOWN_DELAY", "-1s", "VETGRAPH_SHUTDOWN_DELAY must be between 0s and 1m0s"},
		{"VETGRAPH_SHUTDOWN_DELAY", "2m", "VETGRAPH_SHUTDOWN_DELAY must be between 0s and 1m0s"},
		{"VETGRAPH_REQUEST_TIMEOUT", "2s", "with a request timeout under 5s, set it too"},
		{"VETGRAPH_MAX_REQUESTS", "46", "VETGRAPH_MAX_REQUESTS (46) must be at most 45"},
		{"NEO4J_MAX_POOL_SIZE", "10", "VETGRAPH_MAX_REQUESTS (15) must be at most 8"},
		{"VETGRAPH_QUEUE_TIMEOUT", "20s", "at most VETGRAPH_REQUEST_TIMEOUT"},
		{"VETGRAPH_RATE_LIMIT", "-1", "VETGRAPH_RATE_LIMIT must not be negative"},
		{"VETGRAPH_RATE_BURST", "0", "VETGRAPH_RATE_BURST must be at least 1"},
		{"VETGRAPH_MAX_FIELDS", "0", "VETGRAPH_MAX_FIELDS must be at least 1"},
		{"VETGRAPH_TRUSTED_PROXIES", "10.0.0.0/8,proxy.example", `"proxy.example" is neither a CIDR prefix`},
		{"VETGRAPH_ACCESS_LOG", "sometimes", "VETGRAPH_ACCESS_LOG"},
		{"VETGRAPH_TRACES_ENDPOINT", "collector:4318", "VETGRAPH_TRACES_ENDPOINT"},
		{"VETGRAPH_TRACES_SAMPLE_RATIO", "2", "between 0 and 1"},
	} {
		t.Run(tc.env+"="+tc.value, func(t *testing.T) {
			t.Setenv(tc.env, tc.value)
			_, err := Load()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load() = %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
}

func TestMaskedHidesPassword(t *testing.T) {
	c := Config{Neo4jPassword: "secret"}
	if c.Masked().Neo4jPassword == "secret" {
		t.Error("password not masked")
	}
}

// Every variable of Config is documented in the README's table.
func TestREADMEListsEveryVariable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("config.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`env:"([A-Z0-9_]+)"`).FindAllStringSubmatch(string(src), -1) {
		if !strings.Contains(string(readme), "`"+m[1]+"`") {
			t.Errorf("README.md does not document %s", m[1])
		}
	}
}

// Admitted requests share the Neo4j pool less a reserve.
func TestAdmissionSharesThePool(t *testing.T) {
	for _, tc := range []struct{ pool, requests, reserve, statements int }{
		{50, 15, 5, 3}, {50, 45, 5, 1}, {100, 15, 10, 6}, {10, 4, 2, 2}, {3, 2, 1, 1}, {1, 1, 0, 1},
	} {
		c := Config{Neo4jMaxPoolSize: tc.pool, MaxRequests: tc.requests}
		if r, s := c.PoolReserve(), c.StatementsPerRequest(); r != tc.reserve || s != tc.statements {
			t.Errorf("pool %d, %d requests: reserve %d, %d statements each; want %d, %d", tc.pool, tc.requests, r, s, tc.reserve, tc.statements)
		}
		if tc.requests*c.StatementsPerRequest() > tc.pool-c.PoolReserve() {
			t.Errorf("pool %d: %d requests × %d statements exceed it less the reserve", tc.pool, tc.requests, c.StatementsPerRequest())
		}
	}
}
