// How a node's name wraps into lines: one rule for the drawing (Cytoscape's
// 'text-overflow-wrap', graph.js), the label placement's estimate
// (graph.js placeLabels) and the SVG export (svg.js). A name with a space in
// it (English) wraps at spaces only, so that no word is cut in two; a name
// without one (Chinese, written without spaces) wraps between any two
// characters.

const SPACE = /\s/;

// overflowWrap gives the value of Cytoscape's 'text-overflow-wrap' for a
// name: 'whitespace' when it has a space between words, else 'anywhere'.
export function overflowWrap(text) {
  return SPACE.test(String(text ?? '').trim()) ? 'whitespace' : 'anywhere';
}

// wrapLines splits text into the lines Cytoscape.js (3.34, 'text-wrap:
// wrap') draws it in at a wrap width of max, with overflowWrap(text):
// width(s) is the width of the string s, in the unit of max (the drawing
// measures with canvas measureText, rounded up). A text no wider than max
// is one line. Otherwise the words (at spaces) or the characters (anywhere)
// fill a line while it fits; as in Cytoscape, a word is tried with the space
// after it. A word wider than max gets a line of its own and sticks out.
// Lines have no spaces at either end; an empty text is one empty line.
export function wrapLines(text, max, width) {
  const s = String(text ?? '');
  if (!s || width(s) <= max) return [s];
  const atSpaces = overflowWrap(s) === 'whitespace';
  const parts = atSpaces ? s.trim().split(/\s+/) : [...s];
  const sep = atSpaces ? ' ' : '';
  const lines = [];
  let line = '';
  for (const part of parts) {
    if (!line) line = part;
    else if (width(line + sep + part + sep) <= max) line += sep + part;
    else {
      lines.push(line);
      line = part;
    }
  }
  if (line) lines.push(line);
  return lines;
}
