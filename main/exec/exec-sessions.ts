/**
 * Interactive exec sessions owned by one connection each (a web-mode WebSocket, an Electron
 * window). Only the owner can write to, resize or close a session: every call names its owner,
 * and a session id is 128 random bits that is useless from any other connection. Sessions end when
 * the process exits, the container stops, the owner closes them, or the owner disconnects.
 * Output reaches only the owner, batched (a few milliseconds' worth per message).
 */
import { randomBytes } from 'node:crypto';
import type { ExecOutput } from '../../contract/dto.js';
import { ExecError } from './exec-errors.js';
import { startExecProcess, type ExecDocker, type ExecProcess } from './exec-process.js';
import { findExecTarget, type ExecTargetDocker } from './exec-target.js';

/** One pushed piece of a session (the contract's `exec:output` payload). */
export type ExecOutputMessage = ExecOutput;

/** Who owns sessions: one connection. */
export interface ExecOwner {
  readonly id: string;
  /** Delivers output to this connection only. */
  push(message: ExecOutputMessage): void;
  /** Registers a callback for when the connection goes away; returns the unregister function. */
  onDisconnect(listener: () => void): () => void;
}

/** What to start. */
export interface ExecStartRequest {
  readonly task: string;
  readonly container: string;
  readonly command: readonly string[];
  readonly cols: number;
  readonly rows: number;
}

/** A started session. */
export interface ExecStarted {
  readonly sessionId: string;
  readonly taskId: string;
  readonly container: string;
  readonly command: readonly string[];
}

export interface ExecSessionsOptions {
  /** The Docker client of the moment (throws when Docker is not connected). */
  readonly docker: () => ExecDocker & ExecTargetDocker;
  /** Most sessions one connection may hold (default 8). */
  readonly maxPerOwner?: number;
  /** Most sessions in the process (default 32). */
  readonly maxTotal?: number;
  /** Output batching window (default 8 ms: under a frame). */
  readonly batchMs?: number;
}

/** The registry. */
export interface ExecSessions {
  start(owner: ExecOwner, request: ExecStartRequest): Promise<ExecStarted>;
  input(ownerId: string, sessionId: string, data: string): void;
  resize(ownerId: string, sessionId: string, cols: number, rows: number): Promise<void>;
  /** Asks the process to end; the final `exited` message follows when it has. */
  close(ownerId: string, sessionId: string): void;
  /** Ends every session (Docker went away, shutdown). */
  closeAll(reason: string): void;
  /** How many sessions are open (all owners). */
  count(): number;
}

interface Session {
  readonly id: string;
  readonly owner: ExecOwner;
  readonly process: ExecProcess;
  pending: Buffer[];
  pendingBytes: number;
  timer?: ReturnType<typeof setTimeout>;
  reason?: string;
}

/** Largest output message before a flush, whatever the window. */
const MAX_BATCH_BYTES = 32 * 1024;

/** Creates the registry. */
export function createExecSessions(options: ExecSessionsOptions): ExecSessions {
  const maxPerOwner = options.maxPerOwner ?? 8;
  const maxTotal = options.maxTotal ?? 32;
  const batchMs = options.batchMs ?? 8;
  const sessions = new Map<string, Session>();
  /** Per owner: its sessions and the disconnect hook (registered once). */
  const owners = new Map<string, { ids: Set<string>; off: () => void }>();
  /** Starts in flight per owner, so limits hold while Docker answers. */
  const starting = new Map<string, number>();

  const flush = (s: Session): void => {
    if (s.timer !== undefined) clearTimeout(s.timer);
    s.timer = undefined;
    if (s.pendingBytes === 0) return;
    const data = Buffer.concat(s.pending).toString('base64');
    s.pending = [];
    s.pendingBytes = 0;
    s.owner.push({ sessionId: s.id, data });
  };

  const owned = (ownerId: string, sessionId: string): Session => {
    const s = sessions.get(sessionId);
    // Someone else's session looks exactly like a missing one.
    if (!s || s.owner.id !== ownerId)
      throw new ExecError('SessionNotFound', `No exec session "${sessionId}"`);
    return s;
  };

  const ownedCount = (ownerId: string): number =>
    (owners.get(ownerId)?.ids.size ?? 0) + (starting.get(ownerId) ?? 0);

  const closeOwner = (ownerId: string, reason: string): void => {
    for (const id of owners.get(ownerId)?.ids ?? []) {
      const s = sessions.get(id);
      if (s) {
        s.reason ??= reason;
        s.process.close();
      }
    }
  };

  return {
    async start(owner, request) {
      if (ownedCount(owner.id) >= maxPerOwner) {
        throw new ExecError(
          'TooManySessions',
          `At most ${maxPerOwner} exec sessions per window; close one (type exit) and try again`,
        );
      }
      if (sessions.size + [...starting.values()].reduce((a, b) => a + b, 0) >= maxTotal) {
        throw new ExecError(
          'TooManySessions',
          `At most ${maxTotal} exec sessions at once; close one and try again`,
        );
      }
      starting.set(owner.id, (starting.get(owner.id) ?? 0) + 1);
      try {
        const docker = options.docker();
        const target = await findExecTarget(docker, request.task, request.container);
        const id = randomBytes(16).toString('base64url');
        // Output may arrive before Docker's start call resolves; it waits here until the session exists.
        const ref: { session?: Session } = {};
        const early: Buffer[] = [];
        const onChunk = (chunk: Buffer): void => {
          const session = ref.session;
          if (!session) {
            early.push(chunk);
            return;
          }
          session.pending.push(chunk);
          session.pendingBytes += chunk.length;
          if (session.pendingBytes >= MAX_BATCH_BYTES) flush(session);
          else if (session.timer === undefined) {
            const s = session;
            s.timer = setTimeout(() => flush(s), batchMs);
          }
        };
        const process = await startExecProcess(
          docker,
          target.containerId,
          { command: request.command, tty: true, cols: request.cols, rows: request.rows },
          { stdout: onChunk, stderr: onChunk },
        );
        const session: Session = { id, owner, process, pending: [], pendingBytes: 0 };
        ref.session = session;
        sessions.set(id, session);
        let entry = owners.get(owner.id);
        if (!entry) {
          const created = { ids: new Set<string>(), off: () => {} };
          created.off = owner.onDisconnect(() => closeOwner(owner.id, 'the connection closed'));
          owners.set(owner.id, created);
          entry = created;
        }
        entry.ids.add(id);
        for (const chunk of early) onChunk(chunk);
        const s = session;
        process.exited
          .then((exitCode) => {
            flush(s);
            sessions.delete(s.id);
            const e = owners.get(owner.id);
            if (e) {
              e.ids.delete(s.id);
              if (e.ids.size === 0) {
                e.off();
                owners.delete(owner.id);
              }
            }
            s.owner.push({
              sessionId: s.id,
              exited: true,
              exitCode,
              ...(s.reason ? { reason: s.reason } : {}),
            });
          })
          .catch((err: unknown) =>
            console.error(`taskdeck: exec session ${s.id} did not end cleanly: ${String(err)}`),
          );
        return {
          sessionId: id,
          taskId: target.taskId,
          container: target.containerName,
          command: [...request.command],
        };
      } finally {
        const n = (starting.get(owner.id) ?? 1) - 1;
        if (n <= 0) starting.delete(owner.id);
        else starting.set(owner.id, n);
      }
    },
    input(ownerId, sessionId, data) {
      owned(ownerId, sessionId).process.write(data);
    },
    async resize(ownerId, sessionId, cols, rows) {
      await owned(ownerId, sessionId).process.resize(cols, rows);
    },
    close(ownerId, sessionId) {
      const s = owned(ownerId, sessionId);
      s.reason ??= 'closed';
      s.process.close();
    },
    closeAll(reason) {
      for (const s of sessions.values()) {
        s.reason ??= reason;
        s.process.close(0);
      }
    },
    count: () => sessions.size,
  };
}
