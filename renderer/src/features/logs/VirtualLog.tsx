/**
 * A fixed-row-height virtual list for log lines: only the rows in view (plus a margin) exist in
 * the DOM, so 100 000 lines scroll like 100. "Follow" pins the view to the bottom as lines arrive;
 * scrolling up releases it (the parent shows a button to resume).
 */
import { useCallback, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

export const ROW_HEIGHT = 20;
// Few extra rows: while lines stream in, every row in the window is replaced at each render.
const OVERSCAN = 8;

export interface VirtualLogHandle {
  scrollToRow(row: number): void;
}

export function VirtualLog({
  count,
  renderRow,
  follow,
  onFollowChange,
  scrollToRow,
  label,
}: {
  count: number;
  renderRow: (position: number) => ReactNode;
  follow: boolean;
  onFollowChange: (follow: boolean) => void;
  /** A row to bring into view (centred); changes to the object re-trigger it. */
  scrollToRow?: { readonly row: number } | undefined;
  label: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  // The last scrollTop we set ourselves: a scroll event above it is the user's doing.
  const auto = useRef(0);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !follow) return;
    // From state, not el.clientHeight: no extra forced layout per append.
    const bottom = Math.max(0, count * ROW_HEIGHT - height);
    auto.current = bottom;
    el.scrollTop = bottom;
    setScrollTop(bottom);
  }, [count, follow, height]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !scrollToRow) return;
    const top = Math.max(0, scrollToRow.row * ROW_HEIGHT - el.clientHeight / 2);
    auto.current = top;
    el.scrollTop = top;
    setScrollTop(el.scrollTop);
  }, [scrollToRow]);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    setScrollTop(el.scrollTop);
    const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT;
    if (follow && el.scrollTop < auto.current - 2 && !atBottom) onFollowChange(false);
    else if (!follow && atBottom && el.scrollTop > auto.current + 2) onFollowChange(true);
  }, [follow, onFollowChange]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const rows: ReactNode[] = [];
  for (let p = first; p < last; p++) rows.push(renderRow(p));
  return (
    <div
      ref={ref}
      className="vlog"
      onScroll={onScroll}
      role="log"
      aria-label={label}
      aria-rowcount={count}
      tabIndex={0}
      data-testid="log-viewport"
    >
      <div className="vlog-content" style={{ height: count * ROW_HEIGHT }}>
        <div className="vlog-rows" style={{ transform: `translateY(${first * ROW_HEIGHT}px)` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
