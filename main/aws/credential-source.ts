/**
 * Task-role credentials for the credentials endpoint: taken from the user's local AWS chain
 * (env, profile, SSO, credential_process) and, when asked, exchanged for the task role with
 * STS AssumeRole. Values are cached and refreshed ahead of expiry; they are never logged.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { defaultRegion, localChain, type CredentialProvider } from './aws-access.js';

/** The credentials document the endpoint serves (ECS field names). */
export interface RoleCredentials {
  readonly AccessKeyId: string;
  readonly SecretAccessKey: string;
  readonly Token?: string;
  /** RFC3339, always in the future when handed out. */
  readonly Expiration: string;
}

/** Where task-role credentials come from. */
export interface CredentialSource {
  /** Credentials to hand to a task whose role is `roleArn`. Rejects when none can be had. */
  get(roleArn: string): Promise<RoleCredentials>;
  /** For the UI and logs: which source, never a value. */
  describe(): { readonly source: string; readonly profile?: string };
}

/** Options of the local credential source. */
export interface CredentialSourceOptions {
  /** Named profile; default the SDK's own choice. */
  readonly profile?: string;
  /** Assume the task role with the local credentials instead of handing them out as they are. */
  readonly assumeRole?: boolean;
  /** STS region when assuming roles. */
  readonly region?: string;
  /** Refresh this long before expiry (ms); default 5 minutes. */
  readonly refreshMarginMs?: number;
  /** Replaces the local chain (tests). */
  readonly provider?: CredentialProvider;
  /** Replaces STS AssumeRole (tests). */
  readonly assume?: (roleArn: string, base: CredentialProvider) => Promise<RoleCredentials>;
  readonly now?: () => number;
}

const HOUR_MS = 3_600_000;

/** Creates the credential source over the local chain (optionally assuming the task role). */
export function createCredentialSource(options: CredentialSourceOptions = {}): CredentialSource {
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? 5 * 60_000;
  const base = options.provider ?? localChain(options.profile);
  const assume =
    options.assume ?? ((roleArn, creds) => assumeWithSts(roleArn, creds, defaultRegion(options)));
  const cache = new Map<string, { value?: RoleCredentials; pending?: Promise<RoleCredentials> }>();

  const fresh = (c: RoleCredentials): boolean => Date.parse(c.Expiration) - margin > now();

  const loadBase = async (): Promise<RoleCredentials> => {
    const c = await base();
    // Long-lived keys carry no expiry: synthesise one an hour out, as the endpoint must always send one.
    const expiration = c.expiration ? c.expiration.toISOString() : new Date(now() + HOUR_MS).toISOString();
    return {
      AccessKeyId: c.accessKeyId,
      SecretAccessKey: c.secretAccessKey,
      ...(c.sessionToken ? { Token: c.sessionToken } : {}),
      Expiration: rfc3339(expiration),
    };
  };

  const cached = (key: string, load: () => Promise<RoleCredentials>): Promise<RoleCredentials> => {
    const entry = cache.get(key) ?? {};
    cache.set(key, entry);
    if (entry.value && fresh(entry.value)) return Promise.resolve(entry.value);
    if (!entry.pending) {
      entry.pending = load().then(
        (value) => {
          entry.value = value;
          entry.pending = undefined;
          return value;
        },
        (err: unknown) => {
          entry.pending = undefined;
          throw err;
        },
      );
    }
    return entry.pending;
  };

  return {
    get(roleArn) {
      if (!options.assumeRole) return cached('', loadBase);
      return cached(roleArn, () => assume(roleArn, base));
    },
    describe() {
      const profile = options.profile ?? process.env.AWS_PROFILE;
      const chain = options.provider
        ? 'custom'
        : profile
          ? 'profile'
          : process.env.AWS_ACCESS_KEY_ID
            ? 'environment'
            : 'default-chain';
      const source = options.assumeRole ? `${chain}+assume-role` : chain;
      return profile && !options.provider ? { source, profile } : { source };
    },
  };
}

/** RFC3339 without milliseconds, as the ECS agent writes it. */
function rfc3339(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, 'Z');
}

async function assumeWithSts(
  roleArn: string,
  credentials: CredentialProvider,
  region: string,
): Promise<RoleCredentials> {
  const sts = new STSClient({ region, credentials });
  try {
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: `taskdeck-${Date.now()}`,
        DurationSeconds: 3600,
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.Expiration) {
      throw new Error(`AssumeRole ${roleArn} returned no credentials`);
    }
    return {
      AccessKeyId: c.AccessKeyId,
      SecretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { Token: c.SessionToken } : {}),
      Expiration: rfc3339(c.Expiration.toISOString()),
    };
  } finally {
    sts.destroy();
  }
}
