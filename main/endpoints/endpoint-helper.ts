/**
 * Makes 169.254.170.2:80 answer inside a task's network namespace without touching the host's
 * network or the task's own ports.
 *
 * Per task, one long-lived *proxy* container (own namespace, on the default bridge and on each
 * task network) owns 169.254.170.2 on its `lo` and relays every TCP connection on port 80 to the
 * endpoint server on the host (BusyBox `nc`, one fork per connection). For each namespace the
 * engine attaches, a short-lived *route* container joins that namespace (`container:<id>`,
 * NET_ADMIN), adds `169.254.170.2/32 via <proxy ip>`, and proves the path end to end by fetching
 * the server's ping through it before exiting. Nothing listens inside the task's namespace, so
 * an app binding 0.0.0.0:80 is unaffected. Only BusyBox (`sh`, `ip`, `nc`, `wget`) is needed.
 */
import { randomBytes } from 'node:crypto';
import type Docker from '../docker/docker-client.js';
import { PING_BODY, PING_PATH } from './endpoint-server.js';
import { GATE_HELPER_DIR, gateMarker, gateScript, gateSetupScript } from './endpoint-gate.js';

/** The link-local address the AWS SDKs use for container credentials. */
export const ENDPOINT_ADDRESS = '169.254.170.2';
/** Name the proxy resolves to the host when the target host is `host-gateway`. */
const HOST_ALIAS = 'taskdeck-host';

export const LABEL_MANAGED = 'com.taskdeck.managed';
export const LABEL_ROLE = 'com.taskdeck.role';
export const LABEL_TASK_ID = 'com.taskdeck.task-id';
export const HELPER_ROLE = 'endpoint-helper';
const LABEL_KIND = 'com.taskdeck.helper-kind';

/** How helpers are made. */
export interface HelperOptions {
  readonly docker: Docker;
  readonly image: string;
  readonly taskId: string;
  /** Where the proxy connects: `host-gateway` (Docker's host alias), a host name or an IP. */
  readonly targetHost: string;
  readonly targetPort: number;
  readonly labels: Readonly<Record<string, string>>;
  /** Pulls the image if it is missing (shared across tasks). */
  readonly ensureImage: () => Promise<void>;
  /** How long one attach may take end to end (ms). */
  readonly attachTimeoutMs?: number;
  /**
   * Told every address the proxy has (its default-bridge address once it runs, then one per
   * joined network) before any request can come from it: the server knows the task by it.
   */
  readonly onAddress?: (ip: string) => void;
}

/**
 * The proxy's script. BusyBox ships two `nc` flavours: the small one takes `-ll` for a
 * persistent server and uses the number of `-l` as the listen backlog (one `-l` would drop
 * bursts of concurrent connections), the nc-1.10-compatible one takes `-lk`.
 */
export function proxyScript(): string {
  const manyL = `-${'l'.repeat(64)}`;
  return [
    `ip addr add ${ENDPOINT_ADDRESS}/32 dev lo 2>/dev/null || ip addr show dev lo | grep -q '${ENDPOINT_ADDRESS}/' || exit 1`,
    `printf '#!/bin/sh\\nexec nc %s %s\\n' "$TASKDECK_TARGET_HOST" "$TASKDECK_TARGET_PORT" > /tmp/taskdeck-forward`,
    'chmod 755 /tmp/taskdeck-forward',
    'echo taskdeck-endpoint-proxy-ready',
    `if nc --help 2>&1 | grep -q -- '-ll'; then exec nc ${manyL} -p 80 -e /tmp/taskdeck-forward; fi`,
    'exec nc -lk -p 80 -e /tmp/taskdeck-forward',
  ].join('\n');
}

/**
 * The route container's script: add the route, then wait until the server answers through it.
 * With a start gate (endpoint-gate.ts) it then releases the app by dropping its marker — also on
 * failure, so a broken attach delays the app by no more than the attempt.
 */
export function routeScript(proxyIp: string, gated = false): string {
  const release = gated ? `trap 'touch "${GATE_HELPER_DIR}/ready/$TASKDECK_GATE_MARKER"' EXIT` : ':';
  return [
    release,
    `ip route replace ${ENDPOINT_ADDRESS}/32 via ${proxyIp} || exit 1`,
    'i=0',
    'while [ $i -lt 100 ]; do',
    `  if wget -q -O - http://${ENDPOINT_ADDRESS}${PING_PATH} 2>/dev/null | grep -q ${PING_BODY}; then exit 0; fi`,
    '  i=$((i+1)); sleep 0.1',
    'done',
    `echo "no answer from http://${ENDPOINT_ADDRESS}${PING_PATH} through ${proxyIp}" >&2`,
    'exit 2',
  ].join('\n');
}

function isNotFound(err: unknown): boolean {
  const code = (err as { statusCode?: number }).statusCode;
  return code === 404 || code === 409;
}

/** The helpers of one task. Not safe for concurrent attach — callers serialise (see TaskHelpers.attach). */
export class TaskHelpers {
  private proxy: Promise<Docker.Container> | undefined;
  private gate: Promise<string> | undefined;
  private readonly joined = new Map<string, Promise<string>>();
  private chain: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(private readonly o: HelperOptions) {}

  private labels(kind: 'proxy' | 'route'): Record<string, string> {
    return {
      ...this.o.labels,
      [LABEL_MANAGED]: 'true',
      [LABEL_ROLE]: HELPER_ROLE,
      [LABEL_TASK_ID]: this.o.taskId,
      [LABEL_KIND]: kind,
    };
  }

  /** Makes 169.254.170.2 answer in the namespace of `networkContainerId`. Serialised per task. */
  attach(networkContainerId: string): Promise<void> {
    const run = this.chain.then(() => this.attachNow(networkContainerId));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async attachNow(networkContainerId: string): Promise<void> {
    if (this.disposed) throw new Error('task endpoints already disposed');
    const docker = this.o.docker;
    let info = await docker.getContainer(networkContainerId).inspect();
    const mode = info.HostConfig?.NetworkMode ?? '';
    if (mode.startsWith('container:'))
      info = await docker.getContainer(mode.slice('container:'.length)).inspect();
    const ownerMode = info.HostConfig?.NetworkMode ?? '';
    if (ownerMode === 'host' || ownerMode === 'none') return;
    if (!info.State.Running)
      throw new Error(`container ${info.Id.slice(0, 12)} is not running; its namespace is gone`);
    const nets = info.NetworkSettings?.Networks ?? {};
    const netName = Object.keys(nets).sort()[0];
    const net = netName ? nets[netName] : undefined;
    if (!netName || !net?.NetworkID)
      throw new Error(`container ${info.Id.slice(0, 12)} has no network to route through`);
    await this.o.ensureImage();
    const proxyIp = await this.joinNetwork(net.NetworkID);
    const gate = this.gate ? await this.gate.catch(() => undefined) : undefined;
    await this.addRoute(info.Id, proxyIp, gate ? { volume: gate, marker: gateMarker(info.Name) } : undefined);
  }

  /**
   * Bridge mode, before any app container is created: the task's gate volume (endpoint-gate.ts),
   * and the proxy already running so each container's route follows its start at once.
   * Resolves to the volume name.
   */
  prepareGate(): Promise<string> {
    this.gate ??= (async () => {
      const docker = this.o.docker;
      await this.o.ensureImage();
      const volume = `taskdeck-gate-${this.o.taskId}`;
      await docker.createVolume({
        Name: volume,
        Labels: {
          ...this.labels('route'),
          [LABEL_KIND]: 'gate',
          // Removed with the task's own volumes too (engine/task-resources.ts).
          'com.taskdeck.volume-scope': 'task',
        },
      });
      const setup = await docker.createContainer({
        name: `taskdeck-endpoints-${this.o.taskId}-gate-${randomBytes(3).toString('hex')}`,
        Image: this.o.image,
        Entrypoint: ['sh', '-c'],
        Cmd: [gateSetupScript()],
        Env: [`TASKDECK_GATE_SCRIPT=${gateScript()}`],
        Labels: this.labels('route'),
        HostConfig: {
          NetworkMode: 'none',
          Binds: [`${volume}:${GATE_HELPER_DIR}`],
          RestartPolicy: { Name: 'no' },
        },
      });
      try {
        await setup.start();
        const { StatusCode } = (await setup.wait()) as { StatusCode: number };
        if (StatusCode !== 0) {
          const logs = demuxLogs(await setup.logs({ stdout: true, stderr: true }));
          throw new Error(
            `start gate setup with ${this.o.image} exited ${StatusCode}: ${logs.trim().slice(-300)}`,
          );
        }
      } finally {
        await setup.remove({ force: true }).catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        });
      }
      await this.ensureProxy();
      return volume;
    })();
    return this.gate;
  }

  private ensureProxy(): Promise<Docker.Container> {
    this.proxy ??= (async () => {
      const docker = this.o.docker;
      // A proxy left by an earlier run of the engine (it crashed or was killed before disposing)
      // relays to that run's server: replace it, so a re-adopted task has exactly one proxy.
      await removeHelpers(docker, { [LABEL_TASK_ID]: this.o.taskId, [LABEL_KIND]: 'proxy' });
      const gatewayAlias = this.o.targetHost === 'host-gateway';
      const container = await docker.createContainer({
        name: `taskdeck-endpoints-${this.o.taskId}-${randomBytes(3).toString('hex')}`,
        Image: this.o.image,
        Entrypoint: ['sh', '-c'],
        Cmd: [proxyScript()],
        Env: [
          `TASKDECK_TARGET_HOST=${gatewayAlias ? HOST_ALIAS : this.o.targetHost}`,
          `TASKDECK_TARGET_PORT=${this.o.targetPort}`,
        ],
        Labels: this.labels('proxy'),
        HostConfig: {
          NetworkMode: 'bridge',
          CapAdd: ['NET_ADMIN'],
          ...(gatewayAlias ? { ExtraHosts: [`${HOST_ALIAS}:host-gateway`] } : {}),
          RestartPolicy: { Name: 'no' },
          LogConfig: { Type: 'json-file', Config: { 'max-size': '1m' } },
        },
      });
      await container.start();
      const nets = (await container.inspect()).NetworkSettings.Networks;
      for (const n of Object.values(nets)) if (n.IPAddress) this.o.onAddress?.(n.IPAddress);
      return container;
    })();
    return this.proxy;
  }

  /** The proxy's IP on the network (connecting it first if needed). */
  private joinNetwork(networkId: string): Promise<string> {
    let ip = this.joined.get(networkId);
    if (!ip) {
      ip = (async () => {
        const proxy = await this.ensureProxy();
        const find = async (): Promise<string | undefined> => {
          const nets = (await proxy.inspect()).NetworkSettings.Networks;
          return Object.values(nets).find((n) => n.NetworkID === networkId)?.IPAddress || undefined;
        };
        let addr = await find();
        if (!addr) {
          await this.o.docker.getNetwork(networkId).connect({ Container: proxy.id });
          addr = await find();
        }
        if (!addr) throw new Error(`endpoint proxy got no address on network ${networkId.slice(0, 12)}`);
        this.o.onAddress?.(addr);
        return addr;
      })();
      this.joined.set(networkId, ip);
      ip.catch(() => this.joined.delete(networkId));
    }
    return ip;
  }

  private async addRoute(
    ownerId: string,
    proxyIp: string,
    gate?: { volume: string; marker: string },
  ): Promise<void> {
    const docker = this.o.docker;
    const container = await docker.createContainer({
      name: `taskdeck-endpoints-${this.o.taskId}-route-${randomBytes(3).toString('hex')}`,
      Image: this.o.image,
      Entrypoint: ['sh', '-c'],
      Cmd: [routeScript(proxyIp, gate !== undefined)],
      ...(gate ? { Env: [`TASKDECK_GATE_MARKER=${gate.marker}`] } : {}),
      Labels: this.labels('route'),
      HostConfig: {
        NetworkMode: `container:${ownerId}`,
        CapAdd: ['NET_ADMIN'],
        RestartPolicy: { Name: 'no' },
        ...(gate ? { Binds: [`${gate.volume}:${GATE_HELPER_DIR}`] } : {}),
      },
    });
    const timeoutMs = this.o.attachTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await container.start();
      const waited = container.wait() as Promise<{ StatusCode: number }>;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`route setup timed out after ${timeoutMs} ms`)), timeoutMs);
      });
      const { StatusCode } = await Promise.race([waited, timedOut]);
      if (StatusCode !== 0) {
        const logs = demuxLogs(await container.logs({ stdout: true, stderr: true }));
        throw new Error(`route setup exited ${StatusCode}: ${logs.trim().slice(-500)}`);
      }
    } finally {
      if (timer) clearTimeout(timer);
      await container.remove({ force: true }).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
    }
  }

  /** Removes every helper of this task (idempotent). */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.chain.catch(() => undefined);
    await removeHelpers(this.o.docker, { [LABEL_TASK_ID]: this.o.taskId });
    if (this.gate) {
      // App containers may still hold it (the engine removes them, then the task's volumes).
      await this.o.docker
        .getVolume(`taskdeck-gate-${this.o.taskId}`)
        .remove()
        .catch(() => undefined);
    }
  }
}

/** Removes helper containers matching the labels (all tasks' when none given). */
export async function removeHelpers(
  docker: Docker,
  labels: Readonly<Record<string, string>> = {},
): Promise<void> {
  const filters = [`${LABEL_ROLE}=${HELPER_ROLE}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)];
  const list = await docker.listContainers({ all: true, filters: { label: filters } });
  await Promise.all(
    list.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        }),
    ),
  );
}

/** Docker multiplexes non-TTY logs in frames (8-byte header: stream, 0, 0, 0, size BE32). */
function demuxLogs(raw: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const size = raw.readUInt32BE(at + 4);
    parts.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}
