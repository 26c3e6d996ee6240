// SVG of what the graph shows on screen, built from Cytoscape's public API
// (positions, computed styles, edge endpoints and control points): circles,
// lines and arrows, and the names as text that stays text (searchable,
// selectable, sharp at any size).
//
// cytoscape-svg (the extension that renders through a canvas-to-SVG shim) is
// published under the GPL-3.0, which the embedded, distributed page cannot
// take on without a licence decision; see docs/explore-page.md.
import { FONT } from './graph.js';
import { wrapLines } from './wrap.js';

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const num = (x) => (Math.round(x * 100) / 100).toString();
const px = (v) => parseFloat(v) || 0;

let measure;
// textWidth measures text in a node's font as Cytoscape does (canvas
// measureText with the node's style, px rounded up).
function textWidth(n, text) {
  measure ??= document.createElement('canvas').getContext('2d');
  measure.font = `${n.pstyle('font-style').strValue} ${n.pstyle('font-weight').strValue} ${n.pstyle('font-size').pfValue}px ${n.pstyle('font-family').strValue}`;
  return Math.ceil(measure.measureText(text).width);
}

// graphSVG returns an SVG document of the view on screen (cy.extent()).
export function graphSVG(cy, { title = 'vetgraph' } = {}) {
  const ext = cy.extent();
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${num(ext.x1)} ${num(ext.y1)} ${num(ext.w)} ${num(ext.h)}" ` +
    `width="${Math.round(cy.width())}" height="${Math.round(cy.height())}" font-family='${esc(FONT)}'>`);
  out.push(`<title>${esc(title)}</title>`);
  out.push(`<rect x="${num(ext.x1)}" y="${num(ext.y1)}" width="${num(ext.w)}" height="${num(ext.h)}" fill="#ffffff"/>`);

  const edges = cy.edges().filter((e) => e.visible()).sort((a, b) => a.pstyle('z-index').value - b.pstyle('z-index').value);
  out.push('<g class="edges">');
  for (const e of edges.toArray()) {
    const s = e.sourceEndpoint();
    const t = e.targetEndpoint();
    const cps = e.controlPoints() || [];
    let d = `M${num(s.x)},${num(s.y)}`;
    cps.forEach((cp, i) => {
      const next = cps[i + 1];
      const end = next ? { x: (cp.x + next.x) / 2, y: (cp.y + next.y) / 2 } : t;
      d += ` Q${num(cp.x)},${num(cp.y)} ${num(end.x)},${num(end.y)}`;
    });
    if (!cps.length) d += ` L${num(t.x)},${num(t.y)}`;
    const color = e.style('line-color');
    const width = px(e.style('width'));
    const op = e.effectiveOpacity();
    out.push(`<g data-id="${esc(e.id())}" opacity="${num(op)}">`);
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="${num(width)}"/>`);
    // the arrow at the target, along the last stretch of the line
    const from = cps.length ? cps[cps.length - 1] : s;
    const a = Math.atan2(t.y - from.y, t.x - from.x);
    const size = Math.max(6, width * 3.2) * (e.pstyle('arrow-scale').value || 1);
    const p1 = { x: t.x - size * Math.cos(a) + (size / 2) * Math.sin(a), y: t.y - size * Math.sin(a) - (size / 2) * Math.cos(a) };
    const p2 = { x: t.x - size * Math.cos(a) - (size / 2) * Math.sin(a), y: t.y - size * Math.sin(a) + (size / 2) * Math.cos(a) };
    out.push(`<path d="M${num(t.x)},${num(t.y)} L${num(p1.x)},${num(p1.y)} L${num(p2.x)},${num(p2.y)} Z" fill="${e.style('target-arrow-color')}"/>`);
    const label = e.pstyle('label').strValue;
    if (label) {
      const m = e.midpoint();
      let deg = (Math.atan2(t.y - s.y, t.x - s.x) * 180) / Math.PI;
      if (deg > 90) deg -= 180;
      if (deg < -90) deg += 180;
      const fs = px(e.style('font-size'));
      out.push(`<text x="${num(m.x)}" y="${num(m.y)}" font-size="${num(fs)}" fill="${e.style('color')}" text-anchor="middle" dominant-baseline="middle" ` +
        `transform="rotate(${num(deg)} ${num(m.x)} ${num(m.y)})" stroke="#ffffff" stroke-width="${num(fs / 3)}" paint-order="stroke">${esc(label)}</text>`);
    }
    out.push('</g>');
  }
  out.push('</g>');

  const nodes = cy.nodes().filter((n) => n.visible());
  out.push('<g class="nodes">');
  for (const n of nodes.toArray()) {
    const p = n.position();
    const r = n.width() / 2;
    const bw = px(n.style('border-width'));
    out.push(`<g data-id="${esc(n.id())}" opacity="${num(n.effectiveOpacity())}">`);
    out.push(`<circle cx="${num(p.x)}" cy="${num(p.y)}" r="${num(r)}" fill="${n.style('background-color')}"` +
      (bw ? ` stroke="${n.style('border-color')}" stroke-width="${num(bw)}"` : '') + '/>');
    const label = n.pstyle('label').strValue;
    if (label) {
      const fs = px(n.style('font-size'));
      // the lines the drawing wraps the name in (wrap.js)
      const lines = wrapLines(label, n.pstyle('text-max-width').pfValue, (s) => textWidth(n, s));
      const lineH = fs * 1.25;
      const height = fs + (lines.length - 1) * lineH;
      const mx = px(n.style('text-margin-x'));
      const my = px(n.style('text-margin-y'));
      const valign = n.style('text-valign');
      const halign = n.style('text-halign');
      // where the drawing puts the name: below (default), above, right or left
      let anchor = 'middle';
      let x = p.x + mx;
      let top = p.y + r + bw / 2 + my;
      if (valign === 'top') top = p.y - r - bw / 2 + my - height;
      if (valign === 'center') {
        top = p.y - height / 2 + my;
        if (halign === 'right') { anchor = 'start'; x = p.x + r + bw / 2 + mx; }
        if (halign === 'left') { anchor = 'end'; x = p.x - r - bw / 2 + mx; }
      }
      const weight = n.style('font-weight') === 'bold' ? ' font-weight="bold"' : '';
      out.push(`<text x="${num(x)}" y="${num(top)}" font-size="${num(fs)}" fill="${n.style('color')}" text-anchor="${anchor}"${weight} ` +
        `stroke="#ffffff" stroke-width="${num(fs / 3)}" paint-order="stroke">` +
        lines.map((l, i) => `<tspan x="${num(x)}" dy="${num(i === 0 ? fs : lineH)}">${esc(l)}</tspan>`).join('') + '</text>');
    }
    out.push('</g>');
  }
  out.push('</g></svg>');
  return `${out.join('\n')}\n`;
}
