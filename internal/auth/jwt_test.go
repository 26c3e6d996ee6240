package auth

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/vetgraph/vetgraph/internal/kg"
)

const (
	testIssuer   = "https://idp.vet.example/"
	testAudience = "vetgraph-api"
)

// jwks is an identity provider in the test: an RSA key made here, served
// as a JWK Set by an httptest server.
type jwks struct {
	key     *rsa.PrivateKey
	kid     string
	url     string
	fetches atomic.Int64
}

func newJWKS(t *testing.T) *jwks {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	j := &jwks{key: key, kid: "test-key-1"}
	b64 := base64.RawURLEncoding.EncodeToString
	set, _ := json.Marshal(map[string]any{"keys": []any{map[string]any{
		"kty": "RSA", "kid": j.kid, "use": "sig", "alg": "RS256",
		"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes()),
	}}})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		j.fetches.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Write(set)
	}))
	t.Cleanup(srv.Close)
	j.url = srv.URL + "/.well-known/jwks.json"
	return j
}

// sign makes an RS256 token with the provider's key.
func (j *jwks) sign(t *testing.T, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	tok.Header["kid"] = j.kid
	s, err := tok.SignedString(j.key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// claims returns valid claims for the test issuer and audience, changed by
// edit.
func claims(edit func(map[string]any)) jwt.MapClaims {
	now := time.Now()
	c := jwt.MapClaims{
		"iss": testIssuer, "aud": []string{testAudience, "other-api"}, "sub": "user-42",
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "role": "curator",
	}
	if edit != nil {
		edit(c)
	}
	return c
}

func TestJWTFromJWKS(t *testing.T) {
	j := newJWKS(t)
	a := newAuth(t, Config{JWT: &JWTConfig{Issuer: testIssuer, Audience: testAudience, JWKSURL: j.url}})
	got, err := a.Authenticate(bearer(j.sign(t, claims(nil))))
	want := kg.Actor{Name: "user-42", Role: kg.RoleCurator, Via: "jwt:" + testIssuer}
	if err != nil || got != want {
		t.Fatalf("Authenticate(valid token) = %+v, %v; want %+v", got, err, want)
	}

	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	forged := jwt.NewWithClaims(jwt.SigningMethodRS256, claims(nil))
	forged.Header["kid"] = j.kid
	forgedS, _ := forged.SignedString(other)
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, claims(nil)).SignedString(jwt.UnsafeAllowNoneSignatureType)
	// HS256 "signed" with the public key's bytes: the classic algorithm
	// confusion, refused because HS256 is not allowed with a JWKS.
	pubDER, _ := x509.MarshalPKIXPublicKey(&j.key.PublicKey)
	confused := jwt.NewWithClaims(jwt.SigningMethodHS256, claims(nil))
	confused.Header["kid"] = j.kid
	confusedS, _ := confused.SignedString(pubDER)
	body := strings.Split(j.sign(t, claims(nil)), ".")
	tampered := body[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"`+testIssuer+`","aud":"`+testAudience+`","sub":"root","exp":9999999999,"role":"admin"}`)) + "." + body[2]

	for _, tc := range []struct{ name, token, want string }{
		{"wrong issuer", j.sign(t, claims(func(c map[string]any) { c["iss"] = "https://evil.example/" })), "issuer or audience"},
		{"wrong audience", j.sign(t, claims(func(c map[string]any) { c["aud"] = "another-api" })), "issuer or audience"},
		{"expired", j.sign(t, claims(func(c map[string]any) { c["exp"] = time.Now().Add(-2 * time.Minute).Unix() })), "expired"},
		{"no exp", j.sign(t, claims(func(c map[string]any) { delete(c, "exp") })), "required claim"},
		{"not yet valid", j.sign(t, claims(func(c map[string]any) { c["nbf"] = time.Now().Add(time.Hour).Unix() })), "not valid yet"},
		{"issued in the future", j.sign(t, claims(func(c map[string]any) { c["iat"] = time.Now().Add(time.Hour).Unix() })), "not valid yet"},
		{"no subject", j.sign(t, claims(func(c map[string]any) { delete(c, "sub") })), "required claim"},
		{"alg none", none, "signature"},
		{"other key", forgedS, "signature"},
		{"HS256 with the public key", confusedS, "signature"},
		{"tampered claims", tampered, "signature"},
		{"unknown kid", func() string {
			tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims(nil))
			tok.Header["kid"] = "nope"
			s, _ := tok.SignedString(j.key)
			return s
		}(), "signature"},
		{"not a JWT", "abc.def", "malformed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := a.Authenticate(bearer(tc.token))
			if !errors.Is(err, kg.ErrUnauthenticated) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Authenticate = %+v, %v; want ErrUnauthenticated saying %q", got, err, tc.want)
			}
		})
	}
	// Within the leeway, an expired token still passes.
	if _, err := a.Authenticate(bearer(j.sign(t, claims(func(c map[string]any) { c["exp"] = time.Now().Add(-10 * time.Second).Unix() })))); err != nil {
		t.Errorf("token expired 10 s ago (leeway 30 s): %v", err)
	}
	if n := j.fetches.Load(); n < 1 || n > 2 {
		t.Errorf("JWKS fetched %d times; want once at start (and at most once more for the unknown kid)", n)
	}
}

func TestRoleClaim(t *testing.T) {
	j := newJWKS(t)
	a := newAuth(t, Config{JWT: &JWTConfig{Issuer: testIssuer, Audience: testAudience, JWKSURL: j.url}})
	for _, tc := range []struct {
		claim any
		want  kg.Role
	}{
		{"admin", kg.RoleAdmin},
		{"Curator", kg.RoleCurator},
		{"reader", kg.RoleReader},
		{[]string{"reader", "admin", "curator"}, kg.RoleAdmin},
		{[]string{"editor", "curator"}, kg.RoleCurator},
		{[]string{"editor"}, kg.RoleReader},
		{[]any{7, "curator"}, kg.RoleCurator},
		{"owner", kg.RoleReader},
		{42, kg.RoleReader},
		{nil, kg.RoleReader},
	} {
		tok := j.sign(t, claims(func(c map[string]any) {
			if tc.claim == nil {
				delete(c, "role")
			} else {
				c["role"] = tc.claim
			}
		}))
		got, err := a.Authenticate(bearer(tok))
		if err != nil || got.Role != tc.want {
			t.Errorf("role claim %v: %q, %v; want %q", tc.claim, got.Role, err, tc.want)
		}
	}
	// Another claim name.
	b := newAuth(t, Config{JWT: &JWTConfig{Issuer: testIssuer, Audience: testAudience, JWKSURL: j.url, RoleClaim: "vetgraph_roles"}})
	tok := j.sign(t, claims(func(c map[string]any) { c["vetgraph_roles"] = []string{"admin"} }))
	if got, err := b.Authenticate(bearer(tok)); err != nil || got.Role != kg.RoleAdmin {
		t.Errorf("RoleClaim vetgraph_roles: %+v, %v; want admin (the role claim is curator and ignored)", got, err)
	}
}

func writePEM(t *testing.T, typ string, der []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestJWTFromPublicKeyFileAndHMAC(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	a := newAuth(t, Config{JWT: &JWTConfig{Issuer: testIssuer, Audience: testAudience, PublicKeyFile: writePEM(t, "PUBLIC KEY", der)}})
	es, _ := jwt.NewWithClaims(jwt.SigningMethodES256, claims(nil)).SignedString(ec)
	if got, err := a.Authenticate(bearer(es)); err != nil || got.Name != "user-42" || got.Role != kg.RoleCurator {
		t.Errorf("ES256 with the PEM key: %+v, %v", got, err)
	}
	es384, _ := jwt.NewWithClaims(jwt.SigningMethodES384, claims(nil)).SignedString(ec)
	if _, err := a.Authenticate(bearer(es384)); !errors.Is(err, kg.ErrUnauthenticated) {
		t.Errorf("ES384 with a P-256 key: %v, want refused (only ES256)", err)
	}
	hs, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, claims(nil)).SignedString(der)
	if _, err := a.Authenticate(bearer(hs)); !errors.Is(err, kg.ErrUnauthenticated) {
		t.Errorf("HS256 with a public key configured: %v, want refused", err)
	}

	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	der, _ = x509.MarshalPKIXPublicKey(pub)
	e := newAuth(t, Config{JWT: &JWTConfig{Issuer: testIssuer, Audience: testAudience, PublicKeyFile: writePEM(t, "PUBLIC KEY", der)}})
	ed, _ := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims(nil)).SignedString(priv)
	if _, err := e.Authenticate(bearer(ed)); err != nil {
		t.Errorf("EdDSA with the PEM key: %v", err)
	}

	secret := strings.Repeat("s3cr3t-", 6)
	h := newAuth(t, Config{JWT: &JWTConfig{Issuer: testIssuer, Audience: testAudience, HMACSecret: secret}})
	hs, _ = jwt.NewWithClaims(jwt.SigningMethodHS256, claims(nil)).SignedString([]byte(secret))
	if got, err := h.Authenticate(bearer(hs)); err != nil || got.Via != "jwt:"+testIssuer {
		t.Errorf("HS256 with the shared secret: %+v, %v", got, err)
	}
	hs512, _ := jwt.NewWithClaims(jwt.SigningMethodHS512, claims(nil)).SignedString([]byte(secret))
	bad, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, claims(nil)).SignedString([]byte(secret + "x"))
	for _, tok := range []string{hs512, bad} {
		if _, err := h.Authenticate(bearer(tok)); !errors.Is(err, kg.ErrUnauthenticated) {
			t.Errorf("HMAC token with another algorithm or secret: %v, want refused", err)
		}
	}
}

func TestJWTConfigCheckSaysWhatToFix(t *testing.T) {
	rsaSmall, _ := rsa.GenerateKey(rand.Reader, 1024)
	smallDER, _ := x509.MarshalPKIXPublicKey(&rsaSmall.PublicKey)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	p384DER, _ := x509.MarshalPKIXPublicKey(&p384.PublicKey)
	privDER, _ := x509.MarshalECPrivateKey(p384)
	ok := JWTConfig{Issuer: testIssuer, Audience: testAudience, HMACSecret: strings.Repeat("x", 32)}
	for _, tc := range []struct {
		name string
		edit func(*JWTConfig)
		want string
	}{
		{"no issuer", func(c *JWTConfig) { c.Issuer = "" }, "issuer is required"},
		{"no audience", func(c *JWTConfig) { c.Audience = "" }, "audience is required"},
		{"no source", func(c *JWTConfig) { c.HMACSecret = "" }, "exactly one key source"},
		{"two sources", func(c *JWTConfig) { c.JWKSURL = "https://idp.example/jwks" }, "2 are set"},
		{"short secret", func(c *JWTConfig) { c.HMACSecret = "short" }, "at least 32"},
		{"http JWKS", func(c *JWTConfig) { c.HMACSecret, c.JWKSURL = "", "http://idp.example/jwks" }, "must use https"},
		{"not a URL", func(c *JWTConfig) { c.HMACSecret, c.JWKSURL = "", "idp.example/jwks" }, "not a URL"},
		{"missing file", func(c *JWTConfig) { c.HMACSecret, c.PublicKeyFile = "", "/nonexistent/key.pem" }, "public-key file"},
		{"not PEM", func(c *JWTConfig) { c.HMACSecret, c.PublicKeyFile = "", os.DevNull }, "no PEM block"},
		{"private key", func(c *JWTConfig) { c.HMACSecret, c.PublicKeyFile = "", writePEM(t, "EC PRIVATE KEY", privDER) }, "never a private key"},
		{"small RSA", func(c *JWTConfig) { c.HMACSecret, c.PublicKeyFile = "", writePEM(t, "PUBLIC KEY", smallDER) }, "at least 2048"},
		{"P-384", func(c *JWTConfig) { c.HMACSecret, c.PublicKeyFile = "", writePEM(t, "PUBLIC KEY", p384DER) }, "want P-256"},
	} {
		c := ok
		tc.edit(&c)
		err := c.Check()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Check() = %v, want an error saying %q", tc.name, err, tc.want)
		}
		if _, err := New(t.Context(), Config{JWT: &c}); err == nil {
			t.Errorf("%s: New accepted the config", tc.name)
		}
	}
	if err := ok.Check(); err != nil {
		t.Errorf("valid config: %v", err)
	}
	loop := JWTConfig{Issuer: "i", Audience: "a", JWKSURL: "http://127.0.0.1:1/jwks"}
	if err := loop.Check(); err != nil {
		t.Errorf("http JWKS on loopback: %v, want accepted", err)
	}
}
