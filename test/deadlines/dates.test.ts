import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chat } from '../helpers/chat.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { setupOrg } from '../helpers/roster.js';

// Issue 13 #11: /hanmoi reads everyday Vietnamese date phrases and shows the date it understood.
describe('/hanmoi due dates in everyday words', () => {
  let h: Harness;
  const binh = () => Chat.of(() => h, 'binh');

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-30T09:00' }); // a Wednesday
    await setupOrg(h.database, h.config);
  });
  afterAll(() => h?.stop());

  async function toDueStep(): Promise<void> {
    await binh().say('/huy');
    await binh().say('/hanmoi Báo cáo sơ kết', 'Bước 2/4');
  }

  it.each([
    ['truoc 15/1', 'trước 23:59 Thứ Sáu, 15/01/2027'],
    ['trước 15/1 lúc 16h', 'trước 16:00 Thứ Sáu, 15/01/2027'],
    ['thu sau', 'trước 23:59 Thứ Sáu, 01/01/2027'],
    ['thứ Sáu tuần sau 16:30', 'trước 16:30 Thứ Sáu, 08/01/2027'],
    ['cuối tháng', 'trước 23:59 Thứ Năm, 31/12/2026'],
    ['ngày mai lúc 9 giờ', 'trước 09:00 Thứ Năm, 31/12/2026'],
  ])('understands «%s» and shows «%s» before going on', async (typed, shown) => {
    await toDueStep();
    const next = await binh().say(typed);
    expect(next.plainText).toContain(`Hạn chót: ${shown}.`);
    expect(next.plainText).toContain('Bước 3/4');
  });

  it('shows the resolved weekday in the preview and saves that moment', async () => {
    await toDueStep();
    await binh().say('thứ Sáu tuần sau', 'Bước 3/4');
    await binh().say('CB1-BTG', 'Bước 4/4');
    const preview = await binh().press(binh().button('dl:nskip'), { match: 'Xem lại' });
    expect(preview.message.plainText).toContain('trước 23:59 Thứ Sáu, 08/01/2027');
    await binh().press('dl:nok', { on: preview.message, edit: true });
    const d = await h.db.deadline.findFirstOrThrow({ where: { title: 'Báo cáo sơ kết' } });
    expect(d.dueAt.toISOString()).toBe('2027-01-08T16:59:59.999Z');
  });

  it('refuses what it cannot read, politely and with examples, and stays on the step', async () => {
    await toDueStep();
    const refused = await binh().say('sớm nhất có thể');
    expect(refused.plainText).toContain('Trợ lý chưa hiểu «sớm nhất có thể»');
    expect(refused.plainText).toContain('«thứ Sáu tuần sau»');
    expect(refused.plainText).toContain('«cuối tháng»');
    expect((await binh().say('31/02/2027')).plainText).toContain('Ngày «31/02/2027» không hợp lệ');
    expect((await binh().say('hôm nay lúc 8h')).plainText).toContain('đã qua');
    expect((await binh().say('15/1')).plainText).toContain('Hạn chót: trước 23:59 Thứ Sáu, 15/01/2027.');
  });
});
