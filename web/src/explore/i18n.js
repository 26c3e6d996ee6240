// UI text and kind names in Chinese and English.

export const KINDS = {
  SCHOOL: { zh: '院校', en: 'School', color: '#2f6fdf' },
  COUNTRY: { zh: '国家', en: 'Country', color: '#d64545' },
  ENTERPRISE: { zh: '企业', en: 'Enterprise', color: '#e8871e' },
  ALLIANCE: { zh: '联盟', en: 'Alliance', color: '#8e44ad' },
  PROGRAM: { zh: '项目', en: 'Programme', color: '#2e9e5b' },
  ORGANIZATION: { zh: '机构', en: 'Organization', color: '#178a94' },
  REGION: { zh: '地区', en: 'Region', color: '#8d6e63' },
  EVENT: { zh: '活动', en: 'Event', color: '#d6459b' },
  AWARD: { zh: '荣誉', en: 'Award', color: '#c9a400' },
  PERSON: { zh: '人物', en: 'Person', color: '#546e7a' },
};

export const TEXT = {
  subtitle: { zh: '职教合作图谱', en: 'VET cooperation graph' },
  searchPlaceholder: { zh: '搜索院校、国家、企业、联盟、项目…', en: 'Search schools, countries, enterprises, alliances…' },
  playground: { zh: 'GraphQL 查询台', en: 'GraphQL playground' },
  setStart: { zh: '设为起点', en: 'Path from here' },
  setEnd: { zh: '设为终点', en: 'Path to here' },
  remove: { zh: '移除', en: 'Remove' },
  pathTitle: { zh: '两点之间的路径', en: 'Path between two entities' },
  from: { zh: '起点', en: 'From' },
  to: { zh: '终点', en: 'To' },
  pickHint: { zh: '选中节点后点“设为起点/终点”', en: 'select a node, then “Path from/to here”' },
  findPath: { zh: '查找路径', en: 'Find path' },
  clearPath: { zh: '清除', en: 'Clear' },
  filterTitle: { zh: '关系类型', en: 'Relationship types' },
  all: { zh: '全选', en: 'All' },
  none: { zh: '全不选', en: 'None' },
  emptyHint: {
    zh: '搜索一个名称开始；点击节点展开它的关系，悬停在连线上阅读原文引语。',
    en: 'Search for a name to start; click a node to expand it, hover a line to read its quote.',
  },
  fit: { zh: '适应窗口', en: 'Fit' },
  relayout: { zh: '重新布局', en: 'Re-layout' },
  clearGraph: { zh: '清空', en: 'Clear' },
  noResults: { zh: '没有匹配的名称', en: 'No matching name' },
  searchFailed: { zh: '搜索失败：', en: 'Search failed: ' },
  loadFailed: { zh: '加载失败：', en: 'Could not load: ' },
  searching: { zh: '正在查找路径…', en: 'Finding a path…' },
  noPath: { zh: '{n} 步之内没有路径（或被关系类型筛选排除）。', en: 'No path within {n} hops (or the type filter excludes it).' },
  pathFound: { zh: '路径共 {n} 步：', en: 'A path of {n} hop(s):' },
  pathFailed: { zh: '查找路径失败：', en: 'Path search failed: ' },
  expanded: { zh: '已展开 {name}：{n} 个相邻节点', en: 'Expanded {name}: {n} neighbour(s)' },
  truncated: { zh: '（未全部显示）', en: ' (not all shown)' },
  more: { zh: '另有 {n} 个未显示', en: '{n} more not shown' },
  source: { zh: '来源', en: 'Source' },
  aliases: { zh: '别名', en: 'Also' },
  degree: { zh: '{n} 条关系', en: '{n} relation(s)' },
};

export function t(key, lang, vars = {}) {
  const entry = TEXT[key];
  let s = entry ? entry[lang] ?? entry.en : key;
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}
