/**
 * The secrets source of the app and web mode, from Settings: the same two knobs as the CLI's
 * `run --secrets-file FILE` and `--aws-secrets`. Read at every launch, so a changed setting applies
 * to the next task without reconnecting. Only the path and a flag live in Settings; the values are
 * read on the main side at launch and go nowhere but the container's environment.
 */
import type { Settings } from '../../contract/dto.js';
import type { SecretSourceSettings } from '../launch/create-launch-hooks.js';
import { normaliseDir } from './data-dir.js';

export function secretSourceFromSettings(settings: Settings): SecretSourceSettings {
  return {
    ...(settings.secretsFile ? { secretsFile: normaliseDir(settings.secretsFile) } : {}),
    ...(settings.awsSecrets
      ? { aws: { enabled: true, ...(settings.awsProfile ? { profile: settings.awsProfile } : {}) } }
      : {}),
  };
}
