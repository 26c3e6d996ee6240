package kg

import (
	"fmt"
	"strings"
)

// VocabularyMarkdown renders the built-in vocabulary as a Markdown table
// (the one in docs/data-format.md; a test keeps the two equal).
func VocabularyMarkdown() string {
	var b strings.Builder
	b.WriteString("| type | 中文 | English | inverse | from kinds | to kinds | example |\n|---|---|---|---|---|---|---|\n")
	for _, v := range Builtin {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s / %s | %s | %s | `%s` |\n", v.Type, v.Zh, v.En, v.InverseZh, v.InverseEn,
			joinKinds(v.From), joinKinds(v.To), v.Example)
	}
	return b.String()
}

func joinKinds(ks []Kind) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}
