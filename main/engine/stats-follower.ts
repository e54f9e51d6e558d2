/**
 * Follows one container's Docker stats stream (`stream: true`: Docker pushes one JSON message a
 * second; nothing here polls). Docker keeps the stream open after the container exits, sending
 * empty messages, so the owner stops it when the container stops; those messages are dropped.
 */
import type Docker from '../docker/docker-client.js';
import { isEmptyStats, type DockerStats } from './stats-math.js';

/** Starts following; `done` resolves when the stream ends, fails or is stopped. */
export function followContainerStats(
  docker: Docker,
  containerId: string,
  sink: (stats: DockerStats) => void,
): { done: Promise<void>; stop: () => void } {
  let stopped = false;
  let destroy: () => void = () => {};
  const done = (async () => {
    const raw = (await docker
      .getContainer(containerId)
      .stats({ stream: true })) as unknown as NodeJS.ReadableStream & {
      destroy?: () => void;
      setEncoding?: (enc: string) => void;
    };
    destroy = () => raw.destroy?.();
    if (stopped) {
      destroy();
      return;
    }
    raw.setEncoding?.('utf8');
    let pending = '';
    raw.on('data', (chunk: string | Buffer) => {
      pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (!line.trim()) continue;
        let parsed: DockerStats;
        try {
          parsed = JSON.parse(line) as DockerStats;
        } catch {
          continue;
        }
        if (!stopped && !isEmptyStats(parsed)) sink(parsed);
      }
    });
    await new Promise<void>((resolve) => {
      raw.on('end', resolve);
      raw.on('close', resolve);
      raw.on('error', () => resolve());
    });
  })().catch(() => {
    // The container is gone (or never ran): there is nothing to follow.
  });
  return {
    done,
    stop: () => {
      stopped = true;
      destroy();
    },
  };
}
