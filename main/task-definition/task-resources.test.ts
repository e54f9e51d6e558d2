/** Task-size rules RegisterTaskDefinition enforces (memory presence, Fargate sizes, sums). */
import { describe, expect, it } from 'vitest';
import { FARGATE_SIZES } from './task-resources.js';
import { errorLines, register, valid, warningLines } from './test-helpers.js';

const app = (extra: Record<string, unknown> = {}) => ({ name: 'app', image: 'busybox:1.36', ...extra });
const NEEDS_MEMORY =
  "containerDefinitions[0].memory: Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified. (ECS requires it when the task has no task-level memory and may run on EC2)";

describe('container memory on EC2-compatible tasks', () => {
  it.each([{}, { requiresCompatibilities: ['EC2'] }, { requiresCompatibilities: ['EXTERNAL'] }])(
    'refuses a container with neither memory nor memoryReservation (%j)',
    (task) => {
      expect(errorLines(register([app()], task))).toEqual([NEEDS_MEMORY]);
    },
  );

  it.each([
    ['container memory', register([app({ memory: 128 })])],
    ['container memoryReservation', register([app({ memoryReservation: 64 })])],
    ['task memory', register([app()], { memory: '512' })],
    ['FARGATE only', register([app()], { requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512' })],
  ])('accepts it with %s', (_label, definition) => {
    expect(errorLines(definition)).toEqual([]);
  });

  it('only warns for a bare containerDefinitions array (the task-level fields live in the wrapper)', () => {
    expect(errorLines([app()])).toEqual([]);
    expect(warningLines([app()])).toEqual([
      "containerDefinitions: container 'app' set neither 'memory' nor 'memoryReservation': ECS accepts that only when the task definition sets task-level memory (for EC2) or is FARGATE; a containerDefinitions array carries neither, so check the resource that wraps it",
    ]);
  });
});

describe('Fargate task sizes', () => {
  it('accepts every pair of the Fargate table', () => {
    for (const [cpu, memories] of FARGATE_SIZES) {
      for (const memory of memories) {
        expect(
          errorLines(
            register([app()], { requiresCompatibilities: ['FARGATE'], cpu: `${cpu}`, memory: `${memory}` }),
          ),
        ).toEqual([]);
      }
    }
  });

  it.each([
    ['256', '4096', 'with 256 CPU units memory must be one of 512, 1024, 2048 MiB'],
    ['512', '512', 'with 512 CPU units memory must be one of 1024–4096 in steps of 1024 MiB'],
    ['1024', '1024', 'with 1024 CPU units memory must be one of 2048–8192 in steps of 1024 MiB'],
    ['8192', '18432', 'with 8192 CPU units memory must be one of 16384–61440 in steps of 4096 MiB'],
    ['300', '1024', 'cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 CPU units'],
  ])('refuses cpu %s with memory %s', (cpu, memory, hint) => {
    expect(errorLines(register([app()], { requiresCompatibilities: ['FARGATE'], cpu, memory }))).toEqual([
      `memory: No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory (${hint})`,
    ]);
  });

  it('accepts vCPU and GB strings, leading dot included (".25 vcpu", ".5 gb")', () => {
    const task = valid(
      register([app()], { requiresCompatibilities: ['FARGATE'], cpu: '.25 vcpu', memory: '.5 gb' }),
    );
    expect([task.cpu, task.memory]).toEqual([256, 512]);
  });

  it('requires task-level cpu and memory', () => {
    expect(errorLines(register([app({ memory: 128 })], { requiresCompatibilities: ['FARGATE'] }))).toEqual([
      "cpu: Fargate requires that 'cpu' be defined at the task level",
      "memory: Fargate requires that 'memory' be defined at the task level",
    ]);
  });
});

describe('container memory against the task memory', () => {
  it('refuses a container whose memory is above the task memory', () => {
    expect(errorLines(register([app({ memory: 1024 })], { memory: '512' }))).toEqual([
      "containerDefinitions[0].memory: The 'memory' setting for container 'app' is greater than for the task (1024 MiB > 512 MiB)",
    ]);
  });

  it('refuses reservations that together exceed the task memory', () => {
    const definition = register(
      [app({ memoryReservation: 300 }), { name: 'side', image: 'busybox:1.36', memory: 300 }],
      { memory: '512' },
    );
    expect(errorLines(definition)).toEqual([
      "memory: The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory' (containers reserve 600 MiB, memoryReservation or else memory each; the task has 512 MiB)",
    ]);
  });

  it('accepts containers that fit exactly', () => {
    const definition = register(
      [app({ memoryReservation: 256, memory: 512 }), { name: 'side', image: 'busybox:1.36', memory: 256 }],
      { memory: '512' },
    );
    expect(errorLines(definition)).toEqual([]);
  });
});
