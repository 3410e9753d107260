import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, Chat } from '../helpers/chat.js';
import { cli } from '../helpers/cli.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { outboxDrained } from '../helpers/outbox.js';
import { ROSTER, setupOrg, unitId, user } from '../helpers/roster.js';
import { openByCli } from '../checkin/setup.js';

// Issue 13 #7: a secretary who links after a deadline and a check-in were announced saw nothing
// until she typed /hanchot.
describe('welcoming a newly linked secretary', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-28T09:00' });
    await setupOrg(h.database, h.config, ['binh']); // Hạnh is not linked yet
  });
  afterAll(() => h?.stop());

  it('shows her open deadlines and check-ins with their buttons right after she joins', async () => {
    const res = await cli(
      h.database,
      h.config,
      ['deadline', 'add', '--title', 'Báo cáo sơ kết công tác tuyên giáo', '--due', '15/01/2027', '--units', 'CB1-BTG'],
      h.clock,
    );
    expect(res.code, res.err).toBe(0);
    const deadlineId = Number(res.out.split('\n')[0]);
    const campaign = await openByCli(h, '--period', '2026-Q4', '--units', 'CB1-BTG', '--closes', '05/01/2027');
    await outboxDrained(h.db);
    const cb1 = await unitId(h.database, 'CB1-BTG');

    const hanh = Chat.of(() => h, 'hanh');
    await hanh.say('/start', 'Chia sẻ số điện thoại');
    const n = hanh.messages().length;
    h.emulator.sendContact(user('hanh'), { phone_number: ROSTER.hanh.phone, user_id: ROSTER.hanh.tg });
    const [linked, work] = await hanh.nextMany(n, 2);
    expect(linked!.plainText).toContain('Đã liên kết thành công');
    expect(work!.plainText).toContain('việc đang chờ đơn vị của đồng chí');
    expect(work!.plainText).toContain('Báo cáo sơ kết công tác tuyên giáo');
    expect(work!.plainText).toContain('trước 23:59 Thứ Sáu, 15/01/2027');
    expect(work!.plainText).toContain('Báo cáo tình hình chi bộ Quý IV/2026');
    expect(buttonsOf(work!).map((b) => b.callback_data)).toEqual([`dl:done:${deadlineId}:${cb1}`, `ci:go:${campaign}:${cb1}`]);

    // The check-in button starts her report.
    expect((await hanh.press(`ci:go:${campaign}:${cb1}`)).message.plainText).toContain('Câu 1/11.');
  });

  it('says nothing more to someone with nothing due', async () => {
    const tuyen = Chat.of(() => h, 'tuyen');
    await tuyen.say('/start', 'Chia sẻ số điện thoại');
    const n = tuyen.messages().length;
    h.emulator.sendContact(user('tuyen'), { phone_number: ROSTER.tuyen.phone, user_id: ROSTER.tuyen.tg });
    expect((await tuyen.next(n)).plainText).toContain('Đã liên kết thành công');
    await new Promise((r) => setTimeout(r, 300));
    expect(tuyen.messages()).toHaveLength(n + 1);
  });
});
