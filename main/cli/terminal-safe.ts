/**
 * Makes untrusted text (names, images, paths and messages that quote a task definition or a
 * Docker error) safe to print on a terminal: a definition must not be able to move the cursor,
 * change colours, set the window title or reorder what the user reads.
 */

/**
 * C0 controls (newline and tab included: a value must not start a fake line), DEL, C1 controls
 * (0x9b is a one-byte CSI), and Unicode format characters that reorder or hide text: bidi
 * embeddings/overrides/isolates and marks, zero-width characters, the BOM, line/paragraph separators.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** `text` with every unsafe character written as a visible escape (`\x1b`, `\u202e`). */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
