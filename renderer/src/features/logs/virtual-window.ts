/**
 * The geometry of the virtual log list (pure): which rows are on screen for a scroll position, and
 * where. Rows have a fixed height, so nothing is measured: positions come from row counts alone.
 * The scroller's height is capped (a million 20 px rows would be 20 M px, near Chromium's limit);
 * beyond the cap a scroll position maps linearly onto the rows' real offset.
 */

export const ROW_HEIGHT = 20;
/** Tallest scroll content (px); below it one scroll pixel is one row pixel. */
export const MAX_VIRTUAL_PX = 8_000_000;
/** Rows drawn beyond each edge of the viewport. */
export const OVERSCAN = 6;

export interface Geometry {
  /** Rows in the list. */
  readonly count: number;
  /** The scroller's visible height (px). */
  readonly viewport: number;
  readonly rowHeight?: number;
  readonly maxPx?: number;
}

export interface Scale {
  /** Height of the scroll content (px). */
  readonly virtualHeight: number;
  /** Largest scrollTop. */
  readonly maxScroll: number;
  /** Largest real offset (px into the rows) of the viewport's top. */
  readonly maxReal: number;
}

export function scaleOf(g: Geometry): Scale {
  const rh = g.rowHeight ?? ROW_HEIGHT;
  const total = g.count * rh;
  const virtualHeight = Math.min(total, g.maxPx ?? MAX_VIRTUAL_PX);
  return {
    virtualHeight,
    maxScroll: Math.max(0, virtualHeight - g.viewport),
    maxReal: Math.max(0, total - g.viewport),
  };
}

/** Real offset (px into the rows) shown at the top for a scrollTop. */
export function realOf(s: Scale, scrollTop: number): number {
  if (s.maxScroll <= 0) return 0;
  const top = Math.min(Math.max(0, scrollTop), s.maxScroll);
  return s.maxScroll === s.maxReal ? top : (top / s.maxScroll) * s.maxReal;
}

/** The scrollTop that shows real offset `real` at the top. */
export function scrollOf(s: Scale, real: number): number {
  if (s.maxReal <= 0) return 0;
  const r = Math.min(Math.max(0, real), s.maxReal);
  return s.maxScroll === s.maxReal ? r : (r / s.maxReal) * s.maxScroll;
}

export interface RowWindow {
  /** First row drawn (inclusive) and one past the last. */
  readonly first: number;
  readonly last: number;
  /** Where the first drawn row goes, in scroll-content coordinates (px). */
  readonly offsetY: number;
}

/** The rows to draw for scrollTop (with overscan) and where the block of them goes. */
export function windowAt(g: Geometry, scrollTop: number, overscan = OVERSCAN): RowWindow {
  const rh = g.rowHeight ?? ROW_HEIGHT;
  const s = scaleOf(g);
  const top = Math.min(Math.max(0, scrollTop), s.maxScroll);
  const real = realOf(s, top);
  const first = Math.max(0, Math.floor(real / rh) - overscan);
  const last = Math.min(g.count, Math.ceil((real + g.viewport) / rh) + overscan);
  // Row `first` sits (first·rh − real) px below the viewport's top, which is at `top`.
  return { first, last, offsetY: Math.round(top + first * rh - real) };
}

/** Real offset that centres row `row` in the viewport. */
export function realCentring(g: Geometry, row: number): number {
  const rh = g.rowHeight ?? ROW_HEIGHT;
  return Math.min(scaleOf(g).maxReal, Math.max(0, row * rh - g.viewport / 2 + rh / 2));
}
