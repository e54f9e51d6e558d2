import Docker from 'dockerode';

/**
 * Global setup for the integration project: fail loudly (never skip) when no Docker daemon answers.
 */
export default async function requireDocker(): Promise<void> {
  const docker = new Docker();
  try {
    await docker.ping();
  } catch (err) {
    throw new Error(
      `Integration tests need a running Docker daemon and none answered (${(err as Error).message}). ` +
        'Run `bash scripts/ci-setup.sh` (as root) to install and start one.',
    );
  }
  const images = await docker.listImages({ filters: { reference: ['taskdeck-test/busybox:latest'] } });
  if (images.length === 0) {
    throw new Error('Test image taskdeck-test/busybox:latest is missing. Run `bash scripts/ci-setup.sh`.');
  }
}
