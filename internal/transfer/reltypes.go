package transfer

import (
	"github.com/vetgraph/vetgraph/internal/kg"
	"github.com/vetgraph/vetgraph/internal/store"
)

// The relationship types admins added travel with the graph
// (store.ExportGraph.RelationTypes): in YAML as relation-types.yaml at the
// top of the directory, in JSON Lines as records of type "relationType"
// before every other record. A graph without added types is written as it
// always was (no file, no record). GraphML and CSV only carry relations of
// those types (GraphML labels their edges from the types the graph
// carries).

// RelationTypesFile is the YAML file holding the added relationship types.
const RelationTypesFile = "relation-types.yaml"

func kindStrings(ks []kg.Kind) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

// kindsOf reads a list of kinds as written (the store checks them); nil
// for none, as the store reads them.
func kindsOf(ss []string) []kg.Kind {
	var out []kg.Kind
	for _, s := range ss {
		out = append(out, kg.Kind(s))
	}
	return out
}

// relTypeInfo is the definition of relationship type t: the graph's own
// (an added type it carries), else the process's vocabulary's.
func relTypeInfo(g *store.ExportGraph, t kg.RelType) (kg.RelTypeInfo, bool) {
	for _, x := range g.RelationTypes {
		if x.Type == t {
			return x.RelTypeInfo, true
		}
	}
	return kg.LookupRelType(string(t))
}

// typeUse is a relation read from a file whose type is checked once the
// whole input is read: where it is, and its type.
type typeUse struct {
	file  string
	line  int
	where string // "" in JSON Lines (the line says it)
	typ   kg.RelType
	// yamlPath locates the relation's type in a YAML file, for its line.
	yamlPath string
}

// unknownTypes returns the uses whose type is neither in the process's
// vocabulary (kg.Vocabulary: the built-in types, plus the added ones the
// database stores once a store is open) nor defined by the input itself.
func unknownTypes(g *store.ExportGraph, uses []typeUse) []typeUse {
	defined := map[kg.RelType]bool{}
	for _, t := range g.RelationTypes {
		defined[t.Type] = true
	}
	var out []typeUse
	for _, u := range uses {
		if _, known := kg.LookupRelType(string(u.typ)); !known && !defined[u.typ] {
			out = append(out, u)
		}
	}
	return out
}
