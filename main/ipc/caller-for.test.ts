import { describe, expect, it } from 'vitest';
import { topicChannel } from '../../contract/topics.js';
import { callerFor, type CallerSender } from './register-ipc.js';

/** A fake WebContents: records sends, fires its lifecycle events on demand. */
function fakeSender(id: number) {
  const handlers = new Map<string, (() => void)[]>();
  const sent: [string, unknown][] = [];
  let destroyed = false;
  const sender: CallerSender = {
    id,
    isDestroyed: () => destroyed,
    send: (channel, payload) => sent.push([channel, payload]),
    once: (event, listener) => handlers.set(event, [...(handlers.get(event) ?? []), listener]),
    on: (event, listener) => handlers.set(event, [...(handlers.get(event) ?? []), listener]),
  };
  const fire = (event: string) => {
    if (event === 'destroyed') destroyed = true;
    for (const h of handlers.get(event) ?? []) h();
  };
  return { sender, sent, fire };
}

describe('Electron caller context', () => {
  it('pushes to its own window only, on the topic channel the preload listens to', () => {
    const a = fakeSender(1);
    const b = fakeSender(2);
    const payload = { sessionId: 'x'.repeat(22), data: 'aGk=' };
    callerFor(a.sender).push('exec:output', payload);
    expect(a.sent).toEqual([[topicChannel('exec:output'), payload]]);
    expect(b.sent).toEqual([]);
    expect(callerFor(a.sender)).toBe(callerFor(a.sender));
    expect(callerFor(a.sender).connectionId).not.toBe(callerFor(b.sender).connectionId);
  });

  it('disconnects when the window navigates (reload) or is destroyed, and stops pushing then', () => {
    const w = fakeSender(3);
    const caller = callerFor(w.sender);
    const seen: string[] = [];
    caller.onDisconnect(() => seen.push('first'));
    w.fire('did-navigate');
    expect(seen).toEqual(['first']);
    caller.onDisconnect(() => seen.push('second'));
    w.fire('destroyed');
    expect(seen).toEqual(['first', 'second']);
    caller.push('exec:output', { sessionId: 'y'.repeat(22), exited: true, exitCode: 0 });
    expect(w.sent).toEqual([]);
  });
});
