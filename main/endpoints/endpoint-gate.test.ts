import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { effectiveProgram, gatedOptions, gateMarker, gateScript, GATE_DIR } from './endpoint-gate.js';

describe('endpoint start gate', () => {
  test("the program is Docker's merge of create options and image config", () => {
    const image = { Entrypoint: ['/entry'], Cmd: ['serve'] };
    expect(effectiveProgram({}, image)).toEqual(['/entry', 'serve']);
    expect(effectiveProgram({ Cmd: ['run'] }, image)).toEqual(['/entry', 'run']);
    // An entrypoint given at create drops the image's CMD, as Docker does.
    expect(effectiveProgram({ Entrypoint: ['/own'] }, image)).toEqual(['/own']);
    expect(effectiveProgram({ Entrypoint: ['/own'], Cmd: ['x'] }, image)).toEqual(['/own', 'x']);
    expect(effectiveProgram({}, { Entrypoint: null, Cmd: 'sh' })).toEqual(['sh']);
  });

  test('gated options run the gate with the marker, keep the program and add the volume read-only', () => {
    const o = gatedOptions(
      { name: 'ecs-app-1', Image: 'i', Cmd: ['sh', '-c', 'x'], HostConfig: { Binds: ['v:/data'] } },
      { Entrypoint: ['/e'] },
      'taskdeck-gate-t',
    );
    expect(o.Entrypoint).toEqual([`${GATE_DIR}/busybox`, 'sh', `${GATE_DIR}/gate`, 'ecs-app-1']);
    expect(o.Cmd).toEqual(['/e', 'sh', '-c', 'x']);
    expect(o.HostConfig?.Binds).toEqual(['v:/data', `taskdeck-gate-t:${GATE_DIR}:ro`]);
    expect(gateMarker('/a/b c')).toBe('a_b_c');
  });

  // The gate script itself, run by the host's BusyBox when there is one (CI installs busybox-static).
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
  test.skipIf(!busybox)('the gate execs the program found in PATH, not a BusyBox applet of that name', () => {
    const script = gateScript().replaceAll(`${GATE_DIR}/ready/`, '/');
    // Marker "/" exists: no wait. `ls --version` is GNU ls (from PATH), not the applet.
    const out = execFileSync(busybox!, ['sh', '-c', script, 'gate', '', 'ls', '--version'], {
      env: { PATH: '/usr/bin:/bin' },
    }).toString();
    expect(out).toMatch(/GNU coreutils/);
  });
});
