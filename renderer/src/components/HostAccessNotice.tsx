/**
 * Lists a definition's host-access settings by name and JSON path (privileged, host root or Docker
 * socket mounts, pidMode/ipcMode host, added capabilities, devices). With `confirm`, it also holds
 * the checkbox the launch dialog requires before it lets such a definition run.
 */
import type { HostAccessItem } from '../../../contract/dto.js';

export function HostAccessNotice({
  items,
  confirm,
}: {
  items: readonly HostAccessItem[];
  confirm?: { checked: boolean; onChange: (checked: boolean) => void };
}) {
  if (items.length === 0) return null;
  return (
    <section className="host-access" data-testid="host-access">
      <strong>This definition reaches into your machine</strong>
      <p className="muted small">
        ECS allows these on EC2; locally they act on this computer. Check each one before you run it.
      </p>
      <ul>
        {items.map((a) => (
          <li key={a.path} data-testid="host-access-item">
            <strong>{a.setting}</strong> <span className="mono small">{a.path}</span> — {a.message}
          </li>
        ))}
      </ul>
      {confirm && (
        <label className="check">
          <input
            type="checkbox"
            data-testid="host-access-confirm"
            checked={confirm.checked}
            onChange={(e) => confirm.onChange(e.target.checked)}
          />{' '}
          I understand: run it with this access to my machine
        </label>
      )}
    </section>
  );
}
