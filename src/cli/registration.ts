import type { Command } from 'commander';
import type { CliContext } from './context.js';

/** How a feature adds its `npm run cli -- …` commands. */
export type CliRegistration = (program: Command, cli: () => Promise<CliContext>) => void;
