/**
 * Runs the real CLI (`node bin/taskdeck.js`) on every fixture. Each fixture must have an entry in
 * EXPECTATIONS, so adding a fixture without saying what it should produce fails this test.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatIssue, formatLaunchOrder, validateFile, type ValidateOutcome } from './validate-command.js';
import { parseTaskDefinition } from '../task-definition/parse-task-definition.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = 'fixtures/task-definitions';

interface Expectation {
  readonly exit: 0 | 2;
  /** Substrings of stdout (exit 0) or stderr (exit 2). */
  readonly output: readonly string[];
}

const invalid = (...output: string[]): Expectation => ({ exit: 2, output });
const validSummary = (...output: string[]): Expectation => ({ exit: 0, output });

const EXPECTATIONS: Readonly<Record<string, Expectation>> = {
  'valid-register-input.json': validSummary(
    'Family:       web-app',
    'Revision:     1',
    'Network mode: bridge',
    'Task size:    512 CPU units, 1024 MiB',
    'web      nginx:1.27-alpine  essential: yes  health check: yes  ports: 8080:80/tcp',
    'sidecar  busybox:1.36       essential: no   health check: no   ports: none',
    'Launch order: web, sidecar',
    'No warnings.',
  ),
  'valid-describe-output.json': validSummary(
    'Family:       api',
    'Revision:     7',
    'Network mode: awsvpc',
    'ports: 80:80/tcp',
    'No warnings.',
  ),
  'valid-container-definitions.json': validSummary(
    'Family:       valid-container-definitions',
    'ports: 6379/tcp (dynamic host port)',
    'Launch order: redis → worker',
  ),
  'valid-depends-on-chain.json': validSummary('Family:       chain', 'Launch order: db → migrate → app'),
  'valid-awsvpc.json': validSummary(
    'Network mode: awsvpc',
    'ports: 80:80/tcp 8443:8443/tcp',
    'Launch order: web → probe',
  ),
  'valid-fargate-defaults.json': validSummary(
    'Network mode: awsvpc',
    'Task size:    256 CPU units, 512 MiB',
    'ports: 80:80/tcp',
  ),
  'valid-host-mode.json': validSummary('Network mode: host', 'ports: 8081:8081/tcp'),
  'valid-with-warnings.json': validSummary(
    'Warnings (7):',
    '  placementConstraints: placementConstraints is valid in ECS but not applied locally',
    "  containerDefinitions[0].imagePullPolicy: unknown field 'imagePullPolicy' is ignored",
    "  containerDefinitions[0].logConfiguration.logDriver: log driver 'splunk' is valid in ECS but not applied locally: logs are captured locally",
    '  volumes[0].efsVolumeConfiguration: efsVolumeConfiguration is valid in ECS but not applied locally',
    'health check: no',
  ),
  'invalid-json-syntax.json': invalid(
    '(1 error)',
    "  5:5: JSON syntax error: Expected ',' or ']' after array element",
  ),
  'invalid-not-a-task-definition.json': invalid('  (root): expected a task definition object'),
  'invalid-no-containers.json': invalid(
    '  containerDefinitions: a task definition needs at least one container',
  ),
  'invalid-duplicate-names.json': invalid("  containerDefinitions[1].name: duplicate container name 'app'"),
  'invalid-container-name.json': invalid(
    "  containerDefinitions[0].name: container name 'my app' is invalid",
  ),
  'invalid-no-essential.json': invalid(
    '  containerDefinitions: at least one container must be essential (essential defaults to true)',
  ),
  'invalid-depends-on-condition.json': invalid(
    "  containerDefinitions[1].dependsOn[0].condition: Container dependency condition 'start' is invalid. Valid values are: START, COMPLETE, SUCCESS, HEALTHY",
  ),
  'invalid-depends-on-missing-name.json': invalid(
    '  containerDefinitions[1].dependsOn[0].containerName: Container dependency is missing required field: containerName',
  ),
  'invalid-depends-on-unknown-container.json': invalid(
    "  containerDefinitions[0].dependsOn[0].containerName: Container dependency references container 'database'",
  ),
  'invalid-depends-on-cycle.json': invalid(
    "  containerDefinitions[1].dependsOn[0]: Container dependency between 'a' and 'b' is cyclic; dependsOn graph must be acyclic",
  ),
  'invalid-healthy-without-health-check.json': invalid(
    "  containerDefinitions[1].dependsOn[0].condition: Container dependency condition HEALTHY requires container 'db' to define a healthCheck",
  ),
  'invalid-health-check-ranges.json': invalid(
    '(4 errors)',
    '  containerDefinitions[0].healthCheck.interval: interval must be an integer between 5 and 300 seconds, got 2',
    '  containerDefinitions[0].healthCheck.timeout: timeout must be an integer between 2 and 60 seconds, got 61',
    '  containerDefinitions[0].healthCheck.retries: retries must be an integer between 1 and 10, got 0',
    '  containerDefinitions[0].healthCheck.startPeriod: startPeriod must be an integer between 0 and 300 seconds, got 301',
  ),
  'invalid-health-check-command.json': invalid(
    "  containerDefinitions[0].healthCheck.command: healthCheck command 'CMD-SHELL' needs the command to run after it",
  ),
  'invalid-stop-timeout.json': invalid(
    '  containerDefinitions[0].stopTimeout: stopTimeout must be an integer between 1 and 120 seconds, got 121',
  ),
  'invalid-start-timeout.json': invalid(
    '  containerDefinitions[0].startTimeout: startTimeout must be an integer of at least 0 seconds, got -1',
  ),
  'invalid-memory-too-low.json': invalid(
    '  containerDefinitions[0].memory: memory must be an integer of at least 6 MiB, got 4',
  ),
  'invalid-port-range.json': invalid(
    '  containerDefinitions[0].portMappings[0].containerPort: containerPort must be an integer between 0 and 65535, got 70000',
    '  containerDefinitions[0].portMappings[0].hostPort: hostPort must be an integer between 0 and 65535, got -1',
  ),
  'invalid-port-protocol.json': invalid(
    "  containerDefinitions[0].portMappings[0].protocol: protocol must be one of tcp, udp, got 'sctp'",
  ),
  'invalid-field-types.json': invalid(
    '  containerDefinitions[0].image: image is required',
    '  containerDefinitions[0].memory: memory must be an integer of at least 6 MiB, got string "512"',
    '  containerDefinitions[0].essential: essential must be true or false, got string "yes"',
  ),
  'invalid-network-mode.json': invalid(
    "  networkMode: networkMode must be one of bridge, host, awsvpc, none, got 'nat'",
  ),
  'invalid-awsvpc-host-port.json': invalid(
    '  containerDefinitions[0].portMappings[0].hostPort: hostPort must equal containerPort (8080) in awsvpc network mode, got 80',
  ),
  'invalid-mount-point-volume.json': invalid(
    "  containerDefinitions[0].mountPoints[0].sourceVolume: volume 'data' is not defined",
  ),
  'invalid-volumes-from.json': invalid(
    "  containerDefinitions[0].volumesFrom[0].sourceContainer: container 'storage' is not defined",
  ),
  'invalid-task-size.json': invalid('  cpu: cpu must be CPU units', '  memory: memory must be MiB'),
  'invalid-multiple-errors.json': invalid(
    '(7 errors)',
    '  family: family is required',
    '  containerDefinitions[1].image: image must not be empty',
    "  containerDefinitions[1].dependsOn[1].condition: Container dependency condition 'ready' is invalid.",
    "  containerDefinitions[1].dependsOn[0].condition: Container dependency condition HEALTHY requires container 'db'",
    "  containerDefinitions[1].dependsOn[1].containerName: Container dependency references container 'cache'",
  ),
};

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function taskdeck(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/taskdeck.js', ...args],
      { cwd: ROOT, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const fixtures = readdirSync(new URL(`../../${FIXTURES}/`, import.meta.url))
  .filter((name) => name.endsWith('.json'))
  .sort();

describe('fixtures', () => {
  it('has at least 15 fixtures and an expectation for each (and a fixture for each expectation)', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(15);
    expect(fixtures.filter((name) => !(name in EXPECTATIONS))).toEqual([]);
    expect(Object.keys(EXPECTATIONS).filter((name) => !fixtures.includes(name))).toEqual([]);
  });

  it.each(fixtures)('valid-* fixtures are valid and invalid-* are not: %s', (name) => {
    expect(EXPECTATIONS[name]?.exit).toBe(name.startsWith('valid-') ? 0 : 2);
  });
});

describe('taskdeck validate FILE (real CLI)', { timeout: 60_000 }, () => {
  it.concurrent.each(fixtures)('%s', async (name) => {
    const expectation = EXPECTATIONS[name];
    if (!expectation) throw new Error(`no expectation for fixture ${name}`);
    const run = await taskdeck('validate', `${FIXTURES}/${name}`);
    expect({ code: run.code, stderr: expectation.exit === 0 ? run.stderr : '' }).toEqual({
      code: expectation.exit,
      stderr: '',
    });
    const output = expectation.exit === 0 ? run.stdout : run.stderr;
    if (expectation.exit === 0) expect(output).toContain(`${FIXTURES}/${name} is a valid task definition.`);
    else {
      expect(run.stdout).toBe('');
      expect(output).toContain(`${FIXTURES}/${name} is not a valid task definition`);
    }
    for (const line of expectation.output) expect(output).toContain(line);
  });
});

describe('taskdeck usage (real CLI)', { timeout: 60_000 }, () => {
  it.concurrent.each<[string, string[], number, RegExp, 'stdout' | 'stderr']>([
    ['unknown command', ['frobnicate'], 2, /unknown command 'frobnicate'[\s\S]*Usage: taskdeck/, 'stderr'],
    ['no command', [], 2, /Usage: taskdeck/, 'stderr'],
    [
      'missing argument',
      ['validate'],
      2,
      /missing required argument 'file'[\s\S]*Usage: taskdeck validate/,
      'stderr',
    ],
    ['too many arguments', ['validate', 'a.json', 'b.json'], 2, /too many arguments/, 'stderr'],
    ['unknown option', ['validate', '--frob', 'a.json'], 2, /unknown option '--frob'/, 'stderr'],
    [
      'unreadable file',
      ['validate', 'fixtures/task-definitions/does-not-exist.json'],
      2,
      /cannot read fixtures\/task-definitions\/does-not-exist\.json: no such file/,
      'stderr',
    ],
    ['a directory', ['validate', 'fixtures'], 2, /cannot read fixtures: it is a directory/, 'stderr'],
    ['--help', ['--help'], 0, /Usage: taskdeck[\s\S]*validate <file>/, 'stdout'],
    ['validate --help', ['validate', '--help'], 0, /Usage: taskdeck validate \[options\] <file>/, 'stdout'],
    ['--version', ['--version'], 0, /^0\.\d+\.\d+/, 'stdout'],
  ])('%s → exit %i', async (_name, args, code, pattern, stream) => {
    const run = await taskdeck(...args);
    expect(run.code).toBe(code);
    expect(run[stream]).toMatch(pattern);
  });
});

describe('validate output (in process)', () => {
  it('formats issues as `  <path>: <message>` and syntax errors as `  line:column: <message>`', () => {
    expect(formatIssue({ path: 'containerDefinitions[0].name', message: 'bad', line: 3, column: 4 })).toBe(
      '  containerDefinitions[0].name: bad',
    );
    expect(formatIssue({ path: '', message: 'JSON syntax error: x', line: 3, column: 4 })).toBe(
      '  3:4: JSON syntax error: x',
    );
    expect(formatIssue({ path: '', message: 'not an object' })).toBe('  (root): not an object');
  });

  it('formats launch order levels', () => {
    const result = parseTaskDefinition(
      JSON.stringify([
        {
          name: 'app',
          image: 'x',
          dependsOn: [
            { containerName: 'db', condition: 'START' },
            { containerName: 'cache', condition: 'START' },
          ],
        },
        { name: 'db', image: 'x' },
        { name: 'cache', image: 'x' },
      ]),
    );
    if (!result.ok) throw new Error('expected valid');
    expect(formatLaunchOrder(result.taskDefinition)).toBe('db, cache → app');
  });

  it('validateFile reports unreadable files without throwing', async () => {
    const outcome = await validateFile(`${ROOT}/nope/missing.json`);
    expect(outcome).toMatchObject({ exitCode: 2, stdout: '' });
    expect(outcome.stderr).toContain('no such file');
  });
});

describe('validate output with hostile names (in process)', () => {
  const ESC = '\x1b';
  // eslint-disable-next-line no-control-regex -- these are exactly what must not reach the terminal
  const unsafe = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
  const withHostileValues = async (definition: unknown): Promise<ValidateOutcome> => {
    const dir = await mkdtemp(join(tmpdir(), 'taskdeck-validate-'));
    try {
      const file = join(dir, `defn${ESC}]0;title${'\x07'}.json`);
      await writeFile(file, JSON.stringify(definition));
      return await validateFile(file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  it('escapes control characters and bidi overrides in a valid definition’s summary and warnings', async () => {
    const outcome = await withHostileValues({
      family: 'fam',
      memory: '512',
      containerDefinitions: [
        { name: 'app', image: `busybox${ESC}[2J${ESC}[31m\u202etxt.exe` },
        { name: 'b', image: 'x', [`bogus${ESC}[1A`]: 1 },
      ],
    });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).not.toMatch(unsafe);
    expect(outcome.stdout).toContain('busybox\\x1b[2J\\x1b[31m\\u202etxt.exe');
    expect(outcome.stdout).toContain("unknown field 'bogus\\x1b[1A'");
    expect(outcome.stdout).toContain('defn\\x1b]0;title\\x07.json is a valid task definition.');
  });

  it('escapes them in errors (paths and messages that quote the definition)', async () => {
    const outcome = await withHostileValues({
      family: 'fam',
      containerDefinitions: [
        {
          name: `bad${ESC}[8m`,
          image: 'x',
          dependsOn: [{ containerName: `gone\u202e`, condition: 'START' }],
        },
      ],
    });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).not.toMatch(unsafe);
    expect(outcome.stderr).toContain("container name 'bad\\x1b[8m' is invalid");
    expect(outcome.stderr).toContain("container 'gone\\u202e'");
  });
});
