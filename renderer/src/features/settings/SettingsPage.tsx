/** Settings: Docker endpoint/context, AWS profile, default pull behaviour, port exposure, env-file scope, secrets source, data dir, theme. */
import { useState } from 'react';
import type { PullBehavior, Settings, ThemePreference } from '../../../../contract/dto.js';
import { DEFAULT_LOG_CAP_MB, PULL_BEHAVIORS } from '../../../../contract/dto.js';
import { errorToast, useToasts } from '../../components/Toasts.js';
import {
  useAppInfo,
  useDockerStatus,
  useRetryDocker,
  useSettings,
  useUpdateSettings,
} from '../../queries/hooks.js';
import { SecretsSourceFields, secretsSourceForm } from './SecretsSourceFields.js';

export function SettingsPage() {
  const settings = useSettings();
  if (!settings.data) return <div className="page muted">Loading…</div>;
  return <SettingsForm key={JSON.stringify(settings.data)} settings={settings.data} />;
}

function SettingsForm({ settings }: { settings: Settings }) {
  const update = useUpdateSettings();
  const docker = useDockerStatus();
  const retry = useRetryDocker();
  const info = useAppInfo();
  const { push } = useToasts();
  const [form, setForm] = useState({
    dockerEndpoint: settings.dockerEndpoint ?? '',
    dockerContext: settings.dockerContext ?? '',
    awsProfile: settings.awsProfile ?? '',
    defaultPullBehavior: settings.defaultPullBehavior,
    dataDir: settings.dataDir,
    theme: settings.theme,
    passOwnCredentials: settings.passOwnCredentials === true,
    exposePorts: settings.exposePorts,
    allowEnvFilesOutsideFolder: settings.allowEnvFilesOutsideFolder,
    logCapMB: String(settings.logCapMB ?? DEFAULT_LOG_CAP_MB),
    ...secretsSourceForm(settings),
    region: settings.region ?? '',
    account: settings.account ?? '',
  });
  const [fieldError, setFieldError] = useState<{ path?: string; message: string } | undefined>();
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const status = docker.data;
  const bad = (key: string) => (fieldError?.path === key ? ' field-invalid' : '');

  return (
    <div className="page settings-page" data-testid="settings-page">
      <header className="page-header">
        <h1>Settings</h1>
      </header>
      <form
        className="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          setFieldError(undefined);
          const { logCapMB, ...rest } = form;
          // Not a number stays a string: the server names the field in its error.
          const cap = logCapMB.trim() === '' ? undefined : Number(logCapMB);
          const patch = {
            ...rest,
            ...(cap !== undefined ? { logCapMB: Number.isNaN(cap) ? logCapMB : cap } : {}),
          };
          update.mutate(patch as typeof rest & { logCapMB?: number }, {
            onSuccess: () => push({ kind: 'success', title: 'Settings saved' }),
            onError: (err) => {
              setFieldError({
                message: err.message,
                ...((err as { path?: string }).path ? { path: (err as { path?: string }).path } : {}),
              });
              push(errorToast('Settings not saved', err));
            },
          });
        }}
      >
        <section className="card">
          <header className="card-header">
            <h3>Docker connection</h3>
            {status && (
              <span
                className={`badge ${status.connected ? 'badge-ok' : status.connecting ? 'badge-progress' : 'badge-error'}`}
              >
                {status.connected ? 'connected' : status.connecting ? 'connecting' : 'disconnected'}
              </span>
            )}
          </header>
          {status && (
            <dl className="kv">
              <dt>Endpoint</dt>
              <dd className="mono">{status.endpoint || '—'}</dd>
              <dt>Chosen from</dt>
              <dd>{status.source || '—'}</dd>
              {status.serverVersion && (
                <>
                  <dt>Server</dt>
                  <dd>
                    Docker {status.serverVersion} (API {status.apiVersion})
                  </dd>
                </>
              )}
              {status.error && (
                <>
                  <dt>Error</dt>
                  <dd className="text-error">{status.error}</dd>
                  <dt>Hint</dt>
                  <dd>{status.hint}</dd>
                </>
              )}
            </dl>
          )}
          <label className={`field${bad('dockerEndpoint')}`}>
            <span>Endpoint override</span>
            <input
              className="mono"
              value={form.dockerEndpoint}
              placeholder="automatic (DOCKER_HOST, context, default socket)"
              onChange={(e) => set('dockerEndpoint', e.target.value)}
            />
            <small className="muted">
              unix:///var/run/docker.sock, tcp://host:2376, ssh://user@host — empty for automatic.
            </small>
          </label>
          <label className={`field${bad('dockerContext')}`}>
            <span>Docker context</span>
            <input
              value={form.dockerContext}
              placeholder="current context"
              onChange={(e) => set('dockerContext', e.target.value)}
            />
          </label>
          <div className="button-row">
            <button
              type="button"
              className="button"
              disabled={retry.isPending}
              onClick={() => retry.mutate()}
            >
              {retry.isPending ? 'Connecting…' : 'Reconnect now'}
            </button>
          </div>
        </section>
        <section className="card">
          <header className="card-header">
            <h3>Running tasks</h3>
          </header>
          <label className="field">
            <span>Default pull behaviour</span>
            <select
              value={form.defaultPullBehavior}
              onChange={(e) => set('defaultPullBehavior', e.target.value as PullBehavior)}
            >
              {PULL_BEHAVIORS.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input
              type="checkbox"
              data-testid="expose-ports"
              checked={form.exposePorts}
              onChange={(e) => set('exposePorts', e.target.checked)}
            />{' '}
            Expose task ports to the network (bind 0.0.0.0 instead of 127.0.0.1)
          </label>
          <label className="check">
            <input
              type="checkbox"
              data-testid="allow-env-files-outside"
              checked={form.allowEnvFilesOutsideFolder}
              onChange={(e) => set('allowEnvFilesOutsideFolder', e.target.checked)}
            />{' '}
            Allow environmentFiles outside the definition’s folder (never /proc, /sys or /dev)
          </label>
          <label className={`field${bad('awsProfile')}`}>
            <span>AWS profile (credentials for task roles, secrets, ECR)</span>
            <input
              value={form.awsProfile}
              placeholder="default chain"
              onChange={(e) => set('awsProfile', e.target.value)}
            />
          </label>
          <label className={`field${bad('region')}`}>
            <span>Region tasks run in (ARNs, metadata, AWS_REGION in containers)</span>
            <input
              value={form.region}
              placeholder="your AWS config, else us-east-1"
              aria-label="Region"
              onChange={(e) => set('region', e.target.value.trim())}
            />
          </label>
          <label className={`field${bad('account')}`}>
            <span>Account id in ARNs and events</span>
            <input
              value={form.account}
              placeholder="your caller identity, else 000000000000"
              aria-label="Account"
              inputMode="numeric"
              onChange={(e) => set('account', e.target.value.trim())}
            />
          </label>
          <label className="field checkbox">
            <input
              type="checkbox"
              checked={form.passOwnCredentials}
              aria-label="Pass my own credentials to tasks"
              onChange={(e) => set('passOwnCredentials', e.target.checked)}
            />{' '}
            Pass my own credentials to tasks with a task role instead of assuming it (default off: the role is
            assumed with STS, and a task whose role cannot be assumed does not start)
          </label>
          <label className={`field${bad('logCapMB')}`}>
            <span>Log cap per container (MB on disk)</span>
            <input
              inputMode="decimal"
              value={form.logCapMB}
              aria-label="Log cap per container"
              onChange={(e) => set('logCapMB', e.target.value)}
            />
            <small className="muted">
              Beyond it the oldest lines are dropped (the logs viewer marks where); applies to new output at
              once.
            </small>
          </label>
        </section>
        <SecretsSourceFields
          value={{ secretsFile: form.secretsFile, awsSecrets: form.awsSecrets }}
          onChange={(next) => setForm((f) => ({ ...f, ...next }))}
          invalid={fieldError?.path === 'secretsFile'}
        />
        <section className="card">
          <header className="card-header">
            <h3>App</h3>
          </header>
          <label className={`field${bad('dataDir')}`}>
            <span>Data directory</span>
            <input className="mono" value={form.dataDir} onChange={(e) => set('dataDir', e.target.value)} />
            <small className="muted">
              In use: <span className="mono">{info.data?.dataDir}</span>. Changes apply on next start
              {info.data?.restartRequired ? ' — restart required.' : '.'} A --data-dir flag or
              TASKDECK_DATA_DIR wins.
            </small>
          </label>
          <label className="field">
            <span>Theme</span>
            <select value={form.theme} onChange={(e) => set('theme', e.target.value as ThemePreference)}>
              <option value="system">Follow system</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
        </section>
        {fieldError && (
          <p className="text-error" role="alert">
            {fieldError.message}
          </p>
        )}
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={update.isPending}>
            {update.isPending ? 'Saving…' : 'Save settings'}
          </button>
          {info.data && (
            <span className="muted small">
              Taskdeck {info.data.version} · {info.data.mode} mode
            </span>
          )}
        </div>
      </form>
    </div>
  );
}
