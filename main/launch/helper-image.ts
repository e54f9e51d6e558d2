/**
 * The image behind awsvpc pause containers and the 169.254.170.2 helpers, made available before
 * a task needs it — offline when possible, and with a clear error when not.
 *
 * - Configured (`TASKDECK_HELPER_IMAGE` / `helperImage`): used when present, else pulled.
 * - Default: Taskdeck's own `taskdeck/helper:<format>`, built FROM scratch out of the host's
 *   static BusyBox (Debian/Ubuntu `busybox-static`) with no registry at all; else pulled from
 *   `busybox:stable` and tagged.
 * When neither works, the task fails before anything is created, naming the image, what went
 * wrong and the setting that fixes it.
 */
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type Docker from '../docker/docker-client.js';
import { ustar } from './ustar.js';

/** Taskdeck's own helper image (bump the tag when its content changes). */
export const OWN_HELPER_IMAGE = 'taskdeck/helper:1';
/** Pulled (and tagged as the own image) when the host has no static BusyBox. */
export const HELPER_PULL_FALLBACK = 'busybox:stable';
/** Where a static BusyBox usually lives on a Linux host. */
const HOST_BUSYBOX = ['/bin/busybox', '/usr/bin/busybox', '/usr/sbin/busybox', '/sbin/busybox'];

/** The helper image and how to make it present. */
export interface HelperImage {
  readonly name: string;
  /** Resolves once the image is present; rejects with a ResourceInitializationError saying how to fix it. */
  ensure(): Promise<void>;
}

export interface HelperImageOptions {
  readonly docker: Docker;
  /** A configured image; undefined means Taskdeck's own. */
  readonly image?: string;
  /** Tests: another name for the own image. */
  readonly ownName?: string;
  /** Tests: where to look for the host's BusyBox. */
  readonly busyboxPaths?: readonly string[];
}

export function createHelperImage(o: HelperImageOptions): HelperImage {
  const name = o.image ?? o.ownName ?? OWN_HELPER_IMAGE;
  let ready: Promise<void> | undefined;
  const make = async (): Promise<void> => {
    if (await present(o.docker, name)) return;
    if (o.image) {
      try {
        await pull(o.docker, name);
        return;
      } catch (err) {
        throw unavailable(name, `pulling it failed: ${message(err)}`);
      }
    }
    const problems: string[] = [];
    const busybox = await hostStaticBusybox(o.busyboxPaths ?? HOST_BUSYBOX);
    if (busybox && isLocalDaemon(o.docker)) {
      try {
        await buildFromBusybox(o.docker, name, busybox.bytes);
        return;
      } catch (err) {
        problems.push(`building it from ${busybox.path} failed: ${message(err)}`);
      }
    } else {
      problems.push('no static BusyBox on this machine to build it from');
    }
    try {
      await pull(o.docker, HELPER_PULL_FALLBACK);
      const [repo, tag] = splitName(name);
      await o.docker.getImage(HELPER_PULL_FALLBACK).tag({ repo, tag });
      return;
    } catch (err) {
      problems.push(`pulling ${HELPER_PULL_FALLBACK} failed: ${message(err)}`);
    }
    throw unavailable(name, problems.join('; '));
  };
  return {
    name,
    ensure() {
      ready ??= make().catch((err: unknown) => {
        ready = undefined;
        throw err;
      });
      return ready;
    },
  };
}

function unavailable(name: string, why: string): Error {
  return new Error(
    `ResourceInitializationError: helper image ${name} (awsvpc pause container and the 169.254.170.2 endpoint helpers) is not available: ${why}. ` +
      'Set TASKDECK_HELPER_IMAGE to a local image with a static BusyBox (e.g. busybox:stable after `docker pull busybox:stable`), ' +
      'or install busybox-static so Taskdeck can build its own.',
  );
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim().slice(0, 300);
}

async function present(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getImage(name).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

async function pull(docker: Docker, name: string): Promise<void> {
  const stream = await docker.pull(name);
  await followToEnd(docker, stream);
}

/** Waits for a pull/build stream; an `error` line in it is a failure too. */
function followToEnd(docker: Docker, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[] = []) => {
      const failed = err ?? out.find((line) => line.error)?.error;
      if (failed) reject(failed instanceof Error ? failed : new Error(failed));
      else resolve();
    });
  });
}

function splitName(name: string): [string, string] {
  const at = name.lastIndexOf(':');
  return at > name.lastIndexOf('/') ? [name.slice(0, at), name.slice(at + 1)] : [name, 'latest'];
}

/** A host file can only be built into an image the daemon runs on this machine's kernel. */
function isLocalDaemon(docker: Docker): boolean {
  const modem = docker.modem as { socketPath?: unknown; host?: unknown };
  // docker-modem keeps the default socket as a function that finds it on first use.
  const socket = typeof modem.socketPath === 'string' || typeof modem.socketPath === 'function';
  return process.platform === 'linux' && socket && !modem.host;
}

/** The first BusyBox that is a statically linked ELF for this machine (no PT_INTERP header). */
async function hostStaticBusybox(
  paths: readonly string[],
): Promise<{ path: string; bytes: Buffer } | undefined> {
  for (const path of paths) {
    const bytes = await readFile(path).catch(() => undefined);
    if (bytes && isStaticElf64(bytes)) return { path, bytes };
  }
  return undefined;
}

/** 64-bit little-endian ELF with no program interpreter (so it runs in an empty image). */
export function isStaticElf64(b: Buffer): boolean {
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) return false;
  const phoff = Number(b.readBigUInt64LE(0x20));
  const phentsize = b.readUInt16LE(0x36);
  const phnum = b.readUInt16LE(0x38);
  if (phoff + phentsize * phnum > b.length) return false;
  for (let i = 0; i < phnum; i++) if (b.readUInt32LE(phoff + i * phentsize) === 3) return false;
  return true;
}

async function buildFromBusybox(docker: Docker, name: string, busybox: Buffer): Promise<void> {
  const dockerfile = [
    'FROM scratch',
    'COPY busybox /bin/busybox',
    'RUN ["/bin/busybox", "sh", "-c", "/bin/busybox --install -s /bin && /bin/busybox mkdir -p -m 1777 /tmp"]',
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'LABEL com.taskdeck.helper-image="1"',
    '',
  ].join('\n');
  const context = ustar([
    { name: 'Dockerfile', mode: 0o644, data: Buffer.from(dockerfile) },
    { name: 'busybox', mode: 0o755, data: busybox },
  ]);
  const stream = await docker.buildImage(Readable.from([context]), { t: name, rm: true, forcerm: true });
  await followToEnd(docker, stream);
}
