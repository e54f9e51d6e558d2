/**
 * Image pulls with the agent's pull behaviours (semantics §7), per-layer progress, digest lookup,
 * and one in-flight pull per image shared by every container that needs it.
 */
import type Docker from '../docker/docker-client.js';
import type { PullBehavior } from '../../contract/dto.js';

export interface PullProgressLine {
  readonly layer: string;
  readonly status: string;
  readonly current?: number;
  readonly total?: number;
}

export interface PullResult {
  /** `sha256:…` from RepoDigests when the image has one. */
  readonly imageDigest?: string;
  readonly imageId: string;
  /** True when a pull failed and the cached image was used (behaviour `default`). */
  readonly usedCache: boolean;
  readonly pulled: boolean;
}

export interface AuthConfig {
  readonly username: string;
  readonly password: string;
  readonly serveraddress: string;
}

/** Normalises `name` to `name:latest` when it has neither tag nor digest. */
export function withDefaultTag(image: string): string {
  if (image.includes('@')) return image;
  const lastSlash = image.lastIndexOf('/');
  return image.slice(lastSlash + 1).includes(':') ? image : `${image}:latest`;
}

/** The repository part of an image reference (no tag, no digest). */
export function repositoryOf(image: string): string {
  const at = image.indexOf('@');
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', lastSlash + 1);
  return colon >= 0 ? noDigest.slice(0, colon) : noDigest;
}

/** Picks the digest for `image` out of RepoDigests (`repo@sha256:…`). */
export function digestFor(image: string, repoDigests: readonly string[] | undefined): string | undefined {
  if (!repoDigests?.length) return undefined;
  const repo = repositoryOf(image);
  const short = repo.replace(/^docker\.io\//, '').replace(/^library\//, '');
  const match =
    repoDigests.find((d) => {
      const r = d.slice(0, d.indexOf('@'));
      return r === repo || r === short || r.replace(/^docker\.io\//, '').replace(/^library\//, '') === short;
    }) ?? repoDigests[0];
  const at = match?.indexOf('@') ?? -1;
  return match && at >= 0 ? match.slice(at + 1) : undefined;
}

export class ImagePuller {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly listeners = new Map<string, Set<(p: PullProgressLine) => void>>();

  constructor(
    private readonly docker: Docker,
    /** Images pulled at least once by this engine (behaviour `once`); persisted by the caller. */
    private readonly pulledOnce: Set<string>,
    private readonly onPulledOnce: (image: string) => void = () => {},
  ) {}

  /** Ensures `image` is present according to `behavior`; throws `CannotPullContainerError: …`. */
  async ensure(
    image: string,
    behavior: PullBehavior,
    onProgress: (p: PullProgressLine) => void,
    auth?: AuthConfig,
  ): Promise<PullResult> {
    const ref = withDefaultTag(image);
    const local = await this.inspect(ref);
    const mustPull =
      behavior === 'always' ||
      behavior === 'default' ||
      (behavior === 'once' && !(local && this.pulledOnce.has(ref))) ||
      (behavior === 'prefer-cached' && !local);
    if (!mustPull && local) return this.result(image, local, false, false);
    try {
      await this.pullShared(ref, onProgress, auth);
    } catch (err) {
      const message = `CannotPullContainerError: ${cleanPullError(err)}`;
      if (behavior === 'default' && local) {
        onProgress({ layer: '', status: `pull failed, using cached image (${cleanPullError(err)})` });
        return this.result(image, (await this.inspect(ref)) ?? local, true, false);
      }
      throw new Error(message, { cause: err });
    }
    this.pulledOnce.add(ref);
    this.onPulledOnce(ref);
    const after = await this.inspect(ref);
    if (!after) throw new Error(`CannotPullContainerError: ${ref} is not present after pulling`);
    return this.result(image, after, false, true);
  }

  private result(
    image: string,
    info: Docker.ImageInspectInfo,
    usedCache: boolean,
    pulled: boolean,
  ): PullResult {
    const imageDigest = digestFor(image, info.RepoDigests);
    return { imageId: info.Id, usedCache, pulled, ...(imageDigest ? { imageDigest } : {}) };
  }

  private async inspect(ref: string): Promise<Docker.ImageInspectInfo | undefined> {
    try {
      return await this.docker.getImage(ref).inspect();
    } catch {
      return undefined;
    }
  }

  /** One pull per image at a time; late joiners get progress from then on. */
  private pullShared(
    ref: string,
    onProgress: (p: PullProgressLine) => void,
    auth?: AuthConfig,
  ): Promise<void> {
    let set = this.listeners.get(ref);
    if (!set) this.listeners.set(ref, (set = new Set()));
    set.add(onProgress);
    let p = this.inFlight.get(ref);
    if (!p) {
      p = this.pull(ref, auth).finally(() => {
        this.inFlight.delete(ref);
        this.listeners.delete(ref);
      });
      this.inFlight.set(ref, p);
    }
    return p;
  }

  private async pull(ref: string, auth?: AuthConfig): Promise<void> {
    const stream = (await this.docker.pull(ref, auth ? { authconfig: auth } : {})) as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (err: Error | null, output: { error?: string; errorDetail?: { message?: string } }[]) => {
          const failed = output?.find((o) => o.error || o.errorDetail);
          if (err) reject(err);
          else if (failed) reject(new Error(failed.errorDetail?.message ?? failed.error));
          else resolve();
        },
        (ev: { id?: string; status?: string; progressDetail?: { current?: number; total?: number } }) => {
          const line: PullProgressLine = {
            layer: ev.id ?? '',
            status: ev.status ?? '',
            ...(ev.progressDetail?.current !== undefined ? { current: ev.progressDetail.current } : {}),
            ...(ev.progressDetail?.total !== undefined ? { total: ev.progressDetail.total } : {}),
          };
          for (const l of this.listeners.get(ref) ?? []) l(line);
        },
      );
    });
  }
}

function cleanPullError(err: unknown): string {
  const e = err as { json?: { message?: string }; message?: string };
  return (e.json?.message ?? e.message ?? String(err)).replace(/^\(HTTP code \d+\) [a-z ]+ - /, '').trim();
}
