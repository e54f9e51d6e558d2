import { describe, expect, it } from 'vitest';
import { createRedactor, goQuoted, REDACTED } from './redact-values.js';

describe('goQuoted', () => {
  it('escapes as Go’s strconv.Quote does', () => {
    expect(goQuoted('a\x00b\n"c"\\d\x7f\u0085é')).toBe('a\\x00b\\n\\"c\\"\\\\d\\x7f\\u0085é');
  });
});

describe('createRedactor', () => {
  it('hides the raw value and the spellings Docker and JSON use for it', () => {
    const redact = createRedactor(['hunter2\x00supersecret', 'tok"en\\x']);
    // Docker 20.10 / runc for an env value with NUL (the message as dockerode hands it over).
    const docker =
      'failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ' +
      'error during container init: environment variable value can\'t contain null(\\x00): "DB_PASSWORD=hunter2\\x00supersecret": unknown';
    expect(redact(docker)).toBe(docker.replace('hunter2\\x00supersecret', REDACTED));
    expect(redact('raw hunter2\x00supersecret here')).toBe(`raw ${REDACTED} here`);
    expect(redact('json "tok\\"en\\\\x"')).toBe(`json "${REDACTED}"`);
    expect(redact('go "tok\\"en\\\\x"')).toBe(`go "${REDACTED}"`);
    expect(redact('only the part before the NUL: hunter2 and after: supersecret')).toBe(
      `only the part before the NUL: ${REDACTED} and after: ${REDACTED}`,
    );
  });

  it('leaves text alone when there is nothing to hide, and ignores empty values', () => {
    expect(createRedactor([])('exit 1')).toBe('exit 1');
    expect(createRedactor([''])('exit 1')).toBe('exit 1');
  });

  it('treats values as text, not patterns', () => {
    expect(createRedactor(['a.c+'])('abc+ a.c+')).toBe(`abc+ ${REDACTED}`);
  });
});
