// Tests of the graph page's modules that need no browser: the view in the
// URL, the time rules (the API's), the export tables, the wrapping of names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { csv, csvField, edgeRows } from '../src/explore/table.js';
import { heldAsOf, inTime, inWindow, isPartialDate, lastDay } from '../src/explore/time.js';
import { copyView, emptyView, parseView, sameView, viewQuery } from '../src/explore/view.js';
import { overflowWrap, wrapLines } from '../src/explore/wrap.js';

describe('the view in the URL', () => {
  it('round-trips every part', () => {
    const v = {
      ...emptyView('en'),
      expanded: ['cqvie', 'tanzania-luban-workshop'], removed: ['chongqing'], types: ['MEMBER_OF', 'BUILT'],
      from: 'khon-kaen-university-confucius-institute', to: 'cqvie', sel: 'cqvie', asOf: '2019-05',
    };
    const q = viewQuery(v);
    assert.equal(q, '?x=cqvie,tanzania-luban-workshop&rm=chongqing&types=BUILT,MEMBER_OF&from=khon-kaen-university-confucius-institute&to=cqvie&sel=cqvie&asOf=2019-05&lang=en');
    assert.deepEqual(parseView(q), { ...v, types: ['BUILT', 'MEMBER_OF'] });
    assert.ok(sameView(parseView(q), v));
  });

  it('tells no types ticked from every type', () => {
    assert.deepEqual(parseView('?x=a&types=&lang=zh').types, []);
    assert.equal(parseView('?x=a&lang=zh').types, null);
    assert.match(viewQuery({ ...emptyView(), types: [] }), /types=&/);
  });

  it('reads the first form ?focus= and the reader’s language', () => {
    const v = parseView('?focus=cqvie', 'en');
    assert.deepEqual(v.expanded, ['cqvie']);
    assert.equal(v.sel, 'cqvie');
    assert.equal(v.lang, 'en');
    assert.equal(parseView('?lang=ZH', 'en').lang, 'zh');
  });

  it('drops what it cannot use', () => {
    const v = parseView('?x=a,,a,b&rm=a,c&types=MEMBER_OF,drop;table&asOf=2019-13&timeFrom=2015&timeTo=x');
    assert.deepEqual(v.expanded, ['a', 'b']);
    assert.deepEqual(v.removed, ['c'], 'an expanded entity is not removed too');
    assert.deepEqual(v.types, ['MEMBER_OF']);
    assert.equal(v.asOf, null);
    assert.equal(v.timeFrom, '2015');
    assert.equal(v.timeTo, null);
    assert.equal(parseView('?asOf=2019&timeFrom=2015').timeFrom, null, 'asOf wins over a window');
  });

  it('encodes ids that need it', () => {
    const v = { ...emptyView(), expanded: ['a b', 'c&d'] };
    assert.deepEqual(parseView(viewQuery(v)).expanded, ['a b', 'c&d']);
  });

  it('copies without sharing lists', () => {
    const v = { ...emptyView(), expanded: ['a'] };
    const c = copyView(v);
    c.expanded.push('b');
    assert.deepEqual(v.expanded, ['a']);
  });
});

describe('time rules (as the API applies asOf and timeFrom/timeTo)', () => {
  const d = (value, start, end) => ({ value, start, end });
  const point2018 = { at: d('2018-05', '2018-05-01', '2018-05-31') };
  const since2015until2019 = { since: d('2015', '2015-01-01', '2015-12-31'), until: d('2019', '2019-01-01', '2019-12-31') };
  const since2020 = { since: d('2020', '2020-01-01', '2020-12-31') };
  const undated = {};

  it('knows partial dates and their last days', () => {
    for (const s of ['2019', '2019-02', '2019-02-28']) assert.ok(isPartialDate(s), s);
    for (const s of ['19', '2019-2', '2019-13', '2019-02-30x', '', null]) assert.ok(!isPartialDate(s), String(s));
    assert.equal(lastDay('2024-02'), '2024-02-29');
    assert.equal(lastDay('2023-02'), '2023-02-28');
    assert.equal(lastDay('2019'), '2019-12-31');
  });

  it('holds as of a date: begun by then, not ended before', () => {
    assert.ok(heldAsOf(point2018, '2018'), 'a point holds from its start');
    assert.ok(heldAsOf(point2018, '2030'), 'a point never ends');
    assert.ok(!heldAsOf(point2018, '2018-04'));
    assert.ok(heldAsOf(since2015until2019, '2019'), 'until the last day of until');
    assert.ok(!heldAsOf(since2015until2019, '2020-01-01'));
    assert.ok(!heldAsOf(since2020, '2019'));
    assert.ok(heldAsOf(undated, '1990'), 'undated relations always hold');
  });

  it('overlaps a window when dated', () => {
    assert.ok(inWindow(point2018, '2018', '2018'));
    assert.ok(!inWindow(point2018, '2019', null));
    assert.ok(inWindow(since2015until2019, '2017', '2017'));
    assert.ok(inWindow(since2020, null, '2020'));
    assert.ok(!inWindow(since2020, null, '2019'));
    assert.ok(!inWindow(undated, '1900', '2100'), 'undated relations are in no window');
    assert.ok(inTime(undated, emptyView()));
  });
});

describe('export tables', () => {
  it('quotes a field only where CSV needs it, altering nothing', () => {
    assert.equal(csvField('plain 文字'), 'plain 文字');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('=1+1'), '=1+1');
    assert.equal(csvField(null), '');
  });

  it('writes CRLF rows after a byte order mark', () => {
    assert.equal(csv(['a', 'b'], [['1', 'x,y']]), '\uFEFFa,b\r\n1,"x,y"\r\n');
  });

  it('gives each relationship its quote and source', () => {
    const e = {
      id: 'd:a:BUILT:b', type: 'BUILT', from: 'a', to: 'b', zh: '建设', en: 'built', at: null, since: { value: '2018' }, until: null,
      detailZh: '', detailEn: 'jointly', evidence: { quote: '“引语”，含逗号', document: { id: 'd', title: 'T, 1' } },
    };
    const [row] = edgeRows([e], new Map([['a', 'A'], ['b', 'B']]), 'en');
    assert.deepEqual(row, ['d:a:BUILT:b', 'BUILT', 'a', 'b', 'A', 'B', 'built', '', '2018', '', 'jointly', '“引语”，含逗号', 'd', 'T, 1']);
  });
});

describe('names wrapped into lines', () => {
  // A monospaced measure: a Latin letter or a space is 1 wide, a Chinese character 2.
  const width = (s) => [...s].reduce((w, c) => w + (/\p{Script=Han}/u.test(c) ? 2 : 1), 0);
  const words = (lines) => lines.flatMap((l) => l.split(' '));

  it('wraps a name with spaces at spaces only, no word cut in two', () => {
    const name = 'Chongqing Vocational Institute of Engineering';
    assert.equal(overflowWrap(name), 'whitespace');
    const lines = wrapLines(name, 16, width);
    assert.deepEqual(lines, ['Chongqing', 'Vocational', 'Institute of', 'Engineering']);
    assert.deepEqual(words(lines), name.split(' '));
    for (const max of [1, 5, 9, 10, 12, 13, 20, 25, 30, 44]) {
      const at = wrapLines(name, max, width);
      assert.deepEqual(words(at), name.split(' '), `whole words at ${max}`);
      for (const l of at) assert.ok(width(l) <= max || !l.includes(' '), `only a lone word is wider than ${max}: ${l}`);
    }
  });

  it('tries a word with the space after it, as Cytoscape does', () => {
    assert.deepEqual(wrapLines('ab cd ef', 5, width), ['ab', 'cd', 'ef'], '"ab cd " is 6 wide');
    assert.deepEqual(wrapLines('ab cd ef', 6, width), ['ab cd', 'ef']);
  });

  it('gives a word wider than the line a line of its own', () => {
    assert.deepEqual(wrapLines('an Internationalisation of it', 10, width), ['an', 'Internationalisation', 'of it']);
  });

  it('wraps a name without spaces (Chinese) anywhere', () => {
    const name = '重庆工程职业技术学院';
    assert.equal(overflowWrap(name), 'anywhere');
    assert.deepEqual(wrapLines(name, 8, width), ['重庆工程', '职业技术', '学院']);
    assert.deepEqual(wrapLines(name, 9, width), ['重庆工程', '职业技术', '学院']);
    assert.deepEqual(wrapLines('Supercalifragilistic', 8, width), ['Supercal', 'ifragili', 'stic'], 'one long word: anywhere');
  });

  it('keeps a name that fits on one line whole', () => {
    assert.deepEqual(wrapLines('Chongqing Vocational', 20, width), ['Chongqing Vocational']);
    assert.deepEqual(wrapLines('重庆工程职业技术学院', 20, width), ['重庆工程职业技术学院']);
    assert.deepEqual(wrapLines('', 5, width), ['']);
    assert.equal(overflowWrap(' 重庆 '), 'anywhere', 'spaces at the ends are not between words');
  });
});
