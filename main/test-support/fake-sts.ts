/**
 * A local STS-compatible endpoint for tests: speaks the STS Query API (form-encoded POST, XML
 * answers) for AssumeRole and GetSessionToken, so the real @aws-sdk/client-sts talks to it through
 * an endpoint override. Roles in `denied` answer AccessDenied (403) as STS does. Every call is
 * recorded and announced on `calls` (tests wait on it instead of sleeping).
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One STS request as the fake saw it. */
export interface StsCall {
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
  /** The access key id that signed the request (from the Authorization header). */
  readonly signedBy?: string;
  /** What was handed out (undefined on an error). */
  readonly accessKeyId?: string;
  readonly expiration?: string;
}

/** A running fake. */
export interface FakeSts {
  readonly url: string;
  readonly calls: StsCall[];
  /** Emits 'call' (StsCall) after each answer. */
  readonly events: EventEmitter;
  /** Roles that answer AccessDenied. */
  readonly denied: Set<string>;
  /** Lifetime of handed-out credentials (seconds); default the request's DurationSeconds. */
  lifetimeSeconds?: number;
  /** Resolves once `n` calls of `action` have been answered. */
  waitForCalls(action: string, n: number): Promise<StsCall[]>;
  close(): Promise<void>;
}

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

function credentialsXml(id: string, expiration: string): string {
  return `<Credentials><AccessKeyId>${id}</AccessKeyId><SecretAccessKey>fake-secret-${id}</SecretAccessKey><SessionToken>fake-token-${id}</SessionToken><Expiration>${expiration}</Expiration></Credentials>`;
}

/** Starts the fake on 127.0.0.1 (random port). */
export async function startFakeSts(): Promise<FakeSts> {
  const events = new EventEmitter();
  const calls: StsCall[] = [];
  const denied = new Set<string>();
  let serial = 0;
  const fake: FakeSts = {
    url: '',
    calls,
    events,
    denied,
    waitForCalls(action, n) {
      const matching = () => calls.filter((c) => c.action === action);
      if (matching().length >= n) return Promise.resolve(matching());
      return new Promise((resolve) => {
        const on = (): void => {
          if (matching().length < n) return;
          events.off('call', on);
          resolve(matching());
        };
        events.on('call', on);
      });
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      const action = params['Action'] ?? '';
      const signedBy = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
      const requestId = `fake-${++serial}`;
      const lifetime = fake.lifetimeSeconds ?? Number(params['DurationSeconds'] ?? 3600);
      const expiration = new Date(Date.now() + lifetime * 1000).toISOString();
      const record = (extra: Partial<StsCall>): void => {
        calls.push({ action, params, ...(signedBy ? { signedBy } : {}), ...extra });
        events.emit('call', calls.at(-1));
      };
      const xml = (status: number, text: string): void => {
        res.writeHead(status, { 'Content-Type': 'text/xml' });
        res.end(text);
      };
      if (action === 'AssumeRole' && denied.has(params['RoleArn'] ?? '')) {
        xml(
          403,
          `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::000000000000:user/developer is not authorized to perform: sts:AssumeRole on resource: ${params['RoleArn']}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        );
        record({});
        return;
      }
      if (action === 'AssumeRole' || action === 'GetSessionToken') {
        const id = `ASIAFAKE${action === 'AssumeRole' ? 'ROLE' : 'SESS'}${String(serial).padStart(4, '0')}`;
        const inner =
          action === 'AssumeRole'
            ? `${credentialsXml(id, expiration)}<AssumedRoleUser><Arn>${params['RoleArn']}/${params['RoleSessionName']}</Arn><AssumedRoleId>AROAFAKE:${params['RoleSessionName']}</AssumedRoleId></AssumedRoleUser>`
            : credentialsXml(id, expiration);
        xml(
          200,
          `<${action}Response xmlns="${NS}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
        );
        record({ accessKeyId: id, expiration });
        return;
      }
      xml(
        400,
        `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Could not find operation ${action}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
      record({});
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  (fake as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
