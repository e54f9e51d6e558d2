/**
 * A recycled log row element: its parts (timeline button, time, tag, text) are created once and
 * reused; painting a model only writes what differs from what the row shows. Text always goes in
 * as text nodes (never HTML).
 */
import type { RowModel, TextPiece } from './row-model.js';

export class RowSlot {
  readonly el: HTMLDivElement;
  private readonly button: HTMLButtonElement;
  private readonly time: HTMLSpanElement;
  private readonly tag: HTMLSpanElement;
  private readonly text: HTMLSpanElement;
  /** What the row shows: the line's absolute number and the viewer's paint generation. */
  abs = -1;
  generation = -1;
  private shown = '';

  constructor(doc: Document) {
    this.el = doc.createElement('div');
    this.el.className = 'log-row';
    this.button = doc.createElement('button');
    this.button.className = 'log-row-action';
    this.button.type = 'button';
    this.button.setAttribute('aria-label', 'Show on timeline');
    this.button.title = 'Show this moment on the launch timeline';
    this.button.textContent = '⏱';
    this.time = doc.createElement('span');
    this.time.className = 'log-time';
    this.tag = doc.createElement('span');
    this.text = doc.createElement('span');
    this.text.className = 'log-text';
  }

  paint(m: RowModel): void {
    const el = this.el;
    if (el.className !== m.className) el.className = m.className;
    el.dataset['seq'] = String(m.seq);
    el.dataset['container'] = m.container;
    if (m.marker) el.dataset['testid'] = 'log-dropped-marker';
    else if (el.dataset['testid']) delete el.dataset['testid'];
    // Which parts are present, in order; children are only replaced when that changes.
    const shape = `${m.timelineMs !== undefined ? 'b' : ''}${m.time !== undefined ? 't' : ''}${m.tag ? 'c' : ''}`;
    if (m.timelineMs !== undefined) this.button.dataset['ms'] = String(m.timelineMs);
    if (m.time !== undefined && this.time.textContent !== m.time) this.time.textContent = m.time;
    if (m.tag) {
      if (this.tag.className !== m.tag.className) this.tag.className = m.tag.className;
      if (this.tag.textContent !== m.tag.text) this.tag.textContent = m.tag.text;
      this.tag.title = m.tag.title;
    }
    paintText(this.text, m.pieces);
    if (shape !== this.shown || el.childNodes.length === 0) {
      const parts: Node[] = [];
      if (m.timelineMs !== undefined) parts.push(this.button);
      if (m.time !== undefined) parts.push(this.time);
      if (m.tag) parts.push(this.tag);
      parts.push(this.text);
      el.replaceChildren(...parts);
      this.shown = shape;
    }
  }
}

function paintText(span: HTMLSpanElement, pieces: readonly TextPiece[]): void {
  const only = pieces.length === 1 ? pieces[0]! : undefined;
  if (only && !only.className && !only.color && !only.background) {
    // The common case: one plain text node, updated in place.
    const node = span.firstChild;
    if (node && node === span.lastChild && node.nodeType === 3) {
      if (node.nodeValue !== only.text) node.nodeValue = only.text;
    } else span.textContent = only.text;
    return;
  }
  const doc = span.ownerDocument;
  const nodes: Node[] = pieces.map((p) => {
    if (!p.className && !p.color && !p.background) return doc.createTextNode(p.text);
    const s = doc.createElement('span');
    if (p.className) s.className = p.className;
    if (p.color) s.style.color = p.color;
    if (p.background) s.style.backgroundColor = p.background;
    s.textContent = p.text;
    return s;
  });
  span.replaceChildren(...nodes);
}
