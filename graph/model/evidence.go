package model

// Highlight is where an evidence-search hit matched (see the schema); the
// document of a quote is resolved by id.
type Highlight struct {
	Field  EvidenceField
	Text   string
	Offset int
	Ranges []*TextRange
	// DocumentID is a QUOTE's document; "" for other fields.
	DocumentID string
}

// EntityName is one name of an entity with where it comes from; its
// documents are resolved by id.
type EntityName struct {
	Text        string
	Field       NameField
	DocumentIDs []string
	Added       *Change
}
