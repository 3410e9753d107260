import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { enqueue } from '../../src/delivery/outbox.js';
import { BotApiEmulator } from '../../src/emulator/botApiEmulator.js';
import { openTestDatabase } from '../helpers/db.js';
import { importFixtureOrg } from '../helpers/org.js';
import { addLinkedMembers } from '../helpers/people.js';

/**
 * `docker stop` sends SIGTERM and kills 10 s later: the bot process (`src/main.ts`) must stop
 * polling, let the sends already under way finish, and exit within SHUTDOWN_TIMEOUT_MS even when an
 * answer never comes. On PGlite the bot opens a data directory (one process at a time).
 */
const serverUrl = process.env.TEST_DATABASE_URL;

interface Run {
  code: number | null;
  stderr: string;
  /** From SIGTERM to exit. */
  ms: number;
}

describe('SIGTERM', () => {
  let emulator: BotApiEmulator;
  let database: (Database & { url?: string }) | undefined;
  let dbEnv: Record<string, string>;
  let dataDir: string | undefined;
  let chats: number[];

  const withDb = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
    if (database) return fn(database);
    const db = await openDatabase({ dataDir: dataDir! });
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };

  const queue = (tag: string) =>
    withDb(async (db) => {
      const people = await db.prisma.chatIdentity.findMany({ where: { chatId: { in: chats.map(String) } } });
      await enqueue(
        db.prisma,
        people.map((c) => ({ chatIdentityId: c.id, dedupeKey: `${tag}:${c.chatId}`, payload: { text: `${tag} ${c.chatId}` } })),
      );
    });

  /** Starts the bot, waits for its first sendMessage, sends SIGTERM and times the exit. */
  const stopDuringSend = async (env: Record<string, string>): Promise<Run> => {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        ...dbEnv,
        TELEGRAM_BOT_TOKEN: emulator.token,
        TELEGRAM_API_ROOT: emulator.apiRoot,
        LOG_LEVEL: 'error',
        PORT: '0',
        QUIET_HOURS: 'off',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no sendMessage within 90 s; stderr: ${stderr}`)), 90_000);
      const onRequest = (r: { method: string }): void => {
        if (r.method !== 'sendMessage') return;
        clearTimeout(timer);
        emulator.off('request', onRequest);
        resolve();
      };
      emulator.on('request', onRequest);
    });
    const t0 = Date.now();
    child.kill('SIGTERM');
    const code = await exit;
    return { code, stderr, ms: Date.now() - t0 };
  };

  beforeAll(async () => {
    emulator = new BotApiEmulator({ hangMs: 60_000 });
    await emulator.start();
    if (serverUrl) {
      database = await openTestDatabase();
      dbEnv = { DATABASE_URL: database.url! };
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'capuy-shutdown-'));
      const db = await openDatabase({ dataDir });
      await importFixtureOrg(db, configSchema.parse({ LOG_LEVEL: 'silent' }));
      chats = await addLinkedMembers(db.prisma, 'CB1-MT', 20, 710_000);
      await db.close();
      dbEnv = { DATA_DIR: dataDir, DATABASE_URL: '' };
    }
    if (database) {
      await importFixtureOrg(database, configSchema.parse({ LOG_LEVEL: 'silent' }));
      chats = await addLinkedMembers(database.prisma, 'CB1-MT', 20, 710_000);
    }
  }, 120_000);
  afterAll(async () => {
    await emulator?.stop();
    await database?.close();
  });

  it('lets a slow send in flight finish, takes no new ones, and exits 0', async () => {
    emulator.clear();
    await queue('slow');
    // Every answer takes 2 s: the first send is under way when SIGTERM comes.
    emulator.slowNext('sendMessage', 100, 2000);
    const run = await stopDuringSend({ SEND_RATE: '1' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.ms).toBeLessThan(8000);
    const delivered = emulator.allMessages().length;
    expect(delivered).toBeGreaterThanOrEqual(1); // the one in flight got its answer
    expect(delivered).toBeLessThan(chats.length); // and the worker took no new ones
    const rows = await withDb((db) => db.prisma.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } }));
    const by = Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
    expect(by.sent).toBe(delivered);
    expect(by.sending ?? 0).toBe(0); // claimed but unsent rows went back to pending
    expect(by.pending).toBe(chats.length - delivered);
    emulator.clearFaults();
  }, 150_000);

  it('exits within SHUTDOWN_TIMEOUT_MS when an answer never comes', async () => {
    emulator.clear();
    await queue('hang');
    emulator.failNext('sendMessage', 100, 'timeout'); // no answer for 60 s
    const run = await stopDuringSend({ SEND_TIMEOUT_MS: '30000', OUTBOX_LEASE_SECONDS: '40', SHUTDOWN_TIMEOUT_MS: '3000' });
    // Without the deadline it would wait for the send's own 30 s timeout. The margin is for a busy
    // machine: a signal and an exit each take a moment to be seen.
    expect(run.ms).toBeGreaterThanOrEqual(2900);
    expect(run.ms).toBeLessThan(6000);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('SHUTDOWN_TIMEOUT_MS');
    emulator.clearFaults();
  }, 150_000);

  it('waits 8 s by default, under the 10 s docker stop gives', () => {
    expect(configSchema.parse({}).SHUTDOWN_TIMEOUT_MS).toBe(8000);
  });
});
