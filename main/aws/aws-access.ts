/**
 * How Taskdeck may talk to real AWS (Secrets Manager, SSM, S3, ECR): off unless enabled, with the
 * user's local credential chain (env, profile, SSO, credential_process). Never used for the task
 * role itself (see credential-source.ts).
 */
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';

/** Whether, and as whom, Taskdeck may call AWS APIs on the user's behalf. */
export interface AwsAccess {
  readonly enabled: boolean;
  /** Named profile from ~/.aws/config; default: the SDK's own choice (AWS_PROFILE, then default). */
  readonly profile?: string;
  /** Region for calls whose target carries none (SSM names, S3, ECR fallback); default AWS_REGION or us-east-1. */
  readonly region?: string;
}

/** The region to use when the resource names none. */
export function defaultRegion(access: { readonly region?: string } | undefined): string {
  return access?.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

/** A credentials provider as the SDK clients accept it. */
export type CredentialProvider = ReturnType<typeof fromNodeProviderChain>;

/** A memoised provider over the local chain for the given profile. */
export function localChain(profile: string | undefined): CredentialProvider {
  return fromNodeProviderChain(profile ? { profile } : {});
}

/** Error text of an AWS SDK failure, without request ids or anything a response might echo back. */
export function awsErrorText(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { name?: string; message?: string };
    const name = e.name && e.name !== 'Error' ? `${e.name}: ` : '';
    return `${name}${e.message ?? String(err)}`;
  }
  return String(err);
}
