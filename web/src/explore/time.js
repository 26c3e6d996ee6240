// Time rules of the graph page, the same as the API's (internal/store): a
// relation's stated time is a point (`at`) or an interval (`since`/`until`),
// each a partial date whose first and last calendar days the API gives as
// `start` and `end` (YYYY-MM-DD, so strings compare as dates).
//
// - asOf D (a partial date, taken at its last day): the relation held on D
//   when it had begun by then (at or since) and had not ended before it
//   (until). Undated relations always hold; a point in time never ends.
// - a window [F, T] (F taken at its first day, T at its last): the relation's
//   stated time overlaps it. Undated relations are outside every window.

const PARTIAL = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

// isPartialDate tells whether s is YYYY, YYYY-MM or YYYY-MM-DD.
export function isPartialDate(s) {
  return typeof s === 'string' && PARTIAL.test(s);
}

// firstDay and lastDay give the first and last calendar day (YYYY-MM-DD) a
// partial date denotes.
export function firstDay(s) {
  if (s.length === 4) return `${s}-01-01`;
  if (s.length === 7) return `${s}-01`;
  return s;
}

export function lastDay(s) {
  if (s.length === 4) return `${s}-12-31`;
  if (s.length === 7) {
    const [y, m] = s.split('-').map(Number);
    const days = new Date(Date.UTC(y, m, 0)).getUTCDate(); // day 0 of the next month
    return `${s}-${String(days).padStart(2, '0')}`;
  }
  return s;
}

// bounds gives the days an edge's stated time covers, as the store keeps
// them: from (start of at or since), to (end of at or until) and end (end
// of until only: when it stopped holding). Each is null where not stated.
export function bounds(edge) {
  if (edge.at) return { from: edge.at.start, to: edge.at.end, end: null };
  return {
    from: edge.since ? edge.since.start : null,
    to: edge.until ? edge.until.end : null,
    end: edge.until ? edge.until.end : null,
  };
}

// heldAsOf tells whether the edge held on the partial date asOf.
export function heldAsOf(edge, asOf) {
  const d = lastDay(asOf);
  const b = bounds(edge);
  return (b.from === null || b.from <= d) && (b.end === null || b.end >= d);
}

// inWindow tells whether the edge's stated time overlaps [timeFrom, timeTo]
// (either may be null: open on that side).
export function inWindow(edge, timeFrom, timeTo) {
  const b = bounds(edge);
  if (b.from === null && b.to === null) return false;
  if (timeFrom && b.to !== null && b.to < firstDay(timeFrom)) return false;
  if (timeTo && b.from !== null && b.from > lastDay(timeTo)) return false;
  return true;
}

// inTime tells whether the edge is shown under the view's time setting.
export function inTime(edge, view) {
  if (view.asOf) return heldAsOf(edge, view.asOf);
  if (view.timeFrom || view.timeTo) return inWindow(edge, view.timeFrom, view.timeTo);
  return true;
}

// describeTime gives a stated time in words: "2018-05", "2015–2020", "since 2019".
export function describeTime(edge, lang) {
  if (edge.at) return edge.at.value;
  const s = edge.since?.value;
  const u = edge.until?.value;
  if (s && u) return `${s}–${u}`;
  if (s) return lang === 'zh' ? `${s} 起` : `since ${s}`;
  if (u) return lang === 'zh' ? `至 ${u}` : `until ${u}`;
  return '';
}
