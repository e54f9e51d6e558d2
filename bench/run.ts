/**
 * Taskdeck engine benchmark (`npm run bench`): measures, in one run on the real Docker daemon,
 * (a) dependsOn gate latency, (b) essential-exit reaction, (c) single-task start overhead vs raw
 * dockerode, (d) 20×3 concurrent launch vs raw, (e) idle CPU and child processes, (f) request
 * latency through the local load balancer vs direct, (g) a service's essential exit → replacement
 * task RUNNING. (a)–(e) and (g) latencies come
 * from Docker's own event timestamps. Prints a table and writes bench/results.json.
 *
 * Env: BENCH_SAMPLES (12), BENCH_D_ROUNDS (2), BENCH_DEFAULT_PULL_SAMPLES (5), BENCH_IDLE_SECONDS (60),
 * BENCH_LB_REQUESTS (500), BENCH_SERVICE_SAMPLES (8).
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { createBenchContext, leftoverContainers, teardown } from './bench-context.js';
import { clockDriftMs } from './clock.js';
import { GATE_CONDITIONS, measureGates } from './measure-gates.js';
import { measureEssentialExit } from './measure-essential-exit.js';
import { measureDefaultPullStart, measureSingleStart } from './measure-single-start.js';
import { FAN_OUT_CONTAINERS, FAN_OUT_TASKS, measureFanOut } from './measure-fan-out.js';
import { idleReport, measureIdle } from './measure-idle.js';
import { measureLbLatency } from './measure-lb-latency.js';
import { measureServiceReplacement } from './measure-service-replacement.js';
import { childProcesses } from './process-probe.js';
import { formatTable, ms, type ResultRow } from './report.js';
import { median, round, summarize, type Summary } from './stats.js';

const env = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const SAMPLES = Math.max(10, env('BENCH_SAMPLES', 12));
const D_ROUNDS = env('BENCH_D_ROUNDS', 2);
const DEFAULT_PULL_SAMPLES = env('BENCH_DEFAULT_PULL_SAMPLES', 5);
const IDLE_SECONDS = env('BENCH_IDLE_SECONDS', 60);

const GATE_TARGET_MS = 20;
const EXIT_TARGET_MS = 50;
const SINGLE_RATIO_TARGET = 1.15;
const FAN_OUT_RATIO_TARGET = 1.3;

const progress = (msg: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const roundSummary = (s: Summary) => ({
  n: s.n,
  median: round(s.median),
  p90: round(s.p90),
  min: round(s.min),
  max: round(s.max),
});
const medianOf = <T>(xs: readonly T[], f: (x: T) => number) => round(median(xs.map(f)));

async function main(): Promise<number> {
  const baselineChildren = await childProcesses();
  const ctx = await createBenchContext();
  progress(`run ${ctx.runId}, data dir ${ctx.dataDir}, ${SAMPLES} samples, idle ${IDLE_SECONDS} s`);
  const rows: ResultRow[] = [];
  const json: Record<string, unknown> = {
    runId: ctx.runId,
    startedAt: new Date().toISOString(),
    config: {
      samples: SAMPLES,
      fanOutRounds: D_ROUNDS,
      defaultPullSamples: DEFAULT_PULL_SAMPLES,
      idleSeconds: IDLE_SECONDS,
      pullBehavior: 'prefer-cached',
    },
    docker: await Promise.all([ctx.docker.version(), ctx.docker.info() as Promise<{ Driver?: string }>]).then(
      ([v, info]) => ({ version: v.Version, apiVersion: v.ApiVersion, storageDriver: info.Driver }),
      () => undefined,
    ),
  };
  // Container create time (and so (a)) depends on the storage driver: vfs copies the image per container.
  progress(`docker ${JSON.stringify(json.docker)}`);
  if ((json.docker as { storageDriver?: string } | undefined)?.storageDriver === 'vfs')
    progress(
      'warning: vfs copies the image for every container, so (a) measures dockerd, not the engine; prefer overlay2',
    );
  let failed: Error | undefined;
  try {
    progress('(a) dependsOn gates');
    const gates = await measureGates(ctx, SAMPLES);
    const gateJson: Record<string, unknown> = {};
    for (const c of GATE_CONDITIONS) {
      const g = gates[c];
      const s = summarize(g.gateMs);
      const raw = summarize(g.rawClientMs);
      rows.push({
        metric: `(a) gate ${c}: median (p90); raw-client floor median`,
        value: `${ms(s.median)} (${ms(s.p90)}); ${ms(raw.median)}`,
        target: `≤ ${GATE_TARGET_MS} ms median`,
        pass: s.median <= GATE_TARGET_MS,
      });
      gateJson[c] = {
        gateMs: roundSummary(s),
        engineReactMs: roundSummary(summarize(g.engineReactMs)),
        daemonCreateMs: roundSummary(summarize(g.daemonCreateMs)),
        eventDeliveryMs: roundSummary(summarize(g.deliveryMs)),
        rawClientMs: roundSummary(raw),
        samples: g.gateMs.map((x) => round(x)),
        rawClientSamples: g.rawClientMs.map((x) => round(x)),
      };
    }
    rows.push({
      metric: '(a) engine share: upstream event → createContainer call, median',
      value:
        GATE_CONDITIONS.map((c) => `${c} ${median(gates[c].engineReactMs).toFixed(1)}`).join(' / ') + ' ms',
      target: '(report)',
    });
    rows.push({
      metric: '(a) daemon share: createContainer call → create event, median',
      value:
        GATE_CONDITIONS.map((c) => `${c} ${median(gates[c].daemonCreateMs).toFixed(0)}`).join(' / ') + ' ms',
      target: '(report)',
    });
    json.a_gates = gateJson;

    progress('(b) essential container exit');
    const exit = await measureEssentialExit(ctx, SAMPLES);
    const cs = summarize(exit.containerStoppedMs);
    const ts = summarize(exit.taskStoppedMs);
    rows.push({
      metric: '(b) die → container STOPPED event, median (p90)',
      value: `${ms(cs.median)} (${ms(cs.p90)})`,
      target: `≤ ${EXIT_TARGET_MS} ms median`,
      pass: cs.median <= EXIT_TARGET_MS,
    });
    rows.push({
      metric: '(b) die → task STOPPED event, median (p90)',
      value: `${ms(ts.median)} (${ms(ts.p90)})`,
      target: '(report)',
    });
    json.b_essentialExit = {
      containerStoppedMs: roundSummary(cs),
      taskStoppedMs: roundSummary(ts),
      eventDeliveryMs: roundSummary(summarize(exit.deliveryMs)),
      taskStoppedBreakdownMedianMs: {
        dieToRemoveCall: round(median(exit.dieToRemoveCallMs)),
        removeCall: round(median(exit.removeMs)),
        removeDoneToTaskStopped: round(median(exit.removeDoneToStoppedMs)),
      },
    };

    progress('(c) single-container start, engine vs raw (interleaved)');
    const single = await measureSingleStart(ctx, SAMPLES);
    const em = median(single.engineMs);
    const rm = median(single.rawMs);
    rows.push({ metric: '(c) single start: engine median', value: ms(em), target: '-' });
    rows.push({ metric: '(c) single start: raw create+start median', value: ms(rm), target: '-' });
    rows.push({
      metric: '(c) single start ratio engine/raw (prefer-cached)',
      value: `${(em / rm).toFixed(2)}×`,
      target: `≤ ${SINGLE_RATIO_TARGET}×`,
      pass: em / rm <= SINGLE_RATIO_TARGET,
    });
    const ownOverhead = median(single.engineBreakdown.map((b) => b.beforeCreate + b.createToStartCall));
    rows.push({
      metric: '(c) engine-side time (runTask → create call + create event → start call)',
      value: `${ms(ownOverhead)} (${((ownOverhead / rm) * 100).toFixed(1)} % of raw)`,
      target: '(report)',
    });
    json.c_singleStart = {
      pullBehavior: 'prefer-cached',
      engineMs: roundSummary(summarize(single.engineMs)),
      rawMs: roundSummary(summarize(single.rawMs)),
      ratio: round(em / rm, 3),
      engineBreakdownMedianMs: {
        runTaskToCreateCall: medianOf(single.engineBreakdown, (b) => b.beforeCreate),
        imageInspectCall: medianOf(single.engineBreakdown, (b) => b.imageInspect),
        daemonCreate: medianOf(single.engineBreakdown, (b) => b.daemonCreate),
        createEventToStartCall: medianOf(single.engineBreakdown, (b) => b.createToStartCall),
        daemonStart: medianOf(single.engineBreakdown, (b) => b.daemonStart),
      },
      rawBreakdownMedianMs: {
        daemonCreate: medianOf(single.rawBreakdown, (b) => b.daemonCreate),
        createEventToStartCall: medianOf(single.rawBreakdown, (b) => b.createToStartCall),
        daemonStart: medianOf(single.rawBreakdown, (b) => b.daemonStart),
      },
      engineSamples: single.engineMs.map((x) => round(x)),
      rawSamples: single.rawMs.map((x) => round(x)),
    };
    if (DEFAULT_PULL_SAMPLES > 0) {
      progress(`(c') single start with pullBehavior default (${DEFAULT_PULL_SAMPLES} samples)`);
      const dp = await measureDefaultPullStart(ctx, DEFAULT_PULL_SAMPLES);
      const dm = median(dp.engineMs);
      rows.push({
        metric: "(c') single start, pullBehavior default, median (vs raw)",
        value: `${ms(dm)} (${(dm / rm).toFixed(2)}×)`,
        target: '(report)',
      });
      json.c_defaultPull = {
        engineMs: roundSummary(summarize(dp.engineMs)),
        failedRegistryPullMs: roundSummary(summarize(dp.pullCallMs)),
      };
    }

    progress(
      `(d) ${FAN_OUT_TASKS} tasks × ${FAN_OUT_CONTAINERS.length} containers, engine vs raw (${D_ROUNDS} rounds)`,
    );
    const fan = await measureFanOut(ctx, D_ROUNDS);
    const fe = median(fan.engineWallMs);
    const fr = median(fan.rawWallMs);
    rows.push({
      metric: `(d) ${FAN_OUT_TASKS}×${FAN_OUT_CONTAINERS.length} concurrent: engine wall (median of ${D_ROUNDS})`,
      value: ms(fe),
      target: '-',
    });
    rows.push({
      metric: `(d) ${FAN_OUT_TASKS * FAN_OUT_CONTAINERS.length} concurrent: raw wall (median of ${D_ROUNDS})`,
      value: ms(fr),
      target: '-',
    });
    rows.push({
      metric: '(d) concurrent ratio engine/raw',
      value: `${(fe / fr).toFixed(2)}×`,
      target: `≤ ${FAN_OUT_RATIO_TARGET}×`,
      pass: fe / fr <= FAN_OUT_RATIO_TARGET,
    });
    json.d_fanOut = {
      engineWallMs: fan.engineWallMs.map((x) => round(x)),
      rawWallMs: fan.rawWallMs.map((x) => round(x)),
      engineMedianStartMs: fan.engineMedianStartMs.map((x) => round(x)),
      rawMedianStartMs: fan.rawMedianStartMs.map((x) => round(x)),
      ratio: round(fe / fr, 3),
    };

    progress(`(e) idle: engine holding ${fan.runningTaskIds.length} tasks for ${IDLE_SECONDS} s`);
    const idle = await measureIdle(ctx, fan.runningTaskIds, IDLE_SECONDS);
    const report = idleReport(idle, baselineChildren);
    rows.push(...report.rows);
    json.e_idle = report.json;

    progress('(f) request latency through the local load balancer vs direct');
    const lbLatency = await measureLbLatency(env('BENCH_LB_REQUESTS', 500));
    rows.push({
      metric: `(f) local LB: via LB / direct median (${lbLatency.requests} sequential requests each)`,
      value: `${lbLatency.viaLb.median.toFixed(2)} / ${lbLatency.direct.median.toFixed(2)} ms (${lbLatency.ratio}×); p95 ${lbLatency.viaLb.p95.toFixed(2)} / ${lbLatency.direct.p95.toFixed(2)} ms`,
      target: '(report)',
    });
    json.f_lbLatency = {
      requests: lbLatency.requests,
      direct: lbLatency.direct,
      viaLb: lbLatency.viaLb,
      ratio: lbLatency.ratio,
    };

    progress('(g) service: essential exit → replacement task RUNNING');
    const replacement = summarize(await measureServiceReplacement(env('BENCH_SERVICE_SAMPLES', 8)));
    rows.push({
      metric: `(g) service replacement: essential exit → new task RUNNING, median / p90 (n=${replacement.n})`,
      value: `${ms(replacement.median)} / ${ms(replacement.p90)}`,
      target: '(report)',
    });
    json.g_serviceReplacement = roundSummary(replacement);
  } catch (err) {
    failed = err as Error;
    console.error(`bench failed: ${failed.stack ?? failed.message}`);
  } finally {
    progress('teardown');
    await teardown(ctx);
  }
  const left = await leftoverContainers(ctx);
  const clean = left.runLabelled === 0 && left.managedOfRun === 0;
  rows.push({
    metric: 'cleanup: containers of this run left',
    value: `${left.runLabelled + left.managedOfRun}`,
    target: '0',
    pass: clean,
  });
  json.cleanup = {
    ...left,
    note: 'managedOther = com.taskdeck.managed=true containers not started by this run (other processes)',
  };
  json.clockDriftMs = round(clockDriftMs(), 2);
  json.rows = rows;
  json.failed = failed?.message;

  console.log(formatTable(rows));
  if (left.managedOther > 0)
    console.log(
      `note: ${left.managedOther} com.taskdeck.managed=true container(s) belong to other processes, not this run`,
    );
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results.json');
  // Formatted like the rest of the repo so `npm run format:check` stays green.
  await writeFile(out, await format(JSON.stringify(json), { ...(await resolveConfig(out)), parser: 'json' }));
  console.log(`wrote ${out}`);
  return failed || !clean ? 1 : 0;
}

process.exitCode = await main();
