/**
 * Soak benchmark (`npm run bench:soak`, not part of `npm test`): hours of use compressed into a
 * bounded loop against the built `taskdeck web` (real engine, real Docker). SOAK_TASKS tasks are
 * launched evenly over SOAK_MINUTES through the HTTP API; each runs a chatty container (a log
 * line every few ms) and a quiet sidecar for a random while, then is stopped through the API or
 * killed from outside (`docker kill`, SOAK_KILL_PERCENT of them; a few lose their sidecar first).
 *
 * Pass: no container/network/volume of the run left on Docker, no task stuck (every one STOPPED
 * within 90 s of its stop or kill), no file descriptor kept per task, and the server RSS at the end within 1.2x of its value
 * after the first minute (SOAK_BASELINE_SECONDS; shorter runs use a tenth of their length).
 * Writes bench/soak-results.json.
 *
 * Env: SOAK_TASKS (500), SOAK_MINUTES (10), SOAK_KILL_PERCENT (25), SOAK_MAX_LIFETIME_SECONDS (20),
 * SOAK_BATCH_INTERVAL (0.2 s between batches of 50 log lines), SOAK_MAX_LIVE (16 tasks alive at
 * most; later launches wait), SOAK_SEED (1).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { format, resolveConfig } from 'prettier';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import type { TaskDetail } from '../../contract/dto.js';
import { startServer, type TaskdeckServer } from '../../e2e/fixtures/server.js';
import { formatTable, type ResultRow } from '../report.js';
import { percentile, round } from '../stats.js';
import { openFds, rssOf } from './proc.js';

const env = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const TASKS = Math.round(env('SOAK_TASKS', 500));
const MINUTES = env('SOAK_MINUTES', 10);
const KILL_PERCENT = env('SOAK_KILL_PERCENT', 25);
const MAX_LIFETIME_S = env('SOAK_MAX_LIFETIME_SECONDS', 20);
const BATCH_INTERVAL = env('SOAK_BATCH_INTERVAL', 0.2);
/** At most this many tasks alive at once: a slow machine delays launches instead of piling up. */
const MAX_LIVE = Math.round(env('SOAK_MAX_LIVE', 16));
const DURATION_MS = MINUTES * 60_000;
const BASELINE_MS = env('SOAK_BASELINE_SECONDS', Math.min(60, (MINUTES * 60) / 10)) * 1000;
const RSS_RATIO_TARGET = 1.2;
const STUCK_AFTER_MS = 90_000;
const SAMPLE_EVERY_MS = 5_000;

const progress = (msg: string) =>
  process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small seeded PRNG (mulberry32): the same SOAK_SEED gives the same schedule. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(env('SOAK_SEED', 1));

const DEFINITION = JSON.stringify({
  family: 'soak-chatty',
  memory: '256',
  containerDefinitions: [
    {
      name: 'chatty',
      image: 'taskdeck-test/busybox:latest',
      essential: true,
      command: [
        'sh',
        '-c',
        // Builtins only, one `sleep` per batch of 50 lines: a fork per line turned 400 piled-up
        // tasks into a fork storm on a loaded machine.
        `trap "exit 143" TERM; i=0; while true; do for j in ${'1 2 3 4 5 6 7 8 9 10 '.repeat(5).trim()}; do echo "soak line $i.$j the quick brown fox jumps over the lazy dog"; done; i=$((i+1)); sleep ${BATCH_INTERVAL}; done`,
      ],
    },
    {
      name: 'sidecar',
      image: 'taskdeck-test/busybox:latest',
      essential: false,
      command: ['sh', '-c', 'trap "exit 143" TERM; while true; do sleep 1; done'],
    },
  ],
});

type Ending = 'api-stop' | 'outside-kill' | 'sidecar-kill-then-stop';

interface TaskOutcome {
  readonly taskId?: string;
  readonly ending: Ending;
  readonly error?: string;
  /** From the stop/kill to STOPPED seen through the API (250 ms polling). */
  readonly stopMs?: number;
  readonly stuck?: boolean;
}

interface Sample {
  readonly atMs: number;
  readonly rss: number;
  readonly fds: number;
}

async function waitStatus(
  server: TaskdeckServer,
  taskId: string,
  pred: (t: TaskDetail) => boolean,
  timeoutMs: number,
): Promise<TaskDetail | undefined> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const t = await server.call<TaskDetail>('tasks:get', { taskId });
    if (pred(t)) return t;
    await sleep(250);
  }
  return undefined;
}

/** One task's life: run, wait RUNNING, live a while, end as scheduled, wait STOPPED. */
async function lifecycle(server: TaskdeckServer, docker: Docker, definitionId: string): Promise<TaskOutcome> {
  const r = random();
  const ending: Ending =
    r * 100 < KILL_PERCENT
      ? 'outside-kill'
      : r * 100 < KILL_PERCENT + 5
        ? 'sidecar-kill-then-stop'
        : 'api-stop';
  const lifetimeMs = (1 + random() * (MAX_LIFETIME_S - 1)) * 1000;
  let taskId: string | undefined;
  try {
    const [t] = await server.call<TaskDetail[]>('tasks:run', { definitionId, count: 1 });
    taskId = t!.taskId;
    const running = await waitStatus(
      server,
      taskId,
      (x) => x.lastStatus !== 'PROVISIONING' && x.lastStatus !== 'PENDING',
      120_000,
    );
    if (!running) return { taskId, ending, error: 'never RUNNING within 120 s', stuck: true };
    await sleep(lifetimeMs);
    const now = await server.call<TaskDetail>('tasks:get', { taskId });
    const idOf = (name: string) => now.containers.find((c) => c.name === name)?.runtimeId;
    const acted = Date.now();
    if (ending === 'outside-kill') {
      const id = idOf('chatty');
      if (id)
        await docker
          .getContainer(id)
          .kill()
          .catch(() => undefined);
    } else {
      if (ending === 'sidecar-kill-then-stop') {
        const id = idOf('sidecar');
        if (id)
          await docker
            .getContainer(id)
            .kill()
            .catch(() => undefined);
      }
      await server.call('tasks:stop', { taskId, reason: 'soak' });
    }
    const stopped = await waitStatus(server, taskId, (x) => x.lastStatus === 'STOPPED', STUCK_AFTER_MS);
    if (!stopped)
      return { taskId, ending, stuck: true, error: `not STOPPED ${STUCK_AFTER_MS / 1000} s after ${ending}` };
    return { taskId, ending, stopMs: Date.now() - acted };
  } catch (err) {
    return { ...(taskId ? { taskId } : {}), ending, error: (err as Error).message };
  }
}

/** Containers, networks and volumes Docker still has for the run's tasks. */
async function leftovers(
  docker: Docker,
  ids: ReadonlySet<string>,
): Promise<{ containers: number; networks: number; volumes: number }> {
  const mine = (labels: Record<string, string> | undefined | null) =>
    ids.has(labels?.['com.taskdeck.task-id'] ?? '');
  const filters = { label: ['com.taskdeck.managed=true'] };
  const containers = (await docker.listContainers({ all: true, filters })).filter((c) =>
    mine(c.Labels),
  ).length;
  const networks = (await docker.listNetworks({ filters })).filter((n) => mine(n.Labels)).length;
  const volumes = ((await docker.listVolumes({ filters })).Volumes ?? []).filter((v) =>
    mine(v.Labels),
  ).length;
  return { containers, networks, volumes };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-soak-'));
  const docker = new Docker();
  progress(`${TASKS} tasks over ${MINUTES} min; ${KILL_PERCENT}% killed from outside; data dir ${dataDir}`);
  const server = await startServer(dataDir);
  const pid = server.pid!;
  const samples: Sample[] = [];
  const t0 = Date.now();
  const sample = async () => {
    samples.push({ atMs: Date.now() - t0, rss: await rssOf(pid), fds: await openFds(pid) });
  };
  await sample();
  const sampler = setInterval(() => {
    sample().catch(() => undefined);
  }, SAMPLE_EVERY_MS);
  const outcomes: Promise<TaskOutcome>[] = [];
  try {
    const def = await server.call<{ id: string }>('definitions:import', {
      text: DEFINITION,
      fileName: 'soak.json',
    });
    const every = DURATION_MS / TASKS;
    let live = 0;
    let delayedMs = 0;
    for (let i = 0; i < TASKS; i++) {
      const due = t0 + i * every;
      if (due > Date.now()) await sleep(due - Date.now());
      const blocked = Date.now();
      while (live >= MAX_LIVE) await sleep(100);
      delayedMs += Date.now() - blocked;
      live++;
      outcomes.push(
        lifecycle(server, docker, def.id).finally(() => {
          live--;
        }),
      );
      if (i % 25 === 24) {
        const last = samples.at(-1);
        progress(`${i + 1}/${TASKS} launched; server RSS ${last ? (last.rss / 2 ** 20).toFixed(0) : '?'} MB`);
      }
    }
    const results = await Promise.all(outcomes);
    const elapsedMin = (Date.now() - t0) / 60_000;
    progress('all tasks ended; settling 10 s');
    await sleep(10_000);
    clearInterval(sampler);
    await sample();
    const ids = new Set(results.flatMap((r) => (r.taskId ? [r.taskId] : [])));
    const left = await leftovers(docker, ids);
    const listed = await server.call<TaskDetail[]>('tasks:list');
    const notStopped = listed.filter((t) => ids.has(t.taskId) && t.lastStatus !== 'STOPPED').length;
    const stuck = results.filter((r) => r.stuck).length;
    const errors = results.filter((r) => r.error);
    const baseline = samples.find((s) => s.atMs >= BASELINE_MS) ?? samples[0]!;
    const final = samples.at(-1)!;
    const peak = Math.max(...samples.filter((s) => s.atMs >= baseline.atMs).map((s) => s.rss));
    const ratio = final.rss / baseline.rss;
    const stops = results.flatMap((r) => (r.stopMs !== undefined ? [r.stopMs] : []));
    const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
    const rows: ResultRow[] = [
      {
        metric: 'tasks launched / ended',
        value: `${ids.size} / ${results.length - errors.length}`,
        target: `${TASKS}`,
        pass: ids.size === TASKS,
      },
      {
        metric: 'leaked containers / networks / volumes',
        value: `${left.containers} / ${left.networks} / ${left.volumes}`,
        target: '0 / 0 / 0',
        pass: left.containers + left.networks + left.volumes === 0,
      },
      {
        metric: 'stuck tasks',
        value: `${stuck} (not STOPPED in list: ${notStopped})`,
        target: '0',
        pass: stuck === 0 && notStopped === 0,
      },
      {
        metric: 'launches delayed by the live-task cap / run length',
        value: `${round(delayedMs / 1000, 0)} s / ${round(elapsedMin, 1)} min`,
        target: `(report; cap ${MAX_LIVE})`,
      },
      {
        metric: 'errors',
        value: `${errors.length}${errors[0] ? ` (first: ${errors[0].error})` : ''}`,
        target: '(report)',
      },
      {
        metric: `server RSS after ${round(baseline.atMs / 1000, 0)} s`,
        value: mb(baseline.rss),
        target: '(baseline)',
      },
      {
        metric: 'server RSS at the end',
        value: `${mb(final.rss)} (${round(ratio, 2)}x)`,
        target: `<= ${RSS_RATIO_TARGET}x baseline`,
        pass: ratio <= RSS_RATIO_TARGET,
      },
      {
        metric: 'server RSS peak',
        value: `${mb(peak)} (${round(peak / baseline.rss, 2)}x)`,
        target: '(report)',
      },
      {
        metric: 'server open fds baseline / end',
        value: `${baseline.fds} / ${final.fds}`,
        target: '<= baseline (none kept per task)',
        pass: final.fds <= baseline.fds,
      },
      {
        metric: 'stop/kill -> STOPPED p50 / p95',
        value: `${round(percentile(stops, 50) / 1000, 1)} s / ${round(percentile(stops, 95) / 1000, 1)} s`,
        target: '(report, 250 ms polling)',
      },
    ];
    process.stdout.write(`${formatTable(rows)}\n`);
    const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'soak-results.json');
    const record = {
      at: new Date().toISOString(),
      config: {
        tasks: TASKS,
        minutes: MINUTES,
        killPercent: KILL_PERCENT,
        maxLifetimeSeconds: MAX_LIFETIME_S,
        batchIntervalSeconds: BATCH_INTERVAL,
        maxLive: MAX_LIVE,
      },
      machine: { cpus: cpus().length, loadavg: loadavg().map((x) => round(x, 2)) },
      rows,
      errors: errors.slice(0, 20),
      samples: samples.map((s) => ({
        s: round(s.atMs / 1000, 0),
        rssMB: round(s.rss / 2 ** 20, 1),
        fds: s.fds,
      })),
    };
    // Formatted as the repo's check expects (a committed result must pass `prettier --check`).
    const text = JSON.stringify(record, null, 2);
    await writeFile(file, await format(text, { ...(await resolveConfig(file)), filepath: file }));
    progress(`wrote ${file}`);
    if (rows.some((r) => r.pass === false)) process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    await server.stop().catch((err: unknown) => progress(`server stop: ${(err as Error).message}`));
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`soak: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
