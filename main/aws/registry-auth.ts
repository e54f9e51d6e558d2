/**
 * Registry credentials for image pulls: `repositoryCredentials.credentialsParameter` (a secret
 * holding `{"username","password"}`, resolved like any container secret) or, for Amazon ECR
 * images with AWS access enabled, an ECR authorization token.
 */
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { awsErrorText, localChain, type AwsAccess } from './aws-access.js';
import { SECRET_ERROR_PREFIX, type SecretResolver } from './secrets.js';

/** dockerode's `authconfig` for pulls. */
export interface RegistryAuth {
  readonly username: string;
  readonly password: string;
  readonly serveraddress: string;
}

const DOCKER_HUB = 'docker.io';

/** The registry host of an image reference (`docker.io` for Docker Hub short names). */
export function registryHost(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return DOCKER_HUB;
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : DOCKER_HUB;
}

/** Account and region of an ECR registry host, when it is one. */
export function parseEcrHost(host: string): { account: string; region: string } | undefined {
  const m = /^(\d{12})\.dkr(?:-fips)?\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(host);
  return m?.[1] && m[2] ? { account: m[1], region: m[2] } : undefined;
}

/** Injectable ECR token fetch (tests). */
export type EcrTokenFetcher = (
  region: string,
  account: string,
  aws: AwsAccess,
) => Promise<{ username: string; password: string; expiresAt?: Date }>;

const ecrCache = new Map<string, { auth: RegistryAuth; expiresAt: number }>();

/**
 * The auth to pull `image` with, or undefined for an anonymous pull. Failures reject with a
 * `ResourceInitializationError: unable to pull secrets or registry auth: …` message.
 */
export async function registryAuthFor(
  image: string,
  repositoryCredentials: { readonly credentialsParameter: string } | undefined,
  resolver: SecretResolver,
  aws?: AwsAccess,
  ecrToken: EcrTokenFetcher = fetchEcrToken,
): Promise<RegistryAuth | undefined> {
  const host = registryHost(image);
  const serveraddress = host === DOCKER_HUB ? 'https://index.docker.io/v1/' : host;
  if (repositoryCredentials) {
    const param = repositoryCredentials.credentialsParameter;
    const values = await resolver.resolve([{ name: 'repositoryCredentials', valueFrom: param }]);
    const raw = values.repositoryCredentials ?? '';
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    const p = parsed as { username?: unknown; password?: unknown } | undefined;
    if (!p || typeof p.username !== 'string' || typeof p.password !== 'string') {
      throw new Error(
        `${SECRET_ERROR_PREFIX}repositoryCredentials (credentialsParameter ${param}): ` +
          'the secret must be a JSON object with string "username" and "password"',
      );
    }
    return { username: p.username, password: p.password, serveraddress };
  }
  const ecr = parseEcrHost(host);
  if (!ecr || !aws?.enabled) return undefined;
  const cached = ecrCache.get(host);
  if (cached && cached.expiresAt - 5 * 60_000 > Date.now()) return cached.auth;
  try {
    const token = await ecrToken(ecr.region, ecr.account, aws);
    const auth = { username: token.username, password: token.password, serveraddress: `https://${host}` };
    ecrCache.set(host, { auth, expiresAt: token.expiresAt?.getTime() ?? Date.now() + 3_600_000 });
    return auth;
  } catch (err) {
    throw new Error(`${SECRET_ERROR_PREFIX}ECR authorization token for ${host}: ${(err as Error).message}`);
  }
}

async function fetchEcrToken(
  region: string,
  account: string,
  aws: AwsAccess,
): Promise<{ username: string; password: string; expiresAt?: Date }> {
  const client = new ECRClient({ region, credentials: localChain(aws.profile) });
  try {
    const out = await client.send(new GetAuthorizationTokenCommand({ registryIds: [account] }));
    const data = out.authorizationData?.[0];
    if (!data?.authorizationToken) throw new Error('GetAuthorizationToken returned no token');
    const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new Error('GetAuthorizationToken returned a malformed token');
    return {
      username: decoded.slice(0, colon),
      password: decoded.slice(colon + 1),
      ...(data.expiresAt ? { expiresAt: data.expiresAt } : {}),
    };
  } catch (err) {
    throw new Error(awsErrorText(err));
  } finally {
    client.destroy();
  }
}
