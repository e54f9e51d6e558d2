import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, test } from 'vitest';
import { DockerEventStream, type DockerEvent } from './docker-events.js';

function ev(action: string, timeNano: number): string {
  return `${JSON.stringify({ Type: 'container', Action: action, Actor: { ID: 'c1', Attributes: {} }, time: Math.floor(timeNano / 1e9), timeNano })}\n`;
}

/** A fake Docker whose getEvents hands out streams the test controls. */
function fakeDocker() {
  const calls: { filters: string; since?: number }[] = [];
  const streams: PassThrough[] = [];
  let failNext = 0;
  const docker = {
    async getEvents(opts: { filters: string; since?: number }) {
      calls.push(opts);
      if (failNext > 0) {
        failNext--;
        throw new Error('connect ECONNREFUSED');
      }
      const s = new PassThrough();
      streams.push(s);
      return s;
    },
  } as unknown as Docker;
  return { docker, calls, streams, failTimes: (n: number) => (failNext = n) };
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('DockerEventStream', () => {
  test('parses newline-delimited events split across chunks and passes the label filter', async () => {
    const f = fakeDocker();
    const s = new DockerEventStream(f.docker, { label: ['com.taskdeck.managed=true'] });
    const got: DockerEvent[] = [];
    s.on('event', (e) => got.push(e));
    await s.start();
    const text = ev('start', 1_000_000_000_000) + ev('die', 1_000_000_000_500);
    f.streams[0]!.write(text.slice(0, 30));
    f.streams[0]!.write(text.slice(30));
    await tick();
    expect(got.map((e) => e.Action)).toEqual(['start', 'die']);
    expect(JSON.parse(f.calls[0]!.filters)).toEqual({ label: ['com.taskdeck.managed=true'] });
    s.close();
  });

  test('reconnects after the stream ends, replays from the last event, drops duplicates', async () => {
    const f = fakeDocker();
    const s = new DockerEventStream(f.docker, {});
    const got: string[] = [];
    const states: string[] = [];
    s.on('event', (e) => got.push(`${e.Action}@${e.timeNano}`));
    s.on('disconnected', () => states.push('down'));
    s.on('connected', () => states.push('up'));
    await s.start();
    f.streams[0]!.write(ev('start', 5_000_000_000_100));
    await tick();
    f.failTimes(1);
    f.streams[0]!.end();
    await new Promise<void>((resolve) => s.on('connected', () => resolve()));
    expect(f.calls.length).toBe(3); // first, one refused, then back
    expect(f.calls[2]!.since).toBe(5000);
    // Docker replays from the second: the already-seen event is dropped, the new one passes.
    f.streams[1]!.write(ev('start', 5_000_000_000_100) + ev('die', 5_000_000_000_900));
    await tick();
    expect(got).toEqual(['start@5000000000100', 'die@5000000000900']);
    expect(states).toEqual(['up', 'down', 'down', 'up']);
    s.close();
  });

  test('close stops reconnecting', async () => {
    const f = fakeDocker();
    const s = new DockerEventStream(f.docker, {});
    await s.start();
    s.close();
    f.streams[0]!.end();
    await tick(400);
    expect(f.calls.length).toBe(1);
  });
});
