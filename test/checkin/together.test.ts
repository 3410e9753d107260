import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { buttonData, Chat } from '../helpers/chat.js';
import { setupOrg } from '../helpers/roster.js';
import { openByCli, reportOf, runCli } from './setup.js';

describe('restarts, two secretaries of one chi bộ, and a campaign that opens later', () => {
  let first: Harness;
  let h: Harness;
  let id: number;
  const hung = Chat.of(() => h, 'hung');
  const lan = Chat.of(() => h, 'lan');
  const long = Chat.of(() => h, 'long');
  const phuc = Chat.of(() => h, 'phuc');

  beforeAll(async () => {
    first = h = await startHarness({ now: '2026-12-28T09:00' });
    await setupOrg(h.database, h.config, ['hung', 'lan', 'long', 'phuc']);
    id = await openByCli(h, '--period', '2026-Q4', '--units', 'CB2-BTG,CB3-BTG', '--closes', '05/01/2027');
    for (const c of [hung, lan, long]) await c.next(0, 'Đồng chí vui lòng gửi báo cáo');
  });
  afterAll(async () => {
    if (h !== first) await h?.stop();
    await first?.stop();
  });

  it('continues where the person stopped after the bot restarts, the next day', async () => {
    expect((await hung.press(hung.button('ci:go:'))).message.plainText).toContain('Câu 1/11.');
    expect((await hung.say('20')).plainText).toContain('Câu 2/11.');
    expect((await hung.say('3')).plainText).toContain('Câu 3/11.');

    await h.app.stop();
    h = await startHarness({ database: first.database, emulator: first.emulator, now: '2026-12-29T07:30' });

    // The answer typed after the restart is taken as the answer to question 3.
    expect((await hung.say('1')).plainText).toContain('Câu 4/11.');
    expect((await reportOf(h, id, 'CB2-BTG')).answers).toEqual({ members_end: 20, regular_meetings: 3, thematic_meetings: 1 });
    // /baocao resumes at the same question.
    const again = await hung.say('/baocao');
    expect(again.plainText).toContain('Câu 4/11.');
    // "Quay lại" goes one question back and shows the current answer, which can be kept.
    const back = await hung.press(`ci:bk:${(await reportOf(h, id, 'CB2-BTG')).id}:attendance`);
    expect(back.message.plainText).toContain('Câu 3/11.');
    expect(back.message.plainText).toContain('Câu trả lời hiện tại: 1');
    expect((await hung.press(hung.button('ci:k:'))).message.plainText).toContain('Câu 4/11.');
  });

  it('gives two secretaries of one chi bộ one shared report', async () => {
    const report = await reportOf(h, id, 'CB3-BTG');
    const rid = report.id;
    expect((await lan.press(lan.button('ci:go:'))).message.plainText).toContain('Câu 1/11.');
    expect((await lan.say('18')).plainText).toContain('Câu 2/11.');

    const seen = await long.press(long.button('ci:go:'));
    expect(seen.message.plainText).toContain(
      'Báo cáo của Chi bộ 3 (Văn phòng Ban) đang được đồng chí Huỳnh Thị Lan soạn: đã trả lời 1/11 câu',
    );
    expect(buttonData(seen.message)).toEqual([`ci:c:${rid}`, `ci:sum:${rid}`]);
    expect((await long.press(`ci:c:${rid}`)).message.plainText).toContain('Câu 2/11.');

    // Both answer question 2; then, at the same moment, each answers a different question: nothing is lost.
    expect((await lan.say('3')).plainText).toContain('Câu 3/11.');
    expect((await long.say('3')).plainText).toContain('Câu 3/11.');
    expect((await lan.say('1')).plainText).toContain('Câu 4/11.');
    expect((await long.press(`ci:sum:${rid}`)).message.plainText).toContain('Còn 6 câu bắt buộc chưa trả lời.');
    await long.press(`ci:ed:${rid}`);
    expect((await long.press(`ci:q:${rid}:discipline`)).message.plainText).toContain('Câu 8/11.');
    const [a, b] = await Promise.all([lan.say('90'), long.say('0')]);
    expect(a.plainText).toContain('Câu 5/11.');
    // Both answered at once: Long's summary may be drawn before or after Lan's answer is saved.
    expect(b.plainText).toMatch(/Còn [45] câu bắt buộc chưa trả lời\./);
    expect((await reportOf(h, id, 'CB3-BTG')).answers).toEqual({
      members_end: 18,
      regular_meetings: 3,
      thematic_meetings: 1,
      attendance: 90,
      discipline: 0,
    });
    expect(await h.db.checkinReport.count({ where: { campaignId: id, unit: { code: 'CB3-BTG' } } })).toBe(1);

    // Lan finishes and sends; Long then sees who sent it and may edit the same report.
    let m = await lan.say('/baocao');
    for (let i = 0; i < 12 && !buttonData(m).some((d) => d.startsWith('ci:send:')); i++) {
      const data = buttonData(m);
      m = data.some((d) => d.startsWith('ci:sk:'))
        ? (await lan.press(data.find((d) => d.startsWith('ci:sk:'))!)).message
        : data.some((d) => d.startsWith('ci:a:'))
          ? (await lan.press(data.find((d) => d.startsWith('ci:a:'))!)).message
          : await lan.say('0');
    }
    expect(m.plainText).toContain('Đồng chí kiểm tra lại rồi bấm «Gửi báo cáo»');
    await lan.press(lan.button('ci:send:'), { match: 'Đã gửi báo cáo' });
    const after = await long.say('/baocao', 'Trạng thái');
    expect(after.plainText).toContain('đã gửi phiên bản 1');
    expect(after.plainText).toContain('người gửi: đồng chí Huỳnh Thị Lan');
    expect(buttonData(after)).toEqual([`ci:ed:${rid}`]);
    // The deadlines feature tells the other secretary that the unit has reported.
    await long.next(0, 'Đơn vị đã báo cáo');
    const done = await reportOf(h, id, 'CB3-BTG');
    expect(done.versions).toHaveLength(1);
    expect(done.sentById).toBe((await h.db.person.findFirstOrThrow({ where: { fullName: 'Huỳnh Thị Lan' } })).id);
  });

  it('prompts the responders only when the opening time comes, once', async () => {
    const res = await runCli(
      h,
      'checkin',
      'open',
      '--period',
      '2026-Q4',
      '--units',
      'CBCS-HLH',
      '--opens',
      '30/12/2026 08:00',
      '--closes',
      '08/01/2027',
    );
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('Lời mời sẽ được gửi lúc 08:00 Thứ Tư, 30/12/2026.');
    expect((await phuc.say('/baocao')).plainText).toContain('Hiện không có đợt báo cáo quý nào đang mở');
    await h.at('2026-12-30T07:59');
    await h.at('2026-12-30T08:00');
    const prompt = await phuc.next(1, 'Đồng chí vui lòng gửi báo cáo');
    expect(prompt.plainText).toContain('Chi bộ cơ sở Hội Liên hiệp Phụ nữ Thành phố');
    await h.at('2026-12-30T08:05');
    await new Promise((r) => setTimeout(r, 300));
    expect(phuc.messages().filter((m) => m.plainText.includes('Đồng chí vui lòng gửi báo cáo'))).toHaveLength(1);
    expect((await phuc.say('/baocao')).plainText).toContain('Câu 1/11.');
  });
});
