package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAccessDefaults(t *testing.T) {
	for _, k := range []string{
		"VETGRAPH_ANONYMOUS_READS", "VETGRAPH_JWT_ISSUER", "VETGRAPH_JWT_AUDIENCE", "VETGRAPH_JWT_JWKS_URL",
		"VETGRAPH_JWT_PUBLIC_KEY_FILE", "VETGRAPH_JWT_HMAC_SECRET", "VETGRAPH_JWT_ROLE_CLAIM", "NEO4J_USER", "NEO4J_PASSWORD",
	} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if !c.AnonymousReads || c.JWTEnabled() || c.JWTRoleClaim != "role" {
		t.Errorf("access defaults: anonymous %v, JWT %v, role claim %q; want true, false, role", c.AnonymousReads, c.JWTEnabled(), c.JWTRoleClaim)
	}
}

func TestJWTSettingsSayWhatToFix(t *testing.T) {
	pem := filepath.Join(t.TempDir(), "idp.pem")
	if err := os.WriteFile(pem, []byte("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	full := map[string]string{"VETGRAPH_JWT_ISSUER": "https://idp.example/", "VETGRAPH_JWT_AUDIENCE": "vetgraph"}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want []string // each must be in the error; none means valid
	}{
		{"JWKS", map[string]string{"VETGRAPH_JWT_JWKS_URL": "https://idp.example/jwks"}, nil},
		{"PEM", map[string]string{"VETGRAPH_JWT_PUBLIC_KEY_FILE": pem}, nil},
		{"HMAC", map[string]string{"VETGRAPH_JWT_HMAC_SECRET": strings.Repeat("k", 32)}, nil},
		{"no key source", map[string]string{}, []string{"set exactly one of", "none is set"}},
		{
			"two key sources",
			map[string]string{"VETGRAPH_JWT_JWKS_URL": "https://idp.example/jwks", "VETGRAPH_JWT_HMAC_SECRET": strings.Repeat("k", 32)},
			[]string{"VETGRAPH_JWT_HMAC_SECRET and VETGRAPH_JWT_JWKS_URL are set"},
		},
		{"short secret", map[string]string{"VETGRAPH_JWT_HMAC_SECRET": "short"}, []string{"VETGRAPH_JWT_HMAC_SECRET is 5 bytes"}},
		{"http JWKS", map[string]string{"VETGRAPH_JWT_JWKS_URL": "http://idp.example/jwks"}, []string{"use https"}},
		{"http JWKS on loopback", map[string]string{"VETGRAPH_JWT_JWKS_URL": "http://127.0.0.1:9000/jwks"}, nil},
		{"missing key file", map[string]string{"VETGRAPH_JWT_PUBLIC_KEY_FILE": "/nonexistent.pem"}, []string{"VETGRAPH_JWT_PUBLIC_KEY_FILE"}},
		{"no issuer", map[string]string{"VETGRAPH_JWT_ISSUER": "", "VETGRAPH_JWT_JWKS_URL": "https://idp.example/jwks"}, []string{"VETGRAPH_JWT_ISSUER"}},
		{"no audience", map[string]string{"VETGRAPH_JWT_AUDIENCE": "", "VETGRAPH_JWT_JWKS_URL": "https://idp.example/jwks"}, []string{"VETGRAPH_JWT_AUDIENCE"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range full {
				t.Setenv(k, v)
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			_, err := Load()
			if tc.want == nil && err != nil {
				t.Fatalf("Load() = %v, want valid", err)
			}
			for _, w := range tc.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("Load() = %v, want an error saying %q", err, w)
				}
			}
		})
	}
	// A secret alone turns JWT on, and then the issuer and audience are missing.
	t.Setenv("VETGRAPH_JWT_HMAC_SECRET", strings.Repeat("k", 32))
	if _, err := Load(); err == nil || !strings.Contains(err.Error(), "VETGRAPH_JWT_ISSUER") || !strings.Contains(err.Error(), "VETGRAPH_JWT_AUDIENCE") {
		t.Errorf("secret alone: %v", err)
	}
	if m := (Config{JWTHMACSecret: "secret"}).Masked(); m.JWTHMACSecret == "secret" {
		t.Error("HMAC secret not masked")
	}
}
