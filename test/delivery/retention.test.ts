import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.js';
import { AdjustableClock } from '../../src/core/clock.js';
import type { Services } from '../../src/core/services.js';
import type { Database } from '../../src/db/client.js';
import { enqueue } from '../../src/delivery/outbox.js';
import { pruneOutbox } from '../../src/delivery/retention.js';
import { createLogger } from '../../src/logger.js';
import { deadlinesJob } from '../../src/scheduling/jobs/deadlines.js';
import { retentionJob } from '../../src/scheduling/jobs/retention.js';
import { cli } from '../helpers/cli.js';
import { openTestDatabase } from '../helpers/db.js';
import { importFixtureOrg } from '../helpers/org.js';
import { link, ROSTER } from '../helpers/roster.js';

/**
 * OUTBOX_RETENTION_DAYS on the real database with the adjustable clock: the bot's clock moves weeks
 * ahead for the deadlines, and the rows the database wrote meanwhile are aged by as much (sent_at,
 * created_at and job marks moved back), as if those weeks had passed for the database too.
 */
const config = configSchema.parse({ LOG_LEVEL: 'silent', BOT_USERNAME: 'capuy_test_bot' });
const zone = config.APP_TIMEZONE;
const today = DateTime.now().setZone(zone).startOf('day');
const day = (n: number, time = '09:00') => DateTime.fromISO(`${today.plus({ days: n }).toISODate()}T${time}`, { zone });
const ddmm = (n: number) => today.plus({ days: n }).toFormat('dd/MM/yyyy');

describe('outbox retention', () => {
  let database: Database;
  let svc: Services;
  const clock = new AdjustableClock(zone);
  const run = (...argv: string[]) => cli(database, config, argv, clock);
  const markAllSent = () =>
    database.prisma.outboxMessage.updateMany({ where: { status: 'pending' }, data: { status: 'sent', sentAt: new Date() } });
  const keys = async (prefix: string) =>
    (await database.prisma.outboxMessage.findMany({ where: { dedupeKey: { startsWith: prefix } }, orderBy: { id: 'asc' } })).map((r) => ({
      key: r.dedupeKey,
      status: r.status,
      payload: r.payload,
    }));
  let openId: number;
  let pastId: number;
  let broadcastId: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    await importFixtureOrg(database, config);
    for (const who of ['an', 'dung', 'hanh', 'hung', 'lan'] as const) await link(database, who);
    svc = { db: database.prisma, config, clock, log: createLogger('silent'), botUsername: 'capuy_test_bot', kick: () => undefined };
    clock.set(day(0));
    // A deadline still open when the clock is six weeks on, and one long past by then.
    const open = await run('deadline', 'add', '--title', 'Báo cáo năm', '--due', ddmm(45), '--units', 'CB1-BTG', '--remind', '3');
    const past = await run('deadline', 'add', '--title', 'Báo cáo tháng', '--due', ddmm(5), '--units', 'CB2-BTG');
    expect(open.code, open.err).toBe(0);
    expect(past.code, past.err).toBe(0);
    [openId, pastId] = (await database.prisma.deadline.findMany({ orderBy: { id: 'asc' } })).map((d) => d.id) as [number, number];
    expect(await run('notify', '--unit', 'CB3-BTG', '--text', 'Họp chi bộ chiều nay')).toMatchObject({ code: 0 });
    const file = join(mkdtempSync(join(tmpdir(), 'capuy-retention-')), 'bc.txt');
    writeFileSync(file, 'Thông báo: nghỉ lễ');
    const bc = await run('broadcast', '--to', 'CB3-BTG', '--text-file', file, '--ack');
    expect(bc.code, bc.err).toBe(0);
    broadcastId = bc.out.trim();
    // A second-chat warning carries the person's phone number.
    const chat = await database.prisma.chatIdentity.findFirstOrThrow({ where: { chatId: String(ROSTER.hanh.tg) } });
    await enqueue(database.prisma, [
      {
        chatIdentityId: chat.id,
        dedupeKey: `link:second:chat:${chat.id}:at:1:to:2`,
        payload: { text: `Số ${ROSTER.hanh.phone} vừa liên kết` },
      },
    ]);
    await markAllSent();
    // The past deadline's overdue notice and the list of late units (with names and phones) go out.
    clock.set(day(6, '08:30'));
    await deadlinesJob.run(svc);
    // Three days before the open deadline: its reminder, guarded by a job mark.
    clock.set(day(42, '08:30'));
    await deadlinesJob.run(svc);
    await markAllSent();
    // Six weeks pass for the database too.
    await database.prisma.$executeRawUnsafe(
      `UPDATE outbox SET sent_at = sent_at - interval '60 days', created_at = created_at - interval '60 days'`,
    );
    await database.prisma.$executeRawUnsafe(`UPDATE job_marks SET at = at - interval '60 days'`);
    // Something not sent yet is never touched.
    await enqueue(database.prisma, [{ chatIdentityId: chat.id, dedupeKey: 'notify:waiting:chat:1', payload: { text: 'Chờ gửi' } }]);
  }, 120_000);
  afterAll(() => database?.close());

  it('keeps 30 days by default', () => {
    expect(configSchema.parse({}).OUTBOX_RETENTION_DAYS).toBe(30);
  });

  it('prunes old rows and marks once a day, keeping what acknowledgements, statistics and open deadlines need', async () => {
    expect(await keys(`deadline:${openId}:`)).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: expect.stringContaining(':d-3:') })]),
    );
    expect((await keys(`deadline:${pastId}:`)).some((r) => r.key.includes(':overdue:'))).toBe(true);
    expect((await keys('deadlines:digest:')).length).toBeGreaterThan(0);
    const statusBefore = (await run('broadcast', 'status', broadcastId, '--json')).out;
    const marksBefore = (await database.prisma.jobMark.findMany()).map((m) => m.key);
    expect(marksBefore).toEqual(expect.arrayContaining([`deadline:${openId}:d-3`, `deadline:${pastId}:overdue`]));

    // Before 03:00 the daily job waits; after it, it runs once for the day.
    clock.set(day(43, '02:00'));
    await retentionJob.run(svc);
    expect(await keys('notify:')).toHaveLength(2);
    clock.set(day(43, '03:05'));
    await retentionJob.run(svc);

    // One-off notices, the late-units list, second-chat warnings and the past deadline's rows are gone.
    expect((await keys('notify:')).map((r) => r.key)).toEqual(['notify:waiting:chat:1']);
    expect(await keys('deadlines:digest:')).toEqual([]);
    expect(await keys('link:second:')).toEqual([]);
    expect(await keys(`deadline:${pastId}:`)).toEqual([]);
    const phones = await database.prisma.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM outbox WHERE status <> 'pending' AND (payload::text LIKE '%0913%' OR payload::text LIKE '%913222%')`,
    );
    expect(Number(phones[0]!.n)).toBe(0);
    // The open deadline's rows stay, blanked; its job mark stays, so the reminder does not go again.
    const openRows = await keys(`deadline:${openId}:`);
    expect(openRows.length).toBeGreaterThan(0);
    expect(openRows.every((r) => JSON.stringify(r.payload) === '{}')).toBe(true);
    const marks = (await database.prisma.jobMark.findMany()).map((m) => m.key);
    expect(marks).toContain(`deadline:${openId}:d-3`);
    expect(marks).not.toContain(`deadline:${pastId}:overdue`);
    // (Today's list of late units is new: the past deadline is still unreported.)
    const notDigest = { dedupeKey: { not: { startsWith: 'deadlines:digest:' } } };
    const count = await database.prisma.outboxMessage.count({ where: notDigest });
    clock.set(day(43, '08:30'));
    await deadlinesJob.run(svc);
    expect(await keys(`deadline:${openId}:`)).toHaveLength(openRows.length);
    expect(await database.prisma.outboxMessage.count({ where: notDigest })).toBe(count);
    // Broadcast rows stay whole: statistics, the reminder join and the acknowledgement read them.
    expect((await keys(`bc:${broadcastId}:`)).every((r) => (r.payload as { text?: string }).text?.includes('nghỉ lễ'))).toBe(true);
    expect((await run('broadcast', 'status', broadcastId, '--json')).out).toBe(statusBefore);
    // The waiting message is untouched.
    expect((await keys('notify:waiting'))[0]).toMatchObject({ status: 'pending', payload: { text: 'Chờ gửi' } });

    // Idempotent: a second pass finds nothing more to do.
    expect(await pruneOutbox(database.prisma, clock.now(), config.OUTBOX_RETENTION_DAYS)).toEqual({
      deletedMessages: 0,
      blankedPayloads: 0,
      deletedMarks: 0,
    });
  }, 60_000);
});
