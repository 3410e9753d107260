import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { operator, personActor, type PersonActor } from '../../src/application/actor.js';
import {
  close,
  create,
  followed,
  info,
  note,
  pendingReports,
  progress,
  report,
  undo,
  unitsForCreator,
} from '../../src/application/deadlines/index.js';
import { configSchema } from '../../src/config.js';
import { AdjustableClock } from '../../src/core/clock.js';
import { safeCsvCell } from '../../src/core/csv.js';
import type { Services } from '../../src/core/services.js';
import type { Database } from '../../src/db/client.js';
import { loadPerson } from '../../src/domain/people.js';
import { toCsv } from '../../src/cli/csv.js';
import { createLogger } from '../../src/logger.js';
import { openTestDatabase } from '../helpers/db.js';
import { personId, setupOrg, unitId, type Who } from '../helpers/roster.js';

const config = configSchema.parse({ BOT_USERNAME: 'capuy_test_bot', LOG_LEVEL: 'silent' });
const clock = new AdjustableClock(config.APP_TIMEZONE);
const at = (iso: string) => DateTime.fromISO(iso, { zone: config.APP_TIMEZONE });

describe('deadline use cases', () => {
  let database: Database;
  let svc: Services;
  const actor = async (who: Who): Promise<PersonActor> =>
    personActor((await loadPerson(database.prisma, await personId(database, who)))!, `test:${who}`);
  const unit = (code: string) => unitId(database, code);
  const denied = (action: string) => database.prisma.auditLog.findMany({ where: { action: `denied:${action}` }, orderBy: { id: 'asc' } });
  const newDeadline = async (codes: string[], by: Who | null = null) => {
    const res = await create(svc, operator, {
      title: 'Báo cáo kết quả học tập Nghị quyết',
      dueAt: at('2027-01-15T17:00'),
      unitIds: await Promise.all(codes.map(unit)),
      docNumber: '65-CV/BTGQU',
      createdById: by ? await personId(database, by) : null,
    });
    if (!res.ok) throw new Error(res.refusal.key);
    return res.value.id;
  };

  beforeAll(async () => {
    database = await openTestDatabase();
    await setupOrg(database, config, ['hanh', 'ngoc']);
    svc = { db: database.prisma, config, clock, log: createLogger('silent'), botUsername: '', kick: () => undefined };
  });
  afterAll(() => database?.close());
  beforeEach(() => clock.set(at('2027-01-05T09:00')));

  it('lets admin and van_phong create for units in their subtree only, and audits a refused attempt', async () => {
    const binh = await actor('binh');
    expect((await unitsForCreator(svc, binh)).units.map((u) => u.code)).toContain('CB1-MT');
    expect((await unitsForCreator(svc, await actor('hanh'))).units).toEqual([]);

    const ngoc = await personId(database, 'ngoc');
    await database.prisma.roleAssignment.create({ data: { personId: ngoc, unitId: await unit('CB1-MT'), role: 'van_phong' } });
    const before = await database.prisma.deadline.count();
    const res = await create(svc, await actor('ngoc'), {
      title: 'Báo cáo chuyên đề',
      dueAt: at('2027-01-20T17:00'),
      unitIds: [await unit('CB1-MT'), await unit('CB1-BTG')],
    });
    expect(res).toEqual({ ok: false, refusal: { key: 'deadlines:errors.out_of_scope', forbidden: true, params: { code: 'CB1-BTG' } } });
    expect(await database.prisma.deadline.count()).toBe(before);
    expect((await denied('deadlines.create')).map((a) => [a.actorId, a.target])).toEqual([[ngoc, 'units:CB1-BTG']]);

    // A bí thư is refused whatever the unit: the first gate of the rule.
    const hanh = await create(svc, await actor('hanh'), { title: 'X', dueAt: at('2027-01-20T17:00'), unitIds: [await unit('CB1-BTG')] });
    expect(hanh.ok).toBe(false);

    const ok = await create(svc, await actor('ngoc'), {
      title: 'Báo cáo chuyên đề',
      dueAt: at('2027-01-20T17:00'),
      unitIds: [await unit('CB1-MT')],
    });
    expect(ok.ok).toBe(true);
    const d = await database.prisma.deadline.findUniqueOrThrow({ where: { id: ok.ok ? ok.value.id : 0 } });
    expect(d.createdById).toBe(ngoc);
    // A date already past is refused with the moment in words.
    const past = await create(svc, binh, { title: 'Y', dueAt: at('2027-01-04T17:00'), unitIds: [await unit('CB1-BTG')] });
    expect(past.ok ? null : past.refusal).toMatchObject({
      key: 'deadlines:errors.past_due',
      params: { due: 'trước 17:00 Thứ Hai, 04/01/2027' },
    });
  });

  it("lets a unit's secretaries or an office above it report, only the reporter undo and annotate", async () => {
    const id = await newDeadline(['CB1-BTG', 'CB2-BTG']);
    const cb1 = await unit('CB1-BTG');
    const hanh = await actor('hanh');
    expect((await pendingReports(svc, hanh)).map((p) => [p.deadline.id, p.unit.code])).toContainEqual([id, 'CB1-BTG']);

    // Hùng (CB2-BTG) and Dũng (phu_trach above) may not; Bình (van_phong DBK) may.
    for (const who of ['hung', 'dung'] as const) {
      const res = await report(svc, await actor(who), { deadlineId: id, unitId: cb1 });
      expect(res).toEqual({ ok: false, refusal: { key: 'deadlines:report.forbidden', forbidden: true } });
    }
    expect((await denied('deadlines.report')).map((a) => a.target)).toEqual([`deadline:${id}:unit:CB1-BTG`, `deadline:${id}:unit:CB1-BTG`]);
    const cb2 = await report(svc, await actor('binh'), { deadlineId: id, unitId: await unit('CB2-BTG') });
    expect(cb2.ok && cb2.value.status).toBe('recorded');

    const done = await report(svc, hanh, { deadlineId: id, unitId: cb1 });
    expect(done.ok && done.value.status).toBe('recorded');
    const again = await report(svc, await actor('lan'), { deadlineId: id, unitId: cb1 });
    expect(again.ok ? null : again.refusal.key).toBe('deadlines:report.forbidden');

    // Notes: the reporter only, audited before and after.
    expect(await note(svc, await actor('hung'), { deadlineId: id, unitId: cb1, text: 'chen ngang' })).toMatchObject({ ok: false });
    expect((await note(svc, hanh, { deadlineId: id, unitId: cb1, text: 'Đã gửi bản giấy' })).ok).toBe(true);
    expect((await note(svc, hanh, { deadlineId: id, unitId: cb1, text: 'https://drive.example.vn/bc.pdf' })).ok).toBe(true);
    const notes = await database.prisma.auditLog.findMany({
      where: { action: 'deadline.report_note', target: `deadline:${id}:unit:CB1-BTG` },
      orderBy: { id: 'asc' },
    });
    expect(notes.map((n) => n.details)).toEqual([
      { before: null, after: 'Đã gửi bản giấy' },
      { before: 'Đã gửi bản giấy', after: 'https://drive.example.vn/bc.pdf' },
    ]);
    clock.set(at('2027-01-05T09:31'));
    expect(await note(svc, hanh, { deadlineId: id, unitId: cb1, text: 'muộn' })).toMatchObject({ ok: false });

    // Undo: not by someone else (audited), by Hạnh the same day, not the next day.
    expect(await undo(svc, await actor('lan'), { deadlineId: id, unitId: cb1 })).toEqual({
      ok: false,
      refusal: { key: 'deadlines:undo.not_reporter', forbidden: true },
    });
    expect((await denied('deadlines.undo')).map((a) => a.target)).toEqual([`deadline:${id}:unit:CB1-BTG`]);
    expect((await undo(svc, hanh, { deadlineId: id, unitId: cb1 })).ok).toBe(true);
    expect((await report(svc, hanh, { deadlineId: id, unitId: cb1 })).ok).toBe(true);
    clock.set(at('2027-01-06T09:00'));
    expect(await undo(svc, hanh, { deadlineId: id, unitId: cb1 })).toEqual({ ok: false, refusal: { key: 'deadlines:undo.too_late' } });
  });

  it('limits progress and details to the units within reach, the creator seeing all', async () => {
    const id = await newDeadline(['CB1-BTG', 'CB1-MT'], 'an');
    const cb1 = await unit('CB1-BTG');
    await report(svc, await actor('hanh'), { deadlineId: id, unitId: cb1 });

    const seen = async (who: Who) => {
      const res = await progress(svc, await actor(who), id);
      return res.ok ? res.value.rows.map((r) => r.code) : res.refusal.key;
    };
    expect(await seen('an')).toEqual(['CB1-BTG', 'CB1-MT']); // created it, and admin of DBK
    // Issue 13 #4: every leadership role follows its subtree, the same units /tonghop counts.
    expect(await seen('dung')).toEqual(['CB1-BTG', 'CB1-MT']); // cấp ủy viên DBK (and phu_trach DB-BTG)
    expect(await seen('binh')).toEqual(['CB1-BTG', 'CB1-MT']); // van_phong DBK
    expect(await seen('ngoc')).toEqual(['CB1-MT']); // bí thư CB1-MT: her chi bộ only
    expect((await followed(svc, await actor('ngoc'))).find((p) => p.deadline.id === id)?.rows.map((r) => r.code)).toEqual(['CB1-MT']);
    expect((await followed(svc, await actor('ngoc'))).every((p) => p.rows.every((r) => r.code === 'CB1-MT'))).toBe(true);
    expect((await followed(svc, operator)).find((p) => p.deadline.id === id)?.units).toBe(2);

    const ngoc = await info(svc, await actor('ngoc'), { deadlineId: id, unitId: cb1 });
    expect(
      ngoc.ok && { row: ngoc.value.row, full: ngoc.value.full, units: ngoc.value.progress.units, reported: ngoc.value.progress.reported },
    ).toEqual({ row: null, full: false, units: 1, reported: 0 });
    const an = await info(svc, await actor('an'), { deadlineId: id, unitId: cb1 });
    expect(an.ok && [an.value.row?.reportedBy, an.value.full, an.value.progress.reported]).toEqual(['Võ Thị Hạnh', true, 1]);
    expect(await info(svc, await actor('phuc'), { deadlineId: id })).toEqual({
      ok: false,
      refusal: { key: 'deadlines:info.not_found', forbidden: true },
    });
    expect(await info(svc, operator, { deadlineId: 999999 })).toEqual({ ok: false, refusal: { key: 'deadlines:info.not_found' } });
  });

  it('lets the creator, an admin over every unit, or the operator close a deadline', async () => {
    const id = await newDeadline(['CB1-BTG', 'CBCS-HLH'], 'binh');
    const phuc = await personId(database, 'phuc');
    await database.prisma.roleAssignment.create({ data: { personId: phuc, unitId: await unit('CBCS-HLH'), role: 'admin' } });
    expect(await close(svc, await actor('phuc'), { deadlineId: id })).toEqual({
      ok: false,
      refusal: { key: 'core:error.forbidden_short', forbidden: true },
    });
    expect(await close(svc, await actor('dung'), { deadlineId: id })).toMatchObject({ ok: false });
    expect(await close(svc, await actor('binh'), { deadlineId: id })).toEqual({ ok: true, value: { closed: true } });
    const other = await newDeadline(['CB1-BTG']);
    expect(await close(svc, await actor('an'), { deadlineId: other })).toEqual({ ok: true, value: { closed: true } });
    expect(await close(svc, operator, { deadlineId: other })).toEqual({ ok: true, value: { closed: false } });
    expect(await close(svc, operator, { deadlineId: 999999 })).toEqual({
      ok: false,
      refusal: { key: 'deadlines:errors.not_found', params: { id: 999999 } },
    });
  });
});

describe('CSV cells', () => {
  it('neutralise every string that a spreadsheet would run as a formula, in the CLI and the check-in export alike', () => {
    for (const v of ['=1+1', '+84913222333', '-2', '@SUM(A1)', '\tx', '\rx']) expect(safeCsvCell(v)).toBe(`'${v}`);
    expect(safeCsvCell('Võ Thị Hạnh')).toBe('Võ Thị Hạnh');
    expect(safeCsvCell(-2)).toBe('-2');
    expect(safeCsvCell(null)).toBe('');
    expect(
      toCsv([
        ['name', 'phone'],
        ['=cmd|"/c calc"!A0', '0913 222 333'],
        [null, 3],
      ]),
    ).toBe(`name,phone\n"'=cmd|""/c calc""!A0",0913 222 333\n,3\n`);
  });
});
