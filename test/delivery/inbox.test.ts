import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Inbox } from '../../src/delivery/inbox.js';
import { BotApiEmulator } from '../../src/emulator/botApiEmulator.js';
import { createLogger } from '../../src/logger.js';
import { exited, startBot, waitFor } from '../helpers/botProcess.js';
import { DbProxy } from '../helpers/dbProxy.js';
import { openTestDatabase } from '../helpers/db.js';

/**
 * Nothing received is lost (issue 15): bot processes (`src/main.ts`) on PostgreSQL behind a TCP
 * proxy that cuts the database away for 8 s while people write. Polling stores each update in the
 * inbox before moving its offset past it; the webhook answers 503 until the update is stored; after
 * the database is back every message is answered exactly once. Two processes on one database share
 * the inbox and never handle one update twice. PGlite belongs to one process, so this needs
 * TEST_DATABASE_URL (test/foundation/inbox.test.ts covers the embedded path).
 */
const serverUrl = process.env.TEST_DATABASE_URL;
const OUTAGE_MS = 8000;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe.runIf(serverUrl)('the inbox across a database outage (PostgreSQL behind a TCP proxy)', () => {
  const emulator = new BotApiEmulator();
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let proxy: DbProxy;
  let bots: ChildProcess[] = [];
  let nextUser = 940_000;
  const person = (name: string) => ({ id: ++nextUser, first_name: name });

  beforeAll(async () => {
    await emulator.start();
    database = await openTestDatabase();
    proxy = DbProxy.of(database.url!);
    await proxy.start();
  }, 60_000);

  afterEach(async () => {
    proxy.restore();
    for (const b of bots) b.kill('SIGTERM');
    await Promise.all(bots.map(exited));
    bots = [];
  });

  afterAll(async () => {
    await emulator.stop();
    await proxy?.stop();
    await database?.close();
  });

  function bot(env: Record<string, string> = {}): ChildProcess {
    const p = startBot({
      DATABASE_URL: proxy.url(database.url!),
      TELEGRAM_BOT_TOKEN: emulator.token,
      TELEGRAM_API_ROOT: emulator.apiRoot,
      ...env,
    });
    bots.push(p);
    return p;
  }

  const upCount = () => emulator.stats.sent.setMyCommands ?? 0;
  const inboxRows = (ids: number[]) =>
    database.prisma.$queryRawUnsafe<
      { chat_key: string; handled_at: Date | null; claimed_by: string; gave_up: boolean; payload: unknown }[]
    >(
      `SELECT chat_key, handled_at, claimed_by, gave_up, payload FROM inbox_updates WHERE chat_key = ANY($1::text[]) ORDER BY id`,
      ids.map(String),
    );

  /** Cuts the database for OUTAGE_MS while `during` runs; resolves with the time it came back. */
  async function outage(during: () => Promise<void> | void): Promise<number> {
    proxy.cut();
    await during();
    await sleep(OUTAGE_MS);
    proxy.restore();
    return Date.now();
  }

  it('polling: three messages sent while the database is away are each answered once after it is back', async () => {
    const before = upCount();
    bot();
    await waitFor(() => upCount() >= before + 3, 90_000, 'the bot up');
    const warm = person('Khởi động');
    emulator.sendText(warm, '/toi');
    await emulator.waitForMessages(warm.id, 1, 30_000);

    const people = [person('Minh'), person('Thảo'), person('Quân')];
    const back = await outage(() => {
      for (const p of people) emulator.sendText(p, '/toi');
    });
    // Nothing could be stored, so nothing was answered (and nothing acknowledged to the API).
    expect(people.map((p) => emulator.messagesTo(p.id).length)).toEqual([0, 0, 0]);
    await Promise.all(people.map((p) => emulator.waitForMessages(p.id, 1, 60_000)));
    const answeredAfterMs = Date.now() - back;
    await sleep(3000);
    console.log(JSON.stringify({ test: 'polling, database away 8 s', messages: people.length, answeredAfterMs }));
    expect(people.map((p) => emulator.messagesTo(p.id).length)).toEqual([1, 1, 1]);
    expect(emulator.messagesTo(people[0]!.id)[0]!.plainText).toContain('chưa được liên kết');
    const rows = await inboxRows(people.map((p) => p.id));
    expect(rows).toHaveLength(3);
    // Handled, and the payload (texts, names, phone numbers) is not kept.
    expect(rows.every((r) => r.handled_at && !r.gave_up && JSON.stringify(r.payload) === '{}')).toBe(true);
  }, 180_000);

  it('webhook: answers 503 while the database is away, and the update is answered once after it is back', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/telegram/webhook`;
    const secret = 'bi-mat_cua-cap-uy';
    const before = upCount();
    bot({ PORT: String(port), WEBHOOK_URL: url, WEBHOOK_SECRET: secret });
    await waitFor(() => upCount() >= before + 3, 90_000, 'the bot up');
    const warm = person('Khởi động');
    emulator.sendText(warm, '/toi');
    await emulator.waitForMessages(warm.id, 1, 30_000);

    const lan = person('Lan');
    const post = (update: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: JSON.stringify(update),
      });
    let refused = 0;
    const back = await outage(async () => {
      emulator.sendText(lan, '/toi');
      const direct = await post({
        update_id: 990_001,
        message: {
          message_id: 1,
          date: 0,
          chat: { id: 1, type: 'private' },
          from: { id: 1, is_bot: false, first_name: 'X' },
          text: '/toi',
        },
      });
      refused = direct.status;
    });
    expect(refused).toBe(503);
    expect(emulator.messagesTo(lan.id)).toHaveLength(0);
    // The emulator, like Telegram, was refused and keeps posting it.
    const info = (await (await fetch(`${emulator.apiRoot}/bot${emulator.token}/getWebhookInfo`)).json()) as {
      result: { last_error_message?: string; pending_update_count?: number };
    };
    expect(info.result.last_error_message).toMatch(/503/);
    await emulator.waitForMessages(lan.id, 1, 60_000);
    const answeredAfterMs = Date.now() - back;
    await sleep(3000);
    console.log(JSON.stringify({ test: 'webhook, database away 8 s', answeredAfterMs }));
    expect(emulator.messagesTo(lan.id)).toHaveLength(1);
    expect(await inboxRows([lan.id])).toHaveLength(1);
    // The update refused with 503 was never stored.
    expect(await inboxRows([1])).toHaveLength(0);
  }, 180_000);

  it('two processes share the inbox and never handle one update twice; each chat in order', async () => {
    const before = upCount();
    // Webhook mode, so that neither polls (two pollers conflict); the updates are stored as a third
    // process receiving them would.
    const [p1, p2] = [await freePort(), await freePort()];
    for (const port of [p1, p2])
      bot({ PORT: String(port), WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`, WEBHOOK_SECRET: 'bi-mat_hai-tien-trinh' });
    await waitFor(() => upCount() >= before + 6, 120_000, 'two bots up');
    await fetch(`${emulator.apiRoot}/bot${emulator.token}/deleteWebhook`, { method: 'POST' });

    const people = Array.from({ length: 100 }, (_, i) => person(`Người ${i}`));
    const updates = people.flatMap((p) => [emulator.sendText(p, '/toi'), emulator.sendText(p, 'xin chào')]);
    const receiver = new Inbox(database.prisma, createLogger('silent'));
    await receiver.store(
      'telegram',
      updates.map((u) => ({ updateId: String(u.update_id), chatKey: String(u.message.chat.id), payload: u })),
    );
    await Promise.all(people.map((p) => emulator.waitForMessages(p.id, 2, 90_000)));
    await sleep(3000);
    const counts = people.map((p) => emulator.messagesTo(p.id).length);
    expect(counts.filter((n) => n !== 2)).toEqual([]);
    const rows = await inboxRows(people.map((p) => p.id));
    expect(rows).toHaveLength(200);
    expect(rows.every((r) => r.handled_at && !r.gave_up)).toBe(true);
    const processes = new Set(rows.map((r) => r.claimed_by));
    console.log(JSON.stringify({ test: 'two processes, 200 updates', processes: processes.size }));
    expect(processes.size).toBe(2);
    // A chat's second update was handled after its first.
    for (const p of people) {
      const [first, second] = rows.filter((r) => r.chat_key === String(p.id));
      expect(first!.handled_at!.getTime()).toBeLessThanOrEqual(second!.handled_at!.getTime());
    }
  }, 240_000);
});
