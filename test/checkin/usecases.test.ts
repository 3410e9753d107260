import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operator, personActor, type Actor } from '../../src/application/actor.js';
import { checkinPolicy } from '../../src/application/checkin/policy.js';
import { exportCampaign, listCampaigns } from '../../src/application/checkin/export.js';
import { chooseUnit, openableUnits, openCheckin } from '../../src/application/checkin/open.js';
import { answerQuestion, myReports, reportOfUnit, reportToAnswer, sendAnswers } from '../../src/application/checkin/reports.js';
import { summaryFor } from '../../src/application/checkin/summary.js';
import { configSchema } from '../../src/config.js';
import { AdjustableClock } from '../../src/core/clock.js';
import type { Services } from '../../src/core/services.js';
import type { Database } from '../../src/db/client.js';
import type { Role } from '../../src/db/generated/enums.js';
import { loadPerson } from '../../src/domain/people.js';
import { normalizePhone } from '../../src/domain/phone.js';
import { createLogger } from '../../src/logger.js';
import { openTestDatabase } from '../helpers/db.js';
import { importFixtureOrg } from '../helpers/org.js';
import { ROSTER, type Who } from '../helpers/roster.js';

const config = configSchema.parse({ BOT_USERNAME: 'capuy_test_bot', LOG_LEVEL: 'silent' });
const clock = new AdjustableClock(config.APP_TIMEZONE);
clock.set(DateTime.fromISO('2026-12-28T09:00', { zone: config.APP_TIMEZONE }));
const closesAt = DateTime.fromISO('2027-01-05T17:00', { zone: config.APP_TIMEZONE });

describe('check-in use cases follow checkinPolicy', () => {
  let database: Database;
  let svc: Services;
  let campaign: number;
  const actors = new Map<string, Actor>();
  const as = (name: string) => actors.get(name)!;
  const unit = async (code: string) => database.prisma.unit.findUniqueOrThrow({ where: { code } });
  const denials = (action: string) => database.prisma.auditLog.count({ where: { action: `denied:checkin.${action}` } });

  async function add(name: string, roles: [Role, string][]): Promise<void> {
    const p = await database.prisma.person.create({ data: { fullName: name, phone: `+8491${String(actors.size).padStart(7, '0')}` } });
    for (const [role, code] of roles)
      await database.prisma.roleAssignment.create({ data: { personId: p.id, unitId: (await unit(code)).id, role } });
    actors.set(name, personActor((await loadPerson(database.prisma, p.id))!, 'test'));
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    await importFixtureOrg(database, config);
    svc = { db: database.prisma, config, clock, log: createLogger('silent'), botUsername: '', kick: () => undefined };
    for (const who of ['an', 'dung', 'hanh', 'lan', 'long', 'ngoc'] as Who[]) {
      const p = await database.prisma.person.findUniqueOrThrow({ where: { phone: normalizePhone(ROSTER[who].phone)! } });
      actors.set(who.toUpperCase(), personActor((await loadPerson(database.prisma, p.id))!, 'test'));
    }
    await add('admin BTG', [['admin', 'DB-BTG']]);
    await add('cap_uy_vien UBMT', [['cap_uy_vien', 'DB-UBMT']]);
    await add('van_phong DBK', [['van_phong', 'DBK']]);
    await add('cap_uy_vien CB1-BTG', [['cap_uy_vien', 'CB1-BTG']]);
    await add('no roles', []);
  });
  afterAll(() => database?.close());

  it('has a doc line for every rule', () => {
    for (const [action, rule] of Object.entries(checkinPolicy.rules)) expect(rule.doc.length, action).toBeGreaterThan(20);
    expect(Object.keys(checkinPolicy.rules).sort()).toEqual(['answer', 'export', 'mine', 'open', 'summary']);
  });

  it('opens campaigns for admins within their subtree only, and the operator anywhere', async () => {
    const open = (actor: Actor, codes: string[], period = '2026-Q4') =>
      openCheckin(svc, actor, { period, unitCodes: codes, subtree: true, closesAt });
    for (const name of ['HANH', 'DUNG', 'van_phong DBK', 'no roles']) {
      const res = await open(as(name), ['CB1-BTG'], '2026-Q1');
      expect(res.ok, name).toBe(false);
    }
    const outside = await open(as('admin BTG'), ['DB-UBMT']);
    expect(outside).toMatchObject({ ok: false, refusal: { key: 'checkin:open.forbidden', forbidden: true } });
    expect(await database.prisma.checkinCampaign.count()).toBe(0);
    expect(await denials('open')).toBe(5);

    expect((await chooseUnit(svc, as('admin BTG'), { code: 'CB1-MT' })).ok).toBe(false);
    expect(await chooseUnit(svc, as('admin BTG'), { code: 'CB2-BTG' })).toMatchObject({ ok: true, value: { code: 'CB2-BTG' } });
    expect(await chooseUnit(svc, as('admin BTG'), { code: 'KHONGCO' })).toMatchObject({
      ok: false,
      refusal: { key: 'checkin:open.unit_unknown' },
    });
    const units = await openableUnits(svc, as('admin BTG'), { limit: 12 });
    expect(units.ok && units.value.map((u) => u.code)).toEqual(['DB-BTG']);
    const all = await openableUnits(svc, as('AN'), { limit: 12 });
    expect(all.ok && all.value.map((u) => u.code)).toEqual(['DB-BTG', 'DB-UBMT', 'DBK']);

    const res = await open(as('admin BTG'), ['DB-BTG']);
    expect(res).toMatchObject({ ok: true, value: { units: 3 } });
    const byOperator = await open(operator, ['DB-UBMT']);
    expect(byOperator).toMatchObject({ ok: true, value: { units: 1 } });
    campaign = res.ok ? res.value.id : 0;
    // Bad input is refused by the same use case, with the domain's message.
    expect(await open(operator, ['CB1-BTG'])).toMatchObject({ ok: false, refusal: { key: 'checkin:errors.duplicate' } });
    expect(await open(operator, ['CB1-BTG'], '2026-Q9')).toMatchObject({ ok: false, refusal: { key: 'checkin:errors.bad_period' } });
  });

  it('lets only the responders held directly in the unit answer, edit and send', async () => {
    const cb1 = await unit('CB1-BTG');
    const r = await database.prisma.checkinReport.findUniqueOrThrow({
      where: { campaignId_unitId: { campaignId: campaign, unitId: cb1.id } },
    });
    const answer = (actor: Actor, text: string) =>
      answerQuestion(svc, actor, { reportId: r.id, questionId: 'members_end', answer: { text } });
    const before = await denials('answer');
    // Not a responder of CB1-BTG: bí thư of another unit, those above it, a cấp ủy viên held in the unit itself, the operator.
    for (const name of ['LAN', 'NGOC', 'AN', 'DUNG', 'admin BTG', 'cap_uy_vien CB1-BTG', 'no roles']) {
      expect(await answer(as(name), '20'), name).toMatchObject({ ok: false, refusal: { key: 'checkin:not_responder', forbidden: true } });
      expect((await reportOfUnit(svc, as(name), { campaignId: campaign, unitId: cb1.id })).ok, name).toBe(false);
    }
    expect((await answer(operator, '20')).ok).toBe(false);
    expect(await denials('answer')).toBe(before + 15);
    expect((await database.prisma.checkinReport.findUniqueOrThrow({ where: { id: r.id } })).rev).toBe(0);

    // Hạnh (bí thư of CB1-BTG) answers; a wrong answer says why and saves nothing.
    expect(await answer(as('HANH'), '700')).toMatchObject({
      ok: false,
      refusal: { key: 'checkin:invalid.integer_range', params: { value: 700 } },
    });
    expect(await answer(as('HANH'), '20')).toMatchObject({ ok: true, value: { value: 20 } });
    expect(await answer(as('HANH'), '21')).toMatchObject({ ok: true, value: { value: 21 } });
    const audits = await database.prisma.auditLog.findMany({ where: { action: 'checkin.answer' }, orderBy: { id: 'asc' } });
    expect(audits.map((a) => a.details)).toEqual([
      { question: 'members_end', before: null, after: 20, rev: 1 },
      { question: 'members_end', before: 20, after: 21, rev: 2 },
    ]);
    expect(audits[0]!.target).toBe(`checkin:${campaign}:unit:CB1-BTG`);
    expect(await answerQuestion(svc, as('HANH'), { reportId: r.id, questionId: 'nope', answer: { text: '1' } })).toMatchObject({
      ok: false,
      refusal: { key: 'core:error.stale_button' },
    });
    expect(await answerQuestion(svc, as('HANH'), { reportId: r.id, questionId: 'members_end', answer: { skip: true } })).toMatchObject({
      ok: false,
      refusal: { key: 'checkin:required' },
    });

    const mine = await myReports(svc, as('HANH'));
    expect(mine.ok && mine.value.map((l) => l.report.unit.code)).toEqual(['CB1-BTG']);
    const none = await myReports(svc, as('DUNG'));
    expect(none.ok && none.value).toEqual([]);
    // Sending: another unit's secretary is refused; Hạnh's incomplete report is refused for that reason.
    expect(await sendAnswers(svc, as('LAN'), { reportId: r.id, rev: 2 })).toMatchObject({
      ok: false,
      refusal: { key: 'checkin:not_responder' },
    });
    expect(await sendAnswers(svc, as('HANH'), { reportId: r.id, rev: 2 })).toMatchObject({
      ok: false,
      refusal: { key: 'checkin:send_refused.incomplete' },
    });
    // Forged or out-of-range ids are refused without a database error.
    for (const reportId of [0, -1, Number.NaN, 2 ** 40]) expect((await reportToAnswer(svc, as('HANH'), { reportId })).ok).toBe(false);
  });

  it('limits /tonghop to the subtree of the leadership roles (bí thư, văn phòng too: issue 13 #4)', async () => {
    const rate = async (name: string, id?: number) => {
      const res = await summaryFor(svc, name === 'operator' ? operator : as(name), id === undefined ? {} : { campaignId: id });
      return res.ok ? `${res.value.summary.reported}/${res.value.summary.units}` : res.refusal.key;
    };
    expect(await rate('AN', campaign)).toBe('0/3');
    expect(await rate('DUNG', campaign)).toBe('0/3');
    expect(await rate('admin BTG', campaign)).toBe('0/3');
    expect(await rate('operator', campaign)).toBe('0/3');
    const before = await denials('summary');
    expect(await rate('cap_uy_vien UBMT', campaign)).toBe('checkin:tonghop.not_found');
    // A chi bộ's bí thư sees her own chi bộ, the office its whole subtree.
    expect(await rate('HANH', campaign)).toBe('0/1');
    expect(await rate('van_phong DBK', campaign)).toBe('0/3');
    expect(await rate('no roles', campaign)).toBe('core:error.forbidden_short');
    expect(await denials('summary')).toBe(before + 2);
    // Without an id: the latest campaign in scope, its rows limited to the scope.
    const ubmt = await summaryFor(svc, as('cap_uy_vien UBMT'), {});
    expect(ubmt.ok && ubmt.value.summary.rows.map((r) => r.unit.code)).toEqual(['CB1-MT']);
    expect(await rate('cap_uy_vien UBMT', 2 ** 40)).toBe('checkin:tonghop.not_found');
    expect(await denials('summary')).toBe(before + 2);
  });

  it('exports and lists for the operator only', async () => {
    expect(await exportCampaign(svc, operator, { campaignId: campaign })).toMatchObject({ ok: true, value: { units: 3 } });
    expect(await exportCampaign(svc, operator, { campaignId: 999 })).toMatchObject({
      ok: false,
      refusal: { key: 'checkin:cli.not_found' },
    });
    for (const name of ['AN', 'DUNG']) {
      expect(await exportCampaign(svc, as(name), { campaignId: campaign })).toMatchObject({ ok: false, refusal: { forbidden: true } });
      expect((await listCampaigns(svc, as(name))).ok).toBe(false);
    }
    const list = await listCampaigns(svc, operator);
    expect(list.ok && list.value.map((c) => c.summary.units)).toEqual([3, 1]);
  });
});
