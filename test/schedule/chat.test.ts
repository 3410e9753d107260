import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { buttonData } from '../helpers/chat.js';
import { outboxDrained } from '../helpers/outbox.js';
import { ROSTER, user, type Who } from '../helpers/roster.js';
import { count, csv, next, ok, press, say, settle, setupOrg } from './setup.js';

describe('schedule in chat: /lich, /themlich, editing from buttons', () => {
  let h: Harness;
  let ids: Record<Who, number>;
  let itemId: number;

  beforeAll(async () => {
    h = await startHarness({ now: '2026-11-23T08:00' });
    ids = await setupOrg(h.database, h, 'an', 'binh', 'hanh', 'hung', 'lan');
  });
  afterAll(() => h?.stop());

  it('says so when nothing is scheduled, and explains what /lich takes', async () => {
    const [empty] = await say(h, 'hanh', '/lich');
    expect(empty!.plainText).toBe(
      '📅 LỊCH LÀM VIỆC TUẦN 48 (23/11 – 29/11/2026)\n\nChưa có lịch làm việc nào trong thời gian này.\n\nLịch tuần sau: /lich tuansau · Một ngày: /lich 25/11',
    );
    const [usage] = await say(h, 'hanh', '/lich thu hai');
    expect(usage!.plainText).toContain('/lich tuansau — lịch tuần sau');
  });

  it('lets the office add an item step by step, with polite corrections and a preview', async () => {
    const [ask] = await say(h, 'binh', '/themlich');
    expect(ask!.plainText).toContain('Thêm lịch làm việc — Đảng bộ Khối Dân – Chính – Đảng Thành phố');
    expect((await say(h, 'binh', '31/02'))[0]!.plainText).toContain('Ngày «31/02» không hợp lệ');
    expect((await say(h, 'binh', '20/11'))[0]!.plainText).toContain('Ngày 20/11/2026 đã qua');
    expect((await say(h, 'binh', '25/11'))[0]!.plainText).toContain('Giờ bắt đầu');
    expect((await say(h, 'binh', '16:00-14:00'))[0]!.plainText).toContain('Giờ «16:00-14:00» không hợp lệ');
    expect((await say(h, 'binh', '14:00-16:00'))[0]!.plainText).toContain('Nội dung làm việc?');
    expect((await say(h, 'binh', 'Làm việc với Chi bộ 2 về kế hoạch năm 2027'))[0]!.plainText).toContain('Địa điểm?');
    expect((await say(h, 'binh', 'Hội trường A, 35 Lê Duẩn'))[0]!.plainText).toContain('Chủ trì?');
    expect((await say(h, 'binh', 'đ/c Nguyễn Văn An'))[0]!.plainText).toContain('Thành phần tham dự?');
    const [preview] = await say(h, 'binh', 'Chi bộ 2 (Phòng Lý luận chính trị); đ/c Võ Thị Hạnh <Chi bộ 1>');
    expect(preview!.plainText).toContain('Xem lại trước khi lưu:\n\n25/11/2026\n14:00–16:00 · Làm việc với Chi bộ 2 về kế hoạch năm 2027');
    expect(preview!.plainText).toContain('👥 Thành phần: Chi bộ 2 (Phòng Lý luận chính trị); đ/c Võ Thị Hạnh <Chi bộ 1>');
    expect(preview!.plainText).toMatch(
      /Nhận diện người\/đơn vị tham dự.*: (Nguyễn Văn An; Võ Thị Hạnh|Võ Thị Hạnh; Nguyễn Văn An); Chi bộ 2 \(Phòng Lý luận chính trị\)/,
    );
    expect(buttonData(preview!)).toEqual(['sch:save', 'sch:no']);

    await press(h, 'binh', preview!, 'sch:save');
    const saved = await h.emulator.waitUntil(() => h.emulator.messagesTo(ROSTER.binh.tg).find((m) => m.plainText.startsWith('✅ Đã thêm')));
    const item = await h.db.scheduleItem.findFirstOrThrow({ include: { units: { include: { unit: true } }, people: true } });
    itemId = item.id;
    expect(buttonData(saved)).toEqual([`sch:i:${itemId}`]);
    expect(item.units.map((u) => u.unit.code)).toEqual(['CB2-BTG']);
    expect(item.people.map((p) => p.personId).sort()).toEqual([ids.an, ids.hanh].sort());
    expect(await h.db.chatState.count()).toBe(0);
    expect(await h.db.auditLog.count({ where: { action: 'schedule.create' } })).toBe(1);
  });

  it('refuses adding and editing to people who do not keep the schedule', async () => {
    const [refused] = await say(h, 'hung', '/themlich');
    expect(refused!.plainText).toContain('chỉ dành cho đồng chí có vai trò phù hợp');
    const [list] = await say(h, 'hung', '/lich');
    expect(buttonData(list!)).toEqual([]);
    const q = h.emulator.pressButton(user('hung'), list!, `sch:e:${itemId}:time`, { force: true });
    expect((await h.emulator.waitForCallbackAnswer(q)).text).toBe('Đồng chí không có quyền sửa lịch của đơn vị này.');
  });

  it('changes the time from the item’s buttons and tells who already got the week', async () => {
    expect(await ok(h, 'schedule', 'digest', '--now')).toContain('5 người');
    await h.emulator.waitForMessages(ROSTER.hung.tg, count(h, 'hung') > 2 ? count(h, 'hung') : 3);
    // Every digest delivered before counting, so a late one is not read as the change notice.
    h.app.worker.kick();
    await outboxDrained(h.db);
    const [list] = await say(h, 'binh', '/lich');
    expect(list!.plainText).toContain('[1] 14:00–16:00 · Làm việc với Chi bộ 2');
    expect(list!.plainText).toContain('Bấm số để sửa hoặc hủy một mục lịch.');
    expect(buttonData(list!)).toEqual([`sch:i:${itemId}`]);

    let n = count(h, 'binh');
    await press(h, 'binh', list!, `sch:i:${itemId}`);
    const [card] = await next(h, 'binh', n);
    expect(buttonData(card!)).toEqual([
      `sch:e:${itemId}:time`,
      `sch:e:${itemId}:date`,
      `sch:e:${itemId}:content`,
      `sch:e:${itemId}:place`,
      `sch:e:${itemId}:chair`,
      `sch:e:${itemId}:participants`,
      `sch:x:${itemId}`,
    ]);
    n = count(h, 'binh');
    await press(h, 'binh', card!, `sch:e:${itemId}:time`);
    expect((await next(h, 'binh', n))[0]!.plainText).toContain('Giờ mới?');
    const [confirm] = await say(h, 'binh', '15:00-17:00');
    expect(confirm!.plainText).toContain('🕘 14:00–16:00 Thứ Tư, 25/11/2026 → 15:00–17:00 Thứ Tư, 25/11/2026');

    const before = { hanh: count(h, 'hanh'), hung: count(h, 'hung'), lan: count(h, 'lan'), an: count(h, 'an') };
    await press(h, 'binh', confirm!, 'sch:ok');
    const done = await h.emulator.waitUntil(() =>
      h.emulator.messagesTo(ROSTER.binh.tg).find((m) => m.plainText.startsWith('✅ Đã cập nhật lịch.')),
    );
    expect(done.plainText).toContain('Đã gửi thông báo thay đổi (4 tin).'); // not to Bình, who made it
    for (const w of ['hanh', 'hung', 'lan', 'an'] as const) {
      const [notice] = await next(h, w, before[w]);
      expect(notice!.plainText).toContain('Lịch thay đổi');
      expect(notice!.plainText).toContain('15:00–17:00 Thứ Tư, 25/11/2026');
    }
    const hung = await h.db.outboxMessage.findFirstOrThrow({
      where: { dedupeKey: { startsWith: 'schedule:change:' }, chat: { chatId: String(ROSTER.hung.tg) } },
    });
    expect(hung.urgent).toBe(true); // bí thư of Chi bộ 2, which takes part
    const lan = await h.db.outboxMessage.findFirstOrThrow({
      where: { dedupeKey: { startsWith: 'schedule:change:' }, chat: { chatId: String(ROSTER.lan.tg) } },
    });
    expect(lan.urgent).toBe(false);

    // A second press of the same confirmation (a double tap) changes nothing.
    await h.emulator.waitForCallbackAnswer(h.emulator.pressButton(user('binh'), confirm!, 'sch:ok', { force: true }));
    await settle(h, 800);
    expect(await h.db.scheduleChange.count({ where: { itemId } })).toBe(2);
  });

  it('cancels after asking, and shows the item as cancelled', async () => {
    const [list] = await say(h, 'binh', '/lich');
    const n = count(h, 'binh');
    await press(h, 'binh', list!, `sch:i:${itemId}`);
    const [card] = await next(h, 'binh', n);
    await press(h, 'binh', card!, `sch:x:${itemId}`);
    const ask = await h.emulator.waitUntil(() =>
      h.emulator.lastMessage(ROSTER.binh.tg)!.plainText.startsWith('Hủy mục lịch này?')
        ? h.emulator.lastMessage(ROSTER.binh.tg)
        : undefined,
    );
    const hanh = count(h, 'hanh');
    await press(h, 'binh', ask, `sch:xx:${itemId}:2`);
    await h.emulator.waitUntil(() => h.emulator.lastMessage(ROSTER.binh.tg)!.plainText.startsWith('✅ Đã hủy mục lịch.'));
    expect((await next(h, 'hanh', hanh))[0]!.plainText).toContain('❌ Hủy: 15:00–17:00 Thứ Tư, 25/11/2026 — Làm việc với Chi bộ 2');
    const [view] = await say(h, 'hanh', '/lich 25/11');
    expect(view!.plainText).toContain('📅 LỊCH LÀM VIỆC Thứ Tư, 25/11/2026');
    expect(view!.plainText).toContain('15:00–17:00 · Làm việc với Chi bộ 2 về kế hoạch năm 2027 (ĐÃ HỦY)');
    expect(view!.plainText).not.toContain('Đồng chí tham dự');
  });

  it('refuses an edit made on an outdated view, and restores a cancelled item', async () => {
    const [list] = await say(h, 'binh', '/lich');
    let n = count(h, 'binh');
    await press(h, 'binh', list!, `sch:i:${itemId}`);
    const [card] = await next(h, 'binh', n);
    const item = await h.db.scheduleItem.findUniqueOrThrow({ where: { id: itemId } });
    expect(buttonData(card!)).toEqual([`sch:r:${itemId}:${item.version}`]);
    await h.db.scheduleItem.update({ where: { id: itemId }, data: { version: { increment: 1 } } }); // someone else, meanwhile
    await press(h, 'binh', card!, `sch:r:${itemId}:${item.version}`);
    await h.emulator.waitUntil(() =>
      h.emulator
        .messagesTo(ROSTER.binh.tg)
        .find((m) => m.message_id === card!.message_id && m.plainText.includes('vừa được người khác thay đổi')),
    );
    expect((await h.db.scheduleItem.findUniqueOrThrow({ where: { id: itemId } })).status).toBe('cancelled');

    n = count(h, 'binh');
    await press(h, 'binh', list!, `sch:i:${itemId}`);
    const [fresh] = await next(h, 'binh', n);
    const hanh = count(h, 'hanh');
    await press(h, 'binh', fresh!, `sch:r:${itemId}:${item.version + 1}`);
    await h.emulator.waitUntil(() => h.emulator.messagesTo(ROSTER.binh.tg).find((m) => m.plainText.startsWith('✅ Đã khôi phục')));
    expect((await next(h, 'hanh', hanh))[0]!.plainText).toContain('↩️ Khôi phục: 15:00–17:00 Thứ Tư, 25/11/2026');
  });

  it('knows weeks in Vietnam time: Sunday night, Monday 00:00, and the week of 01/01', async () => {
    await ok(
      h,
      'schedule',
      'import',
      csv(
        '30/11/2026,08:00,,Giao ban đầu tuần,Phòng họp 1,,,DBK,B-1,',
        '28/12/2026,08:00,,Tổng kết công tác năm 2026,Hội trường A,,,DBK,Y-1,',
        '01/01/2027,09:00,,Chúc mừng năm mới,Hội trường A,,,DBK,Y-2,',
        '04/01/2027,08:00,,Giao ban đầu năm,Phòng họp 1,,,DBK,Y-3,',
      ),
    );
    await h.at('2026-11-29T23:59');
    expect((await say(h, 'hanh', '/lich'))[0]!.plainText).toMatch(/^📅 LỊCH LÀM VIỆC TUẦN 48 \(23\/11 – 29\/11\/2026\)/);
    const [nextWeek] = await say(h, 'hanh', '/lich tuansau');
    expect(nextWeek!.plainText).toMatch(
      /^📅 LỊCH LÀM VIỆC TUẦN 49 \(30\/11 – 06\/12\/2026\)\n\nThứ Hai, 30\/11\/2026\n08:00 · Giao ban đầu tuần/,
    );
    await h.at('2026-11-30T00:00');
    expect((await say(h, 'hanh', '/lich'))[0]!.plainText).toMatch(/^📅 LỊCH LÀM VIỆC TUẦN 49 \(30\/11 – 06\/12\/2026\)/);
    await h.at('2026-12-31T10:00');
    const [year] = await say(h, 'hanh', '/lich');
    expect(year!.plainText).toMatch(/^📅 LỊCH LÀM VIỆC TUẦN 53 \(28\/12 – 03\/01\/2027\)/);
    expect(year!.plainText).toContain('Thứ Hai, 28/12/2026\n08:00 · Tổng kết công tác năm 2026');
    expect(year!.plainText).toContain('Thứ Sáu, 01/01/2027\n09:00 · Chúc mừng năm mới');
    expect(year!.plainText).not.toContain('Giao ban đầu năm');
  });
});
