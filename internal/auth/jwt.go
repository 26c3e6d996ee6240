package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// DefaultLeeway is the clock skew allowed when checking a token's exp, nbf
// and iat.
const DefaultLeeway = 30 * time.Second

// DefaultRoleClaim is the claim the role is read from by default.
const DefaultRoleClaim = "role"

// MinHMACSecretBytes is the shortest accepted HS256 secret (RFC 7518
// §3.2: a key of at least the hash's size).
const MinHMACSecretBytes = 32

// jwksAlgorithms are the signature algorithms accepted with keys from a
// JWKS URL. HS256 is never among them: a JWKS is public, so a token "signed"
// with a public key as HMAC secret must not pass.
var jwksAlgorithms = []string{"RS256", "ES256", "EdDSA"}

// JWTConfig says which JWT bearer tokens prove a principal. A token is
// accepted when its signature verifies with the configured key and an
// allowed algorithm, its iss is Issuer, its aud holds Audience, it has not
// expired (exp is required) and is not used before nbf or iat (each with
// Leeway), and it has a subject (sub), which becomes Actor.Name.
type JWTConfig struct {
	// Issuer is the iss every token must carry (required).
	Issuer string
	// Audience must be one of the token's aud values (required).
	Audience string

	// Exactly one key source:

	// JWKSURL is the identity provider's JWK Set (https; http only for a
	// loopback host). Tokens signed with RS256, ES256 or EdDSA.
	JWKSURL string
	// PublicKeyFile is a PEM file holding one PUBLIC KEY (PKIX), RSA
	// PUBLIC KEY (PKCS #1) or CERTIFICATE: RSA of at least 2048 bits
	// (tokens signed RS256), ECDSA P-256 (ES256) or Ed25519 (EdDSA).
	PublicKeyFile string
	// HMACSecret is a shared secret of at least MinHMACSecretBytes bytes;
	// tokens signed HS256.
	HMACSecret string

	// RoleClaim names the top-level claim holding the role: a string or
	// an array of strings ("reader", "curator", "admin", any case; other
	// values are ignored). The strongest role named is taken; a token
	// naming none reads as reader. Empty means DefaultRoleClaim.
	RoleClaim string
	// Leeway is the clock skew allowed; 0 means DefaultLeeway.
	Leeway time.Duration
}

// Check reports what is wrong with c, saying what to fix: a missing issuer
// or audience, not exactly one key source, a JWKS URL that is not https, a
// public-key file that cannot be read or holds no supported key, or a short
// HMAC secret. It reads PublicKeyFile but makes no network request.
func (c JWTConfig) Check() error {
	_, _, err := c.check()
	return err
}

// check is Check, also returning the parsed public key and its algorithm
// when the source is PublicKeyFile.
func (c JWTConfig) check() (crypto.PublicKey, string, error) {
	var errs []error
	if c.Issuer == "" {
		errs = append(errs, errors.New("the issuer is required (the iss value your identity provider puts in its tokens)"))
	}
	if c.Audience == "" {
		errs = append(errs, errors.New("the audience is required (the aud value your identity provider gives this API)"))
	}
	sources := 0
	for _, s := range []string{c.JWKSURL, c.PublicKeyFile, c.HMACSecret} {
		if s != "" {
			sources++
		}
	}
	if sources != 1 {
		errs = append(errs, fmt.Errorf("set exactly one key source (a JWKS URL, a public-key file or an HMAC secret); %d are set", sources))
	}
	if c.JWKSURL != "" {
		if err := checkJWKSURL(c.JWKSURL); err != nil {
			errs = append(errs, err)
		}
	}
	if c.HMACSecret != "" && len(c.HMACSecret) < MinHMACSecretBytes {
		errs = append(errs, fmt.Errorf("the HMAC secret is %d bytes; use at least %d random bytes", len(c.HMACSecret), MinHMACSecretBytes))
	}
	var pub crypto.PublicKey
	var alg string
	if c.PublicKeyFile != "" {
		data, err := os.ReadFile(c.PublicKeyFile)
		if err != nil {
			errs = append(errs, fmt.Errorf("public-key file: %w", err))
		} else if pub, alg, err = parsePublicKeyPEM(data); err != nil {
			errs = append(errs, fmt.Errorf("public-key file %s: %w", c.PublicKeyFile, err))
		}
	}
	return pub, alg, errors.Join(errs...)
}

// checkJWKSURL accepts https URLs, and http ones for a loopback host.
func checkJWKSURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return fmt.Errorf("the JWKS URL %q is not a URL like https://idp.example/.well-known/jwks.json", s)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
			return nil
		}
	}
	return fmt.Errorf("the JWKS URL %q must use https (http only for localhost)", s)
}

// parsePublicKeyPEM reads the first PEM block of data as a public key and
// returns it with the one algorithm tokens signed with it may use.
func parsePublicKeyPEM(data []byte) (crypto.PublicKey, string, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, "", errors.New("no PEM block found; want -----BEGIN PUBLIC KEY-----")
	}
	var pub any
	var err error
	switch block.Type {
	case "PUBLIC KEY":
		pub, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		pub, err = x509.ParsePKCS1PublicKey(block.Bytes)
	case "CERTIFICATE":
		var cert *x509.Certificate
		if cert, err = x509.ParseCertificate(block.Bytes); err == nil {
			pub = cert.PublicKey
		}
	default:
		return nil, "", fmt.Errorf("PEM block %q is not a public key; want PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE (never a private key)", block.Type)
	}
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", block.Type, err)
	}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return nil, "", fmt.Errorf("RSA key of %d bits; want at least 2048", k.N.BitLen())
		}
		return k, "RS256", nil
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return nil, "", fmt.Errorf("ECDSA key on %s; want P-256 (ES256)", k.Curve.Params().Name)
		}
		return k, "ES256", nil
	case ed25519.PublicKey:
		return k, "EdDSA", nil
	}
	return nil, "", fmt.Errorf("unsupported key type %T; want RSA, ECDSA P-256 or Ed25519", pub)
}

// jwtVerifier checks tokens against one JWTConfig.
type jwtVerifier struct {
	parser    *jwt.Parser
	keyfunc   func(ctx context.Context) jwt.Keyfunc
	issuer    string
	roleClaim string
}

// newJWTVerifier checks c and prepares its keys; for a JWKS URL it fetches
// the set once and refreshes it until ctx ends.
func newJWTVerifier(ctx context.Context, c JWTConfig, log *slog.Logger) (*jwtVerifier, error) {
	pub, alg, err := c.check()
	if err != nil {
		return nil, fmt.Errorf("jwt: %w", err)
	}
	v := &jwtVerifier{issuer: c.Issuer, roleClaim: c.RoleClaim}
	if v.roleClaim == "" {
		v.roleClaim = DefaultRoleClaim
	}
	var methods []string
	switch {
	case c.JWKSURL != "":
		methods = jwksAlgorithms
		kf, err := keyfunc.NewDefaultOverrideCtx(ctx, []string{c.JWKSURL}, keyfunc.Override{
			HTTPTimeout: 10 * time.Second,
			// A token naming an unknown key id refetches the set at most
			// once per five minutes (the library's default) and never
			// makes a request wait for that limit.
			RateLimitWaitMax: time.Millisecond,
			RefreshErrorHandlerFunc: func(u string) func(context.Context, error) {
				return func(ctx context.Context, err error) {
					log.WarnContext(ctx, "jwt: cannot fetch the JWKS; tokens signed with keys not yet fetched are refused", "url", u, "err", err)
				}
			},
		})
		if err != nil {
			return nil, fmt.Errorf("jwt: JWKS %s: %w", c.JWKSURL, err)
		}
		v.keyfunc = kf.KeyfuncCtx
	case c.PublicKeyFile != "":
		methods = []string{alg}
		v.keyfunc = func(context.Context) jwt.Keyfunc { return func(*jwt.Token) (any, error) { return pub, nil } }
	default:
		methods = []string{"HS256"}
		secret := []byte(c.HMACSecret)
		v.keyfunc = func(context.Context) jwt.Keyfunc { return func(*jwt.Token) (any, error) { return secret, nil } }
	}
	leeway := c.Leeway
	if leeway == 0 {
		leeway = DefaultLeeway
	}
	v.parser = jwt.NewParser(jwt.WithValidMethods(methods), jwt.WithIssuer(c.Issuer), jwt.WithAudience(c.Audience),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithLeeway(leeway))
	return v, nil
}

// Refusal messages for tokens.
const (
	msgTokenMalformed = "the bearer token is malformed: send a JWT from the identity provider, or an API key (vg_…)"
	msgTokenExpired   = "the bearer token has expired: get a new one from the identity provider"
	msgTokenNotYet    = "the bearer token is not valid yet: check the clocks of this client and the identity provider"
	msgTokenNotOurs   = "the bearer token was not issued for this API: its issuer or audience does not match"
	msgTokenClaims    = "the bearer token lacks a required claim (exp, iss, aud, sub)"
	msgTokenSignature = "the bearer token's signature cannot be verified with this API's keys or allowed algorithms"
)

// verify checks token and returns the Actor it proves.
func (v *jwtVerifier) verify(ctx context.Context, token string) (kg.Actor, error) {
	claims := jwt.MapClaims{}
	_, err := v.parser.ParseWithClaims(token, claims, v.keyfunc(ctx))
	if err != nil {
		msg := msgTokenSignature
		switch {
		case errors.Is(err, jwt.ErrTokenMalformed):
			msg = msgTokenMalformed
		case errors.Is(err, jwt.ErrTokenExpired):
			msg = msgTokenExpired
		case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
			msg = msgTokenNotYet
		case errors.Is(err, jwt.ErrTokenInvalidIssuer), errors.Is(err, jwt.ErrTokenInvalidAudience):
			msg = msgTokenNotOurs
		case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
			msg = msgTokenClaims
		}
		// The library's error text names what failed, never the token.
		return kg.Actor{}, &refusal{msg: msg, reason: err.Error(), via: "jwt"}
	}
	sub, _ := claims.GetSubject()
	if sub == "" {
		return kg.Actor{}, &refusal{msg: msgTokenClaims, reason: "token has no sub", via: "jwt"}
	}
	return kg.Actor{Name: sub, Role: strongestRole(claims[v.roleClaim]), Via: "jwt:" + v.issuer}, nil
}

// strongestRole reads a role claim (a string or an array of strings) and
// returns the strongest role it names, or kg.RoleReader when it names none.
func strongestRole(claim any) kg.Role {
	var names []string
	switch c := claim.(type) {
	case string:
		names = []string{c}
	case []any:
		for _, x := range c {
			if s, ok := x.(string); ok {
				names = append(names, s)
			}
		}
	}
	best := kg.RoleReader
	for _, n := range names {
		if r, ok := kg.ParseRole(strings.ToLower(strings.TrimSpace(n))); ok && r.Includes(best) {
			best = r
		}
	}
	return best
}
