/**
 * Task-role credentials for the credentials endpoint, one session per task.
 *
 * Default (`assume-role`): STS AssumeRole of the task's role with the user's local chain (env,
 * profile, SSO, credential_process), session name `taskdeck-<task id>`, the real Expiration, and
 * a timer that refreshes a few minutes before it ends. When the role cannot be assumed the first
 * fetch rejects with the reason, and the task fails to start.
 *
 * Only when the user explicitly chose "pass my own credentials" (`own`): the local chain's
 * credentials, exchanged for short-lived ones with STS GetSessionToken when they are long-lived
 * keys; temporary credentials (SSO, an assumed profile) pass as they are. The session then
 * carries a warning for the task. Values are never logged.
 */
import { AssumeRoleCommand, GetSessionTokenCommand, STSClient, type Credentials } from '@aws-sdk/client-sts';
import { awsErrorText, defaultRegion, localChain, type CredentialProvider } from './aws-access.js';

/** The credentials document the endpoint serves (ECS field names). */
export interface RoleCredentials {
  readonly AccessKeyId: string;
  readonly SecretAccessKey: string;
  readonly Token?: string;
  /** RFC3339, always in the future when handed out. */
  readonly Expiration: string;
}

/** How a task with a role gets credentials. */
export type CredentialsMode = 'assume-role' | 'own';

/** What the inspector may show of a task's credentials (never a value). */
export interface TaskCredentialsStatus {
  readonly mode: CredentialsMode;
  readonly source: string;
  readonly profile?: string;
  readonly expiration?: string;
  readonly error?: string;
}

/** One task's credentials. */
export interface TaskCredentials {
  /** Current credentials, fetched again when they are about to expire. Rejects when none can be had. */
  get(): Promise<RoleCredentials>;
  /** The first fetch (started by `open`); rejects with the reason, e.g. AccessDenied. */
  ready(): Promise<void>;
  /** For the task (own mode): what was handed out instead of the task role. Set once ready. */
  warning(): string | undefined;
  status(): TaskCredentialsStatus;
  /** Stops the refresh timer. */
  close(): void;
}

/** Where task-role credentials come from. */
export interface CredentialSource {
  /** Opens a task's credentials and starts the first fetch. */
  open(input: {
    readonly taskId: string;
    readonly roleArn: string;
    readonly mode: CredentialsMode;
  }): TaskCredentials;
  /** For the UI and logs: which local source, never a value. */
  describe(): { readonly source: string; readonly profile?: string };
}

/** The two STS calls, replaceable in unit tests. */
export interface StsCalls {
  assumeRole(roleArn: string, sessionName: string, durationSeconds: number): Promise<Partial<Credentials>>;
  getSessionToken(durationSeconds: number): Promise<Partial<Credentials>>;
}

/** Options of the credential source. */
export interface CredentialSourceOptions {
  /** Named profile; default the SDK's own choice. */
  readonly profile?: string;
  /** STS region; default AWS_REGION, then us-east-1. */
  readonly region?: string;
  /** STS endpoint override (else the SDK's own: AWS_ENDPOINT_URL_STS, then AWS). */
  readonly stsEndpoint?: string;
  /** Requested session length; default 3600 s. */
  readonly durationSeconds?: number;
  /** Refresh this long before expiry (ms); default 5 minutes. */
  readonly refreshMarginMs?: number;
  /** Replaces the local chain (tests). */
  readonly provider?: CredentialProvider;
  /** Replaces the STS client (unit tests). */
  readonly sts?: StsCalls;
  readonly now?: () => number;
}

const HOUR_MS = 3_600_000;
/** Never refresh sooner than this after a fetch, whatever STS returned (no hot loop). */
const MIN_REFRESH_DELAY_MS = 1_000;
/** setTimeout's largest delay; a longer one would fire at once (a far-off expiry must not spin). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** After a failed refresh, try again after at most this long. */
const RETRY_DELAY_MS = 30_000;

/** Creates the credential source over the local chain. */
export function createCredentialSource(options: CredentialSourceOptions = {}): CredentialSource {
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? 5 * 60_000;
  const duration = options.durationSeconds ?? 3600;
  const base = options.provider ?? localChain(options.profile);
  const sts = options.sts ?? stsCalls(base, options);

  const describe = (): { source: string; profile?: string } => {
    const profile = options.profile ?? process.env.AWS_PROFILE;
    const chain = options.provider
      ? 'custom'
      : profile
        ? 'profile'
        : process.env.AWS_ACCESS_KEY_ID
          ? 'environment'
          : 'default-chain';
    return profile && !options.provider ? { source: chain, profile } : { source: chain };
  };

  return {
    describe,
    open({ taskId, roleArn, mode }) {
      let value: RoleCredentials | undefined;
      let pending: Promise<RoleCredentials> | undefined;
      let error: string | undefined;
      let warning: string | undefined;
      let timer: NodeJS.Timeout | undefined;
      let closed = false;

      const fetchOnce = async (): Promise<RoleCredentials> => {
        if (mode === 'assume-role') {
          return fromSts(await sts.assumeRole(roleArn, `taskdeck-${taskId}`, duration), roleArn);
        }
        const own = await ownCredentials(base, sts, duration, now);
        warning ??= `Your own AWS credentials are passed to this task instead of its task role ${roleArn} (${own.what}): it can do anything you can.`;
        return own.credentials;
      };

      const schedule = (delay: number): void => {
        if (closed) return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(
          () => void load().catch(() => undefined),
          Math.min(Math.max(delay, MIN_REFRESH_DELAY_MS), MAX_TIMER_MS),
        );
        // A refresh must never keep the CLI (or a test) alive.
        timer.unref();
      };

      const load = (): Promise<RoleCredentials> => {
        pending ??= fetchOnce().then(
          (c) => {
            pending = undefined;
            value = c;
            error = undefined;
            schedule(Date.parse(c.Expiration) - margin - now());
            return c;
          },
          (err: unknown) => {
            pending = undefined;
            error = awsErrorText(err);
            // Keep serving what we have while it lasts; try again before it runs out.
            if (value) schedule(Math.min(RETRY_DELAY_MS, (Date.parse(value.Expiration) - now()) / 2));
            throw err;
          },
        );
        return pending;
      };

      const first = load();
      first.catch(() => undefined);
      return {
        get() {
          if (value && Date.parse(value.Expiration) - margin > now()) return Promise.resolve(value);
          if (value && pending === undefined && Date.parse(value.Expiration) > now()) {
            // Past the margin (the timer was late, e.g. after sleep): refresh, serve the old ones meanwhile.
            void load().catch(() => undefined);
            return Promise.resolve(value);
          }
          return load();
        },
        ready: () => first.then(() => undefined),
        warning: () => warning,
        status() {
          const who = describe();
          return {
            mode,
            source: mode === 'assume-role' ? `${who.source}+assume-role` : `${who.source} (own credentials)`,
            ...(who.profile ? { profile: who.profile } : {}),
            ...(value ? { expiration: value.Expiration } : {}),
            ...(error ? { error } : {}),
          };
        },
        close() {
          closed = true;
          if (timer) clearTimeout(timer);
        },
      };
    },
  };
}

/** The user's own credentials in the shortest-lived form available. */
async function ownCredentials(
  base: CredentialProvider,
  sts: StsCalls,
  duration: number,
  now: () => number,
): Promise<{ credentials: RoleCredentials; what: string }> {
  const c = await base();
  if (c.sessionToken) {
    return {
      what: 'your temporary session credentials',
      credentials: {
        AccessKeyId: c.accessKeyId,
        SecretAccessKey: c.secretAccessKey,
        Token: c.sessionToken,
        Expiration: rfc3339((c.expiration ?? new Date(now() + HOUR_MS)).toISOString()),
      },
    };
  }
  try {
    return {
      what: 'short-lived credentials from STS GetSessionToken',
      credentials: fromSts(await sts.getSessionToken(duration), 'GetSessionToken'),
    };
  } catch (err) {
    // The user asked for their own credentials: hand out the keys, and say so on the task.
    return {
      what: `your long-lived access keys, because GetSessionToken failed: ${awsErrorText(err)}`,
      credentials: {
        AccessKeyId: c.accessKeyId,
        SecretAccessKey: c.secretAccessKey,
        Expiration: rfc3339(new Date(now() + HOUR_MS).toISOString()),
      },
    };
  }
}

function fromSts(c: Partial<Credentials> | undefined, what: string): RoleCredentials {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.Expiration) {
    throw new Error(`STS returned no credentials for ${what}`);
  }
  return {
    AccessKeyId: c.AccessKeyId,
    SecretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken ? { Token: c.SessionToken } : {}),
    Expiration: rfc3339(c.Expiration.toISOString()),
  };
}

/** RFC3339 without milliseconds, as the ECS agent writes it. */
function rfc3339(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, 'Z');
}

/** The real STS client (one per source; requests signed with the local chain). */
function stsCalls(base: CredentialProvider, options: CredentialSourceOptions): StsCalls {
  let client: STSClient | undefined;
  const sts = (): STSClient =>
    (client ??= new STSClient({
      region: defaultRegion(options),
      credentials: base,
      // One retry: a task waiting to start should learn quickly that STS is unreachable.
      maxAttempts: 2,
      ...(options.stsEndpoint ? { endpoint: options.stsEndpoint } : {}),
    }));
  return {
    async assumeRole(roleArn, sessionName, durationSeconds) {
      const out = await sts().send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: sessionName,
          DurationSeconds: durationSeconds,
        }),
      );
      return out.Credentials ?? {};
    },
    async getSessionToken(durationSeconds) {
      const out = await sts().send(new GetSessionTokenCommand({ DurationSeconds: durationSeconds }));
      return out.Credentials ?? {};
    },
  };
}
