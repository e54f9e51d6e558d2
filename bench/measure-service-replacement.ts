/**
 * Service replacement bench (issue 13): time from an essential container's exit (Docker's `die`
 * event time) to the replacement task's RUNNING event, for a service of one task on the real
 * Docker daemon. Standalone: `node --import tsx bench/measure-service-replacement.ts`
 * (BENCH_SERVICE_SAMPLES, default 8). Prints median/p90 and the samples as JSON.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { createTaskEngine } from '../main/engine/task-engine.js';
import { FakeLoadBalancer } from '../main/test-support/fake-load-balancer.js';
import { createServiceManager } from '../main/ecs-service/service-manager.js';
import { container, taskDef, TEST_IMAGE } from '../main/test-support/task-def-builders.js';
import { summarize, round } from './stats.js';

const SAMPLES = Number(process.env.BENCH_SERVICE_SAMPLES) > 0 ? Number(process.env.BENCH_SERVICE_SAMPLES) : 8;

/** Runs the measurement; resolves with the samples in ms. */
export async function measureServiceReplacement(samples: number): Promise<number[]> {
  const docker = new Docker();
  const dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-bench-svc-'));
  const engine = await createTaskEngine({ docker, dataDir, pauseImage: TEST_IMAGE });
  const manager = await createServiceManager({
    engine,
    loadBalancer: new FakeLoadBalancer(),
    dataDir,
    region: 'us-east-1',
    account: '000000000000',
  });
  const def = taskDef('bench-svc', [
    container('app', {
      command: ['sh', '-c', 'trap "exit 143" TERM; while true; do sleep 0.1; done'],
      stopTimeout: 2,
    }),
  ]);
  const out: number[] = [];
  try {
    await manager.createService({
      service: {
        serviceName: 'bench-svc',
        taskDefinitionRef: 'bench-svc:1',
        taskDefinition: def,
        desiredCount: 1,
        loadBalancers: [],
        healthCheckGracePeriodSeconds: 0,
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        circuitBreaker: { enable: false, rollback: false },
        enableExecuteCommand: false,
      },
      targetGroups: [],
    });
    const runningTask = (except: string) =>
      new Promise<{ taskId: string; at: number }>((resolve) => {
        const check = () => {
          const t = engine
            .listTasks()
            .find(
              (x) => x.group === 'service:bench-svc' && x.lastStatus === 'RUNNING' && x.taskId !== except,
            );
          if (!t) return false;
          off();
          resolve({ taskId: t.taskId, at: Date.now() });
          return true;
        };
        const off = engine.on('event', () => void check());
        check();
      });
    let current = await runningTask('');
    for (let i = 0; i < samples; i++) {
      const [c] = await docker.listContainers({
        filters: { label: [`com.taskdeck.task-id=${current.taskId}`] },
      });
      if (!c) throw new Error(`no container for ${current.taskId}`);
      const next = runningTask(current.taskId);
      const since = Math.floor(Date.now() / 1000) - 1;
      await docker.getContainer(c.Id).kill({ signal: 'SIGKILL' });
      const replaced = await next;
      const events = (await docker.getEvents({
        since,
        until: Math.ceil(Date.now() / 1000),
        filters: { container: [c.Id], event: ['die'] },
      })) as unknown as NodeJS.ReadableStream;
      let text = '';
      for await (const chunk of events) text += String(chunk);
      const die = JSON.parse(text.trim().split('\n')[0]!) as { timeNano: number };
      out.push(replaced.at - die.timeNano / 1e6);
      current = replaced;
    }
  } finally {
    await manager.deleteService('bench-svc').catch(() => undefined);
    await manager.close();
    await engine.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const samples = await measureServiceReplacement(SAMPLES);
  const s = summarize(samples);
  process.stdout.write(
    `${JSON.stringify({ metric: 'essential exit → replacement task RUNNING (ms)', n: s.n, median: round(s.median), p90: round(s.p90), min: round(s.min), max: round(s.max), samples: samples.map((x) => round(x)) })}\n`,
  );
}
