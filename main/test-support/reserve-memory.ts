/**
 * Test definitions are written as small as possible; ECS (and so Taskdeck's validation) refuses a
 * container with neither `memory` nor `memoryReservation` when the task has no memory and may run
 * on EC2. This gives such containers a soft reservation (no hard limit, so nothing they do
 * changes), leaving anything else exactly as the test wrote it.
 */
export const TEST_MEMORY_RESERVATION_MIB = 64;

export function reserveMemory(def: unknown): unknown {
  if (typeof def !== 'object' || def === null || Array.isArray(def)) return def;
  const task = def as Record<string, unknown>;
  if (task.memory !== undefined || !Array.isArray(task.containerDefinitions)) return def;
  return {
    ...task,
    containerDefinitions: task.containerDefinitions.map((c: unknown) =>
      typeof c === 'object' &&
      c !== null &&
      (c as Record<string, unknown>).memory === undefined &&
      (c as Record<string, unknown>).memoryReservation === undefined
        ? { ...c, memoryReservation: TEST_MEMORY_RESERVATION_MIB }
        : c,
    ),
  };
}
