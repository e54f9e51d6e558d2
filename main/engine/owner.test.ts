import { describe, expect, test } from 'vitest';
import {
  currentProcess,
  livenessOf,
  ownerLabels,
  ownerOf,
  startTicksOf,
  SYSTEM_PROBE,
  type ProcessProbe,
} from './owner.js';

/** A machine with the given processes (pid → start time). */
function machine(host: string, processes: Record<number, string>): ProcessProbe {
  return { hostname: () => host, startTimeOf: (pid) => processes[pid] };
}

describe('owner liveness', () => {
  const owner = { pid: 4242, startTime: 'boot-a:1000', host: 'dev' };

  test('the same pid with the same start time is the owner: alive', () => {
    expect(livenessOf(owner, machine('dev', { 4242: 'boot-a:1000' }))).toBe('alive');
  });

  test('no such pid: gone', () => {
    expect(livenessOf(owner, machine('dev', {}))).toBe('gone');
  });

  test('the pid was reused by a later process (other start time): gone', () => {
    expect(livenessOf(owner, machine('dev', { 4242: 'boot-a:98765' }))).toBe('gone');
  });

  test('the same pid and ticks after a reboot (other boot id): gone', () => {
    expect(livenessOf(owner, machine('dev', { 4242: 'boot-b:1000' }))).toBe('gone');
  });

  test('an owner on another host cannot be checked: unknown (never cleaned)', () => {
    expect(livenessOf(owner, machine('laptop', {}))).toBe('unknown');
  });

  test('no start time on this platform: a live pid counts as the owner', () => {
    expect(livenessOf(owner, machine('dev', { 4242: 'unknown' }))).toBe('alive');
  });

  test('this process is alive; a pid that no process has is gone (real /proc)', () => {
    const me = currentProcess();
    expect(livenessOf(me)).toBe('alive');
    expect(livenessOf({ ...me, startTime: `${me.startTime}0` })).toBe(
      me.startTime === 'unknown' ? 'alive' : 'gone',
    );
    expect(SYSTEM_PROBE.startTimeOf(2 ** 22 + 7)).toBeUndefined();
  });
});

describe('owner labels', () => {
  test('round trip, and objects without owner labels have no owner', () => {
    const labels = ownerLabels({ pid: 12, startTime: 'b:3', host: 'h' }, 'run', '/tmp/taskdeck-run-x', true);
    expect(labels['com.taskdeck.data-dir-temp']).toBe('true');
    expect(ownerOf(labels)).toEqual({ pid: 12, startTime: 'b:3', host: 'h' });
    expect(ownerOf({ 'com.taskdeck.managed': 'true' })).toBeUndefined();
    expect(ownerOf({ ...labels, 'com.taskdeck.owner-pid': 'x' })).toBeUndefined();
  });

  test('start ticks come from field 22 even when the command name holds ") "', () => {
    const rest = 'R 12406 12406 6255 0 -1 4194304 119 0 0 0 0 0 0 0 20 0 1 0 555666 3133440 360';
    expect(startTicksOf(`77 (a) b (c) ${rest}`)).toBe('555666');
    expect(startTicksOf('77 (x) S 1')).toBeUndefined();
  });
});
