package store

import "strings"

// Partial dates (kg.PartialDate: "2024", "2024-05", "2024-05-12", narrowed
// "2024~early") are stored as text on facts (at) and documents (date). A
// time filter over them needs the calendar days a stored date may denote:
// partialDateFirst and partialDateLast are the Cypher expressions of the
// first and last of them, as kg.PartialDate.Range computes them (a test
// checks both against Range for every form). A value that is not such text
// (another type, or text of another form) gives null, so it never passes a
// time filter; a temporal value (a date or datetime written by an import) is
// its own day.

// partialDatePattern is the text form of a stored partial date.
const partialDatePattern = `'[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?(~(early|mid|late))?'`

// partialDateFirstTmpl and partialDateLastTmpl read the stored date {x}
// (an expression: f.at, d.date).
const (
	partialDateFirstTmpl = `CASE
  WHEN {x} IS NULL THEN null
  WHEN {x} IS :: DATE | LOCAL DATETIME | ZONED DATETIME THEN date({x})
  WHEN NOT {x} IS :: STRING THEN null
  WHEN NOT {x} =~ ` + partialDatePattern + ` THEN null
  ELSE date(CASE size(split({x}, '~')[0])
    WHEN 4 THEN split({x}, '~')[0] + '-' + CASE split({x}, '~')[1] WHEN 'mid' THEN '05' WHEN 'late' THEN '09' ELSE '01' END + '-01'
    WHEN 7 THEN split({x}, '~')[0] + '-' + CASE split({x}, '~')[1] WHEN 'mid' THEN '11' WHEN 'late' THEN '21' ELSE '01' END
    ELSE split({x}, '~')[0] END)
END`
	partialDateLastTmpl = `CASE
  WHEN {x} IS NULL THEN null
  WHEN {x} IS :: DATE | LOCAL DATETIME | ZONED DATETIME THEN date({x})
  WHEN NOT {x} IS :: STRING THEN null
  WHEN NOT {x} =~ ` + partialDatePattern + ` THEN null
  ELSE CASE size(split({x}, '~')[0])
    WHEN 4 THEN date(split({x}, '~')[0] + '-' + CASE split({x}, '~')[1] WHEN 'early' THEN '04' WHEN 'mid' THEN '08' ELSE '12' END + '-01')
      + duration({months: 1}) - duration({days: 1})
    WHEN 7 THEN CASE split({x}, '~')[1]
      WHEN 'early' THEN date(split({x}, '~')[0] + '-10')
      WHEN 'mid' THEN date(split({x}, '~')[0] + '-20')
      ELSE date(split({x}, '~')[0] + '-01') + duration({months: 1}) - duration({days: 1}) END
    ELSE date(split({x}, '~')[0]) END
END`
)

// partialDateFirst and partialDateLast are the expressions for the stored
// date x (a fixed property expression of a statement, never request text).
func partialDateFirst(x string) string { return strings.ReplaceAll(partialDateFirstTmpl, "{x}", x) }
func partialDateLast(x string) string  { return strings.ReplaceAll(partialDateLastTmpl, "{x}", x) }

// partialDateOverlaps is the condition that the stored date x overlaps
// [$timeFrom, $timeTo] (Cypher dates, either null for an open end): true
// when both are null; when either is given, a missing or unreadable date
// does not overlap.
func partialDateOverlaps(x string) string {
	return `($timeFrom IS NULL AND $timeTo IS NULL OR (` + partialDateFirst(x) + ` IS NOT NULL
    AND ($timeTo IS NULL OR ` + partialDateFirst(x) + ` <= $timeTo)
    AND ($timeFrom IS NULL OR ` + partialDateLast(x) + ` >= $timeFrom)))`
}
