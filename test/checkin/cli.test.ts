import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.js';
import { AdjustableClock } from '../../src/core/clock.js';
import type { Services } from '../../src/core/services.js';
import type { Database } from '../../src/db/client.js';
import { saveAnswer, sendReport, syncReported } from '../../src/domain/checkin/reports.js';
import { createLogger } from '../../src/logger.js';
import { cli } from '../helpers/cli.js';
import { openTestDatabase } from '../helpers/db.js';
import { importFixtureOrg } from '../helpers/org.js';
import { link } from '../helpers/roster.js';

const config = configSchema.parse({ BOT_USERNAME: 'capuy_test_bot', LOG_LEVEL: 'silent' });
const clock = new AdjustableClock(config.APP_TIMEZONE);
clock.set(DateTime.fromISO('2026-12-28T09:00', { zone: config.APP_TIMEZONE }));
const dir = mkdtempSync(join(tmpdir(), 'capuy-checkin-cli-'));

describe('npm run cli -- checkin', () => {
  let database: Database;
  let svc: Services;
  const run = (...argv: string[]) => cli(database, config, ['checkin', ...argv], clock);
  const open = (...extra: string[]) => run('open', '--period', '2026-Q4', '--closes', '05/01/2027', ...extra);

  beforeAll(async () => {
    database = await openTestDatabase();
    await importFixtureOrg(database, config);
    for (const who of ['hanh', 'lan', 'long'] as const) await link(database, who);
    svc = { db: database.prisma, config, clock, log: createLogger('silent'), botUsername: '', kick: () => undefined };
  });
  afterAll(() => database?.close());

  it('refuses bad input with one clear message and opens nothing', async () => {
    const cases: [string[], string][] = [
      [['open', '--period', '2026-Q5', '--closes', '05/01/2027', '--units', 'CB1-BTG'], 'Kỳ báo cáo «2026-Q5» không hợp lệ'],
      [['open', '--period', '2026-Q4', '--closes', '31/02/2027', '--units', 'CB1-BTG'], 'Hạn chót «31/02/2027» không hợp lệ'],
      [['open', '--period', '2026-Q4', '--closes', '01/12/2026', '--units', 'CB1-BTG'], 'Hạn chót phải ở trong tương lai.'],
      [
        ['open', '--period', '2026-Q4', '--closes', '05/01/2027', '--opens', '06/01/2027', '--units', 'CB1-BTG'],
        'Hạn chót phải sau thời điểm mở đợt.',
      ],
      [['open', '--period', '2026-Q4', '--closes', '05/01/2027', '--units', 'KHONGCO,CB1-BTG'], 'Không có đơn vị mã «KHONGCO»'],
      [
        ['open', '--period', '2026-Q4', '--closes', '05/01/2027', '--units', 'CB1-BTG', '--roles', 'bi_thu,thu_ky'],
        'Vai trò không hợp lệ: thu_ky',
      ],
      [
        ['open', '--period', '2026-Q4', '--closes', '05/01/2027', '--units', 'CB1-BTG', '--questionnaire', join(dir, 'none.yaml')],
        'Không đọc được tệp bộ câu hỏi',
      ],
    ];
    for (const [argv, message] of cases) {
      const res = await run(...argv);
      expect(res.code, argv.join(' ')).toBe(1);
      expect(res.err).toContain(message);
    }
    expect(await database.prisma.checkinCampaign.count()).toBe(0);
    expect(await database.prisma.deadline.count()).toBe(0);
  });

  it('lists every problem of a questionnaire file', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'id: bad\nversion: 1\ntitle: { vi: T, en: T }\nquestions:\n  - { id: a, type: integer, text: { vi: A, en: A } }\n  - { id: a, type: stars, text: { vi: B, en: B } }\n',
    );
    const res = await open('--units', 'CB1-BTG', '--questionnaire', file);
    expect(res.code).toBe(1);
    expect(res.err).toContain(`Bộ câu hỏi ${file} không hợp lệ:`);
    expect(res.err).toContain('• questions[0].max: thiếu trường bắt buộc');
    expect(res.err).toContain('• questions[1].type: loại câu hỏi không hợp lệ');
    const ok = await run('validate', 'src/domain/checkin/questionnaires/quarterly-v1.yaml');
    expect(ok.out).toBe('Bộ câu hỏi hợp lệ: quarterly phiên bản 1, 11 câu.');
  });

  it('opens a campaign, prints its id, and queues one prompt per responder chat', async () => {
    const res = await open('--units', 'DB-BTG', '--subtree');
    expect(res.code, res.err).toBe(0);
    const [first, second, third] = res.out.split('\n');
    const id = Number(first);
    expect(id).toBeGreaterThan(0);
    expect(second).toBe(`Đã mở đợt báo cáo #${id}: Báo cáo tình hình chi bộ Quý IV/2026, 3 đơn vị, hạn chót 23:59 Thứ Ba, 05/01/2027.`);
    expect(third).toBe('Đã xếp hàng 3 lời mời báo cáo.'); // Hạnh, Lan, Long (Hùng is not linked)
    const keys = (await database.prisma.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `checkin:${id}:` } } })).map(
      (o) => o.dedupeKey,
    );
    expect(keys).toHaveLength(3);
    expect(keys.every((k) => /^checkin:\d+:unit:\d+:person:\d+:prompt:chat:\d+$/.test(k))).toBe(true);

    const again = await open('--units', 'CB2-BTG');
    expect(again.code).toBe(1);
    expect(again.err).toBe(`Đơn vị CB2-BTG đã có trong đợt báo cáo #${id} cùng kỳ Quý IV/2026 và cùng bộ câu hỏi.`);
  });

  it('prints the progress, as text and as JSON', async () => {
    const id = (await database.prisma.checkinCampaign.findFirstOrThrow()).id;
    const unit = await database.prisma.unit.findUniqueOrThrow({ where: { code: 'CB3-BTG' } });
    const lan = await database.prisma.person.findFirstOrThrow({ where: { fullName: 'Huỳnh Thị Lan' } });
    const report = await database.prisma.checkinReport.findUniqueOrThrow({
      where: { campaignId_unitId: { campaignId: id, unitId: unit.id } },
    });
    const answers: [string, number | string | null][] = [
      ['members_end', 12],
      ['regular_meetings', 3],
      ['thematic_meetings', 0],
      ['attendance', 100],
      ['admitted', 0],
      ['transferred_in', 1],
      ['transferred_out', 0],
      ['discipline', 0],
      ['ideology', 'mostly'],
      ['ideology_notes', null],
      ['proposals', '=HYPERLINK("http://x.example","bấm vào đây")'],
    ];
    let rev = 0;
    for (const [q, v] of answers) rev = await saveAnswer(svc, report.id, q, v, lan.id);
    expect(await sendReport(svc, { reportId: report.id, rev: rev - 1, personId: lan.id, actor: 'test' })).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(await sendReport(svc, { reportId: report.id, rev, personId: lan.id, actor: 'test' })).toEqual({ ok: true, version: 1 });
    expect(await sendReport(svc, { reportId: report.id, rev, personId: lan.id, actor: 'test' })).toEqual({
      ok: false,
      reason: 'unchanged',
    });

    // Sending marks the unit reported for the deadline; the job repairs a marking that was lost.
    const du = () => database.prisma.deadlineUnit.findFirstOrThrow({ where: { unitId: unit.id, deadline: { checkinCampaign: { id } } } });
    expect((await du()).reportedById).toBe(lan.id);
    await database.prisma.deadlineUnit.update({ where: { id: (await du()).id }, data: { reportedAt: null, reportedById: null } });
    expect(await syncReported(svc)).toBe(1);
    expect((await du()).reportedById).toBe(lan.id);
    expect(await syncReported(svc)).toBe(0);

    const text = await run('status', String(id));
    expect(text.out).toContain('Đã báo cáo: 1/3');
    expect(text.out).toContain('  CB1-BTG  Chi bộ 1 (Phòng Tuyên truyền)');
    const json = await run('status', String(id), '--json');
    expect(JSON.parse(json.out)).toEqual({
      id,
      period: '2026-Q4',
      units: 3,
      reported: 1,
      missing: [
        { code: 'CB1-BTG', name: 'Chi bộ 1 (Phòng Tuyên truyền)' },
        { code: 'CB2-BTG', name: 'Chi bộ 2 (Phòng Lý luận chính trị)' },
      ],
    });
    expect((await run('status', '999')).err).toBe('Không có đợt báo cáo #999.');
    expect((await run('list')).out).toMatch(new RegExp(`^#${id}  2026-Q4  quarterly@1  .* đã báo cáo 1/3$`));
  });

  it('exports CSV that a spreadsheet will not run as a formula', async () => {
    const id = (await database.prisma.checkinCampaign.findFirstOrThrow()).id;
    const file = join(dir, 'out.csv');
    expect((await run('export', String(id))).err).toContain('Cần chọn tệp xuất');
    const res = await run('export', String(id), '--csv', file);
    expect(res.code, res.err).toBe(0);
    const csv = readFileSync(file, 'utf8');
    expect(csv).toContain(`"'=HYPERLINK(""http://x.example"",""bấm vào đây"")"`);
    expect(csv).toContain('CB3-BTG,Chi bộ 3 (Văn phòng Ban),Đã báo cáo,12,3,0,100,0,1,0,0,Cơ bản ổn định,,');
    expect(csv).toContain('DB-BTG,Đảng bộ cơ quan Ban Tuyên giáo Thành ủy,3,1,12,3,0,100,0,1,0,0,0,1,0');
  });
});
