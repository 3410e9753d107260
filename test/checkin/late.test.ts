import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveAnswer } from '../../src/domain/checkin/reports.js';
import { Chat } from '../helpers/chat.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { outboxDrained } from '../helpers/outbox.js';
import { personId, setupOrg } from '../helpers/roster.js';
import { openByCli, reportOf } from './setup.js';

// Issue 13 #2: a report sent after the campaign closed was told both "không sửa được nữa" and
// "có thể sửa và gửi lại đến <a date already past>".
describe('a check-in sent after its closing date', () => {
  let h: Harness;
  const hanh = () => Chat.of(() => h, 'hanh');

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-28T09:00' });
    await setupOrg(h.database, h.config, ['hanh']);
  });
  afterAll(() => h?.stop());

  it('says once that it was received late and offers no change it cannot keep', async () => {
    const id = await openByCli(h, '--period', '2026-Q4', '--units', 'CB1-BTG', '--closes', '31/12/2026');
    await outboxDrained(h.db);
    // Every answer filled in (through the domain, as the chat would), then the campaign closes.
    const report = await reportOf(h, id, 'CB1-BTG');
    const who = await personId(h.database, 'hanh');
    const answers: [string, number | string | null][] = [
      ['members_end', 12],
      ['regular_meetings', 3],
      ['thematic_meetings', 1],
      ['attendance', 95],
      ['admitted', 0],
      ['transferred_in', 0],
      ['transferred_out', 0],
      ['discipline', 0],
      ['ideology', 'stable'],
      ['ideology_notes', null],
      ['proposals', null],
    ];
    for (const [q, v] of answers) await saveAnswer(h.app.svc, report.id, q, v, who);
    await h.at('2027-01-02T10:00');
    await outboxDrained(h.db);

    const summary = await hanh().say('/baocao', 'Gửi báo cáo');
    const n = hanh().messages().length;
    await hanh().press(hanh().button('ci:send:'), { on: summary, reply: false });
    const thanks = await hanh().next(n, 'Đã gửi báo cáo');
    await h.emulator.waitUntil(() => summary.edits.length > 0, 8000, 'the summary edited');

    const shown = [summary.plainText, thanks.plainText].join('\n');
    expect(shown).not.toContain('có thể sửa và gửi lại');
    expect(thanks.plainText).toContain('Đã gửi báo cáo của Chi bộ 1 (Phòng Tuyên truyền)');
    expect(thanks.plainText).toContain('sau hạn chót 23:59 Thứ Năm, 31/12/2026');
    expect(thanks.plainText).toContain('liên hệ văn phòng cấp ủy');
    expect(summary.plainText).toContain('Đợt báo cáo đã kết thúc');
    expect((await reportOf(h, id, 'CB1-BTG')).version).toBe(1);
  });
});
