import type { Config } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { cli } from './cli.js';
import { link } from './roster.js';

/** Imports test/fixtures/{units,people}.csv through the real CLI. */
export async function importFixtureOrg(database: Database, config: Config): Promise<void> {
  for (const [what, file] of [
    ['units', 'test/fixtures/units.csv'],
    ['people', 'test/fixtures/people.csv'],
  ] as const) {
    const res = await cli(database, config, ['import', what, file]);
    if (res.code !== 0) throw new Error(`import ${what} failed: ${res.err}`);
  }
}

/** Links a person's Telegram chat directly (chat id = the Telegram user id tests send as); see link() in roster.ts. */
export async function linkByPhone(database: Database, phone: string, telegramUserId: number): Promise<number> {
  return link(database, { phone, tg: telegramUserId });
}
