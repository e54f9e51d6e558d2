/**
 * An in-memory Docker daemon behind the `DockerClient` seam, for fast unit tests of the engine:
 * containers with a state machine (create → start → die → destroy), networks, volumes, images, the
 * label-filtered event stream with `since` replay, and fault injection — errors on the next calls
 * of an operation, calls held until released or delayed, a disconnected daemon (every call fails,
 * event streams break) and held events released in another order.
 *
 * What it does not model: exec (rejects), log content beyond `writeLog`, stats samples, health
 * checks (use `emit` for `health_status` events), port publishing.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import type {
  DockerClient,
  DockerContainerHandle,
  DockerModemHelpers,
  DockerNetworkHandle,
  DockerVolumeHandle,
} from './docker-client.js';
import type { DockerEvent } from './docker-events.js';

/** Operations faults can target. */
export type FakeOp =
  | 'createContainer'
  | 'start'
  | 'stop'
  | 'kill'
  | 'remove'
  | 'inspect'
  | 'logs'
  | 'stats'
  | 'pull'
  | 'imageInspect'
  | 'imageTag'
  | 'buildImage'
  | 'ping'
  | 'createNetwork'
  | 'networkInspect'
  | 'networkRemove'
  | 'createVolume'
  | 'volumeInspect'
  | 'volumeRemove'
  | 'listContainers'
  | 'listNetworks'
  | 'listVolumes'
  | 'getEvents';

/** A container as the fake daemon keeps it. */
export interface FakeContainer {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly labels: Record<string, string>;
  readonly options: Dockerode.ContainerCreateOptions;
  state: 'created' | 'running' | 'exited';
  exitCode: number;
  oomKilled: boolean;
  startedAt: string;
  finishedAt: string;
  /** Exit code a `docker stop` produces (default 143: the process honoured SIGTERM). */
  stopExitCode: number;
  readonly logStreams: Set<PassThrough>;
  readonly statStreams: Set<PassThrough>;
}

interface Fault {
  readonly op: FakeOp;
  readonly target: string | undefined;
  remaining: number;
  readonly error?: () => Error;
  readonly gate?: Promise<void>;
  readonly ms?: number;
}

/** An error shaped like docker-modem's (`statusCode`, `json.message`). */
export function dockerError(statusCode: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) error - ${message}`), {
    statusCode,
    json: { message },
  });
}

/** What a client sees when the daemon's socket is gone. */
export function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), {
    code: 'ECONNREFUSED',
    errno: -111,
  });
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export class FakeDocker implements DockerClient {
  readonly containers = new Map<string, FakeContainer>();
  readonly networks = new Map<string, { id: string; name: string; labels: Record<string, string> }>();
  readonly volumes = new Map<string, { name: string; labels: Record<string, string> }>();
  readonly images = new Map<string, { Id: string; RepoDigests: string[] }>();
  /** Every call, in order: `op target`. */
  readonly calls: string[] = [];
  private readonly faults: Fault[] = [];
  private readonly callWaiters: { op: FakeOp; resolve: () => void }[] = [];
  private readonly eventLog: DockerEvent[] = [];
  private readonly streams = new Set<{ out: PassThrough; labels: string[] }>();
  private heldEvents: DockerEvent[] | undefined;
  private down = false;
  private lastTimeNano = 0;

  readonly modem: DockerModemHelpers = {
    followProgress: (stream, onFinished, onProgress) => {
      const out: unknown[] = [];
      let buf = '';
      stream.on('data', (chunk: Buffer | string) => {
        buf += chunk.toString();
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const l of lines.filter((x) => x.trim())) {
          const obj = JSON.parse(l) as never;
          out.push(obj);
          onProgress?.(obj);
        }
      });
      stream.on('end', () => onFinished(null, out as never[]));
      stream.on('error', (err: Error) => onFinished(err, out as never[]));
    },
    demuxStream: (stream, stdout, stderr) => {
      stream.on('data', (chunk: Buffer) => {
        for (let i = 0; i + 8 <= chunk.length;) {
          const len = chunk.readUInt32BE(i + 4);
          (chunk[i] === 2 ? stderr : stdout).write(chunk.subarray(i + 8, i + 8 + len));
          i += 8 + len;
        }
      });
    },
  };

  constructor(opts: { images?: readonly string[] } = {}) {
    for (const ref of opts.images ?? []) this.addImage(ref);
  }

  // ------------------------------------------------------------------ fault injection

  /** The next `times` calls of `op` (on `target`: container name or id, image, network) fail. */
  failNext(op: FakeOp, error: Error | (() => Error), opts: { times?: number; target?: string } = {}): void {
    const make = typeof error === 'function' ? error : () => error;
    this.faults.push({ op, target: opts.target, remaining: opts.times ?? 1, error: make });
  }

  /** Calls of `op` wait until `release()` (the call's effect happens after the release). */
  hold(op: FakeOp, opts: { times?: number; target?: string } = {}): { release: () => void } {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    this.faults.push({ op, target: opts.target, remaining: opts.times ?? Infinity, gate });
    return { release };
  }

  /** Calls of `op` take `ms` longer. */
  delay(op: FakeOp, ms: number, opts: { times?: number; target?: string } = {}): void {
    this.faults.push({ op, target: opts.target, remaining: opts.times ?? Infinity, ms });
  }

  /** The daemon becomes unreachable: calls fail with ECONNREFUSED, event streams break. */
  disconnect(): void {
    this.down = true;
    for (const s of [...this.streams]) {
      this.streams.delete(s);
      s.out.destroy(connectionRefused());
    }
  }

  /** The daemon answers again (clients reconnect on their own schedule). */
  reconnect(): void {
    this.down = false;
  }

  /** Events are kept back (still logged for `since` replay) until `releaseEvents`. */
  holdEvents(): void {
    this.heldEvents ??= [];
  }

  /** Delivers held events, by default in reverse order (reordering), and stops holding. */
  releaseEvents(order: (held: DockerEvent[]) => DockerEvent[] = (h) => [...h].reverse()): void {
    const held = this.heldEvents ?? [];
    this.heldEvents = undefined;
    for (const ev of order(held)) this.deliver(ev);
  }

  /** Resolves when `op` is next called and has settled (its fault applied, its effect done). */
  whenCalled(op: FakeOp): Promise<void> {
    return new Promise((resolve) => this.callWaiters.push({ op, resolve }));
  }

  // ------------------------------------------------------------------ daemon-side actions

  addImage(ref: string): void {
    const full = ref.includes(':') ? ref : `${ref}:latest`;
    const digest = `sha256:${hex(32)}`;
    this.images.set(full, { Id: `sha256:${hex(32)}`, RepoDigests: [`${full.split(':')[0]}@${digest}`] });
  }

  /** The container (by name or id). */
  container(nameOrId: string): FakeContainer | undefined {
    const name = nameOrId.replace(/^\//, '');
    return this.containers.get(name) ?? [...this.containers.values()].find((c) => c.name === name);
  }

  /** The container's process exits by itself (`oom`: the kernel killed it). */
  exit(nameOrId: string, exitCode: number, opts: { oom?: boolean } = {}): void {
    const c = this.container(nameOrId);
    if (!c || c.state !== 'running') throw new Error(`FakeDocker: ${nameOrId} is not running`);
    if (opts.oom) {
      c.oomKilled = true;
      this.emit(c, 'oom');
    }
    this.die(c, exitCode);
  }

  /** Writes a line to the container's followed logs (Docker's multiplexed frame format). */
  writeLog(nameOrId: string, text: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    const c = this.container(nameOrId);
    const payload = Buffer.from(`${new Date().toISOString()} ${text}\n`);
    const header = Buffer.alloc(8);
    header[0] = stream === 'stderr' ? 2 : 1;
    header.writeUInt32BE(payload.length, 4);
    for (const s of c?.logStreams ?? []) s.write(Buffer.concat([header, payload]));
  }

  /** Emits a container event (e.g. `health_status: healthy`) as the daemon would. */
  emit(c: FakeContainer, action: string, extra: Record<string, string> = {}): void {
    // Strictly increasing, close to the wall clock (float precision at ~1e18 is 256 ns).
    const timeNano = (this.lastTimeNano = Math.max(Date.now() * 1e6, this.lastTimeNano + 1024));
    const ev: DockerEvent = {
      Type: 'container',
      Action: action,
      id: c.id,
      Actor: { ID: c.id, Attributes: { ...c.labels, name: c.name, image: c.image, ...extra } },
      time: Math.floor(timeNano / 1e9),
      timeNano,
    };
    this.eventLog.push(ev);
    if (this.heldEvents) this.heldEvents.push(ev);
    else this.deliver(ev);
  }

  private deliver(ev: DockerEvent): void {
    for (const s of this.streams) {
      if (s.labels.every((l) => matchesLabel(ev.Actor.Attributes, l))) s.out.write(`${JSON.stringify(ev)}\n`);
    }
  }

  private die(c: FakeContainer, exitCode: number): void {
    c.state = 'exited';
    c.exitCode = exitCode;
    c.finishedAt = new Date().toISOString();
    this.emit(c, 'die', { exitCode: String(exitCode) });
    for (const s of c.logStreams) s.end();
    c.logStreams.clear();
  }

  // ------------------------------------------------------------------ the client side

  /** Applies faults and the connection state to one call of `op`. */
  private async call(op: FakeOp, target?: string): Promise<void> {
    this.calls.push(target ? `${op} ${target}` : op);
    for (const w of this.callWaiters.filter((x) => x.op === op)) {
      this.callWaiters.splice(this.callWaiters.indexOf(w), 1);
      // After the caller's own handlers of this call's outcome have run.
      setImmediate(w.resolve);
    }
    const matching = this.faults.filter(
      (f) => f.op === op && f.remaining > 0 && (f.target === undefined || f.target === target),
    );
    for (const f of matching) {
      f.remaining--;
      if (f.ms) await new Promise((r) => setTimeout(r, f.ms));
      if (f.gate) await f.gate;
      if (f.error) throw f.error();
    }
    if (this.down) throw connectionRefused();
  }

  private need(id: string): FakeContainer {
    const c = this.container(id);
    if (!c) throw dockerError(404, `No such container: ${id}`);
    return c;
  }

  getContainer(id: string): DockerContainerHandle {
    const handle: DockerContainerHandle = {
      id,
      inspect: async () => {
        await this.call('inspect', this.container(id)?.name ?? id);
        return inspectInfo(this.need(id));
      },
      start: async () => {
        const before = this.container(id)?.state;
        await this.call('start', this.container(id)?.name ?? id);
        const c = this.need(id);
        // Started and exited while this call was out (a held start): the answer comes late, the
        // container stays exited, as Docker's would.
        if (before === 'created' && c.state === 'exited') return;
        if (c.state === 'running') throw dockerError(304, 'container already started');
        c.state = 'running';
        c.startedAt = new Date().toISOString();
        this.emit(c, 'start');
      },
      stop: async () => {
        await this.call('stop', this.container(id)?.name ?? id);
        const c = this.need(id);
        if (c.state !== 'running') throw dockerError(304, 'container already stopped');
        this.emit(c, 'kill', { signal: '15' });
        this.die(c, c.stopExitCode);
        this.emit(c, 'stop');
      },
      kill: async () => {
        await this.call('kill', this.container(id)?.name ?? id);
        const c = this.need(id);
        if (c.state !== 'running') throw dockerError(409, `Container ${c.id} is not running`);
        this.emit(c, 'kill', { signal: '9' });
        this.die(c, 137);
      },
      remove: async (options) => {
        await this.call('remove', this.container(id)?.name ?? id);
        const c = this.need(id);
        if (c.state === 'running') {
          if (!options?.force) throw dockerError(409, `cannot remove running container ${c.id}`);
          this.die(c, 137);
        }
        this.containers.delete(c.id);
        this.emit(c, 'destroy');
      },
      logs: (async (options?: { follow?: boolean }) => {
        await this.call('logs', this.container(id)?.name ?? id);
        const c = this.need(id);
        if (!options?.follow) return Buffer.alloc(0);
        const out = new PassThrough();
        if (c.state === 'running') c.logStreams.add(out);
        else out.end();
        return out;
      }) as DockerContainerHandle['logs'],
      stats: async () => {
        await this.call('stats', this.container(id)?.name ?? id);
        const c = this.need(id);
        const out = new PassThrough();
        c.statStreams.add(out);
        out.on('close', () => c.statStreams.delete(out));
        return out;
      },
      exec: () => Promise.reject(new Error('FakeDocker does not model exec')),
      wait: () => Promise.reject(new Error('FakeDocker does not model wait')),
    };
    return handle;
  }

  async createContainer(options: Dockerode.ContainerCreateOptions): Promise<DockerContainerHandle> {
    const name = options.name ?? hex(6);
    await this.call('createContainer', name);
    if (this.container(name))
      throw dockerError(409, `Conflict. The container name "/${name}" is already in use`);
    const image = options.Image ?? '';
    if (!this.images.has(image.includes(':') ? image : `${image}:latest`))
      throw dockerError(404, `No such image: ${image}`);
    const c: FakeContainer = {
      id: hex(32),
      name,
      image,
      labels: { ...(options.Labels ?? {}) },
      options,
      state: 'created',
      exitCode: 0,
      oomKilled: false,
      startedAt: '0001-01-01T00:00:00Z',
      finishedAt: '0001-01-01T00:00:00Z',
      stopExitCode: 143,
      logStreams: new Set(),
      statStreams: new Set(),
    };
    this.containers.set(c.id, c);
    this.emit(c, 'create');
    return this.getContainer(c.id);
  }

  async listContainers(options?: Dockerode.ContainerListOptions): Promise<Dockerode.ContainerInfo[]> {
    await this.call('listContainers');
    const labels = labelFilter(options?.filters);
    return [...this.containers.values()]
      .filter(
        (c) => (options?.all || c.state === 'running') && labels.every((l) => matchesLabel(c.labels, l)),
      )
      .map(
        (c) =>
          ({ Id: c.id, Names: [`/${c.name}`], Image: c.image, Labels: c.labels, State: c.state }) as never,
      );
  }

  getNetwork(id: string): DockerNetworkHandle {
    const find = () => {
      const n = this.networks.get(id) ?? [...this.networks.values()].find((x) => x.name === id);
      if (!n) throw dockerError(404, `network ${id} not found`);
      return n;
    };
    return {
      id,
      inspect: async () => {
        await this.call('networkInspect', id);
        const n = find();
        return {
          Id: n.id,
          Name: n.name,
          Labels: n.labels,
          IPAM: { Config: [{ Subnet: '172.30.0.0/16' }] },
        } as never;
      },
      remove: async () => {
        await this.call('networkRemove', id);
        this.networks.delete(find().id);
      },
      connect: async () => {},
      disconnect: async () => {},
    };
  }

  async createNetwork(options: Dockerode.NetworkCreateOptions): Promise<DockerNetworkHandle> {
    await this.call('createNetwork', options.Name);
    const id = hex(32);
    this.networks.set(id, { id, name: options.Name, labels: { ...(options.Labels ?? {}) } });
    return this.getNetwork(id);
  }

  async listNetworks(options?: Dockerode.NetworkListOptions): Promise<Dockerode.NetworkInspectInfo[]> {
    await this.call('listNetworks');
    const labels = labelFilter(options?.filters);
    return [...this.networks.values()]
      .filter((n) => labels.every((l) => matchesLabel(n.labels, l)))
      .map((n) => ({ Id: n.id, Name: n.name, Labels: n.labels }) as never);
  }

  getVolume(name: string): DockerVolumeHandle {
    const find = () => {
      const v = this.volumes.get(name);
      if (!v) throw dockerError(404, `get ${name}: no such volume`);
      return v;
    };
    return {
      name,
      inspect: async () => {
        await this.call('volumeInspect', name);
        const v = find();
        return { Name: v.name, Labels: v.labels } as never;
      },
      remove: async () => {
        await this.call('volumeRemove', name);
        this.volumes.delete(find().name);
      },
    };
  }

  async createVolume(options?: Dockerode.VolumeCreateOptions): Promise<DockerVolumeHandle> {
    const name = options?.Name ?? hex(32);
    await this.call('createVolume', name);
    this.volumes.set(name, { name, labels: { ...(options?.Labels ?? {}) } });
    return this.getVolume(name);
  }

  async listVolumes(
    options?: Dockerode.VolumeListOptions,
  ): Promise<{ Volumes: Dockerode.VolumeInspectInfo[]; Warnings: string[] }> {
    await this.call('listVolumes');
    const labels = labelFilter(options?.filters);
    const Volumes = [...this.volumes.values()]
      .filter((v) => labels.every((l) => matchesLabel(v.labels, l)))
      .map((v) => ({ Name: v.name, Labels: v.labels }) as never);
    return { Volumes, Warnings: [] };
  }

  getImage(name: string) {
    return {
      inspect: async () => {
        await this.call('imageInspect', name);
        const image = this.images.get(name.includes(':') ? name : `${name}:latest`);
        if (!image) throw dockerError(404, `No such image: ${name}`);
        return { ...image } as never;
      },
      tag: async (o: { repo: string; tag?: string }) => {
        await this.call('imageTag', name);
        const image = this.images.get(name.includes(':') ? name : `${name}:latest`);
        if (!image) throw dockerError(404, `No such image: ${name}`);
        this.images.set(`${o.repo}:${o.tag ?? 'latest'}`, image);
      },
    };
  }

  /** Builds nothing: the image named by `t` exists afterwards (the build context is not read). */
  async buildImage(_file: NodeJS.ReadableStream, options?: object): Promise<NodeJS.ReadableStream> {
    const name = (options as { t?: string } | undefined)?.t ?? '';
    await this.call('buildImage', name);
    if (name) this.addImage(name.includes(':') ? name : `${name}:latest`);
    const out = new PassThrough();
    out.end(`${JSON.stringify({ stream: `Successfully tagged ${name}` })}\n`);
    return out;
  }

  async ping(): Promise<unknown> {
    await this.call('ping');
    return 'OK';
  }

  async pull(repoTag: string): Promise<NodeJS.ReadableStream> {
    await this.call('pull', repoTag);
    if (!this.images.has(repoTag)) this.addImage(repoTag);
    const out = new PassThrough();
    out.end(
      `${JSON.stringify({ status: `Pulling from ${repoTag}` })}\n${JSON.stringify({ status: 'Done' })}\n`,
    );
    return out;
  }

  async getEvents(options?: Dockerode.GetEventsOptions): Promise<NodeJS.ReadableStream> {
    await this.call('getEvents');
    const raw = (options as { filters?: string | object } | undefined)?.filters;
    const labels = labelFilter(typeof raw === 'string' ? (JSON.parse(raw) as object) : raw);
    const out = new PassThrough();
    const entry = { out, labels };
    this.streams.add(entry);
    out.on('close', () => this.streams.delete(entry));
    const since = (options as { since?: number } | undefined)?.since;
    if (since !== undefined) {
      for (const ev of this.eventLog)
        if (ev.time >= since && labels.every((l) => matchesLabel(ev.Actor.Attributes, l)))
          out.write(`${JSON.stringify(ev)}\n`);
    }
    return out;
  }
}

function labelFilter(filters: unknown): string[] {
  const f = (typeof filters === 'string' ? JSON.parse(filters) : filters) as { label?: string[] } | undefined;
  return f?.label ?? [];
}

function matchesLabel(labels: Readonly<Record<string, string>>, filter: string): boolean {
  const eq = filter.indexOf('=');
  return eq < 0 ? filter in labels : labels[filter.slice(0, eq)] === filter.slice(eq + 1);
}

function inspectInfo(c: FakeContainer): Dockerode.ContainerInspectInfo {
  return {
    Id: c.id,
    Name: `/${c.name}`,
    Image: c.image,
    State: {
      Status: c.state,
      Running: c.state === 'running',
      ExitCode: c.exitCode,
      OOMKilled: c.oomKilled,
      StartedAt: c.startedAt,
      FinishedAt: c.finishedAt,
    },
    Config: { Labels: c.labels, Image: c.image },
    NetworkSettings: {
      Ports: {},
      Networks: { bridge: { IPAddress: '172.17.0.2', MacAddress: '', Gateway: '172.17.0.1' } },
    },
  } as never;
}
