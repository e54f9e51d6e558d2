/**
 * Settings of a task definition that reach into the host: ECS allows them on EC2, so Taskdeck
 * runs them, but only after the user has seen each one by name and agreed (validation warnings,
 * the definition view, the launch dialog's confirmation, the CLI's `--allow-host-access`). Pure.
 */
import { posix } from 'node:path';
import type { TaskDefinition } from './model.js';

/** One host-access setting, located by JSON path. */
export interface HostAccessSetting {
  /** e.g. `containerDefinitions[0].privileged`. */
  readonly path: string;
  /** Short name: `privileged`, `capability SYS_ADMIN`, `bind mount of /var/run/docker.sock`… */
  readonly setting: string;
  /** What it gives the container. */
  readonly message: string;
}

/** Capabilities Docker grants every container anyway: adding them changes nothing. */
const DEFAULT_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'NET_RAW',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** Host folders whose bind mount hands over the host (or its Docker daemon). */
const HOST_ROOTS = new Set(['/', '/etc', '/proc', '/sys', '/dev', '/boot', '/root', '/var/lib/docker']);
/** Folders that hold the Docker socket: mounting them mounts the socket. */
const SOCKET_FOLDERS = new Set(['/var', '/run', '/var/run']);

/** Why a bind mount of `sourcePath` is host access, or undefined. */
export function hostPathRisk(sourcePath: string): string | undefined {
  const path = posix.normalize(sourcePath).replace(/(.)\/+$/, '$1');
  if (path === '/') return "the host's whole filesystem, writable";
  if (/(^|\/)(docker|containerd|podman)\.sock$/.test(path)) {
    return 'the container runtime socket: full control of the host through its daemon';
  }
  if (SOCKET_FOLDERS.has(path))
    return "a folder holding the Docker socket: full control of the host's daemon";
  for (const root of HOST_ROOTS) {
    if (path === root || path.startsWith(`${root}/`)) return `the host's ${root}`;
  }
  return undefined;
}

/** Every host-access setting of `def`, in document order. */
export function findHostAccess(def: TaskDefinition): HostAccessSetting[] {
  const found: HostAccessSetting[] = [];
  if (def.pidMode === 'host') {
    found.push({
      path: 'pidMode',
      setting: 'pidMode: host',
      message: 'containers see and can signal every process of the host',
    });
  }
  if (def.ipcMode === 'host') {
    found.push({
      path: 'ipcMode',
      setting: 'ipcMode: host',
      message: "containers share the host's IPC namespace (shared memory, semaphores)",
    });
  }
  const mounted = new Set(def.containerDefinitions.flatMap((c) => c.mountPoints.map((m) => m.sourceVolume)));
  def.volumes.forEach((volume, index) => {
    const source = volume.host?.sourcePath;
    const risk = source === undefined || !mounted.has(volume.name) ? undefined : hostPathRisk(source);
    if (source !== undefined && risk) {
      found.push({
        path: `volumes[${index}].host.sourcePath`,
        setting: `bind mount of ${source}`,
        message: `volume '${volume.name}' mounts ${risk}`,
      });
    }
  });
  def.containerDefinitions.forEach((c, index) => {
    const base = `containerDefinitions[${index}]`;
    if (c.privileged) {
      found.push({
        path: `${base}.privileged`,
        setting: 'privileged',
        message: `container '${c.name}' gets every capability and every device of the host`,
      });
    }
    c.linuxParameters?.capabilities?.add.forEach((raw, k) => {
      const name = raw.toUpperCase().replace(/^CAP_/, '');
      if (DEFAULT_CAPABILITIES.has(name)) return;
      found.push({
        path: `${base}.linuxParameters.capabilities.add[${k}]`,
        setting: `capability ${name}`,
        message: `container '${c.name}' gets the ${name} capability${name === 'ALL' ? 's' : ''} beyond Docker's defaults`,
      });
    });
    c.linuxParameters?.devices?.forEach((device, k) => {
      found.push({
        path: `${base}.linuxParameters.devices[${k}]`,
        setting: `device ${device.hostPath}`,
        message: `container '${c.name}' gets the host device ${device.hostPath}`,
      });
    });
  });
  return found;
}
