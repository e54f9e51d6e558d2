/**
 * Resources tab: small live charts from Docker's stats stream — for the task (its containers
 * summed) and for each container: CPU (% of a core, against its limit), memory against the hard
 * limit (the OOM line), network and block I/O rates, and PIDs. Kept after the task stops.
 */
import { useMemo } from 'react';
import type {
  ContainerDetail,
  ContainerResources,
  ResourceSample,
  TaskDetail,
  TaskResources,
} from '../../../../contract/dto.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { useTaskResources } from '../../queries/insight-hooks.js';
import { ResourceChart, type ChartMarker } from './ResourceChart.js';
import {
  formatBytesIec,
  formatPercent,
  formatRate,
  percentOfLimit,
  taskLimits,
  taskSeries,
} from './resource-model.js';

export function ResourcesTab({ task }: { task: TaskDetail }) {
  const query = useTaskResources(task.taskId);
  if (query.isError) return <p className="text-error">{query.error.message}</p>;
  if (!query.data) return <p className="muted">Loading…</p>;
  return <ResourcesView task={task} res={query.data} />;
}

function ResourcesView({ task, res }: { task: TaskDetail; res: TaskResources }) {
  const total = useMemo(() => taskSeries(res), [res]);
  const limits = taskLimits(res);
  const anySamples = res.containers.some((c) => c.samples.length > 0);
  return (
    <div className="resources" data-testid="resources-tab">
      <p className="muted small">
        From Docker’s stats stream, one sample a second per running container; the last 10 minutes at full
        resolution, older samples averaged (memory and PIDs keep their peaks). Kept after the task stops.
      </p>
      {!anySamples && (
        <div className="callout callout-muted" data-testid="resources-empty">
          No samples yet: they start when a container starts running.
        </div>
      )}
      <section className="resource-group" data-testid="resources-task">
        <header className="resource-group-head">
          <strong>Task</strong>
          <span className="muted small">
            {res.containers.length} container{res.containers.length === 1 ? '' : 's'} summed
            {res.sharedNetwork ? ' · network: the task’s shared namespace' : ''}
          </span>
        </header>
        <ChartGrid
          id="task"
          samples={total}
          cpuLimitCores={limits.cpuLimitCores}
          memoryLimitBytes={limits.memoryLimitBytes}
          onlineCpus={res.containers.find((c) => c.onlineCpus)?.onlineCpus}
          marker={
            task.stoppedAt
              ? { t: Date.parse(task.stoppedAt), label: 'stopped', color: '--text-muted' }
              : undefined
          }
        />
      </section>
      {res.containers.map((c) => (
        <ContainerSection
          key={c.container}
          res={c}
          detail={task.containers.find((d) => d.name === c.container)}
        />
      ))}
    </div>
  );
}

function ContainerSection({ res, detail }: { res: ContainerResources; detail: ContainerDetail | undefined }) {
  const oom = detail?.reason?.startsWith('OutOfMemoryError');
  const marker: ChartMarker | undefined = detail?.finishedAt
    ? {
        t: Date.parse(detail.finishedAt),
        label: oom
          ? `OOM-killed · exit ${detail.exitCode ?? '?'}`
          : `stopped · exit ${detail.exitCode ?? '?'}`,
        color: oom ? '--error' : '--text-muted',
      }
    : undefined;
  return (
    <section className="resource-group" data-testid={`resources-container-${res.container}`}>
      <header className="resource-group-head">
        <strong>{res.container}</strong>
        {detail && <StatusBadge status={detail.lastStatus} />}
        {res.live && <span className="badge badge-ok badge-small">live</span>}
        {detail?.reason && (
          <span
            className={`small ${oom ? 'text-error' : 'muted'}`}
            data-testid={`resources-reason-${res.container}`}
          >
            exit {detail.exitCode ?? '?'} — {detail.reason}
          </span>
        )}
      </header>
      {res.samples.length === 0 ? (
        <p className="muted small">No samples (the container did not run).</p>
      ) : (
        <ChartGrid
          id={res.container}
          samples={res.samples}
          cpuLimitCores={res.cpuLimitCores}
          memoryLimitBytes={res.memoryLimitBytes}
          onlineCpus={res.onlineCpus}
          marker={marker}
          oomAt={oom && detail?.finishedAt ? Date.parse(detail.finishedAt) : undefined}
        />
      )}
    </section>
  );
}

function ChartGrid({
  id,
  samples,
  cpuLimitCores,
  memoryLimitBytes,
  onlineCpus,
  marker,
  oomAt,
}: {
  id: string;
  samples: readonly ResourceSample[];
  cpuLimitCores: number | undefined;
  memoryLimitBytes: number | undefined;
  onlineCpus: number | undefined;
  marker: ChartMarker | undefined;
  /** When the kernel OOM-killed the container (ms). */
  oomAt?: number | undefined;
}) {
  const cols = useMemo(() => {
    const pick = (k: keyof ResourceSample) => samples.map((s) => (s[k] as number | undefined) ?? null);
    return {
      xs: samples.map((s) => s.t),
      cpu: pick('cpu'),
      mem: pick('mem'),
      rx: pick('rx'),
      tx: pick('tx'),
      rd: pick('rd'),
      wr: pick('wr'),
      pids: pick('pids'),
    };
  }, [samples]);
  // The kernel kills when usage reaches the hard limit: the memory line is drawn to it at the kill
  // (the last stats message, up to a second earlier, may show less).
  const memXs = oomAt !== undefined && memoryLimitBytes ? [...cols.xs, oomAt] : cols.xs;
  const memYs = oomAt !== undefined && memoryLimitBytes ? [...cols.mem, memoryLimitBytes] : cols.mem;
  const last = samples.at(-1);
  const ofLimit = last ? percentOfLimit(last.cpu, cpuLimitCores) : undefined;
  const cpuSummary = last
    ? `${formatPercent(last.cpu)} of a core · ${
        ofLimit !== undefined
          ? `${formatPercent(ofLimit)} of limit`
          : `no limit${onlineCpus ? ` (${onlineCpus} CPUs)` : ''}`
      }`
    : '—';
  const memSummary = last
    ? `${formatBytesIec(last.mem)}${memoryLimitBytes ? ` of ${formatBytesIec(memoryLimitBytes)}` : ''}`
    : '—';
  return (
    <div className="resource-grid">
      <ResourceChart
        testId={`chart-${id}-cpu`}
        title="CPU"
        summary={cpuSummary}
        xs={cols.xs}
        ys={[cols.cpu]}
        series={[{ label: '% of a core', color: '--accent' }]}
        formatValue={(v) => `${Math.round(v)}%`}
        limit={
          cpuLimitCores
            ? { value: cpuLimitCores * 100, label: `limit ${cpuLimitCores} vCPU`, color: '--warn' }
            : undefined
        }
        marker={marker}
      />
      <ResourceChart
        testId={`chart-${id}-memory`}
        title="Memory"
        summary={memSummary}
        xs={memXs}
        ys={[memYs]}
        series={[{ label: 'used', color: '--progress' }]}
        formatValue={formatBytesIec}
        binary
        limit={
          memoryLimitBytes
            ? { value: memoryLimitBytes, label: `OOM ${formatBytesIec(memoryLimitBytes)}`, color: '--error' }
            : undefined
        }
        marker={marker}
      />
      <ResourceChart
        testId={`chart-${id}-network`}
        title="Network"
        summary={last ? `↓ ${formatRate(last.rx)} · ↑ ${formatRate(last.tx)}` : '—'}
        xs={cols.xs}
        ys={[cols.rx, cols.tx]}
        series={[
          { label: 'rx', color: '--accent' },
          { label: 'tx', color: '--ok' },
        ]}
        formatValue={formatRate}
        binary
        marker={marker}
      />
      <ResourceChart
        testId={`chart-${id}-blkio`}
        title="Block I/O"
        summary={last ? `read ${formatRate(last.rd)} · write ${formatRate(last.wr)}` : '—'}
        xs={cols.xs}
        ys={[cols.rd, cols.wr]}
        series={[
          { label: 'read', color: '--accent' },
          { label: 'write', color: '--warn' },
        ]}
        formatValue={formatRate}
        binary
        marker={marker}
      />
      <ResourceChart
        testId={`chart-${id}-pids`}
        title="PIDs"
        summary={last ? String(last.pids) : '—'}
        xs={cols.xs}
        ys={[cols.pids]}
        series={[{ label: 'processes', color: '--ok' }]}
        formatValue={(v) => String(Math.round(v))}
        marker={marker}
      />
    </div>
  );
}
