/** A fake connection for exec tests: collects a session's output and waits for text in it (event-driven). */
import type { ExecOutputMessage, ExecOwner } from './exec-sessions.js';

export interface TestOwner extends ExecOwner {
  /** Decoded output of one session so far. */
  output(sessionId: string): string;
  /** Resolves once the session's output matches; rejects after `timeoutMs` with what was seen. */
  waitForOutput(sessionId: string, pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  /** Resolves with the final message of a session. */
  waitForExit(sessionId: string, timeoutMs?: number): Promise<ExecOutputMessage>;
  /** Simulates the connection going away. */
  disconnect(): void;
}

export function createTestOwner(id: string): TestOwner {
  const text = new Map<string, string>();
  const exits = new Map<string, ExecOutputMessage>();
  const waiters = new Set<() => void>();
  const disconnects = new Set<() => void>();
  const wake = (): void => {
    for (const w of [...waiters]) w();
  };
  const wait = <T>(check: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> =>
    new Promise((resolve, reject) => {
      const tryNow = (): void => {
        const v = check();
        if (v === undefined) return;
        waiters.delete(tryNow);
        clearTimeout(timer);
        resolve(v);
      };
      const timer = setTimeout(() => {
        waiters.delete(tryNow);
        reject(new Error(`timed out waiting for ${what()}`));
      }, timeoutMs);
      waiters.add(tryNow);
      tryNow();
    });
  return {
    id,
    push(message) {
      if (message.data) {
        text.set(
          message.sessionId,
          (text.get(message.sessionId) ?? '') + Buffer.from(message.data, 'base64').toString('utf8'),
        );
      }
      if (message.exited) exits.set(message.sessionId, message);
      wake();
    },
    onDisconnect(listener) {
      disconnects.add(listener);
      return () => disconnects.delete(listener);
    },
    output: (sessionId) => text.get(sessionId) ?? '',
    waitForOutput(sessionId, pattern, timeoutMs = 90_000) {
      const matches = (s: string) => (typeof pattern === 'string' ? s.includes(pattern) : pattern.test(s));
      return wait(
        () => (matches(text.get(sessionId) ?? '') ? (text.get(sessionId) ?? '') : undefined),
        timeoutMs,
        () => `${String(pattern)} in ${JSON.stringify(text.get(sessionId) ?? '')}`,
      );
    },
    waitForExit(sessionId, timeoutMs = 90_000) {
      return wait(
        () => exits.get(sessionId),
        timeoutMs,
        () => `session ${sessionId} to exit`,
      );
    },
    disconnect() {
      for (const l of [...disconnects]) l();
    },
  };
}
