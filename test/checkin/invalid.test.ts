import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { buttonData, Chat } from '../helpers/chat.js';
import { setupOrg } from '../helpers/roster.js';
import { openByCli, reportOf } from './setup.js';

/** A questionnaire with one question of every type. */
const EVERY_TYPE = `
id: every-type
version: 1
title: { vi: Báo cáo thử, en: Test report }
questions:
  - { id: members, type: integer, min: 0, max: 500, text: { vi: Số đảng viên?, en: Members? } }
  - { id: rate, type: percent, text: { vi: Tỷ lệ dự họp?, en: Attendance? } }
  - { id: plan, type: yesno, text: { vi: Đã có kế hoạch năm?, en: Yearly plan ready? } }
  - id: mood
    type: choice
    text: { vi: Tình hình tư tưởng?, en: Mood? }
    options:
      - { id: good, text: { vi: Ổn định, en: Stable } }
      - { id: bad, text: { vi: Cần quan tâm, en: Needs attention } }
  - { id: contact, type: short_text, maxLength: 100, text: { vi: Người liên hệ?, en: Contact? } }
  - { id: notes, type: long_text, required: false, maxLength: 500, text: { vi: Ghi chú?, en: Notes? } }
`;

describe('wrong answers of every type', () => {
  let h: Harness;
  let rid: number;
  let id: number;
  const ngoc = Chat.of(() => h, 'ngoc');
  const hanh = Chat.of(() => h, 'hanh');

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-28T09:00' });
    await setupOrg(h.database, h.config, ['ngoc', 'hanh']);
    const file = join(mkdtempSync(join(tmpdir(), 'capuy-checkin-')), 'every-type.yaml');
    writeFileSync(file, EVERY_TYPE);
    id = await openByCli(h, '--period', '2026-Q4', '--units', 'CB1-MT', '--questionnaire', file, '--closes', '05/01/2027 17:00');
    await ngoc.next(0, 'Báo cáo thử Quý IV/2026');
    rid = (await reportOf(h, id, 'CB1-MT')).id;
  });
  afterAll(() => h?.stop());

  it('refuses text, out-of-range numbers, fractions and emoji for a whole number', async () => {
    expect((await ngoc.say('/baocao')).plainText).toContain('Câu 1/6.');
    const cases: [string, string][] = [
      ['hai mươi', '«hai mươi» không phải là số. Vui lòng nhập số nguyên từ 0 đến 500.'],
      ['501', 'Số 501 nằm ngoài giới hạn. Vui lòng nhập số nguyên từ 0 đến 500.'],
      ['-1', 'Số -1 nằm ngoài giới hạn. Vui lòng nhập số nguyên từ 0 đến 500.'],
      ['20,5', 'Câu này cần số nguyên'],
      ['🎉', '«🎉» không phải là số.'],
      ['<b>12</b>', '«<b>12</b>» không phải là số.'], // escaped: shown as typed
    ];
    for (const [input, error] of cases) {
      const m = await ngoc.say(input);
      expect(m.plainText, input).toContain(error);
      expect(m.plainText, input).toContain('Câu 1/6.'); // the same question again
    }
    expect((await reportOf(h, id, 'CB1-MT')).rev).toBe(0); // nothing was saved
    expect((await ngoc.say('30')).plainText).toContain('Câu 2/6.');
  });

  it('refuses a percentage above 100 or in words', async () => {
    expect((await ngoc.say('150')).plainText).toContain('Tỷ lệ 150% không hợp lệ. Vui lòng nhập số từ 0 đến 100.');
    expect((await ngoc.say('gần hết')).plainText).toContain('«gần hết» không phải là tỷ lệ phần trăm');
    expect((await ngoc.say('95%')).plainText).toContain('Câu 3/6.');
  });

  it('refuses a typed maybe for yes/no, then takes the button', async () => {
    const m = await ngoc.say('có lẽ');
    expect(m.plainText).toContain('Vui lòng bấm «Có» hoặc «Không»');
    expect(buttonData(m).slice(0, 2)).toEqual([`ci:a:${rid}:plan:y`, `ci:a:${rid}:plan:n`]);
    expect((await ngoc.press(`ci:a:${rid}:plan:y`)).message.plainText).toContain('Câu 4/6.');
  });

  it('refuses an old button pressed after moving on, and shows the current question again', async () => {
    const q3 = ngoc
      .messages()
      .find((m) => m.original.plainText.includes('Câu 3/6.') && buttonData(m).length === 0 && m.plainText.includes('➡️ Có'))!;
    const res = await ngoc.press(`ci:a:${rid}:plan:n`, { force: q3 });
    expect(res.answer.text).toBe('Nút này đã cũ: câu hỏi đó không còn là câu đang trả lời.');
    expect(res.message.plainText).toContain('Câu 4/6.');
    expect((await reportOf(h, id, 'CB1-MT')).answers).toMatchObject({ plan: true });

    // Forged data for a report that is not theirs is refused too.
    await hanh.say('/help');
    const forged = await hanh.press(`ci:a:${rid}:mood:0`, { force: hanh.last(), reply: false });
    expect(forged.answer.text).toContain('không phải người trả lời báo cáo này');
    expect((await reportOf(h, id, 'CB1-MT')).answers).not.toHaveProperty('mood');
  });

  it('refuses a choice that is not offered', async () => {
    expect((await ngoc.say('5')).plainText).toContain('gõ số thứ tự từ 1 đến 2');
    expect((await ngoc.say('Rất tốt')).plainText).toContain('Vui lòng chọn một phương án');
    expect((await ngoc.say('can quan tam')).plainText).toContain('Câu 5/6.');
  });

  it('refuses emoji alone and 10,000 characters for a text', async () => {
    expect((await ngoc.say('😀😀😀')).plainText).toContain('biểu tượng cảm xúc không đủ');
    const long = await ngoc.say('a'.repeat(10_000));
    expect(long.plainText).toContain('Câu trả lời dài 10000 ký tự, vượt quá giới hạn 100 ký tự.');
    expect(long.plainText).toContain('Câu 5/6.');
    expect((await ngoc.say('Trương Mỹ Ngọc 😀')).plainText).toContain('Câu 6/6.');
    const tooLong = await ngoc.say('Ghi chú '.repeat(1250));
    expect(tooLong.plainText).toContain('vượt quá giới hạn 500 ký tự');
    expect(tooLong.plainText).toContain('Câu 6/6.');
  });

  it('lets an optional question be skipped, refuses typing at the summary, and sends', async () => {
    const summary = (await ngoc.press(`ci:sk:${rid}:notes`)).message;
    expect(summary.plainText).toContain('1. Số đảng viên?: 30');
    expect(summary.plainText).toContain('4. Tình hình tư tưởng?: Cần quan tâm');
    expect(summary.plainText).toContain('6. Ghi chú?: (bỏ qua)');
    const typed = await ngoc.say('xong rồi');
    expect(typed.plainText).toContain('Đồng chí vui lòng dùng các nút dưới bản tóm tắt');
    expect(buttonData(typed)[0]).toMatch(/^ci:send:/);
    await ngoc.press(ngoc.button('ci:send:'), { match: 'Đã gửi báo cáo' });
    const r = await reportOf(h, id, 'CB1-MT');
    expect(r.versions[0]!.answers).toEqual({ members: 30, rate: 95, plan: true, mood: 'bad', contact: 'Trương Mỹ Ngọc 😀', notes: null });
    // The chat has left the flow: a text now is just not understood.
    expect((await ngoc.say('30')).plainText).toContain('chưa hiểu tin nhắn này');
  });
});
