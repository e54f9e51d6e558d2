/** Per-layer pull progress bars for a task (fed by the `pull:progress` topic). */
import type { PullProgress } from '../../../../contract/dto.js';
import { formatBytes } from '../../components/format.js';
import { ProgressBar } from '../../components/ProgressBar.js';

export function PullProgressView({
  progress,
  active,
}: {
  progress: Readonly<Record<string, PullProgress>>;
  active: boolean;
}) {
  const items = Object.values(progress);
  if (items.length === 0) return null;
  const byImage = new Map<string, PullProgress[]>();
  for (const p of items)
    byImage.set(`${p.container} · ${p.image}`, [...(byImage.get(`${p.container} · ${p.image}`) ?? []), p]);
  return (
    <section className="card" data-testid="pull-progress">
      <header className="card-header">
        <h3>Image pull</h3>
      </header>
      {[...byImage].map(([key, layers]) => {
        const whole = layers.find((l) => l.layer === '');
        const parts = layers.filter((l) => l.layer !== '');
        return (
          <div key={key} className="pull-image">
            <div className="pull-title">
              <span className="mono">{key}</span>
              <span className="muted small">{whole?.status}</span>
            </div>
            {parts.map((l) => (
              <div key={l.layer} className="pull-layer">
                <span className="mono small">{l.layer.slice(0, 12)}</span>
                <ProgressBar
                  label={`layer ${l.layer}`}
                  {...(l.current !== undefined ? { current: l.current } : {})}
                  {...(l.total !== undefined ? { total: l.total } : active ? {} : { total: 1, current: 1 })}
                />
                <span className="small muted nowrap">
                  {l.status}
                  {l.total ? ` ${formatBytes(l.current)} / ${formatBytes(l.total)}` : ''}
                </span>
              </div>
            ))}
          </div>
        );
      })}
    </section>
  );
}
