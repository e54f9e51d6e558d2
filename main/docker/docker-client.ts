/**
 * The Docker seam: the narrow slice of the Docker Engine API that Taskdeck's production code uses
 * (containers, networks, volumes, images, execs, the event stream and the modem's stream helpers).
 *
 * Production code outside `main/docker/` types its client as `DockerClient` (imported as
 * `import type Docker from '../docker/docker-client.js'`, so existing `Docker.ContainerInspectInfo`
 * style references keep working) and never imports dockerode. A dockerode instance satisfies the
 * interface structurally (`dockerodeClient` checks that at compile time); tests pass a
 * `FakeDocker` (fake-docker.ts) to drive the engine without a daemon.
 *
 * The methods are the Promise forms of dockerode's overloads. When the engine starts using a new
 * Docker call, add it here (and to the fake).
 */
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';

/** A container handle (`docker.getContainer(id)`); no I/O until a method is called. */
export interface DockerContainerHandle {
  readonly id: string;
  inspect(options?: Dockerode.ContainerInspectOptions): Promise<Dockerode.ContainerInspectInfo>;
  start(options?: Dockerode.ContainerStartOptions): Promise<unknown>;
  stop(options?: Dockerode.ContainerStopOptions): Promise<unknown>;
  kill(options?: { signal?: string }): Promise<unknown>;
  remove(options?: Dockerode.ContainerRemoveOptions): Promise<unknown>;
  /** `follow: true` resolves a stream, otherwise a Buffer (callers cast what they asked for). */
  logs(options?: Dockerode.ContainerLogsOptions & { follow?: false }): Promise<Buffer>;
  logs(options?: Dockerode.ContainerLogsOptions & { follow: true }): Promise<NodeJS.ReadableStream>;
  stats(options?: { stream: true }): Promise<NodeJS.ReadableStream>;
  exec(options: Dockerode.ExecCreateOptions): Promise<DockerExecHandle>;
  wait(options?: { condition?: 'not-running' | 'next-exit' | 'removed' }): Promise<unknown>;
}

/** An exec instance (`container.exec(...)`). */
export interface DockerExecHandle {
  readonly id: string;
  inspect(options?: Dockerode.ExecInspectOptions): Promise<Dockerode.ExecInspectInfo>;
  start(options: Dockerode.ExecStartOptions): Promise<Duplex>;
  resize(options: { h?: number; w?: number }): Promise<unknown>;
}

/** A network handle (`docker.getNetwork(id)`). */
export interface DockerNetworkHandle {
  readonly id: string;
  inspect(): Promise<Dockerode.NetworkInspectInfo>;
  remove(options?: object): Promise<unknown>;
  connect(options?: Dockerode.NetworkConnectOptions): Promise<unknown>;
  disconnect(options?: object): Promise<unknown>;
}

/** A volume handle (`docker.getVolume(name)`). */
export interface DockerVolumeHandle {
  readonly name: string;
  inspect(): Promise<Dockerode.VolumeInspectInfo>;
  remove(options?: Dockerode.VolumeRemoveOptions): Promise<unknown>;
}

/** An image handle (`docker.getImage(ref)`). */
export interface DockerImageHandle {
  inspect(): Promise<Dockerode.ImageInspectInfo>;
  /** Adds a name to the image (the helper image fallback tags a pulled busybox). */
  tag(options: { repo: string; tag?: string }): Promise<unknown>;
}

/** docker-modem's stream helpers the engine uses. */
export interface DockerModemHelpers {
  /** Reads a JSON-lines progress stream (image pull) to its end. */
  followProgress<R = unknown, P = unknown>(
    stream: NodeJS.ReadableStream,
    onFinished: (error: Error | null, result: R[]) => void,
    onProgress?: (obj: P) => void,
  ): void;
  /** Splits Docker's multiplexed (non-TTY) stdout/stderr frames. */
  demuxStream(
    stream: NodeJS.ReadableStream,
    stdout: NodeJS.WritableStream,
    stderr: NodeJS.WritableStream,
  ): void;
}

/** The Docker client the engine, endpoints, exec and launch code are written against. */
interface DockerClient {
  readonly modem: DockerModemHelpers;
  getContainer(id: string): DockerContainerHandle;
  createContainer(options: Dockerode.ContainerCreateOptions): Promise<DockerContainerHandle>;
  listContainers(options?: Dockerode.ContainerListOptions): Promise<Dockerode.ContainerInfo[]>;
  getNetwork(id: string): DockerNetworkHandle;
  createNetwork(options: Dockerode.NetworkCreateOptions): Promise<DockerNetworkHandle>;
  listNetworks(options?: Dockerode.NetworkListOptions): Promise<Dockerode.NetworkInspectInfo[]>;
  getVolume(name: string): DockerVolumeHandle;
  createVolume(options?: Dockerode.VolumeCreateOptions): Promise<DockerVolumeHandle>;
  listVolumes(
    options?: Dockerode.VolumeListOptions,
  ): Promise<{ Volumes: Dockerode.VolumeInspectInfo[]; Warnings: string[] }>;
  getImage(name: string): DockerImageHandle;
  pull(repoTag: string, options?: object): Promise<NodeJS.ReadableStream>;
  /** Builds an image from a tar build context (the helper image, built without a registry). */
  buildImage(file: NodeJS.ReadableStream, options?: object): Promise<NodeJS.ReadableStream>;
  /** Answers while the daemon is reachable (outage detection after the event stream drops). */
  ping(): Promise<unknown>;
  getEvents(options?: Dockerode.GetEventsOptions): Promise<NodeJS.ReadableStream>;
}

/* eslint-disable @typescript-eslint/no-namespace -- types only: keeps `Docker.X` references working */
declare namespace DockerClient {
  export type Container = DockerContainerHandle;
  export type Network = DockerNetworkHandle;
  export type Exec = DockerExecHandle;
  export type ContainerInspectInfo = Dockerode.ContainerInspectInfo;
  export type ContainerCreateOptions = Dockerode.ContainerCreateOptions;
  export type ContainerInfo = Dockerode.ContainerInfo;
  export type ImageInspectInfo = Dockerode.ImageInspectInfo;
  export type HostConfig = Dockerode.HostConfig;
  export type DockerOptions = Dockerode.DockerOptions;
  export type DockerVersion = Dockerode.DockerVersion;
  export type NetworkInspectInfo = Dockerode.NetworkInspectInfo;
}
/* eslint-enable @typescript-eslint/no-namespace */

export type { DockerClient };
export default DockerClient;

/** The production client: dockerode itself, checked here to satisfy the seam. */
export function dockerodeClient(docker: Dockerode): DockerClient {
  return docker;
}
