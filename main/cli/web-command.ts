import type { Command } from 'commander';

/** Registers `taskdeck web` (owned by the app-shell work; placeholder until it lands). */
export function registerWebCommand(_program: Command): void {}
