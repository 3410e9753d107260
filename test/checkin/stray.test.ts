import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, Chat } from '../helpers/chat.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { outboxDrained } from '../helpers/outbox.js';
import { setupOrg } from '../helpers/roster.js';
import { openByCli, reportOf } from './setup.js';

// Issue 13 #6: a guided flow stayed active when the person ran another command, and a bare "0"
// typed later silently answered check-in question 6.
describe('a flow set aside by another command', () => {
  let h: Harness;
  let id: number;
  const hanh = Chat.of(() => h, 'hanh');
  const answers = async () => (await reportOf(h, id, 'CB1-BTG')).answers as Record<string, unknown>;

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-28T09:00' });
    await setupOrg(h.database, h.config, ['hanh', 'binh']);
    id = await openByCli(h, '--period', '2026-Q4', '--units', 'CB1-BTG', '--closes', '05/01/2027');
    await outboxDrained(h.db);
  });
  afterAll(() => h?.stop());

  it('does not take a later text as the answer, and resumes only when asked', async () => {
    expect((await hanh.say('/baocao')).plainText).toContain('Câu 1/11.');
    for (const [answer, next] of [
      ['25', 'Câu 2/11.'],
      ['3', 'Câu 3/11.'],
      ['1', 'Câu 4/11.'],
      ['92', 'Câu 5/11.'],
      ['1', 'Câu 6/11.'],
    ] as const) {
      expect((await hanh.say(answer)).plainText, `after ${answer}`).toContain(next);
    }
    await hanh.say('/hanchot');
    const stray = await hanh.say('0');
    expect(stray.plainText).toContain('Đồng chí đang làm dở báo cáo');
    expect(stray.plainText).toContain('chưa được ghi');
    expect(buttonsOf(stray).map((b) => b.text)).toEqual(['▶️ Tiếp tục báo cáo']);
    expect(await answers()).not.toHaveProperty('transferred_in');

    // Pressing «Tiếp tục báo cáo» asks question 6 again; now "0" is its answer.
    const again = await hanh.press(buttonsOf(stray)[0]!.callback_data!);
    expect(again.message.plainText).toContain('Câu 6/11.');
    expect((await hanh.say('0')).plainText).toContain('Câu 7/11.');
    expect(await answers()).toHaveProperty('transferred_in', 0);

    // Re-running /baocao after another command resumes too, at the question it was at.
    await hanh.say('/toi');
    expect((await hanh.say('/baocao')).plainText).toContain('Câu 7/11.');
    expect((await hanh.say('2')).plainText).toContain('Câu 8/11.');
  });

  it('says on /huy that the answers given so far are kept', async () => {
    const cancelled = await hanh.say('/huy');
    expect(cancelled.plainText).toContain('Các câu đã trả lời vẫn được lưu');
    expect(Object.keys(await answers())).toHaveLength(7);
    expect((await hanh.say('5')).plainText).toContain('Trợ lý chưa hiểu');
    expect((await hanh.say('/baocao')).plainText).toContain('Câu 8/11.');
  });

  it('sets /hanmoi aside the same way and asks its step again on «Tiếp tục»', async () => {
    const binh = Chat.of(() => h, 'binh');
    await binh.say('/hanmoi Báo cáo chuyên đề', 'Bước 2/4');
    await binh.say('/help');
    const stray = await binh.say('15/1');
    expect(stray.plainText).toContain('Đồng chí đang làm dở tạo hạn báo cáo');
    const again = await binh.press(buttonsOf(stray)[0]!.callback_data!);
    expect(again.message.plainText).toContain('Bước 2/4');
    expect((await binh.say('15/1')).plainText).toContain('Bước 3/4');
    expect((await binh.say('/huy')).plainText).toContain('chưa có hạn nào được tạo');
  });
});
