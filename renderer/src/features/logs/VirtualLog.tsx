/**
 * A fixed-row-height virtual list for log lines. Only the rows in view (plus a few) exist, as
 * recycled elements painted by LogList (log-list.ts) outside React, at most once per frame. The
 * scroller has strict containment, so a row update never lays out the rest of the page.
 * "Follow" pins the view to the bottom as lines arrive; scrolling up releases it (the parent shows
 * a button to resume).
 */
import { useEffect, useLayoutEffect, useRef, useState, type MouseEvent } from 'react';
import { LogList, type LogListInput } from './log-list.js';

export interface VirtualLogProps extends LogListInput {
  follow: boolean;
  /** A row to bring into view (centred); changes to the object re-trigger it. */
  scrollToRow?: { readonly row: number } | undefined;
  /** A row's "Show on timeline" button was pressed (the line's time, ms). */
  onTimeline?: ((ms: number) => void) | undefined;
  label: string;
}

export function VirtualLog({
  count,
  keyOf,
  paint,
  onFollowChange,
  follow,
  scrollToRow,
  onTimeline,
  label,
}: VirtualLogProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const sizer = useRef<HTMLDivElement>(null);
  const rows = useRef<HTMLDivElement>(null);
  const [list] = useState(() => new LogList());

  useLayoutEffect(
    () => list.attach({ scroller: scroller.current!, sizer: sizer.current!, rows: rows.current! }),
    [list],
  );
  useLayoutEffect(
    () => list.set({ count, keyOf, paint, onFollowChange }),
    [list, count, keyOf, paint, onFollowChange],
  );
  useLayoutEffect(() => list.setFollow(follow), [list, follow]);
  useEffect(() => {
    if (scrollToRow) list.scrollToRow(scrollToRow);
  }, [list, scrollToRow]);

  const onClick = (e: MouseEvent) => {
    const button = (e.target as Element).closest<HTMLElement>('.log-row-action');
    const ms = Number(button?.dataset['ms']);
    if (button && Number.isFinite(ms)) onTimeline?.(ms);
  };

  return (
    <div
      ref={scroller}
      className="vlog"
      onScroll={() => list.onScroll()}
      onClick={onClick}
      role="log"
      aria-label={label}
      aria-rowcount={count}
      tabIndex={0}
      data-testid="log-viewport"
    >
      <div ref={sizer} className="vlog-content">
        <div ref={rows} className="vlog-rows" />
      </div>
    </div>
  );
}
