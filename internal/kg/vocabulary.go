package kg

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
)

// RelType is a relationship type of the vocabulary. Values are the Neo4j
// relationship type names (UPPER_SNAKE_CASE). Types never come from user
// input into Cypher text: code looks them up in the vocabulary first
// (LookupRelType), and a type is only added to it after CheckRelTypeInfo.
type RelType string

// RelTypeInfo documents one relationship type.
type RelTypeInfo struct {
	Type RelType
	// Zh and En label the relationship read from its start node to its end
	// node ("from CHAIRS to": 担任…理事长单位 / chairs).
	Zh, En string
	// InverseEn reads it the other way (to ← from): "is chaired by".
	InverseZh, InverseEn string
	// From and To list the kinds allowed at each end.
	From, To []Kind
	// Example is a sentence showing the direction.
	Example string
}

var (
	anyKind         = []Kind{School, Country, Enterprise, Alliance, Program, Organization, Region, Event, Award}
	actors          = []Kind{School, Enterprise, Organization, Alliance, Region, Country}
	actorsAndPeople = append(append([]Kind{}, actors...), Person)
)

// Builtin is the vocabulary every vetgraph knows, in documentation order.
// Admins can add types at runtime (see SetAddedTypes); Vocabulary returns
// both.
var Builtin = []RelTypeInfo{
	{
		MemberOf, "是…的成员", "is a member of", "的成员包括", "has member",
		[]Kind{School, Enterprise, Organization, Region, Country},
		[]Kind{Alliance, Organization},
		"(重庆工业职业技术学院)-[:MEMBER_OF]->(成渝地区双城经济圈职业教育协同发展联盟)",
	},
	{
		Chairs, "担任…的理事长单位", "chairs", "的理事长单位是", "is chaired by",
		[]Kind{School, Organization},
		[]Kind{Alliance, Organization},
		"(重庆工业职业技术学院)-[:CHAIRS]->(成渝地区双城经济圈职业教育协同发展联盟): 第一届轮值理事长单位",
	},
	{
		CoFounded, "发起成立", "co-founded", "由…发起成立", "was co-founded by",
		[]Kind{School, Organization, Enterprise, Region, Country},
		[]Kind{Alliance, Organization, Program},
		"(重庆市教委)-[:CO_FOUNDED]->(成渝地区双城经济圈职业教育协同发展联盟)",
	},
	{
		Runs, "主办/主导/运营", "runs", "由…主办/主导", "is run by",
		[]Kind{School, Organization, Enterprise, Alliance, Region},
		[]Kind{Program, Event, School},
		"(重庆工业职业技术学院)-[:RUNS]->(长安汽车产业学院)",
	},
	{
		Built, "建设/参与共建", "built", "由…建设/共建", "was built by",
		[]Kind{School, Enterprise, Organization, Alliance, Region, Country},
		[]Kind{Program, School, Organization},
		"(重庆工程职业技术学院)-[:BUILT]->(坦桑尼亚鲁班工坊): 参与共建",
	},
	{
		ParticipatesIn, "参与/参加", "takes part in", "的参与方包括", "has participant",
		actorsAndPeople,
		[]Kind{Program, Event},
		"(长安汽车)-[:PARTICIPATES_IN]->(喷涂技师系列培训认证): 四方合作",
	},
	{
		PartOf, "隶属于/是…的一部分", "is part of", "包括", "includes",
		[]Kind{School, Region, Organization, Program, Event},
		[]Kind{School, Region, Country, Organization, Program, Event, Alliance},
		"(车辆工程学院)-[:PART_OF]->(重庆工业职业技术学院)",
	},
	{
		LocatedIn, "位于", "is located in", "所在地有", "is the location of",
		anyKind,
		[]Kind{Region, Country, School},
		"(坦桑尼亚鲁班工坊)-[:LOCATED_IN]->(阿尔迪大学)",
	},
	{
		SignedAgreementWith, "与…签署协议", "signed an agreement with", "与…签署协议", "signed an agreement with",
		[]Kind{School, Organization, Enterprise, Region},
		[]Kind{School, Organization, Enterprise, Region},
		"(重庆工业职业技术学院)-[:SIGNED_AGREEMENT_WITH]->(渝北区): 战略合作协议",
	},
	{
		PartnersWith, "与…合作", "works with", "与…合作", "works with",
		actors, actors,
		"(重庆工业职业技术学院)-[:PARTNERS_WITH]->(四川交通职业技术学院): 联合打造国家级教学资源库",
	},
	{
		Hosted, "承办/举办", "hosted", "由…承办", "was hosted by",
		[]Kind{School, Organization, Region, Alliance, Enterprise},
		[]Kind{Event},
		"(四川工程职业技术学院)-[:HOSTED]->(2024年联盟年会暨智能制造技术论坛)",
	},
	{
		SelectedFor, "入选", "was selected for", "入选者包括", "selected",
		[]Kind{School, Program, Enterprise, Alliance},
		[]Kind{Program, Award},
		"(中泰职教合作项目)-[:SELECTED_FOR]->(中国—东盟双百职业院校强强合作旗舰项目)",
	},
	{
		RecognizedBy, "被…认定", "was recognised by", "认定了", "recognised",
		[]Kind{Program, School, Enterprise, Alliance},
		[]Kind{Organization},
		"(坦桑尼亚鲁班工坊)-[:RECOGNIZED_BY]->(中国教育国际交流协会): 国家级鲁班工坊运营项目",
	},
	{
		Received, "获得/荣获", "received", "授予", "was received by",
		[]Kind{School, Program, Alliance, Enterprise},
		[]Kind{Award},
		"(重庆工程职业技术学院)-[:RECEIVED]->(世界职业院校与技术大学联盟银牌奖)",
	},
	{
		AwardedBy, "由…颁发/评定", "is awarded by", "颁发/评定", "awards",
		[]Kind{Award, Program},
		[]Kind{Organization, Alliance},
		"(汉语桥项目)-[:AWARDED_BY]->(教育部语合中心)",
	},
	{
		GuidedBy, "在…的指导下", "is guided by", "指导", "guides",
		[]Kind{Alliance, Program, Event, School},
		[]Kind{Organization},
		"(中泰职教联盟)-[:GUIDED_BY]->(泰国职业教育委员会)",
	},
	{
		SpokeAt, "在…发表主旨演讲", "gave a keynote speech at", "的主旨演讲者包括", "had a keynote speech by",
		[]Kind{School, Organization, Person},
		[]Kind{Event},
		"(重庆工程职业技术学院)-[:SPOKE_AT]->(首届世界职教大会)",
	},
	{
		Serves, "面向/推广至", "serves", "受益于", "is served by",
		[]Kind{Program, School, Alliance},
		[]Kind{Country, Region},
		"(坦桑尼亚鲁班工坊)-[:SERVES]->(坦桑尼亚)",
	},
	{
		HoldsPosition, "担任…职务", "holds a position at", "的职务由…担任", "has a position held by",
		[]Kind{Person},
		[]Kind{School, Organization, Enterprise, Alliance, Program, Region, Country},
		"(陈明健)-[:HOLDS_POSITION {detail: 大使}]->(中国驻坦桑尼亚大使馆); since/until date the role",
	},
}

// The relationship types.
const (
	MemberOf            RelType = "MEMBER_OF"
	Chairs              RelType = "CHAIRS"
	CoFounded           RelType = "CO_FOUNDED"
	Runs                RelType = "RUNS"
	Built               RelType = "BUILT"
	ParticipatesIn      RelType = "PARTICIPATES_IN"
	PartOf              RelType = "PART_OF"
	LocatedIn           RelType = "LOCATED_IN"
	SignedAgreementWith RelType = "SIGNED_AGREEMENT_WITH"
	PartnersWith        RelType = "PARTNERS_WITH"
	Hosted              RelType = "HOSTED"
	SelectedFor         RelType = "SELECTED_FOR"
	RecognizedBy        RelType = "RECOGNIZED_BY"
	Received            RelType = "RECEIVED"
	AwardedBy           RelType = "AWARDED_BY"
	GuidedBy            RelType = "GUIDED_BY"
	SpokeAt             RelType = "SPOKE_AT"
	Serves              RelType = "SERVES"
	HoldsPosition       RelType = "HOLDS_POSITION"
)

// vocabulary is one immutable state of the process's vocabulary.
type vocabulary struct {
	version uint64
	types   []RelTypeInfo
	byType  map[RelType]RelTypeInfo
}

var (
	current   atomic.Pointer[vocabulary]
	setMu     sync.Mutex // serialises SetAddedTypes
	versionNo uint64     // last version handed out, under setMu
)

func init() {
	current.Store(newVocabulary(0, nil))
}

func newVocabulary(version uint64, added []RelTypeInfo) *vocabulary {
	v := &vocabulary{
		version: version, types: make([]RelTypeInfo, 0, len(Builtin)+len(added)),
		byType: make(map[RelType]RelTypeInfo, len(Builtin)+len(added)),
	}
	for _, t := range Builtin {
		v.types = append(v.types, t)
		v.byType[t.Type] = t
	}
	for _, t := range added {
		v.types = append(v.types, t)
		v.byType[t.Type] = t
	}
	return v
}

// Vocabulary returns every relationship type the process knows: the
// built-in ones in documentation order, then the added ones in the order
// they were added. The slice is shared: callers must not modify it.
func Vocabulary() []RelTypeInfo { return current.Load().types }

// VocabularyVersion changes (grows) each time the vocabulary does; code
// that derives something from the vocabulary (a statement listing every
// type, the GraphQL schema) rebuilds it when the version moved.
func VocabularyVersion() uint64 { return current.Load().version }

// SetAddedTypes replaces the runtime-added types with added (the types
// stored in Neo4j, oldest first), keeping the built-in ones. It returns
// whether the vocabulary changed. Each entry must have passed
// CheckRelTypeInfo; one that clashes with a built-in type is an error and
// nothing changes. The vocabulary is process-wide: a process serves one
// graph.
func SetAddedTypes(added []RelTypeInfo) (bool, error) {
	for _, t := range added {
		if _, builtin := builtinByType[t.Type]; builtin {
			return false, fmt.Errorf("%w: relationship type %s is built in", ErrInvalidInput, t.Type)
		}
	}
	setMu.Lock()
	defer setMu.Unlock()
	old := current.Load()
	if sameAdded(old, added) {
		return false, nil
	}
	versionNo++
	current.Store(newVocabulary(versionNo, added))
	return true, nil
}

// sameAdded reports whether v's added types are exactly added.
func sameAdded(v *vocabulary, added []RelTypeInfo) bool {
	if len(v.types) != len(Builtin)+len(added) {
		return false
	}
	for i, t := range added {
		if !t.equal(v.types[len(Builtin)+i]) {
			return false
		}
	}
	return true
}

func (i RelTypeInfo) equal(o RelTypeInfo) bool {
	return i.Type == o.Type && i.Zh == o.Zh && i.En == o.En && i.InverseZh == o.InverseZh && i.InverseEn == o.InverseEn &&
		slices.Equal(i.From, o.From) && slices.Equal(i.To, o.To) && i.Example == o.Example
}

var builtinByType = func() map[RelType]bool {
	m := make(map[RelType]bool, len(Builtin))
	for _, t := range Builtin {
		m[t.Type] = true
	}
	return m
}()

// IsBuiltin reports whether t is one of the built-in types (false for a
// type an admin added at runtime, stored in Neo4j as a :RelationType node).
func IsBuiltin(t RelType) bool { return builtinByType[t] }

// LookupRelType returns the vocabulary entry for t and whether t is in the
// vocabulary (exact, case-sensitive).
func LookupRelType(t string) (RelTypeInfo, bool) {
	info, ok := current.Load().byType[RelType(t)]
	return info, ok
}

// ReservedRelTypes are the relationship types vetgraph uses for its own
// structure (names, facts, evidence, mentions, retractions, redirects);
// they are never vocabulary types.
var ReservedRelTypes = []RelType{"NAME_OF", "FACT_OF", "STATED_IN", "MENTIONED_IN", "RETRACTED", "REDIRECTS_TO"}

// Symmetric reports whether the type reads the same both ways (PARTNERS_WITH,
// SIGNED_AGREEMENT_WITH): a ‑[:T]→ b and b ‑[:T]→ a state the same thing.
func (i RelTypeInfo) Symmetric() bool { return i.Zh == i.InverseZh && i.En == i.InverseEn }

// Allows reports whether kinds (from, to) may be joined by this type.
func (i RelTypeInfo) Allows(from, to Kind) bool {
	return slices.Contains(i.From, from) && slices.Contains(i.To, to)
}
