package kg

// Evidence says where a relation or fact is stated: the source document and
// the exact quote from it (a verbatim substring of the document's text).
type Evidence struct {
	DocumentID string
	Quote      string
}

// Relation is one typed, directed relationship between two entities, as one
// document states it. The same pair may be related by several documents; each
// statement is its own Relation.
type Relation struct {
	// ID is "<documentID>:<from>:<TYPE>:<to>" plus "#<key>" when one document
	// states the same type between the same pair twice.
	ID   string
	Type RelType
	From string // entity id at the start
	To   string // entity id at the end
	// Time where stated: a point (At) or an interval (Since/Until). Nil when
	// the source states none.
	At, Since, Until *PartialDate
	// Detail names what the relation is about where the source says so, e.g.
	// the agreement signed (战略合作协议) or the status recognised.
	Detail Names
	// Evidence is the statement's first evidence; MoreEvidence what other
	// documents (or other quotes) added to it later, in the order added.
	Evidence     Evidence
	MoreEvidence []Evidence
	// Rank says which of disagreeing statements is preferred (see Rank);
	// empty reads as RankNormal.
	Rank Rank
	// SameAs is the id of the first statement of the group this one
	// belongs to when a curator declared it the same link as another with
	// a different time (a disagreement between sources); empty otherwise.
	SameAs string
	// Origin is OriginData (the data files own it) or OriginAPI (curators do).
	Origin string
	// Problems names the stored properties that did not fit the model when
	// the relation was read (see DataProblems); nil when all did.
	Problems DataProblems
}

// AllEvidence returns the statement's evidence, first first.
func (r Relation) AllEvidence() []Evidence { return append([]Evidence{r.Evidence}, r.MoreEvidence...) }

// Qualifier says how a stated number bounds the real one.
type Qualifier string

// The qualifiers of a Fact's value. "700余名" is MoreThan 700.
const (
	Exact    Qualifier = "EXACT"     // a plain number
	MoreThan Qualifier = "MORE_THAN" // 余, 多, 以上, 超过
	Nearly   Qualifier = "NEARLY"    // 近
	About    Qualifier = "ABOUT"     // 左右, 约
	AtLeast  Qualifier = "AT_LEAST"  // 至少
)

// Qualifiers lists every Qualifier.
var Qualifiers = []Qualifier{Exact, MoreThan, Nearly, About, AtLeast}

// Fact is a number the source attaches to an entity: a count, a percentage,
// a number of years, a rank.
type Fact struct {
	ID      string // stable id, unique among facts
	Subject string // entity id
	Label   Names  // what is counted, e.g. {"培养坦桑尼亚本土化技术技能人才", "local Tanzanian technical talents trained"}
	Value   float64
	// ValueInt is set when the graph holds the value as an integer: the
	// exact value, where Value rounds integers past 2^53.
	ValueInt  *int64
	Unit      string // English unit word: person, school, country, item, percent, year, time, …
	Qualifier Qualifier
	At        *PartialDate // when the number holds, where stated
	Period    Names        // the period counted over where stated ("近5年" / "in the last 5 years")
	// Evidence, MoreEvidence, Rank, SameAs and Origin as on Relation: a
	// fact's SameAs groups the numbers sources give for one quantity.
	Evidence     Evidence
	MoreEvidence []Evidence
	Rank         Rank
	SameAs       string
	Origin       string
	// Problems as on Relation.
	Problems DataProblems
}

// AllEvidence returns the fact's evidence, first first.
func (f Fact) AllEvidence() []Evidence { return append([]Evidence{f.Evidence}, f.MoreEvidence...) }
