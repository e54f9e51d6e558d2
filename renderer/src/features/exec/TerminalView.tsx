/**
 * One exec session in a real terminal (xterm.js): starts the session sized to the panel, sends
 * keystrokes and pastes (xterm's own copy/paste), follows the panel's size, and shows how the
 * session ended. The session is closed when the view goes away.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import './exec.css';
import { useEffect, useRef } from 'react';
import type { ExecOutput } from '../../../../contract/dto.js';
import { EXEC_INPUT_MAX } from '../../../../contract/operations.js';
import { useApi } from '../../api/api-context.js';
import { base64ToBytes, chunkText } from './base64.js';
import { isCopyKey } from './copy-key.js';
import { mirrorInlineStyles } from './csp-styles.js';

/** How a session ended, for the tab. */
export interface SessionEnd {
  readonly exitCode: number | null;
  readonly reason?: string;
}

export function TerminalView({
  taskId,
  container,
  active,
  onStarted,
  onEnded,
}: {
  taskId: string;
  container: string;
  /** Whether this tab is shown (a hidden terminal is not fitted). */
  active: boolean;
  onStarted: (sessionId: string) => void;
  onEnded: (end: SessionEnd) => void;
}) {
  const { bridge, call } = useApi();
  const host = useRef<HTMLDivElement>(null);
  const fitRef = useRef<(() => void) | undefined>(undefined);
  // Callbacks may change identity between renders; the effect below runs once per session.
  const callbacks = useRef({ onStarted, onEnded });
  useEffect(() => {
    callbacks.current = { onStarted, onEnded };
  });

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const unmirror = mirrorInlineStyles(el);
    const term = new Terminal({
      cursorBlink: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      fontSize: 13,
      scrollback: 5000,
      theme: { background: '#0f172a', foreground: '#e2e8f0' },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    fit.fit();
    term.attachCustomKeyEventHandler((event) => {
      if (!isCopyKey(event, term.hasSelection())) return true;
      navigator.clipboard?.writeText(term.getSelection()).catch(() => {});
      term.clearSelection();
      event.preventDefault();
      return false;
    });

    let sessionId: string | undefined;
    let ended = false;
    // Output can arrive before exec:start's answer names the session; keep it until then.
    const early: ExecOutput[] = [];
    const handle = (m: ExecOutput): void => {
      if (m.data) term.write(base64ToBytes(m.data));
      if (m.exited && !ended) {
        ended = true;
        const why = m.reason ? ` (${m.reason})` : '';
        term.write(
          `\r\n\x1b[2m[session ended${m.exitCode !== null && m.exitCode !== undefined ? `: exit ${m.exitCode}` : ''}${why}]\x1b[0m\r\n`,
        );
        callbacks.current.onEnded({
          exitCode: m.exitCode ?? null,
          ...(m.reason ? { reason: m.reason } : {}),
        });
      }
    };
    const off = bridge.subscribe('exec:output', (m) => {
      if (sessionId === undefined) early.push(m);
      else if (m.sessionId === sessionId) handle(m);
    });

    const doFit = (): void => {
      if (el.clientWidth === 0 || el.clientHeight === 0) return;
      fit.fit();
    };
    fitRef.current = doFit;
    const observer = new ResizeObserver(doFit);
    observer.observe(el);

    let disposed = false;
    call('exec:start', { taskId, container, cols: term.cols, rows: term.rows }).then(
      (info) => {
        if (disposed) {
          void call('exec:close', { sessionId: info.sessionId }).catch(() => {});
          return;
        }
        sessionId = info.sessionId;
        callbacks.current.onStarted(info.sessionId);
        for (const m of early.splice(0)) if (m.sessionId === info.sessionId) handle(m);
        term.onData((data) => {
          if (ended) return;
          for (const piece of chunkText(data, EXEC_INPUT_MAX)) {
            void call('exec:input', { sessionId: info.sessionId, data: piece }).catch(() => {});
          }
        });
        term.onResize(({ cols, rows }) => {
          if (!ended) void call('exec:resize', { sessionId: info.sessionId, cols, rows }).catch(() => {});
        });
        // The size may have changed while the session was starting.
        void call('exec:resize', { sessionId: info.sessionId, cols: term.cols, rows: term.rows }).catch(
          () => {},
        );
        term.focus();
      },
      (err: Error) => {
        if (disposed) return;
        ended = true;
        term.write(`\x1b[31m${err.message}\x1b[0m\r\n`);
        callbacks.current.onEnded({ exitCode: null, reason: err.message });
      },
    );

    return () => {
      disposed = true;
      observer.disconnect();
      off();
      if (sessionId !== undefined && !ended) void call('exec:close', { sessionId }).catch(() => {});
      term.dispose();
      unmirror();
      fitRef.current = undefined;
    };
  }, [bridge, call, taskId, container]);

  useEffect(() => {
    if (active) fitRef.current?.();
  }, [active]);

  return <div className="terminal-host" ref={host} data-testid={`terminal-${container}`} />;
}
