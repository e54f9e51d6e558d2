/**
 * The logs viewer: merged (per-container colours and toggles) or single-container, stdout/stderr
 * filter, follow, in-place search with next/previous (optionally showing only matching lines),
 * timestamps, copy, export (.log / .jsonl), and the way to and from the launch timeline. Virtualised.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { TaskDetail } from '../../../../contract/dto.js';
import { errorToast, useToasts } from '../../components/Toasts.js';
import type { LogFilter } from './log-filter.js';
import { downloadText, rowsAsText, type ExportFormat } from './log-export.js';
import { stepMatch } from './log-search.js';
import { rowModel } from './row-model.js';
import type { RowSlot } from './row-paint.js';
import { LogSearchBar } from './LogSearchBar.js';
import { useLogView } from './use-log-view.js';
import { useTaskLogs } from './use-task-logs.js';
import { VirtualLog } from './VirtualLog.js';

export function LogsViewer({
  task,
  container,
  jumpTo,
  onShowOnTimeline,
}: {
  task: TaskDetail;
  container?: string;
  /** Bring the first line at or after this time into view (from the timeline); a new object re-triggers. */
  jumpTo?: { readonly ms: number } | undefined;
  onShowOnTimeline?: ((ms: number) => void) | undefined;
}) {
  const names = useMemo(() => task.containers.map((c) => c.name), [task.containers]);
  const { store, version } = useTaskLogs(task.taskId);
  const [single, setSingle] = useState<string>(container ?? '');
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [stream, setStream] = useState<LogFilter['stream']>('all');
  const [showTime, setShowTime] = useState(false);
  const [follow, setFollow] = useState(true);
  const [query, setQuery] = useState('');
  const [regex, setRegex] = useState(false);
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [onlyMatching, setOnlyMatching] = useState(false);
  const [focus, setFocus] = useState<number | undefined>(undefined);
  const [current, setCurrent] = useState<number | undefined>(undefined);
  const [jump, setJump] = useState<{ row: number } | undefined>(undefined);
  const { push } = useToasts();

  const shown = single || container;
  const filter = useMemo<LogFilter>(
    () => ({ containers: new Set(shown ? [shown] : names.filter((n) => !hidden.has(n))), stream }),
    [shown, names, hidden, stream],
  );
  const search = useMemo(() => ({ regex, caseSensitive }), [regex, caseSensitive]);
  const view = useLogView(store, version, filter, query, search, onlyMatching);
  const currentAbs =
    current !== undefined && current < view.matches.length ? view.matches.at(current) : undefined;

  const go = useCallback(
    (dir: 1 | -1) => {
      const next = stepMatch(view.matches, current, dir);
      if (next === undefined) return;
      setCurrent(next);
      setFollow(false);
      setJump({ row: Math.max(0, view.rows.positionOf(view.matches.at(next))) });
    },
    [view.matches, view.rows, current],
  );

  // From the timeline: the first line at or after the time, once the lines are here.
  const handled = useRef<{ readonly ms: number } | undefined>(undefined);
  useEffect(() => {
    if (!jumpTo || handled.current === jumpTo || !store.loaded || store.count === 0) return;
    handled.current = jumpTo;
    const abs = store.firstAtOrAfter(jumpTo.ms) ?? store.end - 1;
    setFollow(false);
    setFocus(abs);
    setJump({ row: Math.min(view.rows.length - 1, view.rows.lowerBound(abs)) });
  }, [jumpTo, store, version, view.rows]);

  const colourOf = useCallback((name: string) => Math.max(0, names.indexOf(name)) % 8, [names]);
  const timeline = onShowOnTimeline !== undefined;
  const { rows, matcher } = view;
  // The latest rows, for painting: `rows` is a new object with every batch.
  const rowsRef = useRef(rows);
  useLayoutEffect(() => {
    rowsRef.current = rows;
  });
  // Rows are painted outside React (VirtualLog); a new function repaints every row on screen.
  const paint = useCallback(
    (slot: RowSlot, p: number) => {
      const abs = rowsRef.current.at(p);
      const line = store.line(abs);
      const ranges =
        matcher.ok && !matcher.empty && !line.marker && matcher.test(line.plain)
          ? matcher.ranges(line.plain)
          : [];
      const look = { showTime, showContainer: !shown, timeline, colourOf };
      slot.paint(rowModel(line, ranges, abs === currentAbs || abs === focus, look));
    },
    [store, matcher, showTime, shown, timeline, colourOf, currentAbs, focus],
  );
  const onFollowChange = useCallback((f: boolean) => {
    setFollow(f);
    if (f) setFocus(undefined);
  }, []);
  const keyOf = useCallback((p: number) => rowsRef.current.at(p), []);
  const exportAs = (format: ExportFormat) =>
    downloadText(
      `${fileBase}.${format}`,
      rowsAsText(store, view.rows, format),
      format === 'jsonl' ? 'application/x-ndjson' : 'text/plain',
    );
  const fileBase = `${task.family}-${task.taskId.slice(0, 8)}${shown ? `-${shown}` : ''}`;
  return (
    <div className="logs" data-testid="logs-viewer">
      <div className="logs-toolbar">
        {!container && (
          <label className="field-inline">
            <span className="sr-only">View</span>
            <select
              value={single}
              onChange={(e) => setSingle(e.target.value)}
              aria-label="Log view"
              data-testid="log-view"
            >
              <option value="">All containers (merged)</option>
              {names.map((n) => (
                <option key={n} value={n}>
                  {n} only
                </option>
              ))}
            </select>
          </label>
        )}
        {!shown && (
          <div className="log-toggles" role="group" aria-label="Containers shown">
            {names.map((n) => (
              <button
                key={n}
                className={`log-toggle log-colour-${colourOf(n)}${hidden.has(n) ? ' log-toggle-off' : ''}`}
                aria-pressed={!hidden.has(n)}
                onClick={() =>
                  setHidden((h) => {
                    const next = new Set(h);
                    if (next.has(n)) next.delete(n);
                    else next.add(n);
                    return next;
                  })
                }
              >
                {n}
              </button>
            ))}
          </div>
        )}
        <div className="segmented" role="group" aria-label="Stream">
          {(['all', 'stdout', 'stderr'] as const).map((s) => (
            <button
              key={s}
              className={stream === s ? 'segmented-on' : ''}
              aria-pressed={stream === s}
              onClick={() => setStream(s)}
            >
              {s}
            </button>
          ))}
        </div>
        <label className="check">
          <input type="checkbox" checked={showTime} onChange={(e) => setShowTime(e.target.checked)} />{' '}
          Timestamps
        </label>
        <span className="toolbar-spacer" />
        <button
          className="button button-small"
          onClick={() =>
            navigator.clipboard
              .writeText(rowsAsText(store, view.rows, 'log', showTime))
              .then(() =>
                push({ kind: 'success', title: `Copied ${view.rows.length.toLocaleString()} lines` }),
              )
              .catch((e: unknown) => push(errorToast('Could not copy', e)))
          }
        >
          Copy
        </button>
        <button
          className="button button-small"
          title="Shown lines as text: time, container, stream, line"
          onClick={() => exportAs('log')}
        >
          Export .log
        </button>
        <button
          className="button button-small"
          title="Shown lines as JSON Lines: time, container, stream, seq, text"
          onClick={() => exportAs('jsonl')}
        >
          Export .jsonl
        </button>
      </div>
      <LogSearchBar
        query={query}
        onQuery={(q) => {
          setQuery(q);
          setCurrent(undefined);
        }}
        onlyMatching={onlyMatching}
        onOnlyMatching={(v) => {
          setOnlyMatching(v);
          setCurrent(undefined);
        }}
        searching={view.searching}
        regex={regex}
        onRegex={setRegex}
        caseSensitive={caseSensitive}
        onCaseSensitive={setCaseSensitive}
        error={view.matcher.ok ? undefined : view.matcher.error}
        count={view.matches.length}
        current={current}
        onStep={go}
      />
      <div className="logs-body">
        {/* Mounted from the start, so the first lines do not pay for a first layout of the list. */}
        <VirtualLog
          count={view.rows.length}
          keyOf={keyOf}
          paint={paint}
          onTimeline={onShowOnTimeline}
          follow={follow}
          onFollowChange={onFollowChange}
          scrollToRow={jump}
          label={`Logs of ${shown ?? task.family}`}
        />
        {view.rows.length === 0 && (
          <div className="logs-empty muted" data-testid="logs-empty">
            {!store.loaded
              ? 'Loading logs…'
              : store.count === 0
                ? task.lastStatus === 'STOPPED'
                  ? 'This task wrote no log lines.'
                  : 'No log lines yet — they appear here as containers write them.'
                : 'No lines match the current filters.'}
          </div>
        )}
        {!follow && view.rows.length > 0 && (
          <button
            className="button button-primary follow-button"
            onClick={() => setFollow(true)}
            data-testid="log-follow"
          >
            ↓ Follow
          </button>
        )}
      </div>
      <div className="logs-status muted small" data-testid="log-count">
        {view.rows.length.toLocaleString()} of {store.count.toLocaleString()} lines
        {follow ? ' · following' : ' · paused'}
      </div>
    </div>
  );
}
