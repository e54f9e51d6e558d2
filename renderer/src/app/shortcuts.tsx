/**
 * Keyboard shortcuts. One global listener; screens register handlers for the keys they own while
 * mounted. The help overlay reads SHORTCUTS, so docs and behaviour cannot drift.
 */
import { useEffect, useRef } from 'react';

export const SHORTCUTS: readonly { readonly keys: string; readonly action: string }[] = [
  { keys: '?', action: 'Show this help' },
  { keys: '1', action: 'Go to Definitions' },
  { keys: '2', action: 'Go to Tasks' },
  { keys: '3', action: 'Go to Settings' },
  { keys: '4', action: 'Go to Services' },
  { keys: 'o', action: 'Import a definition file' },
  { keys: 'p', action: 'Paste a definition' },
  { keys: 'l', action: 'Launch the selected definition' },
  { keys: 's', action: 'Stop the selected task' },
  { keys: 'r', action: 'Re-run the selected task' },
  { keys: 'j / k', action: 'Next / previous item in a list' },
  { keys: 't', action: 'Toggle light / dark theme' },
  { keys: 'Esc', action: 'Close dialog' },
];

type Handler = (event: KeyboardEvent) => void;
const registry = new Map<string, Handler[]>();

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

let installed = false;
function install(): void {
  if (installed) return;
  installed = true;
  window.addEventListener('keydown', (event) => {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    if (isTyping(event.target)) return;
    if (document.querySelector('dialog[open]') && event.key !== '?') return;
    const handlers = registry.get(event.key);
    const handler = handlers?.[handlers.length - 1];
    if (handler) {
      event.preventDefault();
      handler(event);
    }
  });
}

/** Binds `key` while the component is mounted and `enabled`; the newest binding wins. */
export function useShortcut(key: string, handler: Handler, enabled = true): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => {
    if (!enabled) return;
    install();
    const wrapped: Handler = (e) => ref.current(e);
    registry.set(key, [...(registry.get(key) ?? []), wrapped]);
    return () => {
      registry.set(
        key,
        (registry.get(key) ?? []).filter((h) => h !== wrapped),
      );
    };
  }, [key, enabled]);
}
