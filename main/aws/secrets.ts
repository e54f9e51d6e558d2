/**
 * Container `secrets` (and repositoryCredentials) resolution: a local secrets file first, then
 * Secrets Manager / SSM Parameter Store when AWS access is enabled. Failures use the agent's
 * `ResourceInitializationError` wording; secret values never appear in errors or logs.
 */
import { readFile } from 'node:fs/promises';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { SecretRef } from '../task-definition/model.js';
import { awsErrorText, defaultRegion, localChain, type AwsAccess } from './aws-access.js';

/** Prefix of every secret / registry-auth failure (semantics §3). */
export const SECRET_ERROR_PREFIX = 'ResourceInitializationError: unable to pull secrets or registry auth: ';

/** A parsed `valueFrom`. */
export type SecretLocation =
  | {
      readonly kind: 'secretsmanager';
      /** The secret's ARN without the json-key/stage/version suffix. */
      readonly secretArn: string;
      readonly region: string;
      readonly account: string;
      /** Secret name as written in the ARN (may carry the 6-character suffix). */
      readonly secretName: string;
      readonly jsonKey?: string;
      readonly versionStage?: string;
      readonly versionId?: string;
    }
  | {
      readonly kind: 'ssm';
      /** Parameter name (`/x/y` or `plain`). */
      readonly name: string;
      readonly region?: string;
      readonly account?: string;
    };

/** Parses `valueFrom`: a Secrets Manager ARN, an SSM parameter ARN, or an SSM parameter name. */
export function parseValueFrom(valueFrom: string): SecretLocation {
  if (valueFrom.startsWith('arn:')) {
    const parts = valueFrom.split(':');
    const [, partition, service, region = '', account = ''] = parts;
    if (!partition) throw new Error(`not an ARN: ${valueFrom}`);
    if (service === 'secretsmanager') {
      if (parts[5] !== 'secret' || !parts[6] || parts.length > 10) {
        throw new Error(`not a Secrets Manager secret ARN: ${valueFrom}`);
      }
      const opt = (i: number): string | undefined => (parts[i] ? parts[i] : undefined);
      const jsonKey = opt(7);
      const versionStage = opt(8);
      const versionId = opt(9);
      return {
        kind: 'secretsmanager',
        secretArn: parts.slice(0, 7).join(':'),
        region,
        account,
        secretName: parts[6],
        ...(jsonKey ? { jsonKey } : {}),
        ...(versionStage ? { versionStage } : {}),
        ...(versionId ? { versionId } : {}),
      };
    }
    if (service === 'ssm') {
      const resource = parts.slice(5).join(':');
      if (!resource.startsWith('parameter/') || resource.length === 'parameter/'.length) {
        throw new Error(`not an SSM parameter ARN: ${valueFrom}`);
      }
      const rest = resource.slice('parameter/'.length);
      // Hierarchical names begin with "/", which the ARN folds into "parameter/".
      const name = rest.includes('/') ? `/${rest}` : rest;
      return { kind: 'ssm', name, ...(region ? { region } : {}), ...(account ? { account } : {}) };
    }
    throw new Error(`unsupported ARN service '${service}' (expected secretsmanager or ssm): ${valueFrom}`);
  }
  if (!/^[A-Za-z0-9_.\-/]+$/.test(valueFrom)) throw new Error(`not an SSM parameter name: ${valueFrom}`);
  return { kind: 'ssm', name: valueFrom };
}

/** Resolves container secrets to their values. */
export interface SecretResolver {
  /** name → value for every ref; rejects with a ResourceInitializationError naming each failure. */
  resolve(refs: readonly SecretRef[]): Promise<Record<string, string>>;
}

/** Where secrets may come from. */
export interface SecretResolverOptions {
  /** JSON object keyed by valueFrom (full ARN or SSM name) → string value. */
  readonly secretsFile?: string;
  readonly aws?: AwsAccess;
  /** Replaces the AWS calls (tests). */
  readonly fetchers?: Partial<SecretFetchers>;
}

/** The two remote look-ups, injectable for tests. */
export interface SecretFetchers {
  secretsManager(loc: Extract<SecretLocation, { kind: 'secretsmanager' }>): Promise<string>;
  ssm(loc: Extract<SecretLocation, { kind: 'ssm' }>): Promise<string>;
}

/** Creates a resolver over the local secrets file and, when enabled, AWS. */
export function createSecretResolver(options: SecretResolverOptions = {}): SecretResolver {
  let file: Promise<Record<string, unknown>> | undefined;
  const loadFile = (): Promise<Record<string, unknown>> => {
    file ??= readSecretsFile(options.secretsFile);
    return file;
  };
  const fetchers: SecretFetchers = {
    secretsManager: options.fetchers?.secretsManager ?? ((loc) => fetchSecretsManager(loc, options.aws)),
    ssm: options.fetchers?.ssm ?? ((loc) => fetchSsm(loc, options.aws)),
  };
  const awsEnabled = options.aws?.enabled === true || options.fetchers !== undefined;

  const resolveOne = async (ref: SecretRef): Promise<string> => {
    const loc = parseValueFrom(ref.valueFrom);
    const values = options.secretsFile ? await loadFile() : {};
    const local = lookupLocal(values, ref.valueFrom, loc);
    if (local !== undefined) return local;
    if (!awsEnabled) {
      const where = options.secretsFile
        ? `not in the secrets file ${options.secretsFile}`
        : 'no secrets file given';
      throw new Error(`${where} and AWS lookups are disabled`);
    }
    if (loc.kind === 'ssm') return fetchers.ssm(loc);
    const whole = await fetchers.secretsManager(loc);
    return loc.jsonKey ? extractJsonKey(whole, loc.jsonKey) : whole;
  };

  return {
    async resolve(refs) {
      const out: Record<string, string> = {};
      const failures: string[] = [];
      await Promise.all(
        refs.map(async (ref) => {
          try {
            out[ref.name] = await resolveOne(ref);
          } catch (err) {
            failures.push(`secret ${ref.name} (valueFrom ${ref.valueFrom}): ${(err as Error).message}`);
          }
        }),
      );
      if (failures.length > 0) throw new Error(SECRET_ERROR_PREFIX + failures.sort().join('; '));
      return out;
    },
  };
}

async function readSecretsFile(path: string | undefined): Promise<Record<string, unknown>> {
  if (!path) return {};
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read secrets file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Never echo the parser's message: it quotes the file's content.
    throw new Error(`secrets file ${path} is not valid JSON`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`secrets file ${path} must hold a JSON object keyed by valueFrom`);
  }
  return parsed as Record<string, unknown>;
}

/** The local value for a ref: exact valueFrom first, then the other spellings of the same secret. */
function lookupLocal(
  values: Record<string, unknown>,
  valueFrom: string,
  loc: SecretLocation,
): string | undefined {
  const exact = values[valueFrom];
  if (exact !== undefined) return asString(exact, valueFrom);
  if (loc.kind === 'ssm') {
    const byName = values[loc.name];
    if (byName !== undefined) return asString(byName, loc.name);
    const arnKey = Object.keys(values).find((k) => {
      if (!k.startsWith('arn:')) return false;
      try {
        const other = parseValueFrom(k);
        return other.kind === 'ssm' && other.name === loc.name;
      } catch {
        return false;
      }
    });
    return arnKey === undefined ? undefined : asString(values[arnKey], arnKey);
  }
  const whole = values[loc.secretArn];
  if (whole === undefined) return undefined;
  if (!loc.jsonKey) return asString(whole, loc.secretArn);
  if (whole && typeof whole === 'object' && !Array.isArray(whole)) {
    return pickKey(whole as Record<string, unknown>, loc.jsonKey);
  }
  return extractJsonKey(asString(whole, loc.secretArn), loc.jsonKey);
}

function asString(value: unknown, key: string): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return JSON.stringify(value);
  throw new Error(`secrets file entry ${key} must be a string`);
}

function extractJsonKey(secret: string, key: string): string {
  let obj: unknown;
  try {
    obj = JSON.parse(secret);
  } catch {
    throw new Error(`secret is not a JSON object, so json-key '${key}' cannot be read`);
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new Error(`secret is not a JSON object, so json-key '${key}' cannot be read`);
  }
  return pickKey(obj as Record<string, unknown>, key);
}

function pickKey(obj: Record<string, unknown>, key: string): string {
  const v = obj[key];
  if (v === undefined) throw new Error(`json-key '${key}' is not in the secret`);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

async function fetchSecretsManager(
  loc: Extract<SecretLocation, { kind: 'secretsmanager' }>,
  aws: AwsAccess | undefined,
): Promise<string> {
  const client = new SecretsManagerClient({
    region: loc.region || defaultRegion(aws),
    credentials: localChain(aws?.profile),
  });
  try {
    const out = await client.send(
      new GetSecretValueCommand({
        SecretId: loc.secretArn,
        ...(loc.versionStage ? { VersionStage: loc.versionStage } : {}),
        ...(loc.versionId ? { VersionId: loc.versionId } : {}),
      }),
    );
    if (out.SecretString === undefined)
      throw new Error('secret has no SecretString (binary secrets are not supported)');
    return out.SecretString;
  } catch (err) {
    throw new Error(`Secrets Manager GetSecretValue failed: ${awsErrorText(err)}`);
  } finally {
    client.destroy();
  }
}

async function fetchSsm(
  loc: Extract<SecretLocation, { kind: 'ssm' }>,
  aws: AwsAccess | undefined,
): Promise<string> {
  const client = new SSMClient({
    region: loc.region ?? defaultRegion(aws),
    credentials: localChain(aws?.profile),
  });
  try {
    const out = await client.send(new GetParameterCommand({ Name: loc.name, WithDecryption: true }));
    const value = out.Parameter?.Value;
    if (value === undefined) throw new Error('parameter has no value');
    return value;
  } catch (err) {
    throw new Error(`SSM GetParameter failed: ${awsErrorText(err)}`);
  } finally {
    client.destroy();
  }
}
