import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { registerBroadcasts } from './commands/broadcasts.js';
import { registerDocs } from './commands/docs.js';
import { registerCheckin } from './commands/checkin.js';
import { registerDeadlines } from './commands/deadlines.js';
import { registerSchedule } from './commands/schedule.js';

export type CliRegistration = (program: Command, cli: () => Promise<CliContext>) => void;

/** Feature folders add their `npm run cli -- …` commands here. */
export const cliRegistrations: CliRegistration[] = [registerDeadlines, registerCheckin, registerSchedule, registerDocs, registerBroadcasts];
