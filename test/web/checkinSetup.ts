import { DateTime } from 'luxon';
import { expect } from 'vitest';
import { personActor } from '../../src/application/actor.js';
import { answerQuestion, reportOfUnit, sendAnswers } from '../../src/application/checkin/index.js';
import { loadPerson } from '../../src/domain/people.js';
import { cli } from '../helpers/cli.js';
import type { Harness } from '../helpers/harness.js';
import { Chat } from '../helpers/chat.js';
import { link, personId, unitId, type RosterPerson, type Who } from '../helpers/roster.js';
import { csrfOf, linkOf, WebClient } from './client.js';

/** A remark with markup and a formula: the page shows it as text, the XLSX as a string. */
export const REMARK = '<b>Cần</b> quan tâm =SUM(A1) đảng viên trẻ';
export const PROPOSAL = 'Đề nghị tổ chức lớp bồi dưỡng lý luận chính trị cho đảng viên mới.';

/** The answers of a chi bộ: members, meetings, attendance, the ideology choice (1-based) and two texts. */
export interface Answers {
  members: number;
  meetings?: number;
  attendance?: string;
  ideology?: number;
  notes?: string;
  proposals?: string;
}

async function run(h: Harness, ...argv: string[]) {
  const res = await cli(h.database, h.config, argv, h.clock);
  expect(res.code, res.err).toBe(0);
  return res.out;
}

/** Opens a campaign for every chi bộ of the bloc from the command line; returns its id. */
export async function openCampaign(h: Harness, period: string, closes: string): Promise<number> {
  const out = await run(h, 'checkin', 'open', '--period', period, '--units', 'DBK', '--subtree', '--closes', closes);
  return Number(out.split('\n')[0]);
}

/** A secretary answers every question of her chi bộ's report and sends it, through the chat's use cases. */
export async function answer(h: Harness, who: Who, campaignId: number, unitCode: string, a: Answers): Promise<void> {
  const svc = h.app.svc;
  const actor = personActor((await loadPerson(h.db, await personId(h.database, who)))!, 'telegram:test');
  const found = await reportOfUnit(svc, actor, { campaignId, unitId: await unitId(h.database, unitCode) });
  expect(found.ok, JSON.stringify(found)).toBe(true);
  const reportId = found.ok ? found.value.report.id : 0;
  const texts: Record<string, string | null> = {
    members_end: String(a.members),
    regular_meetings: String(a.meetings ?? 3),
    thematic_meetings: '1',
    attendance: a.attendance ?? '92,5',
    admitted: '1',
    transferred_in: '0',
    transferred_out: '0',
    discipline: '0',
    ideology: String(a.ideology ?? 1),
    ideology_notes: a.notes ?? null,
    proposals: a.proposals ?? null,
  };
  for (const [questionId, text] of Object.entries(texts)) {
    const res = await answerQuestion(svc, actor, { reportId, questionId, answer: text === null ? { skip: true } : { text } });
    expect(res.ok, `${questionId}: ${JSON.stringify(res)}`).toBe(true);
  }
  const rev = (await h.db.checkinReport.findUniqueOrThrow({ where: { id: reportId } })).rev;
  const sent = await sendAnswers(svc, actor, { reportId, rev });
  expect(sent.ok, JSON.stringify(sent)).toBe(true);
}

/**
 * Three quarters of the same questionnaire for the bloc's five chi bộ: Q2 and Q3 answered by the
 * three chi bộ of DB-BTG and CB1-MT, Q4 (open, due 05/01/2027) answered by CB1-BTG and CB1-MT so far.
 * Leaves the clock on Monday 07/12/2026 09:00. Returns the campaign ids, oldest first.
 */
export async function seedQuarters(h: Harness): Promise<{ q2: number; q3: number; q4: number }> {
  const zone = h.config.APP_TIMEZONE;
  h.clock.set(DateTime.fromISO('2026-06-22T09:00', { zone }));
  const q2 = await openCampaign(h, '2026-Q2', '30/06/2026');
  await answer(h, 'hanh', q2, 'CB1-BTG', { members: 20, attendance: '90' });
  await answer(h, 'hung', q2, 'CB2-BTG', { members: 15, attendance: '80' });
  await answer(h, 'lan', q2, 'CB3-BTG', { members: 10, attendance: '100' });
  await answer(h, 'ngoc', q2, 'CB1-MT', { members: 30, attendance: '70' });
  h.clock.set(DateTime.fromISO('2026-09-21T09:00', { zone }));
  const q3 = await openCampaign(h, '2026-Q3', '30/09/2026');
  await answer(h, 'hanh', q3, 'CB1-BTG', { members: 22, attendance: '95' });
  await answer(h, 'hung', q3, 'CB2-BTG', { members: 16, attendance: '85' });
  await answer(h, 'lan', q3, 'CB3-BTG', { members: 11, attendance: '90' });
  await answer(h, 'ngoc', q3, 'CB1-MT', { members: 31, attendance: '75' });
  h.clock.set(DateTime.fromISO('2026-12-07T09:00', { zone }));
  const q4 = await openCampaign(h, '2026-Q4', '05/01/2027');
  await answer(h, 'hanh', q4, 'CB1-BTG', { members: 25, attendance: '96', ideology: 3, notes: REMARK, proposals: PROPOSAL });
  await answer(h, 'ngoc', q4, 'CB1-MT', { members: 33, attendance: '80', ideology: 2 });
  return { q2, q3, q4 };
}

/** Lâm Thị Mai, phụ trách of DB-UBMT only (not in people.csv), with a linked chat. */
export const MAI = { name: 'Lâm Thị Mai', phone: '+84914333666', tg: 7113 } as const;

export async function addMai(h: Harness): Promise<void> {
  const unit = await h.db.unit.findUniqueOrThrow({ where: { code: 'DB-UBMT' } });
  await h.db.person.create({ data: { fullName: MAI.name, phone: MAI.phone, roles: { create: { unitId: unit.id, role: 'phu_trach' } } } });
  await link(h.database, MAI);
}

/** Signs anyone (a fixture person or one a test added) in through /web and the link. */
export async function signedInAs(h: Harness, who: Who | RosterPerson): Promise<WebClient> {
  const web = new WebClient(h);
  const link = linkOf((await Chat.of(() => h, who).say('/web', '/web/login/')).plainText);
  const confirm = await web.get(link);
  const done = await web.post(link, { _csrf: csrfOf(confirm.text) });
  expect(done.status).toBe(303);
  return web;
}
