/**
 * Single-use link codes: what the printed URL (and so the browser opener's arguments, visible in
 * `ps`) carries instead of the token. A code is spent by its first exchange and dies after at most
 * a minute, so seeing it later is worth nothing.
 */
import { WEB_LINK_CODE_TTL_MS } from '../../contract/web-session.js';
import { createToken, tokensEqual } from './auth.js';

/** Issues and redeems codes. */
export interface LinkCodes {
  /** A fresh code, valid once, until `ttlMs` from now. */
  issue(): string;
  /** Whether `code` was live; it is spent either way (a second redeem of the same code fails). */
  redeem(code: string): boolean;
}

/** Options; the clock is injected so expiry is tested without waiting. */
export interface LinkCodeOptions {
  readonly now?: () => number;
  /** At most 60 s (longer is clamped). */
  readonly ttlMs?: number;
  /** Outstanding codes kept; issuing more drops the oldest. */
  readonly max?: number;
}

interface Entry {
  readonly code: string;
  readonly expiresAt: number;
}

/** Creates an empty code store. */
export function createLinkCodes(options: LinkCodeOptions = {}): LinkCodes {
  const now = options.now ?? Date.now;
  const ttlMs = Math.min(options.ttlMs ?? WEB_LINK_CODE_TTL_MS, WEB_LINK_CODE_TTL_MS);
  const max = options.max ?? 16;
  let live: Entry[] = [];

  const prune = (): void => {
    const t = now();
    live = live.filter((e) => e.expiresAt > t);
  };

  return {
    issue() {
      prune();
      const code = createToken();
      live.push({ code, expiresAt: now() + ttlMs });
      if (live.length > max) live = live.slice(live.length - max);
      return code;
    },
    redeem(code) {
      prune();
      // Compare against every live code without stopping early: timing says nothing about which.
      let match: Entry | undefined;
      for (const entry of live) if (tokensEqual(entry.code, code)) match = entry;
      if (!match) return false;
      live = live.filter((e) => e !== match);
      return true;
    },
  };
}
