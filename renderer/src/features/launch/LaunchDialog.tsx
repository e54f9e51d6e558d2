/** Launch (or re-run) a definition: per-container overrides, pull behaviour, count; one click. */
import { useState } from 'react';
import type {
  LaunchRecord,
  LaunchTypeChoice,
  PullBehavior,
  TaskDefinitionView,
} from '../../../../contract/dto.js';
import { LAUNCH_TYPE_CHOICES, PULL_BEHAVIORS } from '../../../../contract/dto.js';
import { navigate } from '../../app/router.js';
import { Dialog } from '../../components/Dialog.js';
import { HostAccessNotice } from '../../components/HostAccessNotice.js';
import { useToasts } from '../../components/Toasts.js';
import { useRerunTask, useRunTasks, useSettings } from '../../queries/hooks.js';
import { buildOverrides, initialForms, type ContainerForm } from './overrides-form.js';

const PULL_HELP: Record<PullBehavior, string> = {
  default: 'pull; use the cached image if the pull fails',
  always: 'pull; fail if the pull fails',
  once: 'pull the first time only',
  'prefer-cached': 'pull only if not cached',
};

export function LaunchDialog({
  definitionId,
  definition,
  rerun,
  onClose,
}: {
  definitionId: string;
  definition: TaskDefinitionView;
  /** Re-run of an earlier task: its launch record prefills the form. */
  rerun?: { taskId: string; record: LaunchRecord | null | undefined };
  onClose: () => void;
}) {
  const settings = useSettings();
  const run = useRunTasks();
  const rerunTask = useRerunTask();
  const { push } = useToasts();
  const [forms, setForms] = useState<ContainerForm[]>(() =>
    initialForms(definition, rerun?.record?.overrides),
  );
  const [pull, setPull] = useState<PullBehavior | ''>(rerun?.record?.pullBehavior ?? '');
  const [count, setCount] = useState(1);
  const [launchType, setLaunchType] = useState<LaunchTypeChoice | ''>(rerun?.record?.launchType ?? '');
  const [error, setError] = useState<{ field?: string; message: string } | undefined>();
  const [showOverrides, setShowOverrides] = useState(Boolean(rerun?.record?.overrides));
  // undefined = the setting's default; the dialog shows what that is.
  const [ownCredentials, setOwnCredentials] = useState<boolean | undefined>(
    rerun?.record?.passOwnCredentials,
  );
  const [execEnabled, setExecEnabled] = useState(rerun?.record?.enableExecuteCommand ?? false);
  const pending = run.isPending || rerunTask.isPending;
  const hostAccess = definition.hostAccess ?? [];
  // Host access runs only after an explicit confirmation (the API refuses it otherwise too).
  const [hostAccessConfirmed, setHostAccessConfirmed] = useState(false);
  const needsConfirmation = hostAccess.length > 0 && !hostAccessConfirmed;
  const defaultPull = settings.data?.defaultPullBehavior ?? 'default';
  const passOwn = ownCredentials ?? settings.data?.passOwnCredentials === true;

  const setField = (i: number, key: keyof ContainerForm, value: string) =>
    setForms((fs) => fs.map((f, j) => (j === i ? { ...f, [key]: value } : f)));

  const submit = () => {
    const built = buildOverrides(forms);
    if (!built.ok) {
      setError({ field: built.field, message: built.message });
      return;
    }
    setError(undefined);
    const common = {
      count,
      ...(pull ? { pullBehavior: pull } : {}),
      ...(built.overrides ? { overrides: built.overrides } : {}),
      ...(definition.taskRoleArn ? { passOwnCredentials: passOwn } : {}),
      ...(hostAccess.length > 0 ? { allowHostAccess: hostAccessConfirmed } : {}),
      enableExecuteCommand: execEnabled,
      ...(launchType ? { launchType } : {}),
    };
    const onSuccess = (tasks: readonly { taskId: string }[]) => {
      push({ kind: 'success', title: `Launched ${tasks.length} × ${definition.family}` });
      onClose();
      const first = tasks[0];
      navigate(tasks.length === 1 && first ? { name: 'tasks', id: first.taskId } : { name: 'tasks' });
    };
    const onError = (e: Error) =>
      setError({
        message: e.message,
        ...((e as { path?: string }).path ? { field: (e as { path?: string }).path } : {}),
      });
    if (rerun)
      rerunTask.mutate(
        { taskId: rerun.taskId, ...common, overrides: built.overrides ?? {} },
        { onSuccess, onError },
      );
    else run.mutate({ definitionId, ...common }, { onSuccess, onError });
  };

  return (
    <Dialog
      title={rerun ? `Re-run ${definition.family}` : `Launch ${definition.family}`}
      onClose={onClose}
      wide
      testId="launch-dialog"
      footer={
        <>
          {error && (
            <span className="text-error validation-status" role="alert" data-testid="launch-error">
              {error.message}
            </span>
          )}
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            className="button button-primary"
            disabled={pending || needsConfirmation}
            title={needsConfirmation ? 'Confirm the host access first' : undefined}
            onClick={submit}
            data-testid="launch-submit"
          >
            {pending ? 'Launching…' : count > 1 ? `Launch ${count} tasks` : 'Launch'}
          </button>
        </>
      }
    >
      <form
        className="launch-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!needsConfirmation) submit();
        }}
      >
        <HostAccessNotice
          items={hostAccess}
          confirm={{ checked: hostAccessConfirmed, onChange: setHostAccessConfirmed }}
        />
        <div className="form-row">
          <label className="field">
            <span>Pull behaviour</span>
            <select
              value={pull}
              onChange={(e) => setPull(e.target.value as PullBehavior | '')}
              aria-label="Pull behaviour"
            >
              <option value="">Settings default ({defaultPull})</option>
              {PULL_BEHAVIORS.map((p) => (
                <option key={p} value={p}>
                  {p} — {PULL_HELP[p]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Launch type</span>
            <select
              value={launchType}
              onChange={(e) => setLaunchType(e.target.value as LaunchTypeChoice | '')}
              aria-label="Launch type"
              data-testid="launch-type"
            >
              <option value="">Automatic (FARGATE for Fargate-compatible awsvpc, else EC2)</option>
              {LAUNCH_TYPE_CHOICES.map((t) => (
                <option key={t} value={t} disabled={t === 'FARGATE' && definition.networkMode !== 'awsvpc'}>
                  {t}
                </option>
              ))}
            </select>
          </label>
          <label className="field field-narrow">
            <span>Count</span>
            <input
              type="number"
              min={1}
              max={10}
              value={count}
              aria-label="Count"
              onChange={(e) => setCount(Math.max(1, Math.min(10, Math.trunc(Number(e.target.value)) || 1)))}
            />
          </label>
        </div>
        {definition.taskRoleArn && (
          <div className="field" data-testid="launch-credentials">
            <span>Task role credentials</span>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={passOwn}
                aria-label="Pass my own credentials"
                onChange={(e) => setOwnCredentials(e.target.checked)}
              />{' '}
              Pass my own credentials instead of assuming {definition.taskRoleArn}
            </label>
            {passOwn ? (
              <span className="text-error" role="note">
                The task gets your own AWS credentials (short-lived via GetSessionToken where possible): it
                can do anything you can.
              </span>
            ) : (
              <span className="muted">
                Default: the role is assumed with STS; the task does not start if it cannot be.
              </span>
            )}
          </div>
        )}
        <label className="checkbox-field">
          <input
            type="checkbox"
            checked={execEnabled}
            onChange={(e) => setExecEnabled(e.target.checked)}
            data-testid="enable-exec"
          />
          <span>
            Enable ECS Exec{' '}
            <span className="muted small">
              (RunTask enableExecuteCommand: open a shell in the running containers)
            </span>
          </span>
        </label>
        <button
          type="button"
          className="disclosure"
          aria-expanded={showOverrides}
          onClick={() => setShowOverrides((s) => !s)}
        >
          {showOverrides ? '▾' : '▸'} Container overrides
          <span className="muted small"> (command, environment, CPU, memory)</span>
        </button>
        {showOverrides &&
          forms.map((f, i) => {
            const c = definition.containers[i];
            const bad = (k: string) => (error?.field === `${f.name}.${k}` ? ' field-invalid' : '');
            return (
              <fieldset key={f.name} className="override-card" data-testid={`override-${f.name}`}>
                <legend>
                  {f.name} <span className="muted small mono">{c?.image}</span>
                </legend>
                <label className={`field${bad('command')}`}>
                  <span>Command</span>
                  <input
                    className="mono"
                    aria-label={`Command for ${f.name}`}
                    value={f.command}
                    placeholder={
                      c?.command
                        ? JSON.stringify(c.command)
                        : 'image default — JSON array, or plain text run with sh -c'
                    }
                    onChange={(e) => setField(i, 'command', e.target.value)}
                  />
                </label>
                <label className={`field${bad('environment')}`}>
                  <span>Environment (NAME=value per line; added to / replacing the definition's)</span>
                  <textarea
                    className="mono"
                    rows={2}
                    aria-label={`Environment for ${f.name}`}
                    value={f.environment}
                    onChange={(e) => setField(i, 'environment', e.target.value)}
                  />
                </label>
                <div className="form-row">
                  <label className={`field${bad('cpu')}`}>
                    <span>CPU units</span>
                    <input
                      inputMode="numeric"
                      aria-label={`CPU for ${f.name}`}
                      value={f.cpu}
                      placeholder={String(c?.cpu ?? 0)}
                      onChange={(e) => setField(i, 'cpu', e.target.value)}
                    />
                  </label>
                  <label className={`field${bad('memory')}`}>
                    <span>Memory (MiB)</span>
                    <input
                      inputMode="numeric"
                      aria-label={`Memory for ${f.name}`}
                      value={f.memory}
                      placeholder={c?.memory !== undefined ? String(c.memory) : 'no limit'}
                      onChange={(e) => setField(i, 'memory', e.target.value)}
                    />
                  </label>
                </div>
              </fieldset>
            );
          })}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
