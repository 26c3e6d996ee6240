// The example queries the playground opens with (one tab each). The first
// three are the README's; the last shows the exploration API.

export const examples = [
  {
    query: `# Which alliance does 重庆工业职业技术学院 chair,
# and who founded it?
# Run: the ▶ button or Ctrl-Enter. More examples in
# the other tabs; the graph page is at /explore.
query ChairedAlliance {
  entityByName(name: "重庆工业职业技术学院") {
    relations(types: [CHAIRS], direction: OUT) {
      edges {
        node {
          label(lang: EN)
          other {
            nameZh
            nameEn
            ... on Alliance { founders { nameZh nameEn } }
          }
          evidence { quote }
        }
      }
    }
  }
}
`,
  },
  {
    query: `# Who built the Tanzania Luban Workshop, where is it,
# and how many people has it trained?
query TanzaniaLubanWorkshop {
  entityByName(name: "坦桑尼亚鲁班工坊") {
    builtBy: relations(types: [BUILT], direction: IN) {
      edges { node { other { nameEn } at { value } detail(lang: EN) } }
    }
    location: relations(types: [LOCATED_IN], direction: OUT) {
      edges {
        node {
          other {
            nameZh
            nameEn
            relations(types: [LOCATED_IN], direction: OUT, kinds: [COUNTRY]) {
              edges { node { other { nameEn ... on Country { iso2 } } } }
            }
          }
        }
      }
    }
    facts { text(lang: EN) label(lang: EN) }
  }
}
`,
  },
  {
    query: `# The first page of countries in English name order, with a total.
# Page on with after: <endCursor>.
query Countries($after: String) {
  entities(
    filter: { kinds: [COUNTRY] }
    orderBy: { field: NAME_EN }
    first: 3
    after: $after
  ) {
    totalCount
    edges { cursor node { id name(lang: EN) ... on Country { iso2 } } }
    pageInfo { hasNextPage endCursor }
  }
}
`,
    variables: '{\n  "after": null\n}\n',
  },
  {
    query: `# How is the Confucius Institute at Khon Kaen University
# connected to CQVIE? Each hop is a sentence with the quote
# that states it; the graph page (/explore) draws it.
query ExplainPath {
  explain(from: "khon-kaen-university-confucius-institute", to: "cqvie", lang: EN) {
    text
    steps { sentence quote document { title } }
  }
}
`,
  },
];
