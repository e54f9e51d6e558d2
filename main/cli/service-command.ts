/**
 * `taskdeck service up FILE`: runs an ECS service (create-service JSON) in the foreground with its
 * local load balancer. Contract:
 *  - readable lines on stderr (service events, task states, target health, deployments);
 *  - `--json` → stdout carries only JSON Lines: Task State Change events, ECS Service Action /
 *    Deployment State Change events, and `{"type":"serviceEvent"|"targetHealth"|"deployment",…}`;
 *  - exit 2 on invalid input (JSON paths named, nothing created); 130 after SIGINT/SIGTERM once
 *    every target is drained, every task stopped and every listener closed; a second signal kills
 *    the tasks that are left (then cleans up the same way).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { connectDocker } from '../docker/connect.js';
import { resolveDockerConnection } from '../docker/connection.js';
import { resolveIdentity } from '../aws/local-identity.js';
import { createEngineRuntime } from '../launch/create-engine-runtime.js';
import { onDataWarning } from '../store/data-warnings.js';
import { createLocalLoadBalancer } from '../ecs-service/load-balancer/local-load-balancer.js';
import { createServiceManager } from '../ecs-service/service-manager.js';
import { accountArg, regionArg } from './identity-args.js';
import { warnAboutOrphans } from './gc-command.js';
import { EXIT_FAILED_TO_START, EXIT_INTERRUPTED } from './run-command.js';
import { readServiceInput } from './service-input.js';
import { terminalSafe } from './terminal-safe.js';
import { EXIT_INVALID } from './validate-command.js';

interface ServiceUpOptions {
  targetGroup?: string[];
  listen?: string[];
  deregistrationDelay?: number;
  json?: boolean;
  dataDir?: string;
  cluster?: string;
  region?: string;
  account?: string;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];
const seconds = (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 3600) throw new InvalidArgumentError('expected whole seconds from 0 to 3600');
  return n;
};

/** Registers `service up`. */
export function registerServiceCommand(program: Command): void {
  const service = program
    .command('service')
    .description('run ECS services (desired count, deployments, a local load balancer)');
  service
    .command('up')
    .description(
      'run a service (aws ecs create-service --cli-input-json) in the foreground; Ctrl-C drains and removes it',
    )
    .argument('<file>', 'create-service JSON; taskDefinition may be a task-definition file relative to it')
    .option('--target-group <file>', 'aws elbv2 create-target-group JSON (repeatable)', collect)
    .option('--listen <name=port>', "move a target group's listener to 127.0.0.1:PORT (repeatable)", collect)
    .option(
      '--deregistration-delay <seconds>',
      'override deregistration_delay.timeout_seconds of every target group',
      seconds,
    )
    .option('--json', 'print JSON Lines on stdout (task, service, deployment and target-health changes)')
    .option('--data-dir <dir>', 'keep service and task records here (default: a temporary folder)')
    .option('--cluster <name>', 'cluster name used in ARNs', 'default')
    .option('--region <region>', 'region in ARNs (default: your AWS config, else us-east-1)', regionArg)
    .option(
      '--account <id>',
      'account id in ARNs (default: your caller identity, else 000000000000)',
      accountArg,
    )
    .action(async (file: string, opts: ServiceUpOptions) => {
      process.exitCode = await serviceUp(file, opts);
    });
}

async function serviceUp(file: string, opts: ServiceUpOptions): Promise<number> {
  const err = (s: string) => process.stderr.write(s);
  const out = (value: unknown) => opts.json && process.stdout.write(`${JSON.stringify(value)}\n`);
  const identity = await resolveIdentity({ region: opts.region, account: opts.account });
  const read = await readServiceInput(file, { ...opts, region: identity.region, account: identity.account });
  if (!read.ok) {
    err(read.message);
    return EXIT_INVALID;
  }
  for (const w of read.warnings) err(`taskdeck: warning:${w}\n`);
  const { input } = read;
  const name = input.service.serviceName;

  let docker;
  try {
    ({ docker } = await connectDocker(resolveDockerConnection(process.env)));
  } catch (e) {
    err(`taskdeck: ${(e as Error).message}\n`);
    return EXIT_FAILED_TO_START;
  }
  process.stdout.on('error', () => {});
  const offWarnings = onDataWarning((w) => err(`taskdeck: warning: ${terminalSafe(w.message)}\n`));
  // Like `run`: leftovers of killed runs are said once, never adopted (gc-command.ts).
  await warnAboutOrphans(docker, err);
  const tempDir = opts.dataDir ? undefined : await mkdtemp(join(tmpdir(), 'taskdeck-service-'));
  const dataDir = opts.dataDir ?? tempDir!;
  const runtime = await createEngineRuntime({
    docker,
    dataDir,
    cluster: opts.cluster ?? 'default',
    owner: { kind: 'run', tempDataDir: tempDir !== undefined },
    region: identity.region,
    account: identity.account,
  });
  const engine = runtime.engine;
  const loadBalancer = createLocalLoadBalancer();
  const manager = await createServiceManager({
    engine,
    loadBalancer,
    dataDir,
    region: identity.region,
    account: identity.account,
    clusterName: opts.cluster ?? 'default',
  });

  const seen = new Map<string, string>();
  const offs = [
    engine.on('event', (event, task) => {
      if (task.group !== `service:${name}`) return;
      out(event);
      if (seen.get(task.taskId) === task.lastStatus) return;
      seen.set(task.taskId, task.lastStatus);
      err(
        `taskdeck: task ${task.taskId} ${task.lastStatus}${task.stoppedReason ? ` (${terminalSafe(task.stoppedReason)})` : ''}\n`,
      );
    }),
    manager.on('serviceEvent', (svc, message, at) => {
      out({ type: 'serviceEvent', serviceName: svc, message, createdAt: at });
      err(`taskdeck: ${terminalSafe(message)}\n`);
    }),
    manager.on('action', (event) => out(event)),
    manager.on('changed', (view) => {
      for (const d of view.deployments) {
        const key = `${d.status}|${d.rolloutState}|${d.runningCount}|${d.waitingFor ?? ''}`;
        if (seen.get(d.id) === key) continue;
        seen.set(d.id, key);
        out({ type: 'deployment', serviceName: view.serviceName, deployment: d });
        if (d.waitingFor && d.rolloutState === 'IN_PROGRESS')
          err(`taskdeck: deployment ${d.id} waiting for: ${terminalSafe(d.waitingFor)}\n`);
      }
    }),
    loadBalancer.on('targetHealth', (change) => {
      out({ type: 'targetHealth', ...change });
      const why = change.description ? ` (${terminalSafe(change.description)})` : '';
      err(
        `taskdeck: target ${change.target.host}:${change.target.port} of task ${change.target.taskId} ${change.state}${why}\n`,
      );
    }),
  ];

  let signals = 0;
  let stopRequested: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  // A second signal: stop waiting for draining; kill the tasks and wait only for them to be gone.
  let killed: () => void = () => {};
  const escalated = new Promise<void>((resolve) => (killed = resolve));
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      err(
        `taskdeck: ${sig} received: draining targets and stopping the service's tasks (${sig} again to kill them)\n`,
      );
      stopRequested();
    } else {
      err(`taskdeck: ${sig} received again: killing the service's tasks without waiting for draining\n`);
      const left = engine
        .listTasks()
        .filter((t) => t.group === `service:${name}` && t.lastStatus !== 'STOPPED');
      for (const t of left)
        engine.stopTask(t.taskId, `Interrupted (${sig})`, { force: true }).catch(() => undefined);
      Promise.all(left.map((t) => engine.waitForStopped(t.taskId)))
        .catch(() => undefined)
        .finally(killed);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let status = EXIT_INTERRUPTED;
  try {
    const existing = manager.describeService(name);
    if (existing) {
      err(`taskdeck: continuing service ${name} recorded in ${terminalSafe(dataDir)}\n`);
      await manager.updateService(name, { desiredCount: input.service.desiredCount });
    } else {
      const view = await manager.createService(input);
      for (const g of view.targetGroups)
        err(`taskdeck: target group ${g.targetGroupName} listening on http://${g.listenerAddress ?? '?'}\n`);
    }
    await stopped;
  } catch (e) {
    err(`taskdeck: ${terminalSafe((e as Error).message)}\n`);
    status = 1;
  } finally {
    if (manager.describeService(name)) {
      const deleted = manager
        .deleteService(name)
        .catch((e: unknown) => err(`taskdeck: ${terminalSafe((e as Error).message)}\n`));
      await Promise.race([deleted, escalated]);
    }
    for (const off of offs) off();
    offWarnings();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await manager.close();
    await loadBalancer.close();
    await runtime.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
  return status;
}
