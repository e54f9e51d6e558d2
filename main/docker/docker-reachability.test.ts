import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  DockerReachability,
  DockerUnreachableError,
  type DockerReachabilityState,
} from './docker-reachability.js';

const AT = new Date('2026-12-07T03:04:05.000Z');

function tracker(ping: () => Promise<unknown>) {
  const signals = new EventEmitter();
  const r = new DockerReachability(signals as never, { ping, now: () => AT, pingTimeoutMs: 50 });
  const seen: DockerReachabilityState[] = [];
  r.on('change', (s) => seen.push(s));
  return { signals, r, seen };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 80));

describe('DockerReachability', () => {
  it('a dropped stream whose ping fails is unreachable since the drop, until the stream connects', async () => {
    const { signals, r, seen } = tracker(() => Promise.reject(new Error('connect ENOENT /x.sock')));
    signals.emit('disconnected', new Error('docker event stream ended'));
    await vi.waitFor(() => expect(r.state()).toMatchObject({ reachable: false }));
    expect(r.state()).toEqual({ reachable: false, since: AT.toISOString(), error: 'connect ENOENT /x.sock' });
    // Reconnect attempts that fail keep the first time and show the newest reason.
    signals.emit('disconnected', new Error('connect ECONNREFUSED'));
    expect(r.state()).toMatchObject({ since: AT.toISOString(), error: 'connect ECONNREFUSED' });
    signals.emit('connected');
    expect(r.state()).toEqual({ reachable: true });
    expect(seen.map((s) => s.reachable)).toEqual([false, false, true]);
  });

  it('a benign drop (Docker still answers) changes nothing', async () => {
    const { signals, r, seen } = tracker(() => Promise.resolve('OK'));
    signals.emit('disconnected', new Error('docker event stream ended'));
    await settle();
    expect(r.state()).toEqual({ reachable: true });
    expect(seen).toEqual([]);
  });

  it('a ping that never answers counts as failed', async () => {
    const { signals, r } = tracker(() => new Promise(() => {}));
    signals.emit('disconnected', new Error('socket hang up'));
    await vi.waitFor(() =>
      expect(r.state()).toMatchObject({
        reachable: false,
        error: 'Docker did not answer a ping within 50 ms',
      }),
    );
  });

  it('a ping failing after the stream already reconnected does not go back to unreachable', async () => {
    let fail: (err: Error) => void = () => {};
    const { signals, r } = tracker(() => new Promise((_, reject) => (fail = reject)));
    signals.emit('disconnected', new Error('ended'));
    signals.emit('connected');
    fail(new Error('late'));
    await settle();
    expect(r.state()).toEqual({ reachable: true });
  });

  it('the refusal names the time, says nothing was started and why', () => {
    const err = new DockerUnreachableError({
      reachable: false,
      since: AT.toISOString(),
      error: 'connect ENOENT /x',
    });
    expect(err.message).toMatch(
      /^Docker unreachable since \d\d:\d\d:\d\d, retrying: no new task was started \(connect ENOENT \/x\)\. Run it again once Docker is back\.$/,
    );
  });
});
