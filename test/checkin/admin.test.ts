import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { buttonData, Chat } from '../helpers/chat.js';
import { setupOrg } from '../helpers/roster.js';

const OUTSIDER = { id: 8100, first_name: 'Mai' }; // phụ trách DB-UBMT only

describe('opening a campaign in chat, and /tonghop by scope', () => {
  let h: Harness;
  const an = Chat.of(() => h, 'an');
  const hanh = Chat.of(() => h, 'hanh');
  const dung = Chat.of(() => h, 'dung');
  const mai = new Chat(() => h, OUTSIDER);

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-28T09:00' });
    await setupOrg(h.database, h.config, ['an', 'hanh', 'dung']);
    const unit = await h.db.unit.findUniqueOrThrow({ where: { code: 'DB-UBMT' } });
    const p = await h.db.person.create({ data: { fullName: 'Lê Thị Mai', phone: '+84915000111' } });
    await h.db.roleAssignment.create({ data: { personId: p.id, unitId: unit.id, role: 'phu_trach' } });
    await h.db.chatIdentity.create({ data: { channel: 'telegram', chatId: String(OUTSIDER.id), personId: p.id } });
  });
  afterAll(() => h?.stop());

  it('is only for admins', async () => {
    expect((await hanh.say('/mobaocao')).plainText).toContain('chỉ dành cho đồng chí có vai trò phù hợp');
  });

  it('walks an admin through period, đảng bộ and closing date, then opens it', async () => {
    const period = await an.say('/mobaocao');
    expect(buttonData(period)).toEqual(['ci:op:p:2026-Q3', 'ci:op:p:2026-Q4']);
    const units = (await an.press('ci:op:p:2026-Q4')).message;
    const btg = await h.db.unit.findUniqueOrThrow({ where: { code: 'DB-BTG' } });
    expect(buttonData(units)).toContain(`ci:op:u:2026-Q4:${btg.id}`);
    expect((await an.press(`ci:op:u:2026-Q4:${btg.id}`)).message.plainText).toContain('gõ hạn chót');
    expect((await an.say('32/01/2027')).plainText).toContain('Hạn chót không hợp lệ');
    expect((await an.say('01/12/2026')).plainText).toContain('Hạn chót phải ở trong tương lai.');
    // The closing date may be typed in everyday words too (issue 13 #11): Monday 28/12 → Tuesday 05/01.
    const confirm = await an.say('thứ Ba tuần sau lúc 17h');
    expect(confirm.plainText).toContain('Mở đợt Báo cáo tình hình chi bộ Quý IV/2026');
    expect(confirm.plainText).toContain('3 chi bộ thuộc Đảng bộ cơ quan Ban Tuyên giáo Thành ủy');
    expect(confirm.plainText).toContain('Hạn chót: 17:00 Thứ Ba, 05/01/2027');
    const n = an.messages().length;
    const ok = await an.press('ci:op:ok', { reply: false });
    expect(ok.answer.text ?? '').toBe('');
    await h.emulator.waitUntil(() => an.messages()[n - 1]!.plainText.includes('Đã mở đợt báo cáo cho'));
    expect(an.messages()[n - 1]!.plainText).toContain('Đã mở đợt báo cáo cho 3 đơn vị; Trợ lý đang gửi lời mời báo cáo tới 1 đồng chí');
    const prompt = await hanh.next(0, 'Đồng chí vui lòng gửi báo cáo');
    expect(prompt.plainText).toContain('trước 17:00 Thứ Ba, 05/01/2027');
    const c = await h.db.checkinCampaign.findFirstOrThrow({ include: { createdBy: true } });
    expect(c.createdBy?.fullName).toBe('Nguyễn Văn An');
    expect(await h.db.auditLog.count({ where: { action: 'checkin.open', target: `checkin:${c.id}` } })).toBe(1);
    // Pressing the confirmation again does not open a second campaign.
    const again = await an.press('ci:op:ok', { force: an.messages()[n - 1]!, reply: false });
    expect(again.answer.text).toContain('Nút này đã cũ');
    expect(await h.db.checkinCampaign.count()).toBe(1);
  });

  it("limits /tonghop to the units in the person's scope", async () => {
    expect((await dung.say('/tonghop')).plainText).toContain('Đã báo cáo: 0/3 đơn vị (0%)');
    expect((await mai.say('/tonghop')).plainText).toContain('Chưa có đợt báo cáo quý nào trong phạm vi của đồng chí.');
    expect((await dung.say('/tonghop 999')).plainText).toContain('Không có đợt báo cáo #999');
    expect((await dung.say('/tonghop abc')).plainText).toContain('Dùng: /tonghop');
  });

  it('registers its commands in the menu, in Vietnamese and English', () => {
    const vi = Object.fromEntries((h.emulator.commands['vi'] ?? []).map((c) => [c.command, c.description]));
    const en = Object.fromEntries((h.emulator.commands['en'] ?? []).map((c) => [c.command, c.description]));
    expect(vi).toMatchObject({
      baocao: 'Gửi báo cáo quý của chi bộ',
      tonghop: 'Tổng hợp báo cáo quý trong phạm vi phụ trách',
      mobaocao: 'Mở đợt báo cáo quý (quản trị)',
    });
    expect(en).toMatchObject({ baocao: "Send your cell's quarterly report" });
  });
});
