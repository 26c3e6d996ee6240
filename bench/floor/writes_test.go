package floor

import "testing"

// TestWriteStatementsExist: every statement the floor sends is one the store
// names (a missing name would leave the floor sending an empty statement).
func TestWriteStatementsExist(t *testing.T) {
	for name, s := range map[string]string{
		"findIdempotent": findIdempotent, "appendChange": appendChange,
		"endsForWrite": endsForWrite, "sameStatementTmpl": sameStatementTmpl, "sameSymmetricStatementTmpl": sameSymmetricStatementTmpl,
		"relationIDTaken": relationIDTaken, "createRelationTmpl": createRelationTmpl, "mentionsOf": mentionsOf,
	} {
		if s == "" {
			t.Errorf("store.WriteStatements has no %s", name)
		}
	}
}
