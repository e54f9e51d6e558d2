/**
 * The bridge-mode start gate: 169.254.170.2 answers from an app's first instruction.
 *
 * Why a gate: in bridge mode every container has its own network namespace, which Docker creates
 * only when the container starts, so the route to the task's proxy (endpoint-helper.ts) can only
 * be added after `start` — racing the app, which may fetch its credentials at once. A pause-style
 * holder namespace is no way out here: Docker refuses legacy `links` on a container that joins
 * another's namespace, and bridge tasks need links (engine/links.ts). And the host's network is
 * not ours to change (the agent's iptables DNAT is out).
 *
 * How: the container's own entrypoint and command run unchanged, but behind a tiny gate run by a
 * static BusyBox from a per-task volume mounted read-only at GATE_DIR. The gate waits until the
 * route container (which joins the namespace right after start, adds the route and fetches the
 * server's ping through it) drops a marker named after the container, then `exec`s the original
 * program — so PID, signals and the process image are the app's own from its first instruction.
 * A failed attach drops a marker too (the app then starts without endpoints, which is noted on
 * the container), and the gate gives up after GATE_TIMEOUT_S whatever happens.
 */
import type Docker from '../docker/docker-client.js';

/** Where the gate volume is mounted in app containers (read-only). */
export const GATE_DIR = '/.taskdeck';
/** Where the helper containers mount it. */
export const GATE_HELPER_DIR = '/taskdeck-gate';
/** Longest the gate holds an app back when no marker ever comes. */
export const GATE_TIMEOUT_S = 30;

/**
 * The gate script, run as `<GATE_DIR>/busybox sh <GATE_DIR>/gate <marker> <program> <args…>`.
 * A program name without `/` is looked up in PATH here: some BusyBox builds prefer their own
 * applets to PATH for `exec name`, never for `exec /path/name`.
 */
export function gateScript(): string {
  const polls = GATE_TIMEOUT_S * 50;
  return [
    'm="$1"; shift',
    'i=0',
    `while [ ! -e "${GATE_DIR}/ready/$m" ] && [ $i -lt ${polls} ]; do`,
    `  ${GATE_DIR}/busybox sleep 0.02; i=$((i+1))`,
    'done',
    '[ $# -gt 0 ] || exit 0',
    'p="$1"; shift',
    'case "$p" in',
    '  */*) ;;',
    '  *)',
    '    IFS=:; for d in ${PATH:-/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin}; do',
    '      if [ -f "$d/$p" ] && [ -x "$d/$p" ]; then p="$d/$p"; break; fi',
    '    done; unset IFS ;;',
    'esac',
    'exec "$p" "$@"',
    '',
  ].join('\n');
}

/**
 * Fills a task's gate volume (mounted at GATE_HELPER_DIR): the helper's BusyBox, proved static by
 * running it chrooted next to nothing (exit 3 when it is not), and the gate script.
 */
export function gateSetupScript(): string {
  return [
    'set -e',
    // `command -v busybox` may name the applet itself: look for the file.
    'for bb in /bin/busybox /usr/bin/busybox /sbin/busybox /usr/sbin/busybox; do [ -f "$bb" ] && break; done',
    `cp "$bb" ${GATE_HELPER_DIR}/busybox`,
    `chmod 755 ${GATE_HELPER_DIR}/busybox`,
    `if ! chroot ${GATE_HELPER_DIR} /busybox true 2>/dev/null; then echo "the helper image's BusyBox is not statically linked" >&2; exit 3; fi`,
    `mkdir -p ${GATE_HELPER_DIR}/ready`,
    `chmod 755 ${GATE_HELPER_DIR} ${GATE_HELPER_DIR}/ready`,
    `printf '%s' "$TASKDECK_GATE_SCRIPT" > ${GATE_HELPER_DIR}/gate`,
    `chmod 644 ${GATE_HELPER_DIR}/gate`,
  ].join('\n');
}

/** The marker file name for a container (its Docker name, `/` dropped). */
export function gateMarker(dockerName: string): string {
  return dockerName.replace(/^\//, '').replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** What Docker would run: the image's entrypoint and command merged with the create options. */
export function effectiveProgram(
  options: Pick<Docker.ContainerCreateOptions, 'Entrypoint' | 'Cmd'>,
  image: { readonly Entrypoint?: string[] | string | null; readonly Cmd?: string[] | string | null },
): string[] {
  const list = (v: string[] | string | null | undefined): string[] | undefined =>
    v === undefined || v === null ? undefined : Array.isArray(v) ? v : [v];
  const ownEntry = list(options.Entrypoint);
  const entry = ownEntry ?? list(image.Entrypoint) ?? [];
  // Docker: an entrypoint given at create drops the image's CMD.
  const cmd = list(options.Cmd) ?? (ownEntry ? [] : (list(image.Cmd) ?? []));
  return [...entry, ...cmd];
}

/** The create options with the gate in front of the container's program. */
export function gatedOptions(
  options: Docker.ContainerCreateOptions,
  image: { readonly Entrypoint?: string[] | string | null; readonly Cmd?: string[] | string | null },
  volume: string,
): Docker.ContainerCreateOptions {
  const program = effectiveProgram(options, image);
  const marker = gateMarker(options.name ?? '');
  return {
    ...options,
    Entrypoint: [`${GATE_DIR}/busybox`, 'sh', `${GATE_DIR}/gate`, marker],
    Cmd: program,
    HostConfig: {
      ...options.HostConfig,
      Binds: [...(options.HostConfig?.Binds ?? []), `${volume}:${GATE_DIR}:ro`],
    },
  };
}
