import type { Config } from '../../src/config.js';
import type { Clock } from '../../src/core/clock.js';
import type { Database } from '../../src/db/client.js';
import { runCli } from '../../src/cli/index.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `npm run cli -- …` in this process against the test database. */
export async function cli(database: Database, config: Config, argv: string[], clock?: Clock): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    (l) => out.push(l),
    { database, config, ...(clock ? { clock } : {}) },
    (l) => err.push(l),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}
