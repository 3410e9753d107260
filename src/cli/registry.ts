import type { Command } from 'commander';
import type { CliContext } from './context.js';

export type CliRegistration = (program: Command, cli: () => Promise<CliContext>) => void;

/** Feature folders add their `npm run cli -- …` commands here. */
export const cliRegistrations: CliRegistration[] = [];
