import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { buttonData } from '../helpers/chat.js';
import { ROSTER, type Who } from '../helpers/roster.js';
import { count, csv, file, HEADER, next, ok, press, say, settle, setupOrg, since } from './setup.js';

const EVERYONE: Who[] = ['an', 'binh', 'dung', 'hanh', 'hung', 'lan', 'long', 'ngoc'];
const W48 = [
  '23/11/2026,08:00,10:00,Họp Thường trực Đảng ủy Khối,"Phòng họp 1, 35 Lê Duẩn",đ/c Nguyễn Văn An,Thường trực Đảng ủy Khối,DBK,W48-01,',
  '24/11/2026,14:00,16:30,Làm việc với Đảng bộ cơ quan Ban Tuyên giáo Thành ủy,"Hội trường A, 35 Lê Duẩn",đ/c Nguyễn Văn An,"đ/c Võ Thị Hạnh, Bí thư Chi bộ 1 (Phòng Tuyên truyền)",DBK,W48-02,CB3-BTG',
  '26/11/2026,07:30,,Dự Hội nghị báo cáo viên tháng 11,Hội trường Thành ủy,,Báo cáo viên các đảng bộ,DBK,W48-03,',
];

describe('weekly digest, change notices and reminders', () => {
  let h: Harness;
  const counts = () => Object.fromEntries(EVERYONE.map((w) => [w, count(h, w)])) as Record<Who, number>;

  beforeAll(async () => {
    h = await startHarness({ now: '2026-11-23T09:00' });
    await setupOrg(h.database, h, ...EVERYONE);
  });
  afterAll(() => h?.stop());

  it('sends each linked person in scope one Vietnamese digest after a late import and `digest --now`', async () => {
    const before = counts();
    expect(await ok(h, 'schedule', 'import', csv(...W48))).toContain('3 mới');
    // Published after Monday 07:00: nothing goes by itself.
    await h.at('2026-11-23T09:05');
    await settle(h);
    expect(counts()).toEqual(before);

    expect(await ok(h, 'schedule', 'digest', '--now')).toBe('DBK 2026-W48: đã xếp hàng bản tin cho 8 người (8 tin).');
    for (const w of EVERYONE) {
      const [digest] = await next(h, w, before[w]);
      expect(digest!.plainText).toMatch(/^📅 LỊCH LÀM VIỆC TUẦN 48 \(23\/11 – 29\/11\/2026\)\n🏛 Đảng bộ Khối Dân – Chính – Đảng Thành phố/);
      for (const day of ['Thứ Hai, 23/11/2026', 'Thứ Ba, 24/11/2026', 'Thứ Năm, 26/11/2026']) expect(digest!.plainText).toContain(day);
      expect(digest!.plainText).toContain(
        '08:00–10:00 · Họp Thường trực Đảng ủy Khối\n📍 Phòng họp 1, 35 Lê Duẩn\n👤 Chủ trì: đ/c Nguyễn Văn An',
      );
    }
    const hanh = since(h, 'hanh', before.hanh)[0]!.plainText;
    expect(hanh).toContain('⭐ Đồng chí tham dự:\n• Thứ Ba 24/11, 14:00–16:30 — Làm việc với Đảng bộ cơ quan Ban Tuyên giáo Thành ủy');
    expect(hanh.indexOf('Đồng chí tham dự')).toBeLessThan(hanh.indexOf('Thứ Hai, 23/11/2026'));
    expect(hanh).toContain('⭐ 14:00–16:30 · Làm việc');
    expect(since(h, 'lan', before.lan)[0]!.plainText).toContain('⭐ Đồng chí tham dự'); // her chi bộ is listed by code
    expect(since(h, 'an', before.an)[0]!.plainText).toMatch(/Đồng chí tham dự:\n• Thứ Hai 23\/11.*\n• Thứ Ba 24\/11/);
    expect(since(h, 'hung', before.hung)[0]!.plainText).not.toContain('tham dự:');

    const again = await ok(h, 'schedule', 'digest', '--now');
    expect(again).toContain('bản tin tuần này đã gửi; thêm --resend');
    await settle(h);
    for (const w of EVERYONE) expect(count(h, w)).toBe(before[w] + 1);
  });

  it('sends one "Lịch thay đổi" notice when a re-import moves an item, urgent for participants', async () => {
    await h.at('2026-11-23T10:00');
    const before = counts();
    const moved = W48.map((l) => l.replace('14:00,16:30', '15:00,17:30'));
    expect(await ok(h, 'schedule', 'import', csv(...moved))).toBe(
      'Đã nhập lịch: 0 mới, 1 cập nhật, 0 hủy, 2 không đổi; 8 tin thông báo thay đổi.',
    );
    for (const w of EVERYONE) {
      const [notice] = await next(h, w, before[w]);
      expect(notice!.plainText).toMatch(/^🔔 Lịch thay đổi — Đảng bộ Khối/);
      expect(notice!.plainText).toContain('14:00–16:30 Thứ Ba, 24/11/2026 → 15:00–17:30 Thứ Ba, 24/11/2026');
    }
    const outbox = await h.db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: 'schedule:change:' } }, include: { chat: true } });
    const urgent = outbox
      .filter((o) => o.urgent)
      .map((o) => Number(o.chat.chatId))
      .sort();
    expect(urgent).toEqual([ROSTER.an.tg, ROSTER.hanh.tg, ROSTER.lan.tg, ROSTER.long.tg].sort());

    expect(await ok(h, 'schedule', 'import', csv(...moved))).toContain('0 cập nhật');
    await settle(h);
    for (const w of EVERYONE) expect(count(h, w)).toBe(before[w] + 1);

    // An item added to the announced week is announced to its participants (Chi bộ 2's bí thư), not to
    // every reader of the digest: they never received it, and /lich shows it (issue 13 #1).
    const added = '27/11/2026,14:00,,Tiếp đoàn công tác Ban Tuyên giáo Trung ương,Phòng khách,,,DBK,W48-04,CB2-BTG';
    expect(await ok(h, 'schedule', 'import', csv(...moved, added))).toContain('1 mới, 0 cập nhật, 0 hủy, 3 không đổi; 1 tin');
    await next(h, 'hung', before.hung + 1);
    await settle(h);
    for (const w of EVERYONE) if (w !== 'hung') expect(count(h, w)).toBe(before[w] + 1);
    const [addition] = since(h, 'hung', before.hung + 1);
    expect(addition!.plainText).toContain(
      '➕ Bổ sung: 14:00 Thứ Sáu, 27/11/2026 — Tiếp đoàn công tác Ban Tuyên giáo Trung ương\n📍 Phòng khách',
    );
  });

  it('reminds participants the evening before, once, and an hour before for those who asked', async () => {
    const before = counts();
    await h.at('2026-11-23T16:59');
    await settle(h, 800);
    expect(counts()).toEqual(before);
    await h.at('2026-11-23T17:00');
    for (const w of ['an', 'hanh', 'lan', 'long'] as const) {
      const [r] = await next(h, w, before[w]);
      expect(r!.plainText).toMatch(/^⏰ Nhắc lịch làm việc — Thứ Ba, 24\/11\/2026\n\n15:00–17:30 · Làm việc/);
    }
    await h.at('2026-11-23T20:00');
    await settle(h);
    expect(count(h, 'hanh')).toBe(before.hanh + 1);
    expect(count(h, 'hung')).toBe(before.hung);

    // Lan asks for a reminder an hour before.
    const [settings] = await say(h, 'lan', '/caidat');
    expect(settings!.plainText).toContain('Nhắc trước giờ họp 1 tiếng: tắt');
    await press(h, 'lan', settings!, 'sch:set:hour:1');
    await h.emulator.waitUntil(() => h.emulator.messagesTo(ROSTER.lan.tg).find((m) => m.plainText.includes('1 tiếng: bật')));
    const lan = count(h, 'lan');
    const hanh = count(h, 'hanh');
    await h.at('2026-11-24T13:59');
    await settle(h, 800);
    expect(count(h, 'lan')).toBe(lan);
    await h.at('2026-11-24T14:00');
    const [soon] = await next(h, 'lan', lan);
    expect(soon!.plainText).toMatch(/^⏰ Sắp đến giờ: hôm nay lúc 15:00/);
    await settle(h);
    expect(count(h, 'hanh')).toBe(hanh);
    const row = await h.db.outboxMessage.findFirstOrThrow({ where: { dedupeKey: { contains: ':hour:' } } });
    expect(row.urgent).toBe(true);
  });

  it('sends the Monday digest at 07:00 by itself, except to who turned it off; their own items still notify', async () => {
    await h.at('2026-11-25T09:00');
    const [settings] = await say(h, 'hung', '/caidat');
    expect(buttonData(settings!)).toContain('sch:set:digest:0');
    await press(h, 'hung', settings!, 'sch:set:digest:0');
    await h.emulator.waitUntil(() => h.emulator.messagesTo(ROSTER.hung.tg).find((m) => m.plainText.includes('Bản tin lịch tuần: đã tắt')));

    const row = '01/12/2026,08:00,09:30,Giao ban Thường trực,Phòng họp 1,,"Bí thư Chi bộ 2 (Phòng Lý luận chính trị)",DBK,W49-01,';
    await ok(h, 'schedule', 'import', csv(row));
    const before = counts();
    await h.at('2026-11-30T06:59');
    await settle(h, 800);
    expect(counts()).toEqual(before);
    await h.at('2026-11-30T07:00');
    for (const w of EVERYONE.filter((w) => w !== 'hung')) {
      const [digest] = await next(h, w, before[w]);
      expect(digest!.plainText).toContain('LỊCH LÀM VIỆC TUẦN 49 (30/11 – 06/12/2026)');
    }
    await h.at('2026-11-30T07:01');
    await settle(h);
    expect(count(h, 'hung')).toBe(before.hung);
    for (const w of EVERYONE) expect(count(h, w)).toBe(before[w] + (w === 'hung' ? 0 : 1));

    // Hùng's chi bộ takes part: its cancellation reaches him, urgent, though his digest is off.
    await h.at('2026-11-30T08:00');
    const after = counts();
    const out = await ok(h, 'schedule', 'import', file('w49-cancel.csv', `${HEADER},status\n${row},huy`));
    expect(out).toContain('1 hủy');
    for (const w of EVERYONE) {
      const [notice] = await next(h, w, after[w]);
      expect(notice!.plainText).toContain('❌ Hủy: 08:00–09:30 Thứ Ba, 01/12/2026 — Giao ban Thường trực');
    }
    const hung = await h.db.outboxMessage.findFirstOrThrow({
      where: { dedupeKey: { startsWith: 'schedule:change:' }, chat: { chatId: String(ROSTER.hung.tg) } },
      orderBy: { id: 'desc' },
    });
    expect(hung.urgent).toBe(true);
  });

  it('catches up a digest missed while the bot was down, only for units in scope, and keeps quiet about unannounced weeks', async () => {
    await h.at('2026-12-01T10:00');
    await ok(
      h,
      'schedule',
      'import',
      csv(
        '08/12/2026,08:00,,Họp Ban Thường vụ Đảng ủy Khối,Phòng họp 1,,,DBK,W50-01,',
        '09/12/2026,14:00,,Sinh hoạt chuyên đề Đảng bộ cơ quan Ban Tuyên giáo,Hội trường B,,,DB-BTG,W50-02,',
      ),
    );
    // Not announced yet: changing it tells nobody.
    await h.at('2026-12-02T10:00');
    expect(await ok(h, 'schedule', 'import', csv('08/12/2026,09:00,,Họp Ban Thường vụ Đảng ủy Khối,Phòng họp 1,,,DBK,W50-01,'))).toContain(
      '1 cập nhật, 0 hủy, 0 không đổi; 0 tin',
    );

    const before = counts();
    await h.at('2026-12-08T15:00'); // down on Monday 07:00, back on Tuesday afternoon
    await next(h, 'hanh', before.hanh, 2);
    await next(h, 'an', before.an, 1);
    await settle(h);
    const texts = (w: Who) => since(h, w, before[w]).map((m) => m.plainText);
    expect(texts('an')).toHaveLength(1);
    expect(texts('an')[0]).toContain('09:00 · Họp Ban Thường vụ Đảng ủy Khối');
    expect(texts('hanh').some((t) => t.includes('🏛 Đảng bộ cơ quan Ban Tuyên giáo Thành ủy') && t.includes('Sinh hoạt chuyên đề'))).toBe(
      true,
    );
    expect(texts('ngoc')).toHaveLength(1); // DB-BTG's schedule is not hers
    expect(texts('dung')).toHaveLength(2);
  });
});
