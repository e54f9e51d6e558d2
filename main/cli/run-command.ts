import type { Command } from 'commander';

/** Registers `taskdeck run` (owned by the engine work; placeholder until it lands). */
export function registerRunCommand(_program: Command): void {}
