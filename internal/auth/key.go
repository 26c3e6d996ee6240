package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// API keys look like vg_<id>_<secret>:
//
//	vg_k7hq2mzr4xwa_3q2-7wX…(43 characters)
//
// id is 12 lowercase base32 characters (a–z, 2–7; 60 random bits), public,
// and names the key in the store, in `vetgraph keys list|revoke` and in
// Actor.Via. secret is 32 bytes from crypto/rand in unpadded base64url (43
// characters, which may include '-' and '_'). The id never contains '_', so
// the first '_' after the prefix ends it.
const (
	// KeyPrefix starts every API key; a bearer credential without it is
	// taken for a JWT.
	KeyPrefix = "vg_"
	// KeyIDLength is the length of a key's id, in characters.
	KeyIDLength = 12
	// keySecretBytes is the length of a key's secret before encoding.
	keySecretBytes = 32
	// MaxKeyNameLength bounds a key's name, in characters.
	MaxKeyNameLength = 100
	// hashPrefix names the hash in kg.APIKey.Hash.
	hashPrefix = "sha256:"
)

// NewKey makes an API key for name with role. It returns the plaintext key,
// to be shown to the person once and never stored, and the kg.APIKey to
// store, which holds only a hash of the secret. It refuses a name that is
// empty, longer than MaxKeyNameLength characters, not valid UTF-8, or holds
// a control or other non-printable character, and an unknown role, with an
// error wrapping kg.ErrInvalidInput.
func NewKey(name string, role kg.Role) (string, kg.APIKey, error) {
	if err := ValidateKeyName(name); err != nil {
		return "", kg.APIKey{}, err
	}
	if _, ok := kg.ParseRole(string(role)); !ok {
		return "", kg.APIKey{}, fmt.Errorf("%w: role %q: want reader, curator or admin", kg.ErrInvalidInput, role)
	}
	// rand.Text is 26 characters of the standard base32 alphabet
	// (A–Z, 2–7) from crypto/rand; 12 of them are 60 random bits.
	id := strings.ToLower(rand.Text()[:KeyIDLength])
	secret := make([]byte, keySecretBytes)
	_, _ = rand.Read(secret) // crypto/rand.Read never fails (Go 1.24+)
	plaintext := KeyPrefix + id + "_" + base64.RawURLEncoding.EncodeToString(secret)
	return plaintext, kg.APIKey{
		ID: id, Name: name, Role: role, Hash: hashSecret(secret),
		CreatedAt: time.Now().UTC().Truncate(time.Millisecond),
	}, nil
}

// ValidateKeyName returns an error wrapping kg.ErrInvalidInput that says
// what to fix when name cannot name an API key: it must be 1–100 printable
// characters of valid UTF-8 (spaces allowed inside, not at either end).
func ValidateKeyName(name string) error {
	bad := func(why string) error { return fmt.Errorf("%w: key name %s", kg.ErrInvalidInput, why) }
	switch {
	case name == "":
		return bad("is empty: say whom the key is for, e.g. --name \"ingest bot\"")
	case !utf8.ValidString(name):
		return bad("is not valid UTF-8")
	case utf8.RuneCountInString(name) > MaxKeyNameLength:
		return bad(fmt.Sprintf("is %d characters long; at most %d", utf8.RuneCountInString(name), MaxKeyNameLength))
	case strings.TrimSpace(name) != name:
		return bad("starts or ends with a space")
	}
	for _, r := range name {
		if r == 0 {
			return bad("contains a NUL character")
		}
		if !unicode.IsPrint(r) {
			return bad(fmt.Sprintf("contains the non-printable character %U", r))
		}
	}
	return nil
}

// errMalformedKey is a credential that starts with KeyPrefix but is not
// vg_<12 base32 characters>_<43 base64url characters>.
var errMalformedKey = errors.New("malformed API key")

// parseKey splits a plaintext key into its id and its secret's bytes.
func parseKey(plaintext string) (id string, secret []byte, err error) {
	rest, ok := strings.CutPrefix(plaintext, KeyPrefix)
	if !ok {
		return "", nil, errMalformedKey
	}
	id, enc, ok := strings.Cut(rest, "_")
	if !ok || !ValidKeyID(id) || len(enc) != base64.RawURLEncoding.EncodedLen(keySecretBytes) {
		return "", nil, errMalformedKey
	}
	secret, err = base64.RawURLEncoding.Strict().DecodeString(enc)
	if err != nil || len(secret) != keySecretBytes {
		return "", nil, errMalformedKey
	}
	return id, secret, nil
}

// ValidKeyID reports whether id has the form of a key id: KeyIDLength
// characters a–z, 2–7.
func ValidKeyID(id string) bool {
	if len(id) != KeyIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// hashSecret is what kg.APIKey.Hash holds for secret. The secret is 32
// random bytes (256 bits of entropy), so one SHA-256 suffices: a slow,
// salted password hash (bcrypt, argon2) guards low-entropy secrets against
// guessing, and nobody can guess 2^256 values. It also keeps a key check
// cheap enough to run on every request.
func hashSecret(secret []byte) string {
	sum := sha256.Sum256(secret)
	return hashPrefix + hex.EncodeToString(sum[:])
}

// secretMatches reports, in time that does not depend on where the two
// differ, whether secret hashes to the stored hash.
func secretMatches(stored string, secret []byte) bool {
	want, ok := strings.CutPrefix(stored, hashPrefix)
	if !ok {
		return false
	}
	wantSum, err := hex.DecodeString(want)
	if err != nil || len(wantSum) != sha256.Size {
		return false
	}
	sum := sha256.Sum256(secret)
	return subtle.ConstantTimeCompare(sum[:], wantSum) == 1
}
