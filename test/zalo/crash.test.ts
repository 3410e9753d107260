import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { enqueue } from '../../src/delivery/outbox.js';
import { ZaloEmulator } from '../../src/emulator/zalo/zaloEmulator.js';
import { exited, startBot, waitFor } from '../helpers/botProcess.js';
import { openTestDatabase } from '../helpers/db.js';
import { importFixtureOrg } from '../helpers/org.js';

/**
 * The Zalo-only bot as its own process (`src/main.ts`), killed with SIGKILL in the middle of a
 * send-out and started again (see test/delivery/crash.test.ts for Telegram). Each message carries a
 * button, shown as a numbered choice: a message sent twice (in flight at the kill) shows the same number.
 */
const serverUrl = process.env.TEST_DATABASE_URL;

describe('a Zalo bot process killed in the middle of a send-out', () => {
  const emulator = new ZaloEmulator();
  let database: Database & { url?: string };
  let dbEnv: Record<string, string>;
  const N = 150;
  const users = Array.from({ length: N }, (_, i) => ({ id: `c${String(i).padStart(19, '0')}`, display_name: `Đảng viên ${i}` }));

  beforeAll(async () => {
    await emulator.start();
    // Zalo lets a bot write only to people who wrote to it: everyone says hello, then the updates are dropped.
    for (const u of users) emulator.userSends(u, 'xin chào');
    emulator.clear();
    if (serverUrl) {
      database = await openTestDatabase();
      dbEnv = { DATABASE_URL: database.url! };
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'capuy-zcrash-'));
      database = await openDatabase({ dataDir: dir });
      dbEnv = { DATA_DIR: dir, DATABASE_URL: '' };
    }
    const db = database.prisma;
    await importFixtureOrg(database, configSchema.parse({ LOG_LEVEL: 'silent' }));
    await db.person.createMany({ data: users.map((u, i) => ({ fullName: u.display_name, phone: `+8497${String(8_000_000 + i)}` })) });
    const people = await db.person.findMany({ where: { fullName: { startsWith: 'Đảng viên ' } }, orderBy: { phone: 'asc' } });
    await db.chatIdentity.createMany({ data: people.map((p, i) => ({ channel: 'zalo', chatId: users[i]!.id, personId: p.id })) });
    const chats = await db.chatIdentity.findMany({ where: { channel: 'zalo' } });
    await enqueue(
      db,
      chats.map((c) => ({
        chatIdentityId: c.id,
        dedupeKey: `zcrash:${c.chatId}`,
        payload: { text: `Tin số <b>${c.chatId}</b>`, buttons: [[{ text: '✅ Đã nhận', data: 'bc:rcv:1' }]] },
      })),
    );
    if (!serverUrl) await database.close(); // the bot process opens the data directory itself
  });
  afterAll(async () => {
    await emulator.stop();
    if (serverUrl) await database.close();
  });

  it('resumes after a restart: nothing lost, duplicates at most what was in flight, with the same numbers', async () => {
    const env = {
      ...dbEnv,
      TELEGRAM_BOT_TOKEN: '',
      ZALO_BOT_TOKEN: emulator.token,
      ZALO_API_ROOT: emulator.apiRoot,
      ZALO_SEND_RATE: '20',
      // A timeout is an ambiguous send that is tried again: on a loaded machine 2 s answers were late enough to
      // duplicate messages that were never in flight at the kill; 6 s keeps this test about the kill.
      SEND_TIMEOUT_MS: '6000',
      OUTBOX_LEASE_SECONDS: '9',
    };
    const first = startBot(env);
    await waitFor(() => emulator.allMessages().length >= N / 3, 90_000, 'a third of the send-out');
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
    const got = users.map((u) => emulator.messagesTo(u.id));
    const lost = got.filter((ms) => ms.length === 0).length;
    const duplicates = got.reduce((s, ms) => s + Math.max(0, ms.length - 1), 0);
    expect(lost).toBe(0);
    expect(duplicates).toBeLessThanOrEqual(20);
    for (const [i, ms] of got.entries()) {
      expect(ms[0]!.text).toMatch(new RegExp(`^Tin số ${users[i]!.id}\\n\\n\\d+ — ✅ Đã nhận$`));
      expect(new Set(ms.map((m) => m.text)).size).toBe(1);
    }
    console.log(JSON.stringify({ test: 'zalo kill -9', messages: N, sentBeforeKill: beforeRestart, lost, duplicates }));
  }, 240_000);
});
