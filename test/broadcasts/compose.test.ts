import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { buttonsOf, chat, dataOf } from './chat.js';
import { DOCS_CSV, P, personId, setupOrg, user, type Who } from './org.js';

const TEXT = 'Đề nghị các đồng chí bí thư phổ biến tại chi bộ trước ngày 20/7. Lưu ý: điểm <3> & mục *a* giữ nguyên.';

describe('/thongbao: compose, preview, send', () => {
  let h: Harness;
  const { say, press } = chat(() => h);
  const run = (...argv: string[]) => cli(h.database, h.config, argv, h.clock);
  const noticesTo = (who: Who) => h.emulator.messagesTo(P[who].tg).filter((m) => m.text.startsWith('📢 <b>THÔNG BÁO'));

  beforeAll(async () => {
    h = await startHarness({ now: '2023-07-12T09:00' });
    await setupOrg(h.database, h.config, ['an', 'chau', 'hanh', 'hung', 'lan', 'long', 'tuyen', 'ngoc', 'binh']);
    const dir = mkdtempSync(join(tmpdir(), 'capuy-bc-compose-'));
    writeFileSync(join(dir, 'docs.csv'), DOCS_CSV);
    await run('docs', 'import', join(dir, 'docs.csv'));
  });
  afterAll(() => h?.stop());

  it('lists the commands each role may use, and refuses a secretary', async () => {
    const forChau = (await say('chau', '/help')).plainText;
    for (const c of ['/tailieu', '/luu', '/tailieumoi', '/thongbao', '/thongke']) expect(forChau).toContain(`${c} — `);
    const forHanh = (await say('hanh', '/help')).plainText;
    expect(forHanh).toContain('/tailieu — Tìm tài liệu tuyên truyền');
    expect(forHanh).toContain('/ganhom — Gắn nhóm Telegram với đơn vị');
    expect(forHanh).not.toMatch(/\/thongbao|\/thongke|\/tailieumoi/);

    expect((await say('hanh', '/thongbao')).plainText).toContain('Xin lỗi, lệnh này chỉ dành cho đồng chí có vai trò phù hợp');
    expect((await say('hanh', '/thongke')).plainText).toContain('chỉ dành cho đồng chí có vai trò phù hợp');
    // A forged button press is refused too.
    const msg = h.emulator.lastMessage(P.hanh.tg)!;
    const q = h.emulator.pressButton(user('hanh'), msg, 'bc:send', { force: true });
    expect((await h.emulator.waitForCallbackAnswer(q)).text).toBe('Đồng chí không có quyền thực hiện thao tác này.');
    expect(await h.db.broadcast.count()).toBe(0);
  });

  it('chosen units and roles, a preview that is exactly what arrives, and nothing before "Gửi"', async () => {
    expect((await say('chau', '/thongbao')).plainText).toContain('Soạn thông báo nhanh');
    const audience = await say('chau', TEXT);
    expect(buttonsOf(audience).map((b) => b.text)).toEqual(['🌳 Toàn bộ đơn vị đồng chí phụ trách (DBK)', '🏢 Chọn đơn vị']);
    await press('chau', audience, 'bc:aud:pick', 'edit');
    expect(audience.plainText).toContain('• DB-BTG — Đảng bộ cơ quan Ban Tuyên giáo Thành ủy');
    expect((await say('chau', 'DB-BTG, KHONGCO')).plainText).toContain('Không có đơn vị mã «KHONGCO»');
    const subtree = await say('chau', 'DB-BTG, CBCS-HLH');
    const {
      messages: [roles],
    } = await press('chau', subtree, 'bc:sub:1', 1);
    await press('chau', roles!, 'bc:r:bi_thu', 'edit');
    await press('chau', roles!, 'bc:r:pho_bi_thu', 'edit');
    expect(
      buttonsOf(roles!)
        .slice(0, 2)
        .map((b) => b.text),
    ).toEqual(['☑️ Bí thư', '☑️ Phó Bí thư']);
    const {
      messages: [ack],
    } = await press('chau', roles!, 'bc:r:ok', 1);
    expect(roles!.plainText).toBe('Chỉ gửi cho: Bí thư, Phó Bí thư.');
    const {
      messages: [intro, preview, summary],
    } = await press('chau', ack!, 'bc:ask:1', 3);
    expect(intro!.plainText).toContain('Xem trước');
    expect(preview!.plainText).toBe(
      `📢 THÔNG BÁO\nNgười gửi: đồng chí Lê Minh Châu — Đảng bộ Khối Dân – Chính – Đảng Thành phố\n\n${TEXT}\n\n👉 Đề nghị đồng chí bấm «Đã nhận» để xác nhận đã nhận thông báo.`,
    );
    expect(summary!.plainText).toContain(
      'Đơn vị: Chi bộ cơ sở Hội Liên hiệp Phụ nữ Thành phố (CBCS-HLH), Đảng bộ cơ quan Ban Tuyên giáo Thành ủy (DB-BTG) và các đơn vị trực thuộc',
    );
    expect(summary!.plainText).toContain('Vai trò: Bí thư, Phó Bí thư');
    expect(summary!.plainText).toContain('Thông báo sẽ đến 4 người và 0 nhóm Telegram.');
    expect(summary!.plainText).toContain('1 người trong phạm vi chưa liên kết'); // Hồ Văn Phúc
    // The preview's button only explains itself.
    expect((await press('chau', preview!, 'bc:pv')).popup).toContain('bản xem trước');
    expect(noticesTo('hanh')).toHaveLength(0);
    expect(await h.db.broadcast.count()).toBe(0);

    await press('chau', summary!, 'bc:send', 'edit');
    const b = await h.db.broadcast.findFirstOrThrow();
    expect(summary!.plainText).toBe(`✅ Đã gửi thông báo #${b.id} tới 4 người và 0 nhóm. Theo dõi: /thongke ${b.id}`);
    for (const who of ['hanh', 'hung', 'lan', 'long'] as const) {
      const [got] = await h.emulator.waitUntil(() => (noticesTo(who).length ? noticesTo(who) : undefined), 5000, who);
      expect(got!.text).toBe(preview!.text);
      expect(buttonsOf(got!)).toEqual([{ text: '✅ Đã nhận', callback_data: `bc:rcv:${b.id}` }]);
    }
    expect(noticesTo('tuyen')).toHaveLength(0); // báo cáo viên, not a secretary
    expect(noticesTo('ngoc')).toHaveLength(0); // outside the chosen units

    // A second "Gửi" sends nothing more.
    const q = h.emulator.pressButton(user('chau'), summary!, 'bc:send', { force: true });
    expect((await h.emulator.waitForCallbackAnswer(q)).text).toContain('đã được gửi hoặc đã hủy');
    expect(await h.db.broadcast.count()).toBe(1);

    const audit = await h.db.auditLog.findFirstOrThrow({ where: { action: 'broadcast.send' } });
    expect(audit).toMatchObject({
      actorId: await personId(h.database, 'chau'),
      actor: `telegram:${P.chau.tg}`,
      target: `broadcast:${b.id}`,
    });
    expect(audit.details).toMatchObject({
      unitCodes: ['CBCS-HLH', 'DB-BTG'],
      subtree: true,
      roles: ['bi_thu', 'pho_bi_thu'],
      ack: true,
      people: 5,
      unlinked: 1,
    });

    // /thongke: her list, then the details with who has not confirmed, per unit.
    const list = await say('chau', '/thongke');
    expect(list.plainText).toContain(`#${b.id} · 09:00 Thứ Tư, 12/07/2023`);
    expect(list.plainText).toContain('đã xác nhận 0/4'); // of the 4 it reached (issue 13 #15)
    const {
      messages: [details],
    } = await press('chau', list, `bc:st:${b.id}`, 1);
    expect(details!.plainText).toContain('👍 Đã xác nhận: 0/4 người');
    expect(details!.plainText).toContain('• Chi bộ cơ sở Hội Liên hiệp Phụ nữ Thành phố (CBCS-HLH) — 1: Hồ Văn Phúc (chưa liên kết)');
    expect(details!.plainText).toContain('• Chi bộ 3 (Văn phòng Ban) (CB3-BTG) — 2: Bùi Thanh Long, Huỳnh Thị Lan');
    await press('hung', noticesTo('hung')[0]!, `bc:rcv:${b.id}`, 'edit');
    await press('chau', details!, `bc:st:${b.id}:r`, 'edit');
    expect(details!.plainText).toContain('👍 Đã xác nhận: 1/4 người');
    expect(details!.plainText).not.toContain('Đặng Văn Hùng');
  });

  it('keeps a propaganda officer within their subtree', async () => {
    const ubmt = await h.db.unit.findUniqueOrThrow({ where: { code: 'DB-UBMT' } });
    await h.db.roleAssignment.create({ data: { personId: await personId(h.database, 'binh'), unitId: ubmt.id, role: 'tuyen_giao' } });
    const audience = await say('binh', '/thongbao Thông báo của Mặt trận.');
    expect(buttonsOf(audience)[0]!.text).toContain('(DB-UBMT)');
    await press('binh', audience, 'bc:aud:pick', 'edit');
    expect((await say('binh', 'DB-BTG')).plainText).toContain('Đơn vị «DB-BTG» nằm ngoài phạm vi đồng chí phụ trách');
    // A chi bộ has nothing below it: straight on to the roles.
    const roles = await say('binh', 'CB1-MT');
    expect(roles.plainText).toContain('Gửi cho mọi người trong các đơn vị');
    await say('binh', '/huy');
  });

  it('sends a library document from its page, or cancels without sending', async () => {
    const results = await say('chau', '/tailieu 3080');
    const {
      messages: [detail],
    } = await press('chau', results, dataOf(results, '1'), 1);
    const {
      messages: [askText],
    } = await press('chau', detail!, dataOf(detail!, 'Gửi thông báo'), 1);
    expect(askText!.plainText).toContain(
      'Thông báo kèm tài liệu «Thông báo nhanh kết quả Hội nghị Ban Chấp hành Đảng bộ thành phố lần thứ 21 (khóa XI)»',
    );
    const {
      messages: [audience],
    } = await press('chau', askText!, 'bc:notext', 1);
    const {
      messages: [roles],
    } = await press('chau', audience!, 'bc:aud:all', 1);
    const {
      messages: [ack],
    } = await press('chau', roles!, 'bc:r:all', 1);
    const {
      messages: [, preview, summary],
    } = await press('chau', ack!, 'bc:ask:0', 3);
    expect(preview!.plainText).toContain(
      '📄 Thông báo nhanh kết quả Hội nghị Ban Chấp hành Đảng bộ thành phố lần thứ 21 (khóa XI)\n3080-CV/BTGTU',
    );
    expect(buttonsOf(preview!)).toEqual([]);
    expect(summary!.plainText).toContain('Đơn vị: Đảng bộ Khối Dân – Chính – Đảng Thành phố (DBK) và các đơn vị trực thuộc');
    expect(summary!.plainText).toContain('Thông báo sẽ đến 9 người và 0 nhóm Telegram.');
    expect(summary!.plainText).toContain('Không yêu cầu xác nhận.');
    await press('chau', summary!, 'bc:cancel', 'edit');
    expect(summary!.plainText).toBe('Đã hủy, không gửi thông báo nào.');
    expect(await h.db.broadcast.count()).toBe(1);
  });
});
