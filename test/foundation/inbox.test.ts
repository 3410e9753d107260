import { setTimeout as sleep } from 'node:timers/promises';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { Inbox } from '../../src/delivery/inbox.js';
import { pruneInbox } from '../../src/delivery/retention.js';
import { createLogger } from '../../src/logger.js';
import { waitFor } from '../helpers/botProcess.js';
import { openTestDatabase } from '../helpers/db.js';
import { startHarness, type Harness } from '../helpers/harness.js';

type Row = { update_id: string; handled_at: Date | null; gave_up: boolean; attempts: number; last_error: string | null; payload: unknown };
const rows = (db: Database, channel: string) =>
  db.prisma.$queryRawUnsafe<Row[]>(
    `SELECT update_id, handled_at, gave_up, attempts, last_error, payload FROM inbox_updates WHERE channel = $1 ORDER BY id`,
    channel,
  );

/** The embedded bot (PGlite, one process) works from the inbox too. */
describe('the embedded bot', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.stop());

  it('stores each update in the inbox, answers it once and keeps only its keys', async () => {
    const khach = { id: 95_001, first_name: 'Khách' };
    const update = h.emulator.sendText(khach, '/toi 0913222333');
    const [reply] = await h.emulator.waitForMessages(khach.id, 1, 40_000);
    expect(reply!.plainText).toContain('chưa được liên kết');
    await waitFor(async () => (await rows(h.database, 'telegram')).some((r) => r.handled_at), 10_000, 'the update marked handled');
    const [row] = (await rows(h.database, 'telegram')).filter((r) => r.update_id === String(update.update_id));
    expect(row).toMatchObject({ gave_up: false, attempts: 1, payload: {} });
    expect(h.emulator.messagesTo(khach.id)).toHaveLength(1);
  }, 60_000);
});

describe('the inbox worker', () => {
  let database: Database;
  const inboxes: Inbox[] = [];
  const lines: string[] = [];
  const log = createLogger('info', { write: (l) => void lines.push(l) });
  const inbox = (opts: ConstructorParameters<typeof Inbox>[2] = {}) => {
    const i = new Inbox(database.prisma, log, { idlePollMs: 50, ...opts });
    inboxes.push(i);
    return i;
  };

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(inboxes.map((i) => i.stop()));
    await database?.close();
  });

  it('gives up an update that keeps failing (a bug), logs it by id and kind only, and goes on with the chat', async () => {
    const handled: string[] = [];
    const calls = new Map<string, number>();
    const i = inbox({ maxAttempts: 3, retryBaseMs: 50 });
    i.registerHandler('bug', async (payload, { updateId }) => {
      calls.set(updateId, (calls.get(updateId) ?? 0) + 1);
      const p = payload as { text: string; broken?: boolean };
      if (p.broken) throw new TypeError(`cannot read ${p.text}`);
      handled.push(updateId);
    });
    i.start();
    await i.store('bug', [
      { updateId: '1', chatKey: 'c1', payload: { text: 'Nguyễn Văn An 0913222333', broken: true } },
      { updateId: '2', chatKey: 'c1', payload: { text: 'sau đó' } },
      { updateId: '3', chatKey: 'c2', payload: { text: 'chat khác' } },
    ]);
    await waitFor(() => handled.includes('2'), 15_000, 'the chat going on');
    expect(calls.get('1')).toBe(3);
    // One chat in order: the second update waited for the first to be given up; another chat did not.
    expect(handled).toEqual(['3', '2']);
    const [first, second] = await rows(database, 'bug');
    expect(first).toMatchObject({ gave_up: true, attempts: 3, last_error: 'TypeError' });
    expect(first!.handled_at).not.toBeNull();
    expect(second).toMatchObject({ gave_up: false, payload: {} });
    const given = lines.filter((l) => l.includes('given up'));
    expect(given).toHaveLength(1);
    expect(given[0]).toContain('"updateId":"1"');
    expect(given[0]).toContain('"kind":"TypeError"');
    const all = lines.join('\n');
    expect(all).not.toContain('0913');
    expect(all).not.toContain('Nguyễn');
    expect(all).not.toContain('cannot read');
  }, 30_000);

  it('stores an update once however often the platform gives it', async () => {
    let n = 0;
    const i = inbox();
    i.registerHandler('again', async () => void n++);
    const u = { updateId: '77', chatKey: 'c', payload: { text: 'một lần' } };
    await i.store('again', [u]);
    await i.store('again', [u]);
    i.start();
    await waitFor(async () => (await rows(database, 'again'))[0]?.handled_at != null, 10_000, 'handled');
    await i.store('again', [u]);
    await sleep(300);
    expect(n).toBe(1);
    expect(await rows(database, 'again')).toHaveLength(1);
  });

  it('keeps the lease of an update being handled alive, so another worker does not take it when the lease would end', async () => {
    let running = 0;
    let calls = 0;
    const slow = async () => {
      calls++;
      running++;
      await sleep(2500);
      running--;
    };
    const a = inbox({ leaseSeconds: 1 });
    const b = inbox({ leaseSeconds: 1 });
    a.registerHandler('slow', slow);
    b.registerHandler('slow', slow);
    a.start();
    await a.store('slow', [{ updateId: '1', chatKey: 'c', payload: {} }]);
    await waitFor(() => running === 1, 5000, 'handling begun');
    b.start();
    await waitFor(async () => (await rows(database, 'slow'))[0]?.handled_at != null, 10_000, 'handled');
    await sleep(1500);
    expect(calls).toBe(1);
  }, 20_000);

  it('is pruned by the retention job: handled updates after the retention period, unhandled ones kept', async () => {
    const i = inbox();
    await i.store('old', [
      { updateId: 'handled-long-ago', chatKey: 'c', payload: {} },
      { updateId: 'handled-yesterday', chatKey: 'c', payload: {} },
      { updateId: 'waiting', chatKey: 'd', payload: { text: 'chờ' } },
    ]);
    await database.prisma.$executeRawUnsafe(
      `UPDATE inbox_updates SET handled_at = now() - interval '40 days' WHERE channel = 'old' AND update_id = 'handled-long-ago'`,
    );
    await database.prisma.$executeRawUnsafe(
      `UPDATE inbox_updates SET handled_at = now() - interval '1 day' WHERE channel = 'old' AND update_id = 'handled-yesterday'`,
    );
    expect(await pruneInbox(database.prisma, DateTime.now(), 30)).toEqual({ deletedUpdates: 1 });
    expect((await rows(database, 'old')).map((r) => r.update_id)).toEqual(['handled-yesterday', 'waiting']);
    expect(await pruneInbox(database.prisma, DateTime.now(), 30)).toEqual({ deletedUpdates: 0 });
  });
});
