import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { buttonData, Chat } from '../helpers/chat.js';
import { setupOrg } from '../helpers/roster.js';
import { openByCli, reportOf, runCli } from './setup.js';

const dir = mkdtempSync(join(tmpdir(), 'capuy-checkin-'));

describe('a quarterly check-in from opening to export', () => {
  let h: Harness;
  let id: number;
  let rid: number;
  let firstSend: string;
  const hanh = Chat.of(() => h, 'hanh');
  const hung = Chat.of(() => h, 'hung');
  const dung = Chat.of(() => h, 'dung');

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-28T09:00' });
    await setupOrg(h.database, h.config, ['hanh', 'hung', 'lan', 'dung']);
  });
  afterAll(() => h?.stop());

  it('opens a campaign for the three chi bộ of a đảng bộ and prompts their secretaries', async () => {
    id = await openByCli(h, '--period', '2026-Q4', '--units', 'DB-BTG', '--subtree', '--closes', '05/01/2027');
    expect(id).toBeGreaterThan(0);
    const lan = Chat.of(() => h, 'lan');
    for (const chat of [hanh, hung, lan]) {
      const prompt = await chat.next(0, 'Đồng chí vui lòng gửi báo cáo');
      expect(prompt.plainText).toContain('Báo cáo tình hình chi bộ Quý IV/2026');
      expect(prompt.plainText).toContain('trước 23:59 Thứ Ba, 05/01/2027');
      expect(buttonData(prompt)[0]).toMatch(new RegExp(`^ci:go:${id}:\\d+$`));
    }
    expect(hanh.messages()[0]!.plainText).toContain('Chi bộ 1 (Phòng Tuyên truyền)');
    const c = await h.db.checkinCampaign.findUniqueOrThrow({ where: { id }, include: { deadline: { include: { units: true } } } });
    expect(c.deadline).toMatchObject({ kind: 'checkin' });
    expect(c.deadline!.units).toHaveLength(3);
    // The deadline's own announcement is not sent: the prompt is the announcement.
    expect(await h.db.outboxMessage.count({ where: { dedupeKey: { startsWith: `deadline:${c.deadlineId}:` } } })).toBe(0);
  });

  it('takes the answers one at a time, refuses a wrong one precisely, and sends the report', async () => {
    let q = await hanh.say('/baocao');
    expect(q.plainText).toContain('Câu 1/11.');
    expect(q.plainText).toContain('Tổng số đảng viên của chi bộ tính đến cuối quý?');
    rid = (await reportOf(h, id, 'CB1-BTG')).id;

    q = await hanh.say('700');
    expect(q.plainText).toContain('Số 700 nằm ngoài giới hạn. Vui lòng nhập số nguyên từ 0 đến 500.');
    expect(q.plainText).toContain('Câu 1/11.');
    for (const [answer, next] of [
      ['25', 'Câu 2/11.'],
      ['3', 'Câu 3/11.'],
      ['1', 'Câu 4/11.'],
      ['92,5', 'Câu 5/11.'],
      ['1', 'Câu 6/11.'],
      ['0', 'Câu 7/11.'],
      ['2', 'Câu 8/11.'],
      ['0', 'Câu 9/11.'],
    ] as const) {
      q = await hanh.say(answer);
      expect(q.plainText, `after ${answer}`).toContain(next);
    }
    expect(buttonData(q)).toEqual([`ci:a:${rid}:ideology:0`, `ci:a:${rid}:ideology:1`, `ci:a:${rid}:ideology:2`, `ci:bk:${rid}:ideology`]);
    const chosen = await hanh.press(`ci:a:${rid}:ideology:0`);
    expect(hanh.messages().at(-2)!.plainText).toContain('➡️ Ổn định'); // the question shows what was chosen
    expect(buttonData(hanh.messages().at(-2))).toEqual([]);
    expect(chosen.message.plainText).toContain('Câu 10/11.');
    const skipped = await hanh.press(`ci:sk:${rid}:ideology_notes`);
    expect(skipped.message.plainText).toContain('Câu 11/11.');
    const summary = await hanh.say('Đề nghị mở lớp bồi dưỡng lý luận chính trị cho đảng viên mới <năm 2027>.');
    expect(summary.plainText).toContain('1. Đảng viên cuối quý: 25');
    expect(summary.plainText).toContain('4. Tỷ lệ dự sinh hoạt (%): 92,5%');
    expect(summary.plainText).toContain('9. Tình hình tư tưởng: Ổn định');
    expect(summary.plainText).toContain('10. Nhận xét tư tưởng: (bỏ qua)');
    expect(summary.plainText).toContain('<năm 2027>');
    expect(buttonData(summary)).toEqual([expect.stringMatching(`^ci:send:${rid}:\\d+$`), `ci:ed:${rid}`]);

    firstSend = hanh.button('ci:send:');
    const sent = await hanh.press(firstSend, { match: 'Đã gửi báo cáo' });
    expect(sent.answer.text).toBe('Đã gửi báo cáo.');
    expect(sent.message.plainText).toContain('Đã gửi báo cáo của Chi bộ 1 (Phòng Tuyên truyền)');
    const report = await reportOf(h, id, 'CB1-BTG');
    expect(report.version).toBe(1);
    expect(report.versions[0]!.answers).toMatchObject({ members_end: 25, attendance: 92.5, ideology: 'stable', ideology_notes: null });
    const c = await h.db.checkinCampaign.findUniqueOrThrow({ where: { id } });
    const du = await h.db.deadlineUnit.findFirstOrThrow({ where: { deadlineId: c.deadlineId!, unitId: report.unitId } });
    expect(du.reportedAt).not.toBeNull();
  });

  it('shows the cấp ủy 1/3 with the figures and the missing units', async () => {
    const m = await dung.say('/tonghop');
    expect(m.plainText).toContain('Tổng hợp: Báo cáo tình hình chi bộ Quý IV/2026');
    expect(m.plainText).toContain('Đã báo cáo: 1/3 đơn vị (33%)');
    expect(m.plainText).toContain('• Đảng viên cuối quý: tổng 25, bình quân 25/đơn vị');
    expect(m.plainText).toContain('• Tỷ lệ dự sinh hoạt (%): bình quân 92,5%');
    expect(m.plainText).toContain('• Tình hình tư tưởng: Ổn định 1, Cơ bản ổn định 0, Có vấn đề cần quan tâm 0');
    expect(m.plainText).toContain('Chưa báo cáo (2):');
    expect(m.plainText).toContain('Chi bộ 2 (Phòng Lý luận chính trị) (CB2-BTG)');
    expect(m.plainText).toContain('CB3-BTG');
    expect(m.plainText).not.toContain('(CB1-BTG)');
    // Issue 13 #4: a bí thư follows her own subtree — here just her chi bộ, which has reported.
    expect((await hanh.say('/tonghop')).plainText).toContain('Đã báo cáo: 1/1 đơn vị (100%)');
  });

  it('stops the reminders of the unit that reported, not of the others', async () => {
    const c = await h.db.checkinCampaign.findUniqueOrThrow({ where: { id } });
    await h.at('2027-01-04T08:05');
    const keys = (await h.db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `deadline:${c.deadlineId}:` } } })).map(
      (o) => o.dedupeKey,
    );
    const cb1 = (await h.db.unit.findUniqueOrThrow({ where: { code: 'CB1-BTG' } })).id;
    const cb2 = (await h.db.unit.findUniqueOrThrow({ where: { code: 'CB2-BTG' } })).id;
    expect(keys.some((k) => k.startsWith(`deadline:${c.deadlineId}:unit:${cb2}:`))).toBe(true);
    expect(keys.some((k) => k.startsWith(`deadline:${c.deadlineId}:unit:${cb1}:`))).toBe(false);
    const reminder = await h.db.outboxMessage.findFirstOrThrow({
      where: { dedupeKey: { startsWith: `deadline:${c.deadlineId}:unit:${cb2}:` } },
    });
    expect((reminder.payload as { text: string }).text).toContain('bấm «📝 Bắt đầu báo cáo» (hoặc gõ /baocao) để trả lời');
  });

  it('lets the report be edited and sent again until closing, keeping every version', async () => {
    const summary = await hanh.say('/baocao');
    expect(summary.plainText).toContain('đã gửi phiên bản 1');
    expect(summary.plainText).toContain('người gửi: đồng chí Võ Thị Hạnh');
    expect(buttonData(summary)).toEqual([`ci:ed:${rid}`]);
    const pick = await hanh.press(`ci:ed:${rid}`);
    expect(pick.message.plainText).toContain('Đồng chí chọn câu hỏi cần sửa');
    const q = await hanh.press(`ci:q:${rid}:members_end`);
    expect(q.message.plainText).toContain('Câu trả lời hiện tại: 25');
    const changed = await hanh.say('26');
    expect(changed.plainText).toContain('1. Đảng viên cuối quý: 26');
    expect(changed.plainText).toContain('Có thay đổi chưa gửi');
    const resent = await hanh.press(hanh.button('ci:send:'), { match: 'phiên bản 2' });
    expect(resent.message.plainText).toContain('Đã gửi bản sửa (phiên bản 2)');
    const report = await reportOf(h, id, 'CB1-BTG');
    expect(report.versions.map((v) => (v.answers as { members_end: number }).members_end)).toEqual([25, 26]);

    // The send button of the first summary is stale now.
    const old = hanh.messages().find((m) => JSON.stringify(m.original.reply_markup ?? null).includes(firstSend))!;
    const stale = await hanh.press(firstSend, { force: old });
    expect(stale.answer.text).toContain('vừa được thay đổi');
    expect((await reportOf(h, id, 'CB1-BTG')).version).toBe(2);
  });

  it('exports one row per unit with every answer, who sent it and when, and totals per đảng bộ', async () => {
    const xlsx = join(dir, 'q4.xlsx');
    const csv = join(dir, 'q4.csv');
    const res = await runCli(h, 'checkin', 'export', String(id), '--xlsx', xlsx, '--csv', csv);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('Đã xuất 3 đơn vị');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    const rows = (wb.getWorksheet('Báo cáo')!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
    const header = rows[0] as string[];
    expect(header.slice(0, 6)).toEqual(['Mã đảng bộ', 'Đảng bộ', 'Mã đơn vị', 'Đơn vị', 'Trạng thái', 'Đảng viên cuối quý']);
    expect(header.slice(-3)).toEqual(['Người gửi', 'Thời điểm gửi', 'Phiên bản']);
    expect(rows).toHaveLength(4);
    const cb1 = Object.fromEntries(header.map((k, i) => [k, rows.find((r) => r[2] === 'CB1-BTG')![i]]));
    expect(cb1).toMatchObject({
      'Mã đảng bộ': 'DB-BTG',
      'Trạng thái': 'Đã báo cáo',
      'Đảng viên cuối quý': 26,
      'Tỷ lệ dự sinh hoạt (%)': 92.5,
      'Tình hình tư tưởng': 'Ổn định',
      'Kiến nghị, đề xuất': 'Đề nghị mở lớp bồi dưỡng lý luận chính trị cho đảng viên mới <năm 2027>.',
      'Người gửi': 'Võ Thị Hạnh',
      'Phiên bản': 2,
    });
    expect(String(cb1['Thời điểm gửi'])).toMatch(/^04\/01\/2027 08:\d\d$/);
    expect(rows.find((r) => r[2] === 'CB2-BTG')![4]).toBe('Chưa báo cáo');

    const totals = (wb.getWorksheet('Tổng hợp theo đảng bộ')!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
    expect(totals[0]!.slice(0, 5)).toEqual(['Mã đảng bộ', 'Đảng bộ', 'Số đơn vị', 'Đã báo cáo', 'Đảng viên cuối quý (tổng)']);
    expect(totals[1]!.slice(0, 5)).toEqual(['DB-BTG', 'Đảng bộ cơ quan Ban Tuyên giáo Thành ủy', 3, 1, 26]);
    expect(totals.at(-1)!.slice(1, 5)).toEqual(['Tổng cộng', 3, 1, 26]);

    const text = readFileSync(csv, 'utf8');
    expect(text.startsWith('\uFEFFMã đảng bộ,Đảng bộ,Mã đơn vị')).toBe(true);
    expect(text).toContain('DB-BTG,Đảng bộ cơ quan Ban Tuyên giáo Thành ủy,CB1-BTG,Chi bộ 1 (Phòng Tuyên truyền),Đã báo cáo,26,3,1,92.5');
    expect(text).toContain(',Tổng cộng,3,1,26,');
  });

  it('locks the report after closing', async () => {
    await h.at('2027-01-06T09:00');
    expect((await hanh.say('/baocao')).plainText).toContain('Hiện không có đợt báo cáo quý nào đang mở');
    const withEdit = hanh
      .messages()
      .filter((m) => buttonData(m).includes(`ci:ed:${rid}`))
      .at(-1)!;
    const res = await hanh.press(`ci:ed:${rid}`, { force: withEdit });
    expect(res.answer.text).toBe('Đợt báo cáo đã kết thúc.');
    expect(res.message.plainText).toContain('Đợt báo cáo đã kết thúc; báo cáo không sửa được nữa.');
    expect(buttonData(res.message)).toEqual([]);
  });
});
