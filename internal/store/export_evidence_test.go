package store

// PartialDateBounds exposes the Cypher expressions of the first and last day
// a stored partial date x may denote, to check them against
// kg.PartialDate.Range.
func PartialDateBounds(x string) (first, last string) { return partialDateFirst(x), partialDateLast(x) }

// EvidenceScore exposes evidenceScore's grading to the tests.
var EvidenceScore = evidenceScore
