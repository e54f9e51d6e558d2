/**
 * The region and account tasks run "in": what ARNs, metadata, events and the injected
 * AWS_REGION / AWS_DEFAULT_REGION carry (semantics §2). An explicit choice (settings, `--region`,
 * `--account`) wins; else the developer's own AWS configuration — region from AWS_REGION /
 * AWS_DEFAULT_REGION, then the profile's `region` in ~/.aws/config (read by the SDK's own config
 * loading); account from STS GetCallerIdentity, asked only when local credentials exist and never
 * for longer than a short timeout. Offline or unconfigured falls back to us-east-1 /
 * 000000000000 without an error: a local run must never wait on AWS.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { localChain } from './aws-access.js';

export const FALLBACK_REGION = 'us-east-1';
export const FALLBACK_ACCOUNT = '000000000000';

/** How long the account lookup may take before the fallback is used. */
export const ACCOUNT_LOOKUP_TIMEOUT_MS = 3_000;

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ACCOUNT_PATTERN = /^\d{12}$/;

/** Why a region string is unusable, or undefined when it is fine. */
export function regionProblem(region: string): string | undefined {
  return REGION_PATTERN.test(region) ? undefined : `'${region}' is not an AWS region name (e.g. eu-west-1)`;
}

/** Why an account id is unusable, or undefined when it is fine. */
export function accountProblem(account: string): string | undefined {
  return ACCOUNT_PATTERN.test(account) ? undefined : `'${account}' is not a 12-digit AWS account id`;
}

/** What the lookups may use (seams for tests). */
export interface IdentityLookupOptions {
  readonly profile?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** The profile's region from the shared config files; default: the SDK's own loading. */
  readonly configRegion?: (profile: string | undefined) => Promise<string | undefined>;
  /** The caller's account; default: STS GetCallerIdentity with the local chain. */
  readonly callerAccount?: (
    region: string,
    profile: string | undefined,
    signal: AbortSignal,
  ) => Promise<string>;
  /** Whether local credentials exist at all (no network); default: env keys or shared files. */
  readonly hasCredentials?: (env: NodeJS.ProcessEnv, profile: string | undefined) => boolean;
  readonly timeoutMs?: number;
}

/** The developer's region: AWS_REGION, AWS_DEFAULT_REGION, the profile's config, else us-east-1. */
export async function localRegion(opts: IdentityLookupOptions = {}): Promise<string> {
  const env = opts.env ?? process.env;
  const fromEnv = env['AWS_REGION'] || env['AWS_DEFAULT_REGION'];
  if (fromEnv && !regionProblem(fromEnv)) return fromEnv;
  try {
    const fromConfig = await (opts.configRegion ?? sdkConfigRegion)(opts.profile);
    if (fromConfig && !regionProblem(fromConfig)) return fromConfig;
  } catch {
    // No config file, no region in it, or an unreadable file: the fallback is the answer.
  }
  return FALLBACK_REGION;
}

/** The caller identity's account when credentials exist and STS answers in time, else 000000000000. */
export async function localAccount(region: string, opts: IdentityLookupOptions = {}): Promise<string> {
  const env = opts.env ?? process.env;
  if (!(opts.hasCredentials ?? credentialsConfigured)(env, opts.profile)) return FALLBACK_ACCOUNT;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(undefined);
    }, opts.timeoutMs ?? ACCOUNT_LOOKUP_TIMEOUT_MS);
  });
  try {
    const account = await Promise.race([
      (opts.callerAccount ?? stsCallerAccount)(region, opts.profile, controller.signal).catch(
        () => undefined,
      ),
      timeout,
    ]);
    return account && !accountProblem(account) ? account : FALLBACK_ACCOUNT;
  } finally {
    clearTimeout(timer);
  }
}

/** Explicit values win; missing ones come from the local AWS configuration. */
export async function resolveIdentity(
  explicit: { readonly region?: string | undefined; readonly account?: string | undefined },
  opts: IdentityLookupOptions = {},
): Promise<{ region: string; account: string }> {
  const region = explicit.region || (await localRegion(opts));
  const account = explicit.account || (await localAccount(region, opts));
  return { region, account };
}

/** Env keys, a named profile, or a shared credentials/config file: something the chain can use. */
function credentialsConfigured(env: NodeJS.ProcessEnv, profile: string | undefined): boolean {
  if (env['AWS_ACCESS_KEY_ID'] && env['AWS_SECRET_ACCESS_KEY']) return true;
  if (profile || env['AWS_PROFILE']) return true;
  if (env['AWS_WEB_IDENTITY_TOKEN_FILE'] || env['AWS_CONTAINER_CREDENTIALS_FULL_URI']) return true;
  if (env['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI']) return true;
  const home = env['HOME'] ?? homedir();
  const files = [
    env['AWS_SHARED_CREDENTIALS_FILE'] ?? join(home, '.aws', 'credentials'),
    env['AWS_CONFIG_FILE'] ?? join(home, '.aws', 'config'),
  ];
  return files.some((f) => existsSync(f));
}

/** The region the SDK itself would use for this profile (env already checked by the caller). */
async function sdkConfigRegion(profile: string | undefined): Promise<string | undefined> {
  // The client's region provider is the SDK's config loading (env, then the profile's `region`).
  const client = new STSClient(profile ? { profile } : {});
  try {
    return await client.config.region();
  } finally {
    client.destroy();
  }
}

async function stsCallerAccount(
  region: string,
  profile: string | undefined,
  signal: AbortSignal,
): Promise<string> {
  const client = new STSClient({ region, credentials: localChain(profile), maxAttempts: 1 });
  try {
    const out = await client.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
    return out.Account ?? FALLBACK_ACCOUNT;
  } finally {
    client.destroy();
  }
}
