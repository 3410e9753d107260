import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { personActor } from '../../src/application/actor.js';
import { report } from '../../src/application/deadlines/index.js';
import { loadPerson } from '../../src/domain/people.js';
import { cli } from '../helpers/cli.js';
import type { Harness } from '../helpers/harness.js';
import type { Attempt } from './matrix.js';
import { INSIDE, OUTSIDE, type MatrixActor } from './roster.js';

/** The objects targeted probes act on: one of each kind in the unit inside and the one outside. */
export interface Targets {
  unitIds: Record<string, number>;
  deadline: Record<string, number>;
  campaign: Record<string, number>;
  report: Record<string, number>;
  question: string;
  item: Record<string, { id: number; version: number }>;
  doc: Record<string, number>;
  broadcast: Record<string, number>;
}

async function run(h: Harness, ...argv: string[]): Promise<string> {
  const res = await cli(h.database, h.config, argv, h.clock);
  if (res.code !== 0) throw new Error(`${argv.join(' ')}: ${res.err}`);
  return res.out;
}

/** Creates the targets through the command line (the operator), as an office would. */
export async function seedTargets(h: Harness): Promise<Targets> {
  const dir = mkdtempSync(join(tmpdir(), 'capuy-matrix-'));
  const units = await h.db.unit.findMany({ select: { id: true, code: true } });
  const unitIds = Object.fromEntries(units.map((u) => [u.code, u.id]));
  const t: Targets = { unitIds, deadline: {}, campaign: {}, report: {}, question: '', item: {}, doc: {}, broadcast: {} };
  const csv = ['date,start,end,content,place,chair,participants,unit_code,ref,participant_units,status'];
  for (const [i, code] of [INSIDE, OUTSIDE].entries()) {
    await run(h, 'deadline', 'add', '--title', `Báo cáo quý IV của ${code}`, '--due', '31/12/2026', '--units', code);
    t.deadline[code] = (await h.db.deadline.findFirstOrThrow({ where: { title: `Báo cáo quý IV của ${code}` } })).id;
    const opened = await run(h, 'checkin', 'open', '--period', '2026-Q4', '--units', code, '--closes', '05/01/2027');
    t.campaign[code] = Number(/\d+/.exec(opened)![0]);
    t.report[code] = (await h.db.checkinReport.findFirstOrThrow({ where: { campaignId: t.campaign[code], unitId: unitIds[code] } })).id;
    csv.push(`0${3 + i}/12/2026,08:00,10:00,Họp chi bộ ${code},Phòng họp 1,,,${code},M-${code},,`);
    await run(
      h,
      'docs',
      'add',
      '--title',
      `Tài liệu sinh hoạt ${code}`,
      '--number',
      `${10 + i}-HD/${code}`,
      '--category',
      'Khác',
      '--url',
      `https://example.vn/${code}`,
      '--units',
      code,
    );
    t.doc[code] = (await h.db.document.findFirstOrThrow({ where: { title: `Tài liệu sinh hoạt ${code}` } })).id;
    writeFileSync(join(dir, `${code}.txt`), `Thông báo nhanh cho ${code}`);
    await run(h, 'broadcast', '--to', code, '--text-file', join(dir, `${code}.txt`), '--ack');
    t.broadcast[code] = (await h.db.broadcast.findFirstOrThrow({ where: { text: `Thông báo nhanh cho ${code}` } })).id;
  }
  writeFileSync(join(dir, 'lich.csv'), csv.join('\n'));
  await run(h, 'schedule', 'import', join(dir, 'lich.csv'));
  for (const code of [INSIDE, OUTSIDE]) {
    const item = await h.db.scheduleItem.findUniqueOrThrow({ where: { ref: `M-${code}` } });
    t.item[code] = { id: item.id, version: item.version };
  }
  // Someone else's report on the deadline outside, for "undo" attempts on what is not one's own.
  const ngoc = await h.db.person.findUniqueOrThrow({ where: { phone: '+84914333888' } });
  const done = await report(h.app.svc, personActor((await loadPerson(h.db, ngoc.id))!, 'telegram:matrix'), {
    deadlineId: t.deadline[OUTSIDE]!,
    unitId: unitIds[OUTSIDE]!,
  });
  if (!done.ok) throw new Error(`report: ${done.refusal.key}`);
  const answer = await h.db.checkinReport.findUniqueOrThrow({ where: { id: t.report[INSIDE]! }, include: { campaign: true } });
  t.question = firstQuestion(answer.campaign);
  return t;
}

function firstQuestion(campaign: object): string {
  // The questionnaire is stored with the campaign; its first question id is enough for the probes.
  const json = JSON.stringify(campaign);
  return /"id":"([A-Za-z0-9_-]{1,24})"/.exec(json)?.[1] ?? 'members';
}

export interface Probe {
  /** Targets: inside and outside the actor's subtree (for `own` rules: the actor's own and someone else's). */
  targets?: readonly ('in' | 'out')[];
  attempt(t: Targets, target: string | null, a: MatrixActor): Attempt;
}

const text = (s: string): Probe => ({ attempt: () => ({ text: s }) });
const press = (data: string): Probe => ({ attempt: () => ({ press: data }) });
const flow = (name: string): Probe => ({ attempt: () => ({ flow: { name, data: {} }, text: 'trả lời' }) });
const both = ['in', 'out'] as const;
const on = (f: (t: Targets, unit: string) => Attempt, targets: readonly ('in' | 'out')[] = both): Probe => ({
  targets,
  attempt: (t, u) => f(t, u!),
});

/** Keyed like the matrix's entries: `command:<name>`, `button:<prefix>:<action>`, `flow:<name>`. */
export const probes: Record<string, Probe> = {
  'command:start': text('/start'),
  'command:help': text('/help'),
  'command:trogiup': text('/trogiup'),
  'command:toi': text('/toi'),
  'command:ngonngu': text('/ngonngu'),
  'command:huy': text('/huy'),
  'button:lang:vi': press('lang:vi'),
  'button:lang:en': press('lang:en'),
  'command:kenh': text('/kenh'),
  'button:kenh:set': press('kenh:set:telegram'),
  'button:kenh:auto': press('kenh:auto'),
  'button:flow:go': press('flow:go'),

  'command:hanchot': text('/hanchot'),
  'command:danop': text('/danop'),
  'command:hanmoi': text('/hanmoi'),
  'command:tiendo': on((t, u) => ({ text: `/tiendo ${t.deadline[u]}` })),
  'button:dl:done': on((t, u) => ({ press: `dl:done:${t.deadline[u]}:${t.unitIds[u]}` })),
  'button:dl:undo': on((t, u) => ({ press: `dl:undo:${t.deadline[u]}:${t.unitIds[u]}` }), ['out']),
  'button:dl:info': on((t, u) => ({ press: `dl:info:${t.deadline[u]}:${t.unitIds[u]}` })),
  'button:dl:rn': on((t, u) => ({ press: `dl:rn:${t.deadline[u]}` })),
  'button:dl:nu': press('dl:nu:cb'),
  'button:dl:nskip': press('dl:nskip'),
  'button:dl:nok': press('dl:nok'),
  'button:dl:nno': press('dl:nno'),
  'flow:deadlines.new': flow('deadlines.new'),
  'flow:deadlines.note': flow('deadlines.note'),

  'command:baocao': text('/baocao'),
  'command:tonghop': text('/tonghop'),
  'command:mobaocao': text('/mobaocao'),
  'button:ci:go': on((t, u) => ({ press: `ci:go:${t.campaign[u]}:${t.unitIds[u]}` })),
  'button:ci:c': on((t, u) => ({ press: `ci:c:${t.report[u]}` })),
  'button:ci:sum': on((t, u) => ({ press: `ci:sum:${t.report[u]}` })),
  'button:ci:a': on((t, u) => ({ press: `ci:a:${t.report[u]}:${t.question}:1` })),
  'button:ci:sk': on((t, u) => ({ press: `ci:sk:${t.report[u]}:${t.question}` })),
  'button:ci:k': on((t, u) => ({ press: `ci:k:${t.report[u]}:${t.question}` })),
  'button:ci:bk': on((t, u) => ({ press: `ci:bk:${t.report[u]}:${t.question}` })),
  'button:ci:ed': on((t, u) => ({ press: `ci:ed:${t.report[u]}` })),
  'button:ci:q': on((t, u) => ({ press: `ci:q:${t.report[u]}:${t.question}` })),
  'button:ci:send': on((t, u) => ({ press: `ci:send:${t.report[u]}:0` })),
  'button:ci:op': press('ci:op:x'),
  'button:ci:th': on((t, u) => ({ press: `ci:th:${t.campaign[u]}` })),
  'flow:checkin': flow('checkin'),
  'flow:checkin.open': flow('checkin.open'),

  'command:lich': text('/lich'),
  'command:themlich': text('/themlich'),
  'command:caidat': text('/caidat'),
  'button:sch:i': on((t, u) => ({ press: `sch:i:${t.item[u]!.id}` })),
  'button:sch:c': on((t, u) => ({ press: `sch:c:${t.item[u]!.id}` })),
  'button:sch:e': on((t, u) => ({ press: `sch:e:${t.item[u]!.id}:place` })),
  'button:sch:ok': press('sch:ok'),
  'button:sch:x': on((t, u) => ({ press: `sch:x:${t.item[u]!.id}` })),
  'button:sch:xx': on((t, u) => ({ press: `sch:xx:${t.item[u]!.id}:${t.item[u]!.version}` })),
  'button:sch:r': on((t, u) => ({ press: `sch:r:${t.item[u]!.id}:${t.item[u]!.version}` })),
  'button:sch:u': on((t, u) => ({ press: `sch:u:${t.unitIds[u]}` })),
  'button:sch:save': press('sch:save'),
  'button:sch:no': press('sch:no'),
  'button:sch:set': press('sch:set:digest:1'),
  'button:sch:ics': press('sch:ics:off'),
  'flow:schedule.add': flow('schedule.add'),
  'flow:schedule.edit': flow('schedule.edit'),

  'command:tailieu': text('/tailieu sinh hoạt'),
  'command:luu': text('/luu'),
  'command:tailieumoi': text('/tailieumoi'),
  'button:doc:p': press('doc:p:1:sinh hoạt'),
  'button:doc:v': on((t, u) => ({ press: `doc:v:${t.doc[u]}` })),
  'button:doc:s': on((t, u) => ({ press: `doc:s:${t.doc[u]}` })),
  'button:doc:u': on((t, u) => ({ press: `doc:u:${t.doc[u]}` })),
  'button:doc:sp': press('doc:sp:0'),
  'button:doc:c': press('doc:c:1'),
  'button:doc:ok': press('doc:ok'),
  'button:doc:no': press('doc:no'),
  'flow:doc.new': flow('doc.new'),

  'command:thongbao': text('/thongbao'),
  'command:thongke': on((t, u) => ({ text: `/thongke ${t.broadcast[u]}` })),
  'command:ganhom': on((_t, u) => ({ text: `/ganhom ${u}`, group: { id: -1_000_000_061_000, title: 'Nhóm chi bộ' } })),
  'button:bc:rcv': on((t) => ({ press: `bc:rcv:${t.broadcast[OUTSIDE]}` }), ['out']),
  'button:bc:doc': on((t, u) => ({ press: `bc:doc:${t.doc[u]}` })),
  'button:bc:notext': press('bc:notext'),
  'button:bc:aud': press('bc:aud:all'),
  'button:bc:sub': press('bc:sub:1'),
  'button:bc:r': press('bc:r:all'),
  'button:bc:ask': press('bc:ask:0'),
  'button:bc:send': press('bc:send'),
  'button:bc:cancel': press('bc:cancel'),
  'button:bc:st': on((t, u) => ({ press: `bc:st:${t.broadcast[u]}` })),
  'button:bc:pv': press('bc:pv'),
  'flow:bc.compose': flow('bc.compose'),

  'command:web': text('/web'),
};
