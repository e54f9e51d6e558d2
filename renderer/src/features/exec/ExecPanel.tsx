/**
 * The task's exec sessions: one tab per session (several at once, even in one container), each a
 * live terminal. Closing a tab closes its session; the panel can be resized by its corner and the
 * terminals follow.
 */
import { useState } from 'react';
import { TerminalView, type SessionEnd } from './TerminalView.js';

/** One tab. */
export interface ExecTab {
  readonly key: number;
  readonly container: string;
}

export function ExecPanel({
  taskId,
  tabs,
  active,
  onActivate,
  onClose,
}: {
  taskId: string;
  tabs: readonly ExecTab[];
  active: number | undefined;
  onActivate: (key: number) => void;
  onClose: (key: number) => void;
}) {
  const [ends, setEnds] = useState<Readonly<Record<number, SessionEnd>>>({});
  if (tabs.length === 0) return null;
  return (
    <section className="exec-panel" aria-label="Exec sessions" data-testid="exec-panel">
      <div className="exec-tabs" role="tablist">
        {tabs.map((t, i) => {
          const end = ends[t.key];
          return (
            <div
              key={t.key}
              className={`exec-tab${t.key === active ? ' exec-tab-active' : ''}${end ? ' exec-tab-ended' : ''}`}
            >
              <button
                role="tab"
                aria-selected={t.key === active}
                className="exec-tab-label"
                onClick={() => onActivate(t.key)}
                data-testid={`exec-tab-${i}`}
                title={end ? `Ended${end.exitCode !== null ? ` (exit ${end.exitCode})` : ''}` : 'Running'}
              >
                <span className={`exec-dot${end ? '' : ' exec-dot-live'}`} aria-hidden />
                {t.container} <span className="muted">#{i + 1}</span>
                {end && end.exitCode !== null && <span className="muted small"> exit {end.exitCode}</span>}
              </button>
              <button
                className="exec-tab-close"
                aria-label={`Close ${t.container} #${i + 1}`}
                onClick={() => onClose(t.key)}
              >
                ×
              </button>
            </div>
          );
        })}
      </div>
      <div className="exec-body">
        {tabs.map((t) => (
          <div key={t.key} className="exec-pane" hidden={t.key !== active} data-testid="exec-pane">
            <TerminalView
              taskId={taskId}
              container={t.container}
              active={t.key === active}
              onStarted={() => undefined}
              onEnded={(end) => setEnds((e) => ({ ...e, [t.key]: end }))}
            />
          </div>
        ))}
      </div>
    </section>
  );
}
