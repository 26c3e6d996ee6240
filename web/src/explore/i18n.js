// UI text and kind names in Chinese and English. Every button's text is
// distinct within a language (the browser test checks it).

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
  searchLabel: { zh: '搜索实体', en: 'Search entities' },
  playground: { zh: 'GraphQL 查询台', en: 'GraphQL playground' },
  langGroup: { zh: '语言', en: 'Language' },
  skipToGraph: { zh: '跳到图谱', en: 'Skip to the graph' },
  graphRegion: { zh: '图谱', en: 'Graph' },
  toolbar: { zh: '视图操作', en: 'View' },
  panels: { zh: '详情、路径与筛选', en: 'Details, path and filter' },

  // details of the selected entity
  setStart: { zh: '设为路径起点', en: 'Path from here' },
  setEnd: { zh: '设为路径终点', en: 'Path to here' },
  expandNode: { zh: '展开关系', en: 'Expand' },
  enterExpands: { zh: '按回车展开', en: 'Enter expands it' },
  remove: { zh: '从图中移除', en: 'Remove from view' },
  relationsInView: { zh: '图中的关系', en: 'Relationships in view' },
  showAllRelations: { zh: '显示全部 {n} 条', en: 'Show all {n}' },
  noRelationsInView: { zh: '图中没有它的关系（可能被筛选或时间隐藏）。', en: 'None in view (the filters or the time setting may hide them).' },
  degree: { zh: '{n} 条关系', en: '{n} relation(s)' },
  degreeUnknown: { zh: '关系数加载中…', en: 'counting relations…' },
  aliases: { zh: '别名', en: 'Also' },

  // path
  pathTitle: { zh: '两点之间的路径', en: 'Path between two entities' },
  from: { zh: '起点', en: 'From' },
  to: { zh: '终点', en: 'To' },
  pickHint: { zh: '选中节点后点“设为路径起点/终点”', en: 'select a node, then “Path from/to here”' },
  findPath: { zh: '查找路径', en: 'Find path' },
  clearPath: { zh: '清除路径', en: 'Clear path' },
  searching: { zh: '正在查找路径…', en: 'Finding a path…' },
  noPath: { zh: '{n} 步之内没有路径（或被关系类型筛选、时间设置排除）。换一对实体，或放宽筛选。', en: 'No path within {n} hops (or the type filter or time setting excludes it). Try other ends, or widen the filter.' },
  pathFound: { zh: '路径共 {n} 步：', en: 'A path of {n} hop(s):' },
  pathFailed: { zh: '查找路径失败：', en: 'Path search failed: ' },
  pathIgnoresWindow: { zh: '路径查找不受时间段限制。', en: 'The path search ignores the time window.' },

  // filter
  filterTitle: { zh: '关系类型', en: 'Relationship types' },
  all: { zh: '全选类型', en: 'All types' },
  none: { zh: '全不选类型', en: 'No types' },

  // canvas
  graphLabel: { zh: '图谱：{n} 个节点，{m} 条关系', en: 'Graph: {n} node(s), {m} relationship(s)' },
  graphHelp: {
    zh: '方向键在节点间移动，回车展开选中的节点，Delete 移除它，Ctrl+Z 撤销，+ 和 - 缩放，0 适应窗口，Esc 取消选择。',
    en: 'Arrow keys move between nodes, Enter expands the selected node, Delete removes it, Ctrl+Z undoes, + and - zoom, 0 fits, Esc deselects.',
  },
  emptyHint: {
    zh: '搜索一个名称开始，或试试：',
    en: 'Search for a name to start, or try:',
  },
  emptyHint2: {
    zh: '点击节点展开它的关系；点击或悬停连线阅读原文引语。',
    en: 'Click a node to expand it; click or hover a line to read its quote.',
  },
  zoomIn: { zh: '放大', en: 'Zoom in' },
  zoomOut: { zh: '缩小', en: 'Zoom out' },
  fit: { zh: '适应窗口', en: 'Fit to view' },
  relayout: { zh: '重新布局', en: 'Re-layout' },
  undo: { zh: '撤销', en: 'Undo' },
  redo: { zh: '重做', en: 'Redo' },
  exportMenu: { zh: '导出', en: 'Export' },
  exportPNG: { zh: 'PNG 图片', en: 'PNG image' },
  exportSVG: { zh: 'SVG 矢量图', en: 'SVG image' },
  exportNodesCSV: { zh: '节点表 CSV', en: 'Nodes as CSV' },
  exportEdgesCSV: { zh: '关系表 CSV（含引语与来源）', en: 'Relationships as CSV (quotes, sources)' },
  exportJSON: { zh: 'JSON（节点与关系）', en: 'JSON (nodes and relationships)' },
  copyLink: { zh: '复制链接', en: 'Copy link' },
  linkCopied: { zh: '链接已复制：打开它会看到同样的视图。', en: 'Link copied: it opens this same view.' },
  exported: { zh: '已导出 {what}', en: 'Exported {what}' },
  clearGraph: { zh: '清空图谱', en: 'Clear graph' },
  legend: { zh: '图例', en: 'Legend' },
  close: { zh: '关闭', en: 'Close' },

  // saved views
  savedViews: { zh: '保存的视图', en: 'Saved views' },
  saveView: { zh: '保存当前视图', en: 'Save this view' },
  viewName: { zh: '视图名称', en: 'View name' },
  deleteView: { zh: '删除视图：{name}', en: 'Delete view: {name}' },
  noSavedViews: { zh: '还没有保存的视图。视图保存在这个浏览器里；要分享，用“导出 → 复制链接”。', en: 'No saved views yet. They are kept in this browser; to share one, use Export → Copy link.' },
  viewSaved: { zh: '已保存视图“{name}”', en: 'Saved the view “{name}”' },

  // time
  timeline: { zh: '时间', en: 'Time' },
  timeAll: { zh: '全部时间', en: 'All time' },
  timeAsOf: { zh: '截至某年', en: 'As of' },
  timeWindow: { zh: '时间段', en: 'Window' },
  timeYear: { zh: '年份', en: 'Year' },
  timeFromLabel: { zh: '起始年', en: 'From year' },
  timeToLabel: { zh: '结束年', en: 'To year' },
  play: { zh: '播放', en: 'Play' },
  pause: { zh: '暂停', en: 'Pause' },
  asOfShown: { zh: '截至 {y} 年的图谱', en: 'The graph as of {y}' },
  windowShown: { zh: '{a}–{b} 年间的关系', en: 'Relationships of {a}–{b}' },

  // feedback
  loading: { zh: '正在加载…', en: 'Loading…' },
  loadingSearch: { zh: '正在搜索…', en: 'Searching…' },
  loadingExpand: { zh: '正在展开 {name}…', en: 'Expanding {name}…' },
  loadingView: { zh: '正在打开视图（{n} 个实体）…', en: 'Opening the view ({n} entities)…' },
  loadingDetails: { zh: '正在加载详情…', en: 'Loading details…' },
  retry: { zh: '重试', en: 'Retry' },
  noResults: { zh: '没有匹配的名称。试试简称、英文名、缩写或拼音。', en: 'No matching name. Try a short form, the English name, an abbreviation or pinyin.' },
  searchFailed: { zh: '搜索失败：', en: 'Search failed: ' },
  loadFailed: { zh: '加载失败：', en: 'Could not load: ' },
  notFound: { zh: '没有 id 为 {id} 的实体（可能已合并或删除），已从视图中去掉。', en: 'There is no entity {id} (merged or deleted?); it was left out of the view.' },
  expanded: { zh: '已展开 {name}：{n} 个相邻节点', en: 'Expanded {name}: {n} neighbour(s)' },
  expandedNone: { zh: '{name} 在当前筛选和时间下没有关系。', en: '{name} has no relationships under the current filter and time.' },
  truncated: { zh: '（未全部显示）', en: ' (not all shown)' },
  more: { zh: '另有 {n} 个未显示', en: '{n} more not shown' },
  removed: { zh: '已移除 {name}', en: 'Removed {name}' },
  removedOrphans: { zh: '已移除 {name} 和 {n} 个只与它相连的节点', en: 'Removed {name} and {n} node(s) linked only to it' },
  undone: { zh: '已撤销', en: 'Undone' },
  undoRemove: { zh: '撤销移除', en: 'Undo removal' },
  nothingShown: { zh: '当前筛选或时间设置隐藏了所有关系：勾选类型，或移动时间滑块。', en: 'The filter or the time setting hides every relationship: tick some types, or move the time slider.' },
  source: { zh: '来源', en: 'Source' },
  errNetwork: { zh: '连不上服务器。检查网络连接或服务是否在运行，然后重试。', en: 'Cannot reach the server. Check the connection, or whether the service is running, then retry.' },
  errRate: { zh: '请求太频繁。等几秒再重试。', en: 'Too many requests. Wait a few seconds, then retry.' },
  errUnavailable: { zh: '数据库暂时不可用。稍后重试。', en: 'The database is unavailable for the moment. Retry shortly.' },
  errUnauth: { zh: 'API 密钥无效、已过期或已撤销。重新登录，或退出策展人模式。', en: 'The API key is not valid (unknown, expired or revoked). Sign in again, or sign out of curator mode.' },
  errForbidden: { zh: '这个密钥的角色不能做这件事（需要策展人 curator 或管理员 admin 角色）。请管理员发一个策展人密钥。', en: 'This key’s role may not do that (it needs curator or admin). Ask an admin for a curator key.' },
  errOther: { zh: '出错了：{msg}。重试；若仍失败，请把这条信息告诉管理员。', en: 'Something went wrong: {msg}. Retry; if it keeps failing, tell an admin this message.' },

  // curator
  curatorSignIn: { zh: '策展人登录', en: 'Curator sign-in' },
  curatorSignOut: { zh: '退出策展人模式', en: 'Sign out (curator)' },
  signInTitle: { zh: '策展人登录', en: 'Sign in as a curator' },
  signInHelp: {
    zh: '粘贴管理员给你的 API 密钥（vg_…）。密钥只保存在这个浏览器标签页中，关闭即失效。',
    en: 'Paste the API key an admin gave you (vg_…). It is kept in this browser tab only, and forgotten when the tab closes.',
  },
  keyLabel: { zh: 'API 密钥', en: 'API key' },
  signIn: { zh: '登录', en: 'Sign in' },
  cancel: { zh: '取消', en: 'Cancel' },
  keyRejected: { zh: '密钥未被接受：检查是否完整粘贴、是否已撤销。', en: 'The key was not accepted: check it was pasted whole and is not revoked.' },
  signedIn: { zh: '已登录为策展人：可查看历史、撤回关系。', en: 'Signed in: you can read the history and retract relationships.' },
  signedOut: { zh: '已退出策展人模式。', en: 'Signed out.' },
  historyTitle: { zh: '变更历史', en: 'Change history' },
  historyEmpty: { zh: '没有变更记录（数据文件加载的内容不记入历史）。', en: 'No changes recorded (what the data files load is not in the history).' },
  retractedTitle: { zh: '已撤回', en: 'Retracted' },
  retract: { zh: '撤回这条关系…', en: 'Retract this relationship…' },
  retractReason: { zh: '撤回理由（必填，会记入历史）', en: 'Reason (required; kept in the history)' },
  retractConfirm: { zh: '确认撤回', en: 'Confirm retraction' },
  retractCancel: { zh: '不撤回', en: 'Keep it' },
  retractNeedsReason: { zh: '请写明撤回理由。', en: 'Write why it is retracted.' },
  retracted: { zh: '已撤回：{label}（理由：{reason}）', en: 'Retracted: {label} (reason: {reason})' },
};

export function t(key, lang, vars = {}) {
  const entry = TEXT[key];
  let s = entry ? entry[lang] ?? entry.en : key;
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}
