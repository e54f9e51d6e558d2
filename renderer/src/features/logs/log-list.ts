/**
 * The imperative side of the virtual log list (see VirtualLog.tsx): recycled row elements that
 * React never reconciles, updated at most once per animation frame. An update writes only the rows
 * whose line changed, the block's offset and (when following) the scroll position, all computed
 * from the row count: nothing is measured, so no layout is forced in the middle of a frame.
 */
import { RowSlot } from './row-paint.js';
import { realCentring, realOf, ROW_HEIGHT, scaleOf, scrollOf, windowAt } from './virtual-window.js';

export interface LogListInput {
  readonly count: number;
  /** The line shown at a position (a row is repainted when this or `paint` changes). */
  readonly keyOf: (position: number) => number;
  /** Writes the row at `position` into a recycled slot; a new function repaints every row. */
  readonly paint: (slot: RowSlot, position: number) => void;
  readonly onFollowChange: (follow: boolean) => void;
}

export interface LogListElements {
  readonly scroller: HTMLElement;
  readonly sizer: HTMLElement;
  readonly rows: HTMLElement;
}

export class LogList {
  private input: LogListInput | undefined;
  private els: LogListElements | undefined;
  private readonly slots: RowSlot[] = [];
  private generation = 0;
  private painter: LogListInput['paint'] | undefined;
  private viewport = 0;
  /** The scrollTop last seen or set here, and the real row offset (px) it stands for. */
  private scrollTop = 0;
  private real = 0;
  /** The last scrollTop set here: a scroll event above it is the user's. */
  private auto = 0;
  /** Follow as the list knows it (the user's scroll releases it before the parent re-renders). */
  private follow = true;
  private jump: { readonly row: number } | undefined;
  private height = -1;
  private raf = 0;

  attach(els: LogListElements): () => void {
    this.els = els;
    const ro = new ResizeObserver((entries) => {
      const h = entries[entries.length - 1]!.contentRect.height;
      if (h !== this.viewport) {
        this.viewport = h;
        this.schedule();
      }
    });
    ro.observe(els.scroller);
    return () => {
      ro.disconnect();
      cancelAnimationFrame(this.raf);
      this.raf = 0;
      this.els = undefined;
    };
  }

  set(input: LogListInput): void {
    this.input = input;
    this.schedule();
  }

  setFollow(follow: boolean): void {
    this.follow = follow;
    this.schedule();
  }

  scrollToRow(target: { readonly row: number }): void {
    this.jump = target;
    this.schedule();
  }

  /** The scroller's scroll event. */
  onScroll(): void {
    const el = this.els?.scroller;
    if (!el || !this.input) return;
    // Scroll events come at the start of a frame, when layout is clean: this read is cheap.
    const top = el.scrollTop;
    if (Math.abs(top - this.scrollTop) < 1) return;
    this.scrollTop = top;
    const scale = scaleOf({ count: this.input.count, viewport: this.viewport });
    this.real = realOf(scale, top);
    const atBottom = top >= scale.maxScroll - ROW_HEIGHT;
    if (this.follow && top < this.auto - 2 && !atBottom) {
      this.follow = false;
      this.input.onFollowChange(false);
    } else if (!this.follow && atBottom && top > this.auto + 2) {
      this.follow = true;
      this.input.onFollowChange(true);
    }
    this.schedule();
  }

  private schedule(): void {
    if (!this.raf && this.els) this.raf = requestAnimationFrame(() => this.update());
  }

  private update(): void {
    this.raf = 0;
    const els = this.els;
    const p = this.input;
    if (!els || !p) return;
    if (p.paint !== this.painter) {
      this.painter = p.paint;
      this.generation++;
    }
    const g = { count: p.count, viewport: this.viewport };
    const scale = scaleOf(g);
    let top: number;
    if (this.jump) {
      this.real = realCentring(g, this.jump.row);
      top = scrollOf(scale, this.real);
      this.jump = undefined;
    } else if (this.follow) top = scale.maxScroll;
    else top = scrollOf(scale, this.real);
    if (this.height !== scale.virtualHeight) {
      this.height = scale.virtualHeight;
      els.sizer.style.height = `${scale.virtualHeight}px`;
    }
    const w = windowAt(g, top);
    const n = w.last - w.first;
    while (this.slots.length < n) {
      const slot = new RowSlot(els.rows.ownerDocument);
      this.slots.push(slot);
      els.rows.appendChild(slot.el);
    }
    while (this.slots.length > n) this.slots.pop()!.el.remove();
    for (let k = 0; k < n; k++) {
      const slot = this.slots[k]!;
      const pos = w.first + k;
      const abs = p.keyOf(pos);
      if (slot.abs === abs && slot.generation === this.generation) continue;
      p.paint(slot, pos);
      slot.abs = abs;
      slot.generation = this.generation;
    }
    els.rows.style.transform = `translateY(${w.offsetY}px)`;
    this.real = realOf(scale, top);
    if (Math.abs(top - this.scrollTop) >= 1) {
      // The frame's one layout: everything it depends on was written above.
      els.scroller.scrollTop = top;
      this.scrollTop = top;
      this.auto = top;
    }
  }
}
