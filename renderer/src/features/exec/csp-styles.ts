/**
 * xterm.js writes its theme and cell sizes into `<style>` elements it creates; the app's Content
 * Security Policy (`style-src 'self'`, no 'unsafe-inline') rightly ignores those. This mirrors each
 * such element's text into a constructable stylesheet adopted by the document (CSSOM, which the
 * policy allows), and keeps it in step as xterm rewrites it. Returns the function that stops it.
 */
export function mirrorInlineStyles(root: HTMLElement): () => void {
  const sheets = new Map<HTMLStyleElement, CSSStyleSheet>();
  const adopt = (): void => {
    const ours = new Set(sheets.values());
    const others = document.adoptedStyleSheets.filter((s) => !ours.has(s));
    for (const [el, sheet] of sheets) {
      if (!root.contains(el)) {
        sheets.delete(el);
        ours.delete(sheet);
      }
    }
    document.adoptedStyleSheets = [...others, ...ours];
  };
  const sync = (): void => {
    for (const el of root.querySelectorAll('style')) {
      let sheet = sheets.get(el);
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheets.set(el, sheet);
      }
      sheet.replaceSync(el.textContent ?? '');
    }
    adopt();
  };
  const observer = new MutationObserver(sync);
  observer.observe(root, { subtree: true, childList: true, characterData: true });
  sync();
  return () => {
    observer.disconnect();
    const ours = new Set(sheets.values());
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => !ours.has(s));
    sheets.clear();
  };
}
