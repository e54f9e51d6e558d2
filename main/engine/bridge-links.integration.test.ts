/**
 * Issue 12 item 2: ECS bridge tasks reach each other by name through legacy Docker links, as the
 * agent passes them (HostConfig.Links `<docker name>:<alias>`, the target started first), plus
 * hostname, extraHosts, dnsServers and dnsSearchDomains — checked from inside real containers.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseTaskDefinition } from '../task-definition/parse-task-definition.js';
import {
  byName,
  FOREVER,
  leftovers,
  NOTHING_LEFT,
  startEngine,
  TEST_IMAGE,
  waitForLog,
  type EngineHarness,
} from '../test-support/engine-fixture.js';

const SLEEP_LOOP = 'while true; do sleep 0.1; done';

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngine();
});
afterAll(async () => {
  await h?.close();
});

describe('bridge links', () => {
  test('a container reaches a linked one by name and by alias; the target is started first', async () => {
    // The linking container is declared first: only the implicit START dependency makes it wait.
    const parsed = parseTaskDefinition(
      JSON.stringify({
        family: 'bridge-links',
        networkMode: 'bridge',
        memory: '512',
        containerDefinitions: [
          {
            name: 'app',
            image: TEST_IMAGE,
            links: ['db', 'db:database'],
            hostname: 'app-host',
            extraHosts: [{ hostname: 'extra.internal', ipAddress: '10.9.8.7' }],
            dnsServers: ['10.0.0.53'],
            dnsSearchDomains: ['corp.internal'],
            command: [
              'sh',
              '-c',
              'wget -qO- http://db:8080/index.html; wget -qO- http://database:8080/index.html; hostname; ' +
                'grep extra.internal /etc/hosts; grep -E "^(nameserver|search)" /etc/resolv.conf',
            ],
          },
          {
            name: 'db',
            image: TEST_IMAGE,
            essential: false,
            stopTimeout: 1,
            command: ['sh', '-c', 'echo pong > /tmp/index.html; exec httpd -f -p 8080 -h /tmp'],
          },
        ],
      }),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.warnings.filter((w) => /links|dnsSearch/.test(w.path))).toEqual([]);
    const t = await h.engine.runTask({ taskDefinition: parsed.taskDefinition });
    const done = await h.engine.waitForStopped(t.taskId);
    const out = (await h.engine.logs(t.taskId)).filter((l) => l.container === 'app').map((l) => l.text);
    expect(byName(done, 'app').exitCode).toBe(0);
    expect(out).toEqual([
      'pong',
      'pong',
      'app-host',
      expect.stringMatching(/^10\.9\.8\.7\s+extra\.internal$/),
      'search corp.internal',
      'nameserver 10.0.0.53',
    ]);
    const db = byName(done, 'db');
    expect(Date.parse(db.startedAt!)).toBeLessThanOrEqual(Date.parse(byName(done, 'app').startedAt!));
    expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
  });

  test('stopping stops the linking container before its link target', async () => {
    const parsed = parseTaskDefinition(
      JSON.stringify({
        family: 'bridge-links-stop',
        memory: '512',
        containerDefinitions: [
          // web takes a second to stop: unless db waits for it, db is gone first.
          {
            name: 'web',
            image: TEST_IMAGE,
            links: ['db'],
            stopTimeout: 20,
            command: ['sh', '-c', `trap "sleep 1; exit 143" TERM; echo ready; ${SLEEP_LOOP}`],
          },
          { name: 'db', image: TEST_IMAGE, stopTimeout: 20, command: ['sh', '-c', FOREVER] },
        ],
      }),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const t = await h.engine.runTask({ taskDefinition: parsed.taskDefinition });
    await waitForLog(h.engine, t.taskId, 'web', 'ready');
    await h.engine.stopTask(t.taskId, 'test');
    const done = await h.engine.waitForStopped(t.taskId);
    expect(Date.parse(byName(done, 'web').finishedAt!)).toBeLessThanOrEqual(
      Date.parse(byName(done, 'db').finishedAt!),
    );
    expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
  });
});
