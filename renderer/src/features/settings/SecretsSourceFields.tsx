/**
 * Settings → Secrets: where container `secrets` come from in the app and web mode, the same two
 * choices as the CLI's `run --secrets-file` and `--aws-secrets`. Only a path and a flag: secret
 * values are read on the main side at launch and never reach this page.
 */

export interface SecretsSourceForm {
  readonly secretsFile: string;
  readonly awsSecrets: boolean;
}

/** The form's starting values from Settings. */
export function secretsSourceForm(settings: {
  secretsFile?: string;
  awsSecrets?: boolean;
}): SecretsSourceForm {
  return { secretsFile: settings.secretsFile ?? '', awsSecrets: settings.awsSecrets === true };
}

export function SecretsSourceFields({
  value,
  onChange,
  invalid,
}: {
  readonly value: SecretsSourceForm;
  readonly onChange: (next: SecretsSourceForm) => void;
  /** The server refused the path (its message is shown under the form). */
  readonly invalid?: boolean;
}) {
  return (
    <section className="card" data-testid="secrets-source">
      <header className="card-header">
        <h3>Secrets</h3>
      </header>
      <label className={`field${invalid ? ' field-invalid' : ''}`}>
        <span>Secrets file</span>
        <input
          className="mono"
          data-testid="secrets-file"
          value={value.secretsFile}
          placeholder="none"
          aria-label="Secrets file"
          onChange={(e) => onChange({ ...value, secretsFile: e.target.value })}
        />
        <small className="muted">
          Absolute path of a JSON object keyed by valueFrom (a Secrets Manager ARN or an SSM parameter name or
          ARN), as <span className="mono">taskdeck run --secrets-file</span> reads it. Read at each launch;
          empty means none.
        </small>
      </label>
      <label className="check">
        <input
          type="checkbox"
          data-testid="aws-secrets"
          checked={value.awsSecrets}
          onChange={(e) => onChange({ ...value, awsSecrets: e.target.checked })}
        />{' '}
        Resolve secrets the file lacks from AWS Secrets Manager and SSM Parameter Store with my local AWS
        credentials (the AWS profile below, else the default chain), as{' '}
        <span className="mono">--aws-secrets</span>
      </label>
    </section>
  );
}
