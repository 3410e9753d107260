import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { buttonsOf, Chat } from '../helpers/chat.js';
import { setupOrg } from '../helpers/roster.js';
import { openByCli } from './setup.js';

/** Issue 13 #8: a check-in reminder carries the button that opens the report, and says how far the draft got. */
describe('check-in reminders', () => {
  let h: Harness;
  let id: number;
  const hanh = Chat.of(() => h, 'hanh');
  const hung = Chat.of(() => h, 'hung');

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-28T09:00' });
    await setupOrg(h.database, h.config, ['hanh', 'hung']);
    id = await openByCli(h, '--period', '2026-Q4', '--units', 'CB1-BTG,CB2-BTG', '--closes', '05/01/2027');
    await hanh.next(0, 'Đồng chí vui lòng gửi báo cáo');
    await hung.next(0, 'Đồng chí vui lòng gửi báo cáo');
  });
  afterAll(() => h?.stop());

  it('offers «Tiếp tục báo cáo» with the draft’s progress, or «Bắt đầu báo cáo» when nothing is answered', async () => {
    expect((await hanh.say('/baocao')).plainText).toContain('Câu 1/11.');
    expect((await hanh.say('25')).plainText).toContain('Câu 2/11.');
    expect((await hanh.say('3')).plainText).toContain('Câu 3/11.');
    await hanh.say('/huy');
    const [nh, nu] = [hanh.messages().length, hung.messages().length];
    await h.at('2027-01-04T08:05');

    const reminder = await hanh.next(nh, 'Nhắc');
    expect(reminder.plainText).toContain('Bản nháp của đơn vị: đã trả lời 2/11 câu.');
    expect(reminder.plainText).not.toContain('gõ /baocao để trả lời;');
    const resume = buttonsOf(reminder)[0]!;
    expect(resume.text).toBe('📝 Tiếp tục báo cáo');
    expect(resume.callback_data).toMatch(new RegExp(`^ci:go:${id}:\\d+$`));
    const opened = await hanh.press(resume.callback_data!, { on: reminder });
    expect(opened.message.plainText).toContain('Câu 3/11.');

    const other = await hung.next(nu, 'Nhắc');
    expect(other.plainText).not.toContain('Bản nháp');
    expect(buttonsOf(other)[0]!.text).toBe('📝 Bắt đầu báo cáo');
    const started = await hung.press(buttonsOf(other)[0]!.callback_data!, { on: other });
    expect(started.message.plainText).toContain('Câu 1/11.');
  });
});
