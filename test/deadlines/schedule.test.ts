import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { markReported, createDeadline } from '../../src/domain/deadlines/service.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { ROSTER, personId, setupOrg, unitId, type Who } from '../helpers/roster.js';

/**
 * Reminders, overdue notices and the daily digest against a moved clock. What the jobs queue is read
 * from the outbox (one row per message meant); deliveries are checked at the end of each story.
 */
describe('deadline reminders and escalation', () => {
  let h: Harness;
  let names: Map<number, Who>;

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-20T10:00' });
    await setupOrg(h.database, h.config);
    names = new Map();
    for (const who of Object.keys(ROSTER) as Who[]) names.set(await personId(h.database, who), who);
  });
  afterAll(() => h?.stop());
  beforeEach(async () => {
    await h.db.deadline.deleteMany();
    await h.db.jobMark.deleteMany();
  });

  async function create(due: string, codes: string[], extra: { remindDays?: number[]; createdBy?: Who } = {}) {
    const unitIds = await Promise.all(codes.map((c) => unitId(h.database, c)));
    const { id } = await createDeadline(h.app.svc, {
      title: 'Báo cáo kế hoạch thực hiện Nghị quyết Đại hội',
      dueAt: DateTime.fromISO(due, { zone: h.config.APP_TIMEZONE }),
      unitIds,
      ...(extra.remindDays ? { remindDays: extra.remindDays } : {}),
      createdById: extra.createdBy ? await personId(h.database, extra.createdBy) : null,
      actor: 'test',
    });
    return id;
  }

  /** Who got a message tagged `tag` ("new", "d-3", "overdue") for deadline `id`, sorted. */
  async function got(id: number, tag: string): Promise<Who[]> {
    const rows = await h.db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `deadline:${id}:` } } });
    return rows
      .map((r) => /:person:(\d+):([^:]+):chat:/.exec(r.dedupeKey))
      .filter((m): m is RegExpExecArray => !!m && m[2] === tag)
      .map((m) => names.get(Number(m[1]))!)
      .sort();
  }

  async function texts(id: number, tag: string): Promise<string[]> {
    const rows = await h.db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `deadline:${id}:`, contains: `:${tag}:` } } });
    return rows.map((r) => (r.payload as { text: string }).text);
  }

  async function digests(date: string): Promise<Map<Who, string>> {
    const rows = await h.db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `deadlines:digest:${date}:` } } });
    return new Map(rows.map((r) => [names.get(Number(/:person:(\d+):/.exec(r.dedupeKey)![1]))!, (r.payload as { text: string }).text]));
  }

  async function report(id: number, code: string, who: Who) {
    return markReported(h.app.svc, {
      deadlineId: id,
      unitId: await unitId(h.database, code),
      personId: await personId(h.database, who),
      actor: 'test',
    });
  }

  it('reminds at 7, 3, 1 and 0 days for a deadline on 31/12, stops for a unit that reported, then escalates', async () => {
    const before = new Map((Object.keys(ROSTER) as Who[]).map((w) => [w, h.emulator.messagesTo(ROSTER[w].tg).length]));
    await h.at('2026-12-20T10:00');
    const id = await create('2026-12-31T23:59:59.999', ['CB1-BTG', 'CB2-BTG', 'CB3-BTG'], { createdBy: 'binh' });
    expect(await got(id, 'new')).toEqual(['hanh', 'hung', 'lan', 'long']);

    await h.at('2026-12-24T07:59');
    expect(await got(id, 'd-7')).toEqual([]);
    await h.at('2026-12-24T08:00');
    expect(await got(id, 'd-7')).toEqual(['hanh', 'hung', 'lan', 'long']);
    expect((await texts(id, 'd-7'))[0]).toContain('còn 7 ngày');
    await h.at('2026-12-24T08:01');
    await h.at('2026-12-24T15:00');
    expect(await got(id, 'd-7')).toHaveLength(4);

    // CB2 reports between the reminders: no more reminders for Hùng.
    await h.at('2026-12-26T09:30');
    expect(await report(id, 'CB2-BTG', 'hung')).toEqual({ ok: true });

    await h.at('2026-12-28T08:00');
    expect(await got(id, 'd-3')).toEqual(['hanh', 'lan', 'long']);
    await h.at('2026-12-30T08:00');
    expect(await got(id, 'd-1')).toEqual(['hanh', 'lan', 'long']);
    expect((await texts(id, 'd-1'))[0]).toContain('còn 1 ngày, hạn là ngày mai');
    await h.at('2026-12-31T08:00');
    expect(await got(id, 'd-0')).toEqual(['hanh', 'lan', 'long']);
    expect((await texts(id, 'd-0'))[0]).toContain('Hôm nay là hạn chót');

    // CB3 reports on the due day; CB1 does not.
    await h.at('2026-12-31T16:00');
    expect(await report(id, 'CB3-BTG', 'long')).toEqual({ ok: true });
    await h.at('2026-12-31T23:59');
    expect(await got(id, 'overdue')).toEqual([]);
    expect((await digests('2026-12-31')).size).toBe(0);

    await h.at('2027-01-01T07:00');
    expect(await got(id, 'overdue')).toEqual([]);
    await h.at('2027-01-01T08:00');
    expect(await got(id, 'overdue')).toEqual(['hanh']);
    expect((await texts(id, 'overdue'))[0]).toContain('quá hạn 1 ngày');
    const d1 = await digests('2027-01-01');
    // Dũng supervises DB-BTG (above CB1); Bình created the deadline. An (admin) is neither.
    expect([...d1.keys()].sort()).toEqual(['binh', 'dung']);
    expect(d1.get('dung')).toContain('Chi bộ 1 (Phòng Tuyên truyền)');
    expect(d1.get('dung')).toContain('Bí thư Võ Thị Hạnh, 0913 222 333');
    expect(d1.get('dung')).not.toContain('CB3-BTG');
    await h.at('2027-01-01T09:00');
    await h.at('2027-01-01T20:00');
    expect((await digests('2027-01-01')).size).toBe(2);
    expect(await got(id, 'overdue')).toEqual(['hanh']);

    await h.at('2027-01-02T08:00');
    expect([...(await digests('2027-01-02')).keys()].sort()).toEqual(['binh', 'dung']);
    expect(await got(id, 'overdue')).toEqual(['hanh']);

    // Once every unit has reported, the mornings are quiet again.
    await h.at('2027-01-02T10:00');
    expect(await report(id, 'CB1-BTG', 'hanh')).toEqual({ ok: true });
    await h.at('2027-01-03T08:00');
    expect((await digests('2027-01-03')).size).toBe(0);

    // Everything queued was delivered, each message once.
    // Hạnh: new, d-7, d-3, d-1, d-0, overdue. Lan also gets Long's confirmation for CB3.
    const expected: Partial<Record<Who, number>> = { hanh: 6, lan: 6, long: 5, hung: 2, dung: 2, binh: 2, an: 0 };
    for (const [who, n] of Object.entries(expected) as [Who, number][]) {
      await h.emulator.waitForMessages(ROSTER[who].tg, before.get(who)! + n, 15_000);
    }
    await new Promise((r) => setTimeout(r, 1500));
    for (const [who, n] of Object.entries(expected) as [Who, number][]) {
      expect(h.emulator.messagesTo(ROSTER[who].tg).length - before.get(who)!, who).toBe(n);
    }
    const ownKeys = await h.db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `deadline:${id}:` }, status: { not: 'sent' } } });
    expect(ownKeys).toEqual([]);
  }, 60_000);

  it('handles a deadline on 01/01 across the new year, skipping reminders before it was announced', async () => {
    await h.at('2026-12-29T10:00');
    const id = await create('2027-01-01T17:00', ['CB1-MT']);
    expect(await got(id, 'new')).toEqual(['ngoc']);
    const announcement = (await texts(id, 'new'))[0]!;
    expect(announcement).toContain('trước 17:00 Thứ Sáu, 01/01/2027');
    expect(announcement).toContain('còn 3 ngày');

    await h.at('2026-12-29T12:00'); // d-3 was this morning, before the announcement: not sent
    expect(await got(id, 'd-3')).toEqual([]);
    await h.at('2026-12-31T08:00');
    expect(await got(id, 'd-1')).toEqual(['ngoc']);
    await h.at('2027-01-01T08:00');
    expect(await got(id, 'd-0')).toEqual(['ngoc']);
    await h.at('2027-01-01T17:30');
    expect(await got(id, 'overdue')).toEqual([]);
    await h.at('2027-01-02T08:00');
    expect(await got(id, 'overdue')).toEqual(['ngoc']);
    expect(await got(id, 'd-7')).toEqual([]);
  });

  it('sends a reminder that falls on a Sunday', async () => {
    await h.at('2026-12-21T09:00');
    const before = h.emulator.messagesTo(ROSTER.phuc.tg).length;
    const id = await create('2026-12-30T17:00', ['CBCS-HLH'], { remindDays: [3] });
    await h.at('2026-12-26T08:00');
    expect(await got(id, 'd-3')).toEqual([]);
    await h.at('2026-12-27T08:00');
    expect(h.clock.now().weekday).toBe(7);
    expect(await got(id, 'd-3')).toEqual(['phuc']);
    const msgs = await h.emulator.waitForMessages(ROSTER.phuc.tg, before + 2, 10_000);
    expect(msgs.at(-1)!.plainText).toContain('Nhắc hạn báo cáo');
    expect(msgs.at(-1)!.plainText).toContain('còn 3 ngày');
  });

  it('sends reminders to whoever holds the role at the time of sending', async () => {
    await h.at('2026-12-20T10:00');
    const id = await create('2026-12-31T23:59:59.999', ['CB1-BTG']);
    await h.at('2026-12-24T08:00');
    expect(await got(id, 'd-7')).toEqual(['hanh']);
    // Hạnh hands CB1-BTG over to Hùng (already linked) before the next reminder.
    const cb1 = await unitId(h.database, 'CB1-BTG');
    await h.db.roleAssignment.deleteMany({ where: { unitId: cb1, personId: await personId(h.database, 'hanh'), role: 'bi_thu' } });
    await h.db.roleAssignment.create({ data: { unitId: cb1, personId: await personId(h.database, 'hung'), role: 'bi_thu' } });
    await h.at('2026-12-28T08:00');
    expect(await got(id, 'd-3')).toEqual(['hung']);
    await h.db.roleAssignment.deleteMany({ where: { unitId: cb1, personId: await personId(h.database, 'hung') } });
    await h.db.roleAssignment.create({ data: { unitId: cb1, personId: await personId(h.database, 'hanh'), role: 'bi_thu' } });
  });
});
