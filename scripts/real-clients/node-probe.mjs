// Runs inside a Taskdeck task as its first instruction: what the real AWS SDK for JavaScript v3
// and OpenTelemetry's ECS resource detector see. Prints one line, `NODE-PROBE <json>`; secrets
// only as a SHA-256, so the container's log never holds them.
import { createHash } from 'node:crypto';
import { STSClient } from '@aws-sdk/client-sts';
import { fromContainerMetadata, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { awsEcsDetector } from '@opentelemetry/resource-detector-aws';
import { detectResources } from '@opentelemetry/resources';

const sha = (s) => createHash('sha256').update(String(s)).digest('hex');
const describe = (c) => ({ accessKeyId: c.accessKeyId, secretSha256: sha(c.secretAccessKey) });
const attempt = async (fn) => {
  try {
    return { ok: true, ...(await fn()) };
  } catch (e) {
    return { ok: false, error: `${e?.name}: ${e?.message}` };
  }
};

const out = {
  containerMetadata: await attempt(async () =>
    describe(await fromContainerMetadata({ timeout: 1000, maxRetries: 0 })()),
  ),
  defaultChain: await attempt(async () => describe(await fromNodeProviderChain()())),
  region: await attempt(async () => ({ value: await new STSClient({}).config.region() })),
  otel: await attempt(async () => {
    const resource = detectResources({ detectors: [awsEcsDetector] });
    await resource.waitForAsyncAttributes?.();
    return { attributes: resource.attributes };
  }),
};
console.log(`NODE-PROBE ${JSON.stringify(out)}`);
