/** "?" overlay listing every keyboard shortcut (from the same table the handlers use). */
import { SHORTCUTS } from '../../app/shortcuts.js';
import { Dialog } from '../../components/Dialog.js';
import { Kbd } from '../../components/Kbd.js';

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} testId="help-overlay">
      <table className="table table-compact shortcuts">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <td>
                {s.keys.split(' / ').map((k, i) => (
                  <span key={k}>
                    {i > 0 && ' / '}
                    <Kbd>{k}</Kbd>
                  </span>
                ))}
              </td>
              <td>{s.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">Shortcuts are ignored while you type in a field.</p>
    </Dialog>
  );
}
