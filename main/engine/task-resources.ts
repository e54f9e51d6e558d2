/**
 * Task-scoped Docker resources other than the app containers: volumes, the awsvpc network and its
 * pause container; and the one cleanup path that removes everything a task owns, found by label
 * (so it also works for re-adopted tasks and after partial failures).
 */
import type Docker from '../docker/docker-client.js';
import type { Attachment } from '../../contract/dto.js';
import type { TaskDefinition } from '../task-definition/model.js';
import { toPauseContainerOptions } from './container-config.js';
import { LABEL_TASK_ID, PAUSE_CONTAINER_NAME, taskLabels, type TaskLabelInput } from './labels.js';

const LABEL_VOLUME_SCOPE = 'com.taskdeck.volume-scope';

export interface ProvisionedResources {
  /** Task volume name → bind source (host path or docker volume name). */
  readonly volumeSources: Map<string, string>;
  readonly networkName?: string;
  readonly networkId?: string;
  readonly pauseContainerId?: string;
  readonly attachment?: Attachment;
  readonly privateIp?: string;
}

/** Short docker-safe prefix for a task's resources. */
export function resourcePrefix(family: string, taskId: string): string {
  return `taskdeck-${family.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 40)}-${taskId.slice(0, 12)}`;
}

/** Creates task volumes (and shared ones with autoprovision) and, for awsvpc, the network + pause container. */
export async function provisionTaskResources(
  docker: Docker,
  def: TaskDefinition,
  task: TaskLabelInput,
  opts: { pauseImage: string; extraHosts: readonly string[]; publishAddress?: string },
): Promise<ProvisionedResources> {
  const prefix = resourcePrefix(def.family, task.taskId);
  const volumeSources = new Map<string, string>();
  for (const v of def.volumes) {
    const dvc = v.dockerVolumeConfiguration;
    if (v.host?.sourcePath) {
      volumeSources.set(v.name, v.host.sourcePath);
    } else if (dvc?.scope === 'shared') {
      const exists = await docker
        .getVolume(v.name)
        .inspect()
        .then(
          () => true,
          () => false,
        );
      if (!exists) {
        if (!dvc.autoprovision) {
          throw new Error(
            `ResourceInitializationError: shared volume '${v.name}' does not exist and autoprovision is false`,
          );
        }
        await docker.createVolume({
          Name: v.name,
          ...(dvc.driver ? { Driver: dvc.driver } : {}),
          DriverOpts: { ...dvc.driverOpts },
          Labels: { ...dvc.labels, 'com.taskdeck.managed': 'true', [LABEL_VOLUME_SCOPE]: 'shared' },
        });
      }
      volumeSources.set(v.name, v.name);
    } else {
      const name = `${prefix}-${v.name.replace(/[^a-zA-Z0-9_.-]/g, '-')}`;
      await docker.createVolume({
        Name: name,
        ...(dvc?.driver ? { Driver: dvc.driver } : {}),
        DriverOpts: { ...(dvc?.driverOpts ?? {}) },
        Labels: { ...(dvc?.labels ?? {}), ...taskLabels(task, 'volume'), [LABEL_VOLUME_SCOPE]: 'task' },
      });
      volumeSources.set(v.name, name);
    }
  }
  if (def.networkMode !== 'awsvpc') return { volumeSources };

  const networkName = prefix;
  const network = await docker.createNetwork({
    Name: networkName,
    Driver: 'bridge',
    CheckDuplicate: true,
    Labels: taskLabels(task, 'network'),
  });
  const pause = await docker.createContainer(
    toPauseContainerOptions(def, {
      dockerName: `${prefix}-pause`,
      image: opts.pauseImage,
      networkName,
      labels: taskLabels(task, 'pause', PAUSE_CONTAINER_NAME),
      extraHosts: opts.extraHosts,
      ...(opts.publishAddress ? { publishAddress: opts.publishAddress } : {}),
    }),
  );
  try {
    await pause.start();
  } catch (err) {
    throw new Error(`CannotStartContainerError: task network namespace: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const info = await pause.inspect();
  const net = info.NetworkSettings.Networks[networkName];
  const netInfo = (await docker.getNetwork(network.id).inspect()) as {
    IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] };
  };
  const subnet = netInfo.IPAM?.Config?.[0]?.Subnet ?? '';
  const ip = net?.IPAddress ?? '';
  const eniId = `eni-${task.taskId.slice(0, 17)}`;
  const attachment: Attachment = {
    id: `${task.taskId.slice(0, 8)}-${task.taskId.slice(8, 12)}-${task.taskId.slice(12, 16)}-${task.taskId.slice(16, 20)}-${task.taskId.slice(20, 32)}`,
    type: 'ElasticNetworkInterface',
    status: 'ATTACHED',
    details: [
      { name: 'subnetId', value: `subnet-${network.id.slice(0, 17)}` },
      { name: 'networkInterfaceId', value: eniId },
      { name: 'macAddress', value: net?.MacAddress ?? '' },
      { name: 'privateDnsName', value: `ip-${ip.replace(/\./g, '-')}.ec2.internal` },
      { name: 'privateIPv4Address', value: ip },
      { name: 'subnetCidrBlock', value: subnet },
      {
        name: 'subnetGatewayIpv4Address',
        value: net?.Gateway ? `${net.Gateway}/${subnet.split('/')[1] ?? ''}` : '',
      },
    ],
  };
  return {
    volumeSources,
    networkName,
    networkId: network.id,
    pauseContainerId: pause.id,
    attachment,
    privateIp: ip,
  };
}

/** What a cleanup removed (for tests and the log). */
export interface CleanupReport {
  containers: number;
  networks: number;
  volumes: number;
  errors: string[];
}

/**
 * Removes every container, network and task-scoped volume labelled with the task id.
 * Shared volumes are never removed. Safe to call repeatedly.
 */
export async function removeTaskResources(docker: Docker, taskId: string): Promise<CleanupReport> {
  const report: CleanupReport = { containers: 0, networks: 0, volumes: 0, errors: [] };
  const filter = { label: [`${LABEL_TASK_ID}=${taskId}`] };
  const containers = await docker.listContainers({ all: true, filters: filter });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .then(() => void report.containers++)
        .catch((err: { statusCode?: number; message: string }) => {
          if (err.statusCode !== 404 && err.statusCode !== 409) report.errors.push(err.message);
        }),
    ),
  );
  const networks = await docker.listNetworks({ filters: filter });
  for (const n of networks) {
    await docker
      .getNetwork(n.Id)
      .remove()
      .then(() => void report.networks++)
      .catch((err: { statusCode?: number; message: string }) => {
        if (err.statusCode !== 404) report.errors.push(err.message);
      });
  }
  const { Volumes } = await docker.listVolumes({
    filters: { label: [...filter.label, `${LABEL_VOLUME_SCOPE}=task`] },
  });
  for (const v of Volumes ?? []) {
    await docker
      .getVolume(v.Name)
      .remove()
      .then(() => void report.volumes++)
      .catch((err: { statusCode?: number; message: string }) => {
        if (err.statusCode !== 404) report.errors.push(err.message);
      });
  }
  return report;
}

/** How many containers, networks and task-scoped volumes Docker still has for the task. */
export async function taskResourcesLeft(docker: Docker, taskId: string): Promise<number> {
  const filter = { label: [`${LABEL_TASK_ID}=${taskId}`] };
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters: filter }),
    docker.listNetworks({ filters: filter }),
    docker.listVolumes({ filters: { label: [...filter.label, `${LABEL_VOLUME_SCOPE}=task`] } }),
  ]);
  return containers.length + networks.length + (volumes.Volumes?.length ?? 0);
}
