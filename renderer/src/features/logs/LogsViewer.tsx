/**
 * The logs viewer: merged (per-container colours and toggles) or single-container, stdout/stderr
 * filter, follow, in-place search with next/previous, timestamps, copy and export. Virtualised.
 */
import { useCallback, useMemo, useState } from 'react';
import type { TaskDetail } from '../../../../contract/dto.js';
import { errorToast, useToasts } from '../../components/Toasts.js';
import type { LogFilter } from './log-filter.js';
import { downloadText, rowsAsText } from './log-export.js';
import { stepMatch } from './log-search.js';
import { LogRow } from './LogRow.js';
import { LogSearchBar } from './LogSearchBar.js';
import { useLogView } from './use-log-view.js';
import { useTaskLogs } from './use-task-logs.js';
import { VirtualLog } from './VirtualLog.js';

export function LogsViewer({ task, container }: { task: TaskDetail; container?: string }) {
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
  const [current, setCurrent] = useState<number | undefined>(undefined);
  const [jump, setJump] = useState<{ row: number } | undefined>(undefined);
  const { push } = useToasts();

  const shown = single || container;
  const filter = useMemo<LogFilter>(
    () => ({ containers: new Set(shown ? [shown] : names.filter((n) => !hidden.has(n))), stream }),
    [shown, names, hidden, stream],
  );
  const search = useMemo(() => ({ regex, caseSensitive }), [regex, caseSensitive]);
  const view = useLogView(store, version, filter, query, search);
  const currentRow = current !== undefined ? view.matches[current] : undefined;

  const go = useCallback(
    (dir: 1 | -1) => {
      const next = stepMatch(view.matches, current, dir);
      if (next === undefined) return;
      setCurrent(next);
      setFollow(false);
      setJump({ row: view.matches[next]! });
    },
    [view.matches, current],
  );

  const colourOf = (name: string) => Math.max(0, names.indexOf(name)) % 8;
  const renderRow = (p: number) => {
    const i = view.rows[p]!;
    const line = store.lines[i]!;
    const isMatch = view.matcher.ok && !view.matcher.empty && view.matcher.test(store.plain[i] ?? '');
    return (
      <LogRow
        key={line.seq}
        line={line}
        colour={colourOf(line.container)}
        showTime={showTime}
        showContainer={!shown}
        ranges={isMatch && view.matcher.ok ? view.matcher.ranges(store.plain[i] ?? '') : []}
        current={p === currentRow}
      />
    );
  };

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
              .writeText(rowsAsText(store, view.rows, showTime))
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
          onClick={() => downloadText(`${fileBase}.log`, rowsAsText(store, view.rows, true))}
        >
          Export…
        </button>
      </div>
      <LogSearchBar
        query={query}
        onQuery={(q) => {
          setQuery(q);
          setCurrent(undefined);
        }}
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
          renderRow={renderRow}
          follow={follow}
          onFollowChange={setFollow}
          scrollToRow={jump}
          label={`Logs of ${shown ?? task.family}`}
        />
        {view.rows.length === 0 && (
          <div className="logs-empty muted" data-testid="logs-empty">
            {!store.loaded
              ? 'Loading logs…'
              : store.lines.length === 0
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
        {view.rows.length.toLocaleString()} of {store.lines.length.toLocaleString()} lines
        {follow ? ' · following' : ' · paused'}
      </div>
    </div>
  );
}
