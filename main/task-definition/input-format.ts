/**
 * Recognises files that are not JSON text at all, so the user is told what the file is and what
 * is expected instead of a JSON parser's `Unexpected token`: UTF-16 text (what PowerShell's `>`
 * and some Windows editors write) and YAML (CloudFormation and Copilot manifests, docker-compose).
 * Works on the decoded string only (no Node built-ins: the renderer parses too).
 */

/** What a non-JSON file looks like, with the message to show; undefined when it may be JSON. */
export function describeNonJsonInput(text: string): string | undefined {
  if (isUtf16(text)) {
    return 'the file is UTF-16 encoded text; a task definition must be UTF-8 JSON. Save it as UTF-8 (in PowerShell, `Out-File -Encoding utf8` or `Set-Content -Encoding utf8` instead of `>`)';
  }
  if (looksLikeYaml(text)) {
    return 'the file looks like YAML; a task definition must be JSON: the register-task-definition input (`aws ecs register-task-definition --generate-cli-skeleton`), DescribeTaskDefinition output, or a containerDefinitions array. Convert it first, e.g. `yq -o=json . file.yaml`';
  }
  return undefined;
}

/**
 * UTF-16 read as UTF-8: its byte-order mark decodes to U+FFFD pairs (or stays U+FFFE / U+FEFF
 * when decoded as UTF-16 without stripping), and ASCII characters come with a NUL byte each.
 */
function isUtf16(text: string): boolean {
  if (text.startsWith('\uFFFD\uFFFD') || text.charCodeAt(0) === 0xfffe) return true;
  const head = text.slice(0, 64);
  const nuls = head.split('\u0000').length - 1;
  return head.length >= 4 && nuls * 3 >= head.length;
}

/** A document start, or a first meaningful line that is a `key:` mapping or a `- ` list item. */
function looksLikeYaml(text: string): boolean {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r?\n/).filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  const first = lines[0]?.trim();
  if (first === undefined) return false;
  if (first.startsWith('{') || first.startsWith('[')) return false;
  if (first === '---' || first.startsWith('%YAML')) return true;
  // Bare keys only: `"family": "web"` without its braces is broken JSON, not YAML.
  return /^(?:- )?[A-Za-z_][\w.-]*\s*:(?:\s|$)/.test(first);
}
