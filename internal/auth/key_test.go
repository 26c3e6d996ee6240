package auth

import (
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/vetgraph/vetgraph/internal/kg"
)

var keyForm = regexp.MustCompile(`^vg_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$`)

func TestNewKeyMakesAKeyThatVerifies(t *testing.T) {
	plain, k, err := NewKey("ingest bot", kg.RoleCurator)
	if err != nil {
		t.Fatal(err)
	}
	if !keyForm.MatchString(plain) {
		t.Errorf("NewKey plaintext %q does not have the form vg_<12 base32>_<43 base64url>", plain)
	}
	id, secret, err := parseKey(plain)
	if err != nil {
		t.Fatalf("parseKey(NewKey()) = %v", err)
	}
	if id != k.ID || k.Name != "ingest bot" || k.Role != kg.RoleCurator || k.CreatedAt.IsZero() || k.Revoked() {
		t.Errorf("NewKey = id %q, %+v", id, k)
	}
	if !strings.HasPrefix(k.Hash, "sha256:") || len(k.Hash) != len("sha256:")+64 {
		t.Errorf("Hash = %q, want sha256:<64 hex>", k.Hash)
	}
	if !secretMatches(k.Hash, secret) {
		t.Error("the key's own secret does not match its hash")
	}
	// The stored key holds nothing of the secret.
	enc := strings.TrimPrefix(plain, "vg_"+id+"_")
	if strings.Contains(k.Hash, enc) || strings.Contains(k.Hash, base64.StdEncoding.EncodeToString(secret)) {
		t.Error("the hash contains the secret")
	}
	// Another secret, even one bit off, does not match.
	other := append([]byte(nil), secret...)
	other[0] ^= 1
	if secretMatches(k.Hash, other) {
		t.Error("a different secret matches")
	}
	if secretMatches("md5:"+strings.TrimPrefix(k.Hash, "sha256:"), secret) || secretMatches("sha256:zz", secret) {
		t.Error("a hash of another form matches")
	}
	plain2, k2, _ := NewKey("ingest bot", kg.RoleCurator)
	if plain2 == plain || k2.ID == k.ID || k2.Hash == k.Hash {
		t.Error("two keys are the same")
	}
}

func TestNewKeyRefusesBadNamesAndRoles(t *testing.T) {
	for _, tc := range []struct {
		name string
		role kg.Role
		want string
	}{
		{"", kg.RoleReader, "empty"},
		{strings.Repeat("名", 101), kg.RoleReader, "at most 100"},
		{"a\x00b", kg.RoleReader, "NUL"},
		{"bad \xff utf8", kg.RoleReader, "UTF-8"},
		{"tab\there", kg.RoleReader, "non-printable"},
		{"line\nbreak", kg.RoleReader, "non-printable"},
		{"zero\u200bwidth", kg.RoleReader, "non-printable"},
		{" padded", kg.RoleReader, "space"},
		{"bot", kg.Role("owner"), "role"},
		{"bot", kg.Role(""), "role"},
	} {
		_, _, err := NewKey(tc.name, tc.role)
		if !errors.Is(err, kg.ErrInvalidInput) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewKey(%q, %q) error = %v, want ErrInvalidInput mentioning %q", tc.name, tc.role, err, tc.want)
		}
	}
	for _, ok := range []string{"x", "李伟 (curator)", strings.Repeat("名", 100), "ingest-bot@vet.example"} {
		if _, _, err := NewKey(ok, kg.RoleAdmin); err != nil {
			t.Errorf("NewKey(%q) = %v, want a key", ok, err)
		}
	}
}

func TestParseKeyRefusesMalformedKeys(t *testing.T) {
	plain, _, _ := NewKey("bot", kg.RoleReader)
	id, enc, _ := strings.Cut(strings.TrimPrefix(plain, "vg_"), "_")
	for _, bad := range []string{
		"",
		"vg_",
		"vg_" + id,
		"vg_" + id + "_",
		"vg_" + id + enc,                        // no separator
		"VG_" + id + "_" + enc,                  // prefix is lowercase
		"vg_" + strings.ToUpper(id) + "_" + enc, // id is lowercase
		"vg_" + id[:11] + "_" + enc,             // short id
		"vg_" + id + "1_" + enc,                 // 1 is not base32
		"vg_" + id + "_" + enc[:42],             // short secret
		"vg_" + id + "_" + enc + "A",            // long secret
		"vg_" + id + "_" + enc[:42] + "=",       // padding
		"vg_" + id + "_" + enc[:42] + "+",       // not url-safe
		"vg_" + id + "_" + enc[:42] + "B",       // non-canonical last character (nonzero spare bits)
		"xx_" + id + "_" + enc,
	} {
		if _, _, err := parseKey(bad); err == nil {
			t.Errorf("parseKey(%q) accepted a malformed key", bad)
		}
	}
}
