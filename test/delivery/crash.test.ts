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
import { exited, startBot, waitFor } from '../helpers/botProcess.js';

/**
 * The bot as its own process (`src/main.ts`), killed with SIGKILL in the middle of a send-out and
 * started again. On PostgreSQL (TEST_DATABASE_URL) two bot processes also share one database;
 * embedded PGlite is one process's database, so there the crash test uses a data directory.
 */
const serverUrl = process.env.TEST_DATABASE_URL;

describe('a bot process killed in the middle of a send-out', () => {
  const emulator = new BotApiEmulator();
  let database: Database & { url?: string };
  let dbEnv: Record<string, string>;
  let chats: number[];
  const N = 300;

  beforeAll(async () => {
    await emulator.start();
    if (serverUrl) {
      database = await openTestDatabase();
      dbEnv = { DATABASE_URL: database.url! };
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'capuy-crash-'));
      database = await openDatabase({ dataDir: dir });
      dbEnv = { DATA_DIR: dir, DATABASE_URL: '' };
    }
    await importFixtureOrg(database, configSchema.parse({ LOG_LEVEL: 'silent' }));
    chats = await addLinkedMembers(database.prisma, 'CB1-MT', N, 700_000);
    const people = await database.prisma.chatIdentity.findMany({ where: { chatId: { in: chats.map(String) } } });
    await enqueue(
      database.prisma,
      people.map((c) => ({ chatIdentityId: c.id, dedupeKey: `crash:${c.chatId}`, payload: { text: `Tin số ${c.chatId}` } })),
    );
    if (!serverUrl) await database.close(); // the bot process opens the data directory itself
  });
  afterAll(async () => {
    await emulator.stop();
    if (serverUrl) await database.close();
  });

  it('resumes after a restart: nothing lost, duplicates at most what was in flight', async () => {
    // A short lease so the restarted bot takes over the killed one's claimed messages quickly.
    const env = {
      ...dbEnv,
      TELEGRAM_BOT_TOKEN: emulator.token,
      TELEGRAM_API_ROOT: emulator.apiRoot,
      SEND_RATE: '30',
      SEND_TIMEOUT_MS: '2000',
      OUTBOX_LEASE_SECONDS: '5',
    };
    const first = startBot(env);
    await waitFor(() => emulator.allMessages().length >= N / 3, 60_000, 'a third of the send-out');
    first.kill('SIGKILL');
    await exited(first);
    const beforeRestart = emulator.allMessages().length;
    expect(beforeRestart).toBeLessThan(N);

    const second = startBot(env);
    try {
      await waitFor(() => new Set(emulator.allMessages().map((m) => m.chat_id)).size >= N, 90_000, 'every chat reached');
      await new Promise((r) => setTimeout(r, 1500)); // anything extra would show up now
    } finally {
      second.kill('SIGTERM');
      await exited(second);
    }
    const counts = chats.map((c) => emulator.messagesTo(c).length);
    const lost = counts.filter((n) => n === 0).length;
    const duplicates = counts.reduce((s, n) => s + Math.max(0, n - 1), 0);
    expect(lost).toBe(0);
    // In flight at the kill: at most one second of sending (the worker claims ~SEND_RATE at a time).
    expect(duplicates).toBeLessThanOrEqual(30);
    console.log(JSON.stringify({ test: 'kill -9', messages: N, sentBeforeKill: beforeRestart, lost, duplicates }));
  }, 180_000);
});

describe.runIf(serverUrl)('two bot processes on one PostgreSQL database', () => {
  const emulator = new BotApiEmulator();
  let database: Database & { url?: string };
  let chats: number[];

  beforeAll(async () => {
    await emulator.start();
    database = await openTestDatabase();
    await importFixtureOrg(database, configSchema.parse({ LOG_LEVEL: 'silent' }));
    chats = await addLinkedMembers(database.prisma, 'CB1-MT', 200, 600_000);
  });
  afterAll(async () => {
    await emulator.stop();
    await database?.close();
  });

  it('sends each message once', async () => {
    const env = { DATABASE_URL: database.url!, TELEGRAM_BOT_TOKEN: emulator.token, TELEGRAM_API_ROOT: emulator.apiRoot, SEND_RATE: '40' };
    const bots = [startBot(env), startBot(env)];
    try {
      await waitFor(
        async () => (await database.prisma.chatIdentity.count()) > 0 && emulator.stats.sent.setMyCommands! >= 6,
        60_000,
        'both bots up',
      );
      const people = await database.prisma.chatIdentity.findMany({ where: { chatId: { in: chats.map(String) } } });
      await enqueue(
        database.prisma,
        people.map((c) => ({ chatIdentityId: c.id, dedupeKey: `two:${c.chatId}`, payload: { text: 'Hai tiến trình' } })),
      );
      await waitFor(() => new Set(emulator.allMessages().map((m) => m.chat_id)).size >= chats.length, 60_000, 'every chat reached');
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      for (const b of bots) b.kill('SIGTERM');
      await Promise.all(bots.map(exited));
    }
    const counts = chats.map((c) => emulator.messagesTo(c).length);
    expect(counts.every((n) => n === 1)).toBe(true);
    const workers = await database.prisma.outboxMessage.groupBy({ by: ['lockedBy'], _count: { _all: true } });
    expect(workers.length).toBe(2); // both processes did part of the work
  }, 120_000);
});
