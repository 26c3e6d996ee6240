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
	Detail   Names
	Evidence Evidence
}

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
	ID        string // stable id, unique among facts
	Subject   string // entity id
	Label     Names  // what is counted, e.g. {"培养坦桑尼亚本土化技术技能人才", "local Tanzanian technical talents trained"}
	Value     float64
	Unit      string // English unit word: person, school, country, item, percent, year, time, …
	Qualifier Qualifier
	At        *PartialDate // when the number holds, where stated
	Period    Names        // the period counted over where stated ("近5年" / "in the last 5 years")
	Evidence  Evidence
}
