/**
 * A private Docker daemon for fault tests (Docker going away, coming back), so they never touch
 * the shared daemon other tests use. Everything is its own: unix socket, data root, exec root,
 * pidfile, and a Linux bridge this helper creates (`--bridge`, `--iptables=false`).
 *
 * A watchdog shell outlives nothing: if the test process dies without `destroy()` (crash, kill),
 * it stops the daemon, deletes the bridge and removes the directory within about a second.
 * Needs root, `dockerd`, `ip` and the docker CLI (to copy the test image in).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { TEST_IMAGE } from './task-def-builders.js';

const run = promisify(execFile);

/** A running (or stopped, restartable) private daemon. */
export interface SecondDockerd {
  /** A client for it (keeps working across stop/start: it connects per request). */
  readonly docker: Docker;
  readonly socketPath: string;
  /** `unix://…`, for `docker -H`. */
  readonly host: string;
  readonly bridge: string;
  /** Stops the daemon (SIGTERM, waits for it to exit); containers keep running (live restore). */
  stop(): Promise<void>;
  /** Starts it again on the same data and bridge (no-op if it runs); resolves once it answers. */
  start(): Promise<void>;
  /** Removes every container, stops the daemon, deletes the bridge and the directory. */
  destroy(): Promise<void>;
  /** The daemon's log so far (for failure messages). */
  log(): Promise<string>;
}

export interface SecondDockerdOptions {
  /** Default `overlay2`, falling back to `vfs` when overlay2 does not come up. */
  readonly storageDriver?: 'overlay2' | 'vfs';
  /** Images to copy in from the shared daemon (`docker save | docker -H … load`). */
  readonly images?: readonly string[];
}

/** Starts a private dockerd and loads the test image into it. */
export async function startSecondDockerd(opts: SecondDockerdOptions = {}): Promise<SecondDockerd> {
  // Short paths: a unix socket path must stay under 108 bytes.
  const dir = await mkdtemp('/tmp/tdd-');
  const socketPath = join(dir, 'd.sock');
  const host = `unix://${socketPath}`;
  const bridge = `tdd${randomBytes(4).toString('hex')}`.slice(0, 15);
  const subnet = await freeSubnet();
  await run('ip', ['link', 'add', bridge, 'type', 'bridge']);
  await run('ip', ['addr', 'add', `${subnet}.1/24`, 'dev', bridge]);
  await run('ip', ['link', 'set', bridge, 'up']);
  const watchdog = startWatchdog(dir, bridge);

  let driver = opts.storageDriver ?? 'overlay2';
  let child: ChildProcess | undefined;
  const logFile = join(dir, 'dockerd.log');
  const launch = async (): Promise<void> => {
    if (child && child.exitCode === null) return; // already running
    const out = openSync(logFile, 'a');
    child = spawn(
      'dockerd',
      [
        `--host=${host}`,
        `--data-root=${join(dir, 'data')}`,
        `--exec-root=${join(dir, 'exec')}`,
        `--pidfile=${join(dir, 'd.pid')}`,
        `--bridge=${bridge}`,
        '--iptables=false',
        '--ip-masq=false',
        '--live-restore',
        `--storage-driver=${driver}`,
      ],
      { stdio: ['ignore', out, out] },
    );
    closeSync(out);
    const exited = new Promise<never>((_, reject) =>
      child!.once('exit', (code) => reject(new Error(`private dockerd exited (${code})`))),
    );
    exited.catch(() => {});
    await Promise.race([waitForPing(docker, 60_000), exited]);
  };
  const docker = new Docker({ socketPath });
  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    await gone;
  };
  try {
    try {
      await launch();
    } catch (err) {
      if (opts.storageDriver) throw err;
      await stop();
      driver = 'vfs';
      await launch();
    }
    for (const image of opts.images ?? [TEST_IMAGE]) await copyImage(image, host);
  } catch (err) {
    const log = await readFile(logFile, 'utf8').catch(() => '');
    await stop();
    await teardown(dir, bridge, watchdog);
    throw new Error(`${(err as Error).message}\n--- private dockerd log ---\n${log.slice(-3000)}`);
  }
  // The test process may exit without destroy(): at least do not leave the daemon running.
  const onExit = () => child?.kill('SIGTERM');
  process.once('exit', onExit);

  return {
    docker,
    socketPath,
    host,
    bridge,
    stop,
    start: launch,
    async log() {
      return readFile(logFile, 'utf8').catch(() => '');
    },
    async destroy() {
      process.off('exit', onExit);
      if (child) {
        const all = await docker.listContainers({ all: true }).catch(() => []);
        await Promise.all(
          all.map((c) =>
            docker
              .getContainer(c.Id)
              .remove({ force: true })
              .catch(() => {}),
          ),
        );
      }
      await stop();
      await teardown(dir, bridge, watchdog);
    },
  };
}

/** A 10.x.y.0/24 no route on this machine uses yet (prefix `10.x.y`). */
async function freeSubnet(): Promise<string> {
  const { stdout } = await run('ip', ['-4', 'route']);
  for (let i = 0; i < 50; i++) {
    const prefix = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 256)}`;
    if (!stdout.includes(`${prefix}.`)) return prefix;
  }
  throw new Error('no free 10.x.y.0/24 subnet for the private dockerd bridge');
}

/**
 * Watches the test process; when it is gone, stops the daemon and removes the bridge and the
 * directory. A 1 s poll in a helper process (not in the code under test).
 */
function startWatchdog(dir: string, bridge: string): ChildProcess {
  const script = [
    `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done`,
    `if [ -f ${dir}/d.pid ]; then p=$(cat ${dir}/d.pid); kill $p 2>/dev/null; i=0; while kill -0 $p 2>/dev/null && [ $i -lt 30 ]; do sleep 1; i=$((i+1)); done; kill -9 $p 2>/dev/null; fi`,
    `ip link del ${bridge} 2>/dev/null`,
    `umount -R ${dir}/exec ${dir}/data 2>/dev/null`,
    `rm -rf ${dir}`,
  ].join('\n');
  const w = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  w.unref();
  return w;
}

async function teardown(dir: string, bridge: string, watchdog: ChildProcess): Promise<void> {
  watchdog.kill('SIGKILL');
  await run('ip', ['link', 'del', bridge]).catch(() => {});
  // Leftover mounts (overlay, netns) would make the removal fail.
  await run('sh', ['-c', `grep -o ' ${dir}[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l`]).catch(
    () => {},
  );
  await rm(dir, { recursive: true, force: true }).catch(() => {});
}

async function waitForPing(docker: Docker, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await docker.ping();
      return;
    } catch (err) {
      if (Date.now() > until) throw new Error(`private dockerd did not answer: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** `docker save IMAGE | docker -H host load`. */
async function copyImage(image: string, host: string): Promise<void> {
  await run('sh', ['-c', `docker save '${image}' | docker -H '${host}' load`], { maxBuffer: 1 << 20 });
}
