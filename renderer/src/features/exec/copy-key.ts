/**
 * Copy in the terminal: xterm.js sends Ctrl+C to the shell (^C) as a terminal must. When text is
 * selected, Ctrl+C and Ctrl+Shift+C (Cmd+C on macOS) copy it instead, as Windows Terminal and VS
 * Code's terminal do; without a selection Ctrl+C stays an interrupt. Paste is the browser's (Ctrl+V,
 * Cmd+V, middle click), which xterm turns into input.
 */
export interface KeyLike {
  readonly type: string;
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
}

/** Whether this key event should copy the selection rather than reach the shell. */
export function isCopyKey(event: KeyLike, hasSelection: boolean): boolean {
  return (
    hasSelection &&
    event.type === 'keydown' &&
    (event.ctrlKey || event.metaKey) &&
    !event.altKey &&
    event.key.toLowerCase() === 'c'
  );
}
