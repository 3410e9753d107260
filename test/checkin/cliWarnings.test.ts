import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { openTestDatabase } from '../helpers/db.js';
import { importFixtureOrg } from '../helpers/org.js';
import { link } from '../helpers/roster.js';

/**
 * `npm run cli -- checkin open` as its own process on PostgreSQL (pg prints its deprecation warning
 * on stderr when queries overlap on one client, as inside a transaction): nothing but the answer.
 * PGlite is in-process only, so this runs with TEST_DATABASE_URL.
 */
const serverUrl = process.env.TEST_DATABASE_URL;

function runCli(env: Record<string, string>, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.once('exit', (code) => resolve({ code, out, err }));
  });
}

describe.runIf(serverUrl)('the command line on PostgreSQL', () => {
  let database: Database & { url?: string };
  beforeAll(async () => {
    database = await openTestDatabase();
    await importFixtureOrg(database, configSchema.parse({ LOG_LEVEL: 'silent' }));
    for (const who of ['hanh', 'hung', 'lan', 'long', 'ngoc', 'phuc'] as const) await link(database, who);
  }, 60_000);
  afterAll(() => database?.close());

  it('opens a check-in for a whole subtree without pg warnings on stderr', async () => {
    const env = { DATABASE_URL: database.url!, BOT_USERNAME: 'capuy_test_bot' };
    const res = await runCli(env, ['checkin', 'open', '--period', '2026-Q4', '--closes', '05/01/2027', '--units', 'DBK', '--subtree']);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('Đã xếp hàng');
    expect(res.err).not.toContain('already executing a query');
    expect(res.err).not.toMatch(/DeprecationWarning|Warning:/);
    const status = await runCli(env, ['checkin', 'status', '1']);
    expect(status.code, status.err).toBe(0);
    expect(status.err).not.toMatch(/DeprecationWarning|Warning:/);
  }, 120_000);
});
