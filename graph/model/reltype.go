package model

import (
	"fmt"
	"io"
	"strconv"

	"github.com/vetgraph/vetgraph/internal/kg"
)

// RelationType is a value of the GraphQL enum RelationType: a relationship
// type of the vocabulary. The vocabulary grows at runtime (an admin adds a
// type), so values are checked against kg.LookupRelType, not a fixed list;
// the served schema lists the same values (see graph.NewHandler), so a
// literal outside them is refused by validation before this is reached.
type RelationType string

// IsValid reports whether e is in the vocabulary now.
func (e RelationType) IsValid() bool {
	_, ok := kg.LookupRelType(string(e))
	return ok
}

func (e RelationType) String() string { return string(e) }

// UnmarshalGQL reads a variable's value: a string naming a vocabulary type,
// exactly (MEMBER_OF, not member_of).
func (e *RelationType) UnmarshalGQL(v any) error {
	str, ok := v.(string)
	if !ok {
		return fmt.Errorf("enums must be strings")
	}
	*e = RelationType(str)
	if !e.IsValid() {
		return fmt.Errorf("%s is not a valid RelationType", str)
	}
	return nil
}

// MarshalGQL writes the value as a JSON string.
func (e RelationType) MarshalGQL(w io.Writer) {
	_, _ = fmt.Fprint(w, strconv.Quote(e.String()))
}
