/**
 * A healthCheck command whose first element is not CMD, CMD-SHELL or NONE (ADOT documents
 * `["/healthcheck"]`): ECS registers it and Docker receives it unchanged as Healthcheck.Test, so
 * Taskdeck accepts it with a warning and keeps the command exactly as written.
 */
import { describe, expect, it } from 'vitest';
import { container, register, valid, warningLines } from './test-helpers.js';

describe('healthCheck command without CMD / CMD-SHELL', () => {
  it.each([[['/healthcheck']], [['curl', '-f', 'http://localhost/']], [['cmd-shell', 'exit 0']]])(
    'accepts %j and keeps it as written',
    (command) => {
      const task = valid(register([container('collector', { healthCheck: { command, interval: 5 } })]));
      expect(task.containerDefinitions[0]?.healthCheck).toEqual({
        command,
        interval: 5,
        timeout: 5,
        retries: 3,
        startPeriod: 0,
      });
    },
  );

  it('warns that Docker takes the first element as the check type, so health stays UNKNOWN', () => {
    expect(
      warningLines(register([container('collector', { healthCheck: { command: ['/healthcheck'] } })])),
    ).toEqual([
      `containerDefinitions[0].healthCheck.command[0]: healthCheck command[0] is '/healthcheck', not CMD, CMD-SHELL or NONE: ECS accepts this and passes the command to Docker as written, and Docker takes the first element as the check type, so the check never runs and the container's health stays UNKNOWN (a dependsOn HEALTHY on it never becomes true); to run it, write ["CMD", "/healthcheck"]`,
    ]);
  });

  it('still counts as a declared health check for dependsOn HEALTHY (ECS registers that too)', () => {
    const task = valid(
      register([
        container('collector', { healthCheck: { command: ['/healthcheck'] } }),
        container('app', { dependsOn: [{ containerName: 'collector', condition: 'HEALTHY' }] }),
      ]),
    );
    expect(task.containerDefinitions[1]?.dependsOn).toEqual([
      { containerName: 'collector', condition: 'HEALTHY' },
    ]);
  });
});
