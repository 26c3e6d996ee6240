// Package kg provides vetgraph's domain model: the kinds of entity, the closed
// vocabulary of relationship types, evidence (document, quote, time) and
// numeric facts, plus the error categories every layer maps to.
//
// It depends on the standard library only; the store, the loader and the
// GraphQL layer all speak these types.
package kg

// Kind is the kind of an entity. In Neo4j every entity node carries the label
// Entity plus exactly one kind label, spelled as the Kind value.
type Kind string

// The entity kinds. The first five are what vetgraph is about; the others link
// them.
const (
	School       Kind = "School"       // 院校, including foreign universities and a college's sub-colleges
	Country      Kind = "Country"      // 国家
	Enterprise   Kind = "Enterprise"   // 企业
	Alliance     Kind = "Alliance"     // 联盟, 职教集团, 共同体
	Program      Kind = "Program"      // 项目, 计划, 工坊, 产业学院, 国际学院, 培训, 平台
	Organization Kind = "Organization" // government bodies, associations, councils
	Region       Kind = "Region"       // province, city, district, economic zone
	Event        Kind = "Event"        // meetings, forums, conferences, competitions
	Award        Kind = "Award"        // honours, titles, prizes, rankings
	Person       Kind = "Person"       // 人物: presidents, party secretaries, directors, ministers
)

// Kinds lists every kind in a fixed order (the order used in docs and group-by).
var Kinds = []Kind{School, Country, Enterprise, Alliance, Program, Organization, Region, Event, Award, Person}

// KindLabels gives each kind's Chinese and English label.
var KindLabels = map[Kind][2]string{
	School:       {"院校", "school"},
	Country:      {"国家", "country"},
	Enterprise:   {"企业", "enterprise"},
	Alliance:     {"联盟", "alliance"},
	Program:      {"项目", "programme"},
	Organization: {"机构", "organization"},
	Region:       {"地区", "region"},
	Event:        {"活动", "event"},
	Award:        {"荣誉", "award"},
	Person:       {"人物", "person"},
}

// ParseKind returns the Kind named s (exact spelling, e.g. "School") and
// whether it is one of Kinds.
func ParseKind(s string) (Kind, bool) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

// Names holds a text in Chinese and English. Either may be empty.
type Names struct {
	Zh string `json:"zh,omitempty"`
	En string `json:"en,omitempty"`
}

// Entity is one node of the graph.
type Entity struct {
	ID   string // stable readable id, lower-kebab-case ASCII, unique across kinds
	Kind Kind
	// NameZh is the form the source article uses; NameEn the official English
	// name where one exists (see NameEnOfficial).
	NameZh string
	NameEn string
	// NameEnOfficial is false when NameEn was made up by the curator because no
	// official English name could be found.
	NameEnOfficial bool
	// Aliases are every other form used: short forms, abbreviations (CQVIE),
	// other English names. Pinyin is derived, not stored here.
	Aliases     []string
	Description Names
	// Kind fields: only the ones allowed for Kind are set (see the dataset package).
	City       string // School, Enterprise, Organization: city where stated or well known
	SchoolType string // School: e.g. "higher vocational college", "university", "sub-college"
	ISO2       string // Country: ISO 3166-1 alpha-2
	ISO3       string // Country: ISO 3166-1 alpha-3
	Category   string // Program: e.g. "Luban Workshop", "industry college", "training"
	Start      string // Program: partial date the programme started (YYYY, YYYY-MM or YYYY-MM-DD)
	RegionType string // Region: province, municipality, city, district, zone
	// Version counts the writes curators made to the entity (0: none); a
	// client sends the version it read to have a write refused when it moved.
	Version int64
	// Problems names the stored properties that did not fit the model when
	// the entity was read (see DataProblems); nil when all did.
	Problems DataProblems
}

// Document is a source: an article or report that facts are quoted from.
type Document struct {
	ID        string
	Title     string
	Publisher string
	Date      string // partial date, may be empty when unknown
	Language  string // BCP 47, e.g. "zh"
	URL       string
	Text      string // full text; every quote must occur in it verbatim
	// Problems as on Entity.
	Problems DataProblems
}
