import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { createDeadline } from '../../src/domain/deadlines/service.js';
import { BotApiEmulator } from '../../src/emulator/botApiEmulator.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { openTestDatabase } from '../helpers/db.js';
import { ROSTER, setupOrg, unitId, type Who } from '../helpers/roster.js';

/** Restarts and two bot processes on one database: every reminder still goes out exactly once. */
describe('deadline reminders across restarts and processes', () => {
  let database: Database;
  let emulator: BotApiEmulator;
  const running: Harness[] = [];

  const start = async (now: string) => {
    const h = await startHarness({ database, emulator, now });
    running.push(h);
    return h;
  };
  const stop = async (h: Harness) => {
    await h.stop();
    running.splice(running.indexOf(h), 1);
  };
  const count = (who: Who) => emulator.messagesTo(ROSTER[who].tg).length;
  const keys = async (like: string) =>
    (await database.prisma.outboxMessage.findMany({ where: { dedupeKey: { contains: like } }, select: { dedupeKey: true } })).map(
      (r) => r.dedupeKey,
    );

  beforeAll(async () => {
    emulator = new BotApiEmulator();
    await emulator.start();
    database = await openTestDatabase();
  });
  afterAll(async () => {
    for (const h of [...running]) await stop(h);
    await database?.close();
    await emulator?.stop();
  });

  async function drained(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if ((await database.prisma.outboxMessage.count({ where: { status: { in: ['pending', 'sending'] } } })) === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('outbox not drained');
  }

  async function create(h: Harness, due: string, codes: string[]) {
    const unitIds = await Promise.all(codes.map((c) => unitId(database, c)));
    return (
      await createDeadline(h.app.svc, {
        title: 'Báo cáo sơ kết công tác tuyên giáo',
        dueAt: DateTime.fromISO(due, { zone: h.config.APP_TIMEZONE }),
        unitIds,
        actor: 'test',
      })
    ).id;
  }

  it('sends the 08:00 reminder once when the bot was down at 08:00 and starts at 10:00', async () => {
    const first = await start('2026-12-20T10:00');
    await setupOrg(database, first.config);
    const id = await create(first, '2026-12-31T23:59:59.999', ['CB1-BTG', 'CB3-BTG']);
    await emulator.waitForMessages(ROSTER.long.tg, 1, 10_000);
    await first.at('2026-12-24T07:00');
    await stop(first);
    expect(await keys(`deadline:${id}:`)).not.toContainEqual(expect.stringContaining(':d-7:'));

    const before = { hanh: count('hanh'), lan: count('lan'), long: count('long') };
    const second = await start('2026-12-24T10:00'); // its first tick runs on start
    await emulator.waitForMessages(ROSTER.hanh.tg, before.hanh + 1, 10_000);
    await second.at('2026-12-24T10:01');
    await second.at('2026-12-24T11:00');
    expect((await keys(`deadline:${id}:`)).filter((k) => k.includes(':d-7:'))).toHaveLength(3);
    await drained();
    for (const who of ['hanh', 'lan', 'long'] as const) {
      expect(count(who) - before[who], who).toBe(1);
      expect(emulator.lastMessage(ROSTER[who].tg)!.plainText).toContain('Nhắc hạn báo cáo');
    }
    await stop(second);
  }, 40_000);

  it('sends each reminder, overdue notice and digest once with two bot processes ticking together', async () => {
    const [a, b] = await Promise.all([start('2026-12-20T10:00'), start('2026-12-20T10:00')]);
    await database.prisma.deadline.deleteMany();
    const soon = await create(a, '2026-12-31T17:00', ['CB1-BTG', 'CB2-BTG', 'CB3-BTG']);
    const late = await create(b, '2026-12-27T17:00', ['CB1-BTG', 'CB3-BTG']);
    await drained(); // the announcements went out before counting
    const who: Who[] = ['hanh', 'hung', 'lan', 'long', 'dung'];
    const before = new Map(who.map((w) => [w, count(w)]));

    for (const at of ['2026-12-28T08:00', '2026-12-28T08:01']) {
      a.clock.set(DateTime.fromISO(at, { zone: a.config.APP_TIMEZONE }));
      b.clock.set(DateTime.fromISO(at, { zone: b.config.APP_TIMEZONE }));
      await Promise.all([a.app.scheduler.tick(), b.app.scheduler.tick(), a.app.scheduler.tick(), b.app.scheduler.tick()]);
    }
    // d-3 of `soon` for the four secretaries; overdue of `late` for Hạnh, Lan, Long; one digest each for
    // Dũng and the office (Bình, van_phong DBK: issue 13 #4).
    expect(await keys(`deadline:${soon}:`).then((k) => k.filter((x) => x.includes(':d-3:')))).toHaveLength(4);
    expect(await keys(`deadline:${late}:`).then((k) => k.filter((x) => x.includes(':overdue:')))).toHaveLength(3);
    expect(await keys('deadlines:digest:2026-12-28:')).toHaveLength(2);

    const expected: Record<Who, number> = { hanh: 2, hung: 1, lan: 2, long: 2, dung: 1 } as Record<Who, number>;
    await drained();
    for (const w of who) expect(count(w) - before.get(w)!, w).toBe(expected[w]);
    const sent = await database.prisma.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } });
    expect(sent.filter((s) => s.status !== 'sent')).toEqual([]);
  }, 40_000);
});
