// The drawing of the graph page: Cytoscape.js with the fCoSE force-directed
// layout (cytoscape-fcose, made for graphs of hundreds of nodes), node size
// by degree, and labels chosen by zoom level: names keep a readable size on
// screen (12–15 px) whatever the zoom, and a name is drawn only where it
// covers no other (below its node, else above, right or left), hubs (most
// relations) first; zooming in makes room, so every name shows once nodes
// are far enough apart.
import cytoscape from 'cytoscape';

import { overflowWrap, wrapLines } from './wrap.js';

// fCoSE (with cose-base and layout-base, ~160 KB) is loaded after the page
// is up: the first layout needs it, the first paint does not.
let fcoseReady = null;
export function loadLayout() {
  fcoseReady ??= import('cytoscape-fcose').then((m) => cytoscape.use(m.default));
  return fcoseReady;
}

export const FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif';

// Names on screen, in CSS pixels, whatever the zoom.
const LABEL_PX = 12;
const HUB_LABEL_PX = 15;
const LABEL_MAX_PX = 150; // wrap width
const EDGE_LABEL_PX = 10;
// At or above this zoom every edge shows its label.
export const EDGE_LABEL_ZOOM = 1.6;
// A wheel notch (deltaY 100, what mice send) zooms by 2^(1/3) ≈ 1.26.
const WHEEL_PIXELS_PER_DOUBLING = 300;
export const ZOOM_STEP = 1.4;

// nodeSize is a node's diameter (model units) for its number of relations.
export function nodeSize(degree) {
  return Math.round(14 + 8 * Math.log2(1 + Math.max(0, degree || 0)));
}

function styles(zoom) {
  const z = zoom;
  return [
    {
      selector: 'node',
      style: {
        'background-color': 'data(color)',
        label: '',
        width: 'data(size)',
        height: 'data(size)',
        'font-family': FONT,
        'font-size': `mapData(deg, 1, 40, ${LABEL_PX / z}, ${HUB_LABEL_PX / z})`,
        color: '#1f2933',
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': 3 / z,
        'text-wrap': 'wrap',
        // at spaces for a name that has them (no word cut in two), anywhere
        // for one that has none (Chinese); follows the label (the language)
        'text-overflow-wrap': (n) => overflowWrap(n.data('label')),
        'text-max-width': LABEL_MAX_PX / z,
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.85,
        'text-background-padding': 2 / z,
        'text-background-shape': 'roundrectangle',
        'border-width': 2,
        'border-color': '#ffffff',
        'min-zoomed-font-size': 0,
      },
    },
    // named nodes above the others, so that no node covers a name
    { selector: 'node.lbl', style: { label: 'data(label)', 'z-index': 5 } },
    { selector: 'node.lp-t', style: { 'text-valign': 'top', 'text-margin-y': -3 / z } },
    { selector: 'node.lp-r', style: { 'text-valign': 'center', 'text-halign': 'right', 'text-margin-y': 0, 'text-margin-x': 4 / z } },
    { selector: 'node.lp-l', style: { 'text-valign': 'center', 'text-halign': 'left', 'text-margin-y': 0, 'text-margin-x': -4 / z } },
    { selector: 'node.expanded', style: { 'border-color': '#334e68', 'border-width': 3 } },
    { selector: 'node.loading', style: { 'border-color': '#f0b429', 'border-width': 5, 'border-style': 'dashed' } },
    { selector: 'node:selected', style: { 'border-color': '#102a43', 'border-width': 5, 'font-weight': 'bold', 'z-index': 20 } },
    { selector: 'node.end', style: { 'border-color': '#d64545', 'border-width': 5, 'border-style': 'double' } },
    {
      selector: 'edge',
      style: {
        width: 1.5,
        'line-color': '#b8c2cc',
        'target-arrow-color': '#b8c2cc',
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.9,
        'curve-style': 'bezier',
        label: zoom >= EDGE_LABEL_ZOOM ? 'data(label)' : '',
        'font-family': FONT,
        'font-size': EDGE_LABEL_PX / z,
        color: '#52606d',
        'text-rotation': 'autorotate',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.85,
        'text-background-padding': 1 / z,
        'min-zoomed-font-size': 0,
      },
    },
    { selector: 'edge.elbl', style: { label: 'data(label)' } },
    { selector: 'edge.hover', style: { width: 3.5, 'line-color': '#334e68', 'target-arrow-color': '#334e68', color: '#102a43', 'z-index': 10, label: 'data(label)' } },
    { selector: 'edge.on-path', style: { width: 4, 'line-color': '#d64545', 'target-arrow-color': '#d64545', color: '#9b1c1c', 'font-weight': 'bold', 'z-index': 9, label: 'data(label)' } },
    { selector: 'edge.picked', style: { width: 4, 'line-color': '#2f6fdf', 'target-arrow-color': '#2f6fdf', label: 'data(label)', 'z-index': 11 } },
    { selector: 'node.on-path', style: { 'border-color': '#d64545', 'border-width': 5, 'font-weight': 'bold' } },
    { selector: '.faded', style: { opacity: 0.2 } },
    { selector: '.filtered', style: { display: 'none' } },
  ];
}

// createGraph draws into container. The page reaches Cytoscape through the
// returned cy; the rest are the drawing's own operations.
export function createGraph(container) {
  const cy = cytoscape({
    container,
    minZoom: 0.05,
    maxZoom: 4,
    boxSelectionEnabled: false,
    selectionType: 'single',
    style: styles(1),
  });
  let styledZoom = 1;
  const measure = document.createElement('canvas').getContext('2d');
  const widths = new Map(); // weight, text -> width at 100 px
  const labelBoxes = new Map(); // weight, px, label -> labelBox, at boxesZoom

  function textWidth(text, px, weight) {
    const key = `${weight}\n${text}`;
    let w = widths.get(key);
    if (w === undefined) {
      measure.font = `${weight} 100px ${FONT}`;
      w = measure.measureText(text).width;
      widths.set(key, w);
    }
    return (w * px) / 100;
  }

  // An estimate of a name's box on screen at px: its number of lines
  // (wrapped by the drawing's rule) and its widest line. Safe: the drawing
  // measures in model units rounded up (up to a zoom's worth of screen
  // pixels wider), so lines are measured here that much wider, which makes
  // at least as many of them; and a word wider than the wrap width sticks
  // out of it. Kept for one zoom.
  let boxesZoom = 0;
  function labelBox(label, px, weight, zoom) {
    if (zoom !== boxesZoom) {
      labelBoxes.clear();
      boxesZoom = zoom;
    }
    const key = `${weight}\n${px}\n${label}`;
    let b = labelBoxes.get(key);
    if (b === undefined) {
      const lines = wrapLines(label, LABEL_MAX_PX, (s) => textWidth(s, px, weight) + zoom + 0.5);
      const widest = Math.max(...lines.map((l) => textWidth(l, px, weight)));
      b = { lines: lines.length, width: Math.max(widest, Math.min(textWidth(label, px, weight), LABEL_MAX_PX)) };
      labelBoxes.set(key, b);
    }
    return b;
  }

  // The font size of a node's name on screen, as the style sets it.
  function labelPx(n) {
    const d = Math.min(40, Math.max(1, n.data('deg')));
    return LABEL_PX + ((HUB_LABEL_PX - LABEL_PX) * (d - 1)) / 39;
  }

  // Which names to draw: in order of priority (the selected node, the
  // path, expanded nodes, then by number of relations), each where it
  // covers no name drawn before it. Names of nodes off screen are not drawn.
  function placeLabels() {
    const zoom = cy.zoom();
    if (Math.abs(zoom - styledZoom) > 1e-9) {
      styledZoom = zoom;
      cy.style().fromJson(styles(zoom)).update();
    }
    const W = cy.width();
    const H = cy.height();
    const nodes = cy.nodes().filter((n) => n.visible());
    const rank = (n) => (n.selected() ? 4 : n.hasClass('on-path') || n.hasClass('end') ? 3 : n.hasClass('expanded') ? 2 : 0);
    const order = nodes.toArray().sort((a, b) => rank(b) - rank(a) || b.data('deg') - a.data('deg') || (a.id() < b.id() ? -1 : 1));
    const cell = 64;
    const grid = new Map();
    const keyOf = (i, j) => i * 100003 + j;
    const boxes = [];
    const show = new Set();
    const hits = (b) => {
      for (let i = Math.floor(b.x1 / cell); i <= Math.floor(b.x2 / cell); i++) {
        for (let j = Math.floor(b.y1 / cell); j <= Math.floor(b.y2 / cell); j++) {
          for (const k of grid.get(keyOf(i, j)) || []) {
            const o = boxes[k];
            if (b.x1 < o.x2 && b.x2 > o.x1 && b.y1 < o.y2 && b.y2 > o.y1) return true;
          }
        }
      }
      return false;
    };
    const put = (b) => {
      const k = boxes.push(b) - 1;
      for (let i = Math.floor(b.x1 / cell); i <= Math.floor(b.x2 / cell); i++) {
        for (let j = Math.floor(b.y1 / cell); j <= Math.floor(b.y2 / cell); j++) {
          const key = keyOf(i, j);
          if (!grid.has(key)) grid.set(key, []);
          grid.get(key).push(k);
        }
      }
    };
    const where = new Map(); // node id -> '' (below), 't', 'r' or 'l'
    for (const n of order) {
      const p = n.renderedPosition();
      const r = (n.data('size') * zoom) / 2 + 1.5;
      if (p.x < -LABEL_MAX_PX || p.x > W + LABEL_MAX_PX || p.y < -r - 40 || p.y > H + 40) continue;
      const px = labelPx(n);
      // (bold names, of the selected node and the path, are wider)
      const bold = n.selected() || n.hasClass('on-path');
      const { lines, width } = labelBox(n.data('label') || '', px, bold ? 'bold' : 'normal', zoom);
      const w = width + 6;
      const h = lines * px * 1.3 + 4;
      const m = 3;
      const candidates = [
        ['', { x1: p.x - w / 2, x2: p.x + w / 2, y1: p.y + r + m, y2: p.y + r + m + h }],
        ['t', { x1: p.x - w / 2, x2: p.x + w / 2, y1: p.y - r - m - h, y2: p.y - r - m }],
        ['r', { x1: p.x + r + m, x2: p.x + r + m + w, y1: p.y - h / 2, y2: p.y + h / 2 }],
        ['l', { x1: p.x - r - m - w, x2: p.x - r - m, y1: p.y - h / 2, y2: p.y + h / 2 }],
      ];
      // (a margin of 5 px each way: the drawing's box differs a little from this estimate)
      const GAP = 5;
      for (const [, b] of candidates) Object.assign(b, { x1: b.x1 - GAP, x2: b.x2 + GAP, y1: b.y1 - GAP, y2: b.y2 + GAP });
      const onScreen = (b) => b.x1 >= 0 && b.x2 <= W && b.y1 >= 0 && b.y2 <= H;
      let placed = candidates.find(([, b]) => onScreen(b) && !hits(b));
      if (!placed && rank(n) >= 3) placed = candidates[0];
      if (placed) {
        put(placed[1]);
        show.add(n.id());
        where.set(n.id(), placed[0]);
      }
    }
    cy.batch(() => {
      cy.nodes().forEach((n) => {
        const want = show.has(n.id());
        if (want !== n.hasClass('lbl')) n.toggleClass('lbl', want);
        const at = where.get(n.id()) || '';
        for (const c of ['t', 'r', 'l']) {
          if (n.hasClass(`lp-${c}`) !== (at === c)) n.toggleClass(`lp-${c}`, at === c);
        }
      });
    });
    container.dataset.labels = String(show.size);
    clearTimeout(labelTimer);
    container.dataset.labelsPending = 'false';
  }

  let labelTimer = 0;
  function scheduleLabels(delay = 90) {
    clearTimeout(labelTimer);
    container.dataset.labelsPending = 'true';
    labelTimer = setTimeout(placeLabels, delay);
  }
  cy.on('viewport', () => scheduleLabels());
  cy.on('resize', () => scheduleLabels());

  // Zoom around a point on screen (the centre by default).
  function zoomBy(factor, at) {
    const level = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), cy.zoom() * factor));
    cy.zoom({ level, renderedPosition: at || { x: cy.width() / 2, y: cy.height() / 2 } });
  }

  // The wheel: Cytoscape's own handler zooms by about 3% per mouse notch
  // (it takes a notch for a touchpad's fine steps); this one zooms by a
  // quarter per notch and follows a touchpad's fine steps smoothly, around
  // the pointer. It runs first (capture on the parent) and stops the event.
  container.parentElement.addEventListener('wheel', (e) => {
    if (!container.contains(e.target)) return;
    e.preventDefault();
    e.stopPropagation();
    let dy = e.deltaY;
    if (e.deltaMode === 1) dy *= 33; // lines
    else if (e.deltaMode === 2) dy *= cy.height(); // pages
    dy = Math.max(-300, Math.min(300, dy));
    const box = container.getBoundingClientRect();
    zoomBy(2 ** (-dy / WHEEL_PIXELS_PER_DOUBLING), { x: e.clientX - box.left, y: e.clientY - box.top });
  }, { capture: true, passive: false });

  // fitTo fits eles (default: everything shown) in the view, zooming in no
  // further than maxZoom, so that a small graph is not blown up.
  // Names keep their size on screen, so the nodes alone are fitted, with
  // room for names around them.
  function fitTo(eles, { padding = 50, maxZoom = 1.25, animate = true } = {}) {
    const target = eles && eles.nonempty() ? eles : cy.elements().filter((x) => x.visible());
    if (target.empty()) return Promise.resolve();
    const bb = target.boundingBox({ includeLabels: false, includeOverlays: false });
    const w = Math.max(1, cy.width() - 2 * padding - 80); // names stick out at the sides
    const h = Math.max(1, cy.height() - 2 * padding - 30); // and below
    const zoom = Math.max(cy.minZoom(), Math.min(maxZoom, w / Math.max(bb.w, 1), h / Math.max(bb.h, 1)));
    const pan = { x: cy.width() / 2 - zoom * (bb.x1 + bb.w / 2), y: cy.height() / 2 - zoom * (bb.y1 + bb.h / 2) };
    if (!animate) {
      cy.viewport({ zoom, pan });
      placeLabels();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      cy.animate({ zoom, pan }, { duration: 300, complete: () => { placeLabels(); resolve(); } });
    });
  }

  let running = null;
  // layout arranges the shown elements with fCoSE: from scratch (random
  // start) or from where the nodes are (incremental, so the picture keeps
  // its shape when nodes are added). Resolves when done.
  async function layout({ incremental = false } = {}) {
    const shown = cy.elements().filter((x) => !x.hasClass('filtered'));
    if (shown.nodes().empty()) return undefined;
    container.dataset.layout = 'running';
    await loadLayout();
    if (running) running.stop();
    const n = shown.nodes().length;
    const l = shown.layout({
      name: 'fcose',
      quality: incremental ? 'proof' : 'default',
      randomize: !incremental,
      animate: n <= 150 ? 'end' : false,
      animationDuration: 400,
      fit: false,
      nodeDimensionsIncludeLabels: false,
      packComponents: false,
      // hubs push harder, so that two hubs sharing members do not overlap
      nodeRepulsion: (nd) => 6000 + 900 * Math.min(nd.data('deg'), 80),
      idealEdgeLength: (e) => 55 + 4 * Math.sqrt(Math.min(e.source().data('deg'), e.target().data('deg'))),
      edgeElasticity: () => 0.45,
      nodeSeparation: 90,
      gravity: 0.3,
      gravityRange: 3.0,
      numIter: 2500,
      tile: true,
      tilingPaddingVertical: 20,
      tilingPaddingHorizontal: 20,
    });
    running = l;
    container.dataset.layout = 'running';
    return new Promise((resolve) => {
      l.one('layoutstop', () => {
        if (running === l) running = null;
        separate(shown.nodes());
        container.dataset.layout = 'done';
        resolve();
      });
      l.run();
    });
  }

  // separate moves nodes that overlap or nearly do apart (fCoSE keeps most
  // apart, not all: two hubs that share many members can end up on top of
  // each other): each such pair is pushed apart along the line between them,
  // half the shortfall each, up to 30 rounds over a grid of cells.
  // Between two nodes stays a gap of 4 plus 0.8 of the smaller radius: big
  // nodes keep room for their names between them.
  function separate(nodes) {
    const list = nodes.toArray().map((n) => ({ n, p: { ...n.position() }, r: n.data('size') / 2 }));
    const gap = (a, b) => 4 + 0.8 * Math.min(a.r, b.r);
    const cell = 2 * Math.max(...list.map((x) => x.r)) + gap({ r: 1e9 }, { r: Math.max(...list.map((x) => x.r)) });
    for (let round = 0; round < 30; round++) {
      const grid = new Map();
      for (const x of list) {
        const k = `${Math.floor(x.p.x / cell)},${Math.floor(x.p.y / cell)}`;
        if (!grid.has(k)) grid.set(k, []);
        grid.get(k).push(x);
      }
      let moved = false;
      for (const a of list) {
        const ci = Math.floor(a.p.x / cell);
        const cj = Math.floor(a.p.y / cell);
        for (let i = ci - 1; i <= ci + 1; i++) {
          for (let j = cj - 1; j <= cj + 1; j++) {
            for (const b of grid.get(`${i},${j}`) || []) {
              if (b === a || b.n.id() < a.n.id()) continue;
              let dx = b.p.x - a.p.x;
              let dy = b.p.y - a.p.y;
              let d = Math.hypot(dx, dy);
              const min = a.r + b.r + gap(a, b);
              if (d >= min) continue;
              if (d < 1e-6) { dx = 1; dy = 0; d = 1; } // same place: apart sideways
              const push = (min - d) / 2;
              a.p.x -= (dx / d) * push;
              a.p.y -= (dy / d) * push;
              b.p.x += (dx / d) * push;
              b.p.y += (dy / d) * push;
              moved = true;
            }
          }
        }
      }
      if (!moved) break;
    }
    cy.batch(() => { for (const x of list) x.n.position(x.p); });
  }

  return { cy, layout, fitTo, zoomBy, placeLabels, scheduleLabels };
}
