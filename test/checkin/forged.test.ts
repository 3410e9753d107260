import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { Chat } from '../helpers/chat.js';
import { setupOrg } from '../helpers/roster.js';
import { openByCli, reportOf } from './setup.js';

const TAM = { id: 8101, first_name: 'Tâm' }; // admin of DB-BTG only
const MAI = { id: 8100, first_name: 'Mai' }; // phụ trách DB-UBMT only
const STALE = 'Nút này đã cũ, vui lòng gõ lại lệnh.';
const INTERNAL = 'đã có lỗi khi xử lý yêu cầu';

async function person(h: Harness, user: { id: number }, name: string, phone: string, role: 'admin' | 'phu_trach', unitCode: string) {
  const unit = await h.db.unit.findUniqueOrThrow({ where: { code: unitCode } });
  const p = await h.db.person.create({ data: { fullName: name, phone } });
  const r = await h.db.roleAssignment.create({ data: { personId: p.id, unitId: unit.id, role } });
  await h.db.chatIdentity.create({ data: { channel: 'telegram', chatId: String(user.id), personId: p.id } });
  return { person: p, role: r };
}

const denied = (h: Harness, action: string, target?: string) =>
  h.db.auditLog.count({ where: { action: `denied:${action}`, ...(target ? { target } : {}) } });

describe('forged and bad check-in buttons', () => {
  let h: Harness;
  let errors: ReturnType<typeof vi.spyOn>;
  let id: number;
  let tamRole: number;
  const tam = new Chat(() => h, TAM);
  const mai = new Chat(() => h, MAI);
  const hanh = Chat.of(() => h, 'hanh');
  const dung = Chat.of(() => h, 'dung');
  const unitId = async (code: string) => (await h.db.unit.findUniqueOrThrow({ where: { code } })).id;

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-28T09:00' });
    await setupOrg(h.database, h.config, ['hanh', 'ngoc', 'dung']);
    tamRole = (await person(h, TAM, 'Lê Văn Tâm', '+84915000222', 'admin', 'DB-BTG')).role.id;
    await person(h, MAI, 'Lê Thị Mai', '+84915000111', 'phu_trach', 'DB-UBMT');
    id = await openByCli(h, '--period', '2026-Q4', '--units', 'CB1-BTG,CB1-MT', '--closes', '05/01/2027 17:00');
    await hanh.next(0, 'Đồng chí vui lòng gửi báo cáo');
    errors = vi.spyOn(h.app.svc.log, 'error');
  });
  afterAll(() => h?.stop());

  it('re-checks the admin\'s scope at "OK": a role moved meanwhile opens nothing', async () => {
    await tam.say('/mobaocao');
    await tam.press('ci:op:p:2026-Q3'); // not the period of the campaign opened above: no clash
    const btg = await unitId('DB-BTG');
    expect((await tam.press(`ci:op:u:2026-Q3:${btg}`)).message.plainText).toContain('gõ hạn chót');
    expect((await tam.say('05/01/2027 17:00')).plainText).toContain('3 chi bộ thuộc Đảng bộ cơ quan Ban Tuyên giáo Thành ủy');
    // Between the confirmation and "OK", Tâm becomes admin of another đảng bộ instead.
    await h.db.roleAssignment.update({ where: { id: tamRole }, data: { unitId: await unitId('DB-UBMT') } });
    try {
      const n = tam.messages().length;
      await tam.press('ci:op:ok', { reply: false });
      // The answer: a new message (refused), or the confirmation edited into "opened".
      const answer = await h.emulator.waitUntil(
        () => tam.messages()[n] ?? (tam.messages()[n - 1]!.plainText.includes('Đã mở đợt') ? tam.messages()[n - 1] : undefined),
        8000,
        'an answer to OK',
      );
      expect(await h.db.checkinCampaign.count()).toBe(1);
      expect(answer.plainText).toContain('không thuộc phạm vi quản trị của đồng chí; chưa mở đợt báo cáo nào');
      expect(await h.db.deadline.count({ where: { kind: 'checkin' } })).toBe(1);
      expect(await denied(h, 'checkin.open', 'unit:DB-BTG')).toBe(1);
    } finally {
      await h.db.roleAssignment.update({ where: { id: tamRole }, data: { unitId: btg } });
    }
  });

  it("refuses a forged unit outside the admin's subtree, audits it, and a forged OK after it is stale", async () => {
    await tam.say('/mobaocao');
    await tam.press('ci:op:p:2026-Q4');
    const ubmt = await unitId('DB-UBMT');
    const forged = await tam.press(`ci:op:u:2026-Q4:${ubmt}`, { force: tam.last() });
    expect(forged.message.plainText).toContain('Không tìm thấy đơn vị này trong phạm vi quản trị của đồng chí');
    expect(await denied(h, 'checkin.open', 'unit:DB-UBMT')).toBe(1);
    // Typing an out-of-scope code is refused (and audited) the same way.
    expect((await tam.say('CB1-MT')).plainText).toContain('Không tìm thấy đơn vị này trong phạm vi quản trị');
    expect(await denied(h, 'checkin.open', 'unit:CB1-MT')).toBe(1);
    const ok = await tam.press('ci:op:ok', { force: tam.last(), reply: false });
    expect(ok.answer.text).toContain('Nút này đã cũ');
    expect(await h.db.checkinCampaign.count()).toBe(1);
  });

  it('answers bad callback data with the stale popup, never an internal error', async () => {
    const rid = (await reportOf(h, id, 'CB1-BTG')).id;
    await hanh.press(hanh.button('ci:go:')); // at question 1 (a whole number)
    const presses: [Chat, string][] = [
      [dung, 'ci:th:abc'],
      [dung, 'ci:th:NaN'],
      [dung, 'ci:th:99999999999'],
      [dung, 'ci:th:1:2'],
      [hanh, 'ci:go:abc:1'],
      [hanh, `ci:go:${id}:99999999999`],
      [hanh, 'ci:c:NaN'],
      [hanh, 'ci:c:0'],
      [hanh, 'ci:sum:-1'],
      [hanh, 'ci:c:99999999999'],
      [hanh, `ci:a:${rid}:members_end:15`],
      [hanh, `ci:a:${rid}:members_end:y`],
      [hanh, `ci:a:${rid}:no_such_question:y`],
      [hanh, `ci:a:${rid}:bad:id:y`],
      [hanh, `ci:sk:${rid}`],
      [hanh, `ci:q:${rid}:no_such_question`],
      [hanh, `ci:send:${rid}:abc`],
      [hanh, `ci:send:${rid}:-1`],
      [hanh, 'ci:zz:1'],
      [hanh, 'ci'],
      [tam, 'ci:op:u:2026-Q4:abc'],
      [tam, 'ci:op:p:2026-Q5'],
      [tam, 'ci:op:zz'],
      [tam, 'ci:op:ok:2026-Q4'],
    ];
    for (const [chat, data] of presses) {
      await chat.say('/help');
      const n = chat.messages().length;
      const res = await chat.press(data, { force: chat.last(), reply: false });
      expect(res.answer.text, data).toBe(STALE);
      await new Promise((r) => setTimeout(r, 50));
      expect(
        chat
          .messages()
          .slice(n)
          .map((m) => m.plainText)
          .join('\n'),
        data,
      ).not.toContain(INTERNAL);
    }
    expect(errors).not.toHaveBeenCalled();
    expect((await reportOf(h, id, 'CB1-BTG')).rev).toBe(0); // nothing was saved
  });

  it("audits forged presses for another unit's report and a summary outside the scope", async () => {
    const mt = await reportOf(h, id, 'CB1-MT');
    const go = await hanh.press(`ci:go:${id}:${await unitId('CB1-MT')}`, { force: hanh.last(), reply: false });
    expect(go.answer.text).toContain('không phải người trả lời báo cáo này');
    const send = await hanh.press(`ci:send:${mt.id}:0`, { force: hanh.last(), reply: false });
    expect(send.answer.text).toContain('không phải người trả lời báo cáo này');
    expect(await denied(h, 'checkin.answer', `checkin:${id}:unit:CB1-MT`)).toBe(2);
    expect((await reportOf(h, id, 'CB1-MT')).version).toBe(0);

    // Mai (phụ trách DB-UBMT) sees CB1-MT of this campaign, not CB1-BTG; a campaign of DB-BTG alone is not hers.
    expect((await mai.say(`/tonghop ${id}`)).plainText).toContain('Đã báo cáo: 0/1 đơn vị (0%)');
    const other = await openByCli(h, '--period', '2026-Q4', '--units', 'CB2-BTG', '--closes', '05/01/2027 17:00');
    await mai.say('/help');
    const th = await mai.press(`ci:th:${other}`, { force: mai.last() });
    expect(th.message.plainText).toContain(`Không có đợt báo cáo #${other} trong phạm vi của đồng chí.`);
    expect(await denied(h, 'checkin.summary', `checkin:${other}`)).toBe(1);
    expect((await mai.say('/tonghop 999')).plainText).toContain('Không có đợt báo cáo #999');
    expect(await denied(h, 'checkin.summary')).toBe(1); // a campaign that does not exist is no refused attempt
    expect(errors).not.toHaveBeenCalled();
  });
});
