/**
 * A task record rebuilt from its containers' Docker labels, for a task whose record was lost or
 * damaged while its containers kept running: without it they would run on unseen. The definition
 * is what the containers tell (family, revision, names, images; every container essential); the
 * rest of the state is recovered by the usual re-adoption (runner-adopt.ts).
 */
import type Docker from '../docker/docker-client.js';
import { parseTaskDefinition } from '../task-definition/parse-task-definition.js';
import {
  ECS_LABEL_CLUSTER,
  ECS_LABEL_CONTAINER_NAME,
  ECS_LABEL_FAMILY,
  ECS_LABEL_TASK_ARN,
  ECS_LABEL_VERSION,
  LABEL_DATA_DIR,
  LABEL_GROUP,
  LABEL_MANAGED,
  LABEL_OWNER_KIND,
  LABEL_ROLE,
  LABEL_STARTED_BY,
  LABEL_TASK_ID,
} from './labels.js';
import { currentProcess, livenessOf, ownerOf, type ProcessProbe } from './owner.js';
import type { ContainerRuntime, TaskRuntime } from './task-runtime.js';

/** Family used when even the family label is missing. */
export const UNKNOWN_FAMILY = 'unknown-definition';

/**
 * The record of one task from the inspect results of its containers (app and pause), or undefined
 * when they do not name one task with at least one app container.
 */
export function recordFromLabels(
  infos: readonly Docker.ContainerInspectInfo[],
  logSeq: number,
): TaskRuntime | undefined {
  const first = infos[0]?.Config.Labels ?? {};
  const taskId = first[LABEL_TASK_ID];
  const taskArn = first[ECS_LABEL_TASK_ARN];
  // FARGATE tasks carry the cluster ARN in the label, EC2 ones its short name (as the agent does).
  const clusterLabel = first[ECS_LABEL_CLUSTER];
  if (!taskId || !taskArn || !clusterLabel || !taskArn.includes(':task/')) return undefined;
  const fargate = clusterLabel.startsWith('arn:');
  const clusterArn = fargate
    ? clusterLabel
    : `${taskArn.slice(0, taskArn.indexOf(':task/'))}:cluster/${clusterLabel}`;
  if (infos.some((i) => i.Config.Labels[LABEL_TASK_ID] !== taskId)) return undefined;
  const apps = infos
    .filter((i) => i.Config.Labels[LABEL_ROLE] === 'app' && i.Config.Labels[ECS_LABEL_CONTAINER_NAME])
    .sort((a, b) => a.Created.localeCompare(b.Created));
  if (apps.length === 0) return undefined;
  const pause = infos.find((i) => i.Config.Labels[LABEL_ROLE] === 'pause');
  const family = first[ECS_LABEL_FAMILY] || UNKNOWN_FAMILY;
  const revision = Number(first[ECS_LABEL_VERSION]) || 1;
  const hostMode = apps.some((i) => i.HostConfig.NetworkMode === 'host');
  const parsed = parseTaskDefinition(
    JSON.stringify({
      family,
      networkMode: pause ? 'awsvpc' : hostMode ? 'host' : 'bridge',
      containerDefinitions: apps.map((i) => ({
        name: i.Config.Labels[ECS_LABEL_CONTAINER_NAME],
        image: i.Config.Image,
        essential: true,
        // The real values are unknown (the containers exist already); ECS requires one on EC2.
        memoryReservation: 6,
      })),
    }),
  );
  if (!parsed.ok) return undefined;
  const definition = { ...parsed.taskDefinition, revision };
  const containerArnBase = taskArn.replace(':task/', ':container/');
  const containers: ContainerRuntime[] = definition.containerDefinitions.map((def, n) => ({
    name: def.name,
    def,
    containerArn: `${containerArnBase}/${def.name}`,
    dockerName: apps[n]!.Name.replace(/^\//, ''),
    dockerId: apps[n]!.Id,
    createdAt: apps[n]!.Created,
    phase: 'CREATED',
    phases: [],
    health: 'UNKNOWN',
    waits: [],
    probes: [],
    networkBindings: [],
  }));
  return {
    taskId,
    taskArn,
    clusterArn,
    taskDefinitionArn: `${taskArn.slice(0, taskArn.indexOf(':task/'))}:task-definition/${family}:${revision}`,
    definition,
    pullBehavior: 'default',
    keep: false,
    group: apps[0]!.Config.Labels[LABEL_GROUP] || `family:${family}`,
    ...(apps[0]!.Config.Labels[LABEL_STARTED_BY]
      ? { startedBy: apps[0]!.Config.Labels[LABEL_STARTED_BY] }
      : {}),
    launchType: fargate ? 'FARGATE' : 'EC2',
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    createdAt: apps[0]!.Created,
    version: 0,
    attachments: [],
    ...(pause ? { pauseContainerId: pause.Id } : {}),
    volumeSources: {},
    provisioned: true,
    containers,
    logSeq,
    recoveredFromLabels: true,
  };
}

/**
 * Containers of this data dir's tasks that have no record (`known` lists the recorded task ids),
 * grouped by task. Only tasks an app or `web` started whose owner is gone: a live owner's tasks
 * are never taken over, and a dead `taskdeck run`'s are orphans for `taskdeck gc`.
 */
export async function findUnrecordedTasks(
  docker: Docker,
  dataDir: string,
  known: ReadonlySet<string>,
  probe?: ProcessProbe,
): Promise<Map<string, Docker.ContainerInspectInfo[]>> {
  const found = await docker.listContainers({
    all: true,
    filters: { label: [`${LABEL_MANAGED}=true`, `${LABEL_DATA_DIR}=${dataDir}`] },
  });
  const byTask = new Map<string, Docker.ContainerInspectInfo[]>();
  const me = currentProcess(probe);
  for (const c of found) {
    const taskId = c.Labels[LABEL_TASK_ID];
    const role = c.Labels[LABEL_ROLE];
    if (!taskId || known.has(taskId) || (role !== 'app' && role !== 'pause')) continue;
    if (c.Labels[LABEL_OWNER_KIND] === 'run') continue;
    const owner = ownerOf(c.Labels);
    // Ours (an earlier engine of this process, e.g. before a Docker reconnect) or gone: adopt.
    const ours = owner && owner.pid === me.pid && owner.startTime === me.startTime && owner.host === me.host;
    if (!owner || (!ours && livenessOf(owner, probe) !== 'gone')) continue;
    const info = await docker
      .getContainer(c.Id)
      .inspect()
      .catch(() => undefined);
    if (!info) continue;
    byTask.set(taskId, [...(byTask.get(taskId) ?? []), info]);
  }
  return byTask;
}
