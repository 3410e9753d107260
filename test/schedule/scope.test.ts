import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operator, personActor } from '../../src/application/actor.js';
import { importRows } from '../../src/application/schedule/operator.js';
import type { Services } from '../../src/core/services.js';
import { loadPerson } from '../../src/domain/people.js';
import { createLogger } from '../../src/logger.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { buttonData } from '../helpers/chat.js';
import { ROSTER, user, type Who } from '../helpers/roster.js';
import { count, csv, next, ok, press, say, setupOrg } from './setup.js';

const STALE = 'Nút này đã cũ, vui lòng gõ lại lệnh.';
const FORBIDDEN = 'Đồng chí không có quyền sửa lịch của đơn vị này.';

/**
 * Lan is bí thư of Chi bộ 3 (CB3-BTG) and, here, also its văn phòng: she keeps that chi bộ's
 * schedule. Her reach for naming participants is CB3-BTG and the units above it (DB-BTG, DBK), and
 * the people holding a role there; the sibling chi bộ and the Mặt trận's branch are outside it.
 */
describe('schedule: who an editor may name, forged and bad buttons, audited edits', () => {
  let h: Harness;
  let ids: Record<Who, number>;
  let cb3: number;
  let chiBo: number; // an item of CB3-BTG, imported by the operator
  let khoi: number; // an item of DBK

  const item = (id: number) =>
    h.db.scheduleItem.findUniqueOrThrow({ where: { id }, include: { people: true, units: { include: { unit: true } } } });
  const answer = async (who: Who, data: string) => {
    const [list] = h.emulator.messagesTo(ROSTER[who].tg).slice(-1);
    return (await h.emulator.waitForCallbackAnswer(h.emulator.pressButton(user(who), list!, data, { force: true }))).text;
  };

  beforeAll(async () => {
    h = await startHarness({ now: '2026-11-23T08:00' });
    ids = await setupOrg(h.database, h, 'an', 'binh', 'hung', 'lan', 'long', 'ngoc');
    cb3 = (await h.db.unit.findUniqueOrThrow({ where: { code: 'CB3-BTG' } })).id;
    await h.db.roleAssignment.create({ data: { personId: ids.lan, unitId: cb3, role: 'van_phong' } });
    await ok(
      h,
      'schedule',
      'import',
      csv(
        '26/11/2026,14:00,16:00,Sinh hoạt chi bộ tháng 11,Phòng họp Chi bộ 3,đ/c Huỳnh Thị Lan,đ/c Trương Mỹ Ngọc,CB3-BTG,S-1,',
        '27/11/2026,08:00,10:00,Họp Thường trực Đảng ủy Khối,Phòng họp 1,đ/c Nguyễn Văn An,,DBK,S-2,',
      ),
    );
    chiBo = (await h.db.scheduleItem.findUniqueOrThrow({ where: { ref: 'S-1' } })).id;
    khoi = (await h.db.scheduleItem.findUniqueOrThrow({ where: { ref: 'S-2' } })).id;
  });
  afterAll(() => h?.stop());

  it('lets the command line name anyone in the organisation', async () => {
    expect((await item(chiBo)).people.map((p) => p.personId)).toEqual(expect.arrayContaining([ids.lan, ids.ngoc]));
  });

  it('refuses, in /themlich, people and units outside the editor’s subtree and the units above it (L4)', async () => {
    expect((await say(h, 'lan', '/themlich'))[0]!.plainText).toContain('Thêm lịch làm việc — Chi bộ 3 (Văn phòng Ban)');
    await say(h, 'lan', '25/11');
    await say(h, 'lan', '09:00-10:00');
    await say(h, 'lan', 'Kiểm điểm công tác tháng 11');
    expect((await say(h, 'lan', 'Phòng họp Chi bộ 3'))[0]!.plainText).toContain('Chủ trì?');

    const [chair] = await say(h, 'lan', 'đ/c Trương Mỹ Ngọc');
    expect(chair!.plainText).toContain('Không tìm thấy Trương Mỹ Ngọc trong phạm vi của đồng chí');
    expect((await say(h, 'lan', 'đ/c Huỳnh Thị Lan'))[0]!.plainText).toContain('Thành phần tham dự?');

    const [units] = await say(h, 'lan', 'Chi bộ 2 (Phòng Lý luận chính trị); DB-UBMT; đ/c Đặng Văn Hùng');
    expect(units!.plainText).toContain('Không tìm thấy');
    for (const name of [
      'Đặng Văn Hùng',
      'Chi bộ 2 (Phòng Lý luận chính trị)',
      'Đảng bộ cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố',
    ]) {
      expect(units!.plainText).toContain(name);
    }
    // The units above and the people holding a role there may be named.
    const [preview] = await say(h, 'lan', 'đ/c Nguyễn Văn An; đ/c Bùi Thanh Long; Đảng bộ cơ quan Ban Tuyên giáo Thành ủy');
    expect(preview!.plainText).toContain('Xem lại trước khi lưu');
    await press(h, 'lan', preview!, 'sch:save');
    await h.emulator.waitUntil(() => h.emulator.messagesTo(ROSTER.lan.tg).find((m) => m.plainText.startsWith('✅ Đã thêm')));
    const saved = await h.db.scheduleItem.findFirstOrThrow({
      where: { content: 'Kiểm điểm công tác tháng 11' },
      include: { people: true, units: { include: { unit: true } } },
    });
    expect(saved.people.map((p) => p.personId).sort()).toEqual([ids.an, ids.lan, ids.long].sort());
    expect(saved.units.map((u) => u.unit.code)).toEqual(['DB-BTG']);
    expect(await h.db.auditLog.count({ where: { action: 'denied:schedule.participants', actorId: ids.lan } })).toBe(2);
  });

  it('refuses adding an out-of-scope participant when editing, and keeps who an import named (L4)', async () => {
    let n = count(h, 'lan');
    h.emulator.sendText(user('lan'), '/lich');
    const [list] = await next(h, 'lan', n);
    expect(buttonData(list!)).toContain(`sch:i:${chiBo}`);
    expect(buttonData(list!)).not.toContain(`sch:i:${khoi}`);
    n = count(h, 'lan');
    await press(h, 'lan', list!, `sch:i:${chiBo}`);
    const [card] = await next(h, 'lan', n);
    n = count(h, 'lan');
    await press(h, 'lan', card!, `sch:e:${chiBo}:participants`);
    expect((await next(h, 'lan', n))[0]!.plainText).toContain('Thành phần mới?');

    const [refused] = await say(h, 'lan', 'đ/c Trương Mỹ Ngọc; đ/c Đặng Văn Hùng');
    expect(refused!.plainText).toContain('Không tìm thấy Đặng Văn Hùng trong phạm vi của đồng chí');
    expect(refused!.plainText).not.toContain('Trương Mỹ Ngọc'); // named by the import: may stay
    const [confirm] = await say(h, 'lan', 'đ/c Trương Mỹ Ngọc; đ/c Bùi Thanh Long');
    expect(confirm!.plainText).toContain('Xác nhận thay đổi');
    await press(h, 'lan', confirm!, 'sch:ok');
    await h.emulator.waitUntil(() => h.emulator.messagesTo(ROSTER.lan.tg).find((m) => m.plainText.startsWith('✅ Đã cập nhật lịch.')));
    const after = await item(chiBo);
    expect(after.people.map((p) => p.personId).sort()).toEqual([ids.lan, ids.long, ids.ngoc].sort());
    expect(after.people.map((p) => p.personId)).not.toContain(ids.hung);
  });

  it('audits every edit with the values before and after', async () => {
    let n = count(h, 'lan');
    h.emulator.sendText(user('lan'), '/lich');
    const [list] = await next(h, 'lan', n);
    n = count(h, 'lan');
    await press(h, 'lan', list!, `sch:i:${chiBo}`);
    const [card] = await next(h, 'lan', n);
    n = count(h, 'lan');
    await press(h, 'lan', card!, `sch:e:${chiBo}:time`);
    await next(h, 'lan', n);
    const [confirm] = await say(h, 'lan', '14:30-16:30');
    await press(h, 'lan', confirm!, 'sch:ok');
    await h.emulator.waitUntil(() =>
      h.emulator
        .messagesTo(ROSTER.lan.tg)
        .find((m) => m.message_id === confirm!.message_id && m.plainText.startsWith('✅ Đã cập nhật lịch.')),
    );

    const row = await h.db.auditLog.findFirstOrThrow({
      where: { action: 'schedule.update', target: `schedule:${chiBo}` },
      orderBy: { id: 'desc' },
    });
    expect(row.actorId).toBe(ids.lan);
    const details = row.details as {
      fields: string[];
      before: { startsAt: string; endsAt: string };
      after: { startsAt: string; endsAt: string };
      change: number;
    };
    expect(details.fields).toEqual(['time']);
    expect(details.before).toMatchObject({ startsAt: '2026-11-26T07:00:00.000Z', endsAt: '2026-11-26T09:00:00.000Z' });
    expect(details.after).toMatchObject({ startsAt: '2026-11-26T07:30:00.000Z', endsAt: '2026-11-26T09:30:00.000Z' });
    const change = await h.db.scheduleChange.findUniqueOrThrow({ where: { id: details.change } });
    expect(change.before).toMatchObject({ startsAt: '2026-11-26T07:00:00.000Z' });
    expect(change.after).toMatchObject({ startsAt: '2026-11-26T07:30:00.000Z' });
  });

  it('answers bad or forged button data with the "stale button" popup, changing nothing', async () => {
    await say(h, 'lan', '/lich');
    const version = (await item(chiBo)).version;
    for (const data of [
      'sch:i:abc',
      'sch:i:0',
      'sch:i:99999999999',
      `sch:c:${chiBo}x`,
      `sch:e:${chiBo}:nope`,
      `sch:e:${chiBo}`,
      `sch:xx:${chiBo}:NaN`,
      `sch:xx:${chiBo}:${version}:1`,
      `sch:r:${chiBo}:-1`,
      'sch:u:abc',
      'sch:set:digest:2',
      'sch:ics:maybe',
      'sch:zz',
    ]) {
      expect(await answer('lan', data), data).toBe(STALE);
    }
    expect((await item(chiBo)).version).toBe(version);
    expect((await item(chiBo)).status).not.toBe('cancelled');
  });

  it('refuses, and audits, forged edits of another unit’s items and presses by people who keep no schedule', async () => {
    const denied = async () =>
      (
        await h.db.auditLog.findMany({
          where: { action: { startsWith: 'denied:schedule.' }, NOT: { action: 'denied:schedule.participants' } },
          orderBy: { id: 'asc' },
        })
      ).map((d) => [d.actorId, d.action, d.target]);
    await say(h, 'lan', '/lich');
    const v = (await item(khoi)).version;
    expect(await answer('lan', `sch:e:${khoi}:time`)).toBe(FORBIDDEN);
    expect(await answer('lan', `sch:xx:${khoi}:${v}`)).toBe(FORBIDDEN);
    expect(await answer('lan', `sch:i:${khoi}`)).toBe(FORBIDDEN);
    expect(await denied()).toEqual([
      [ids.lan, 'denied:schedule.edit', `schedule:${khoi}`],
      [ids.lan, 'denied:schedule.cancel', `schedule:${khoi}`],
      [ids.lan, 'denied:schedule.edit', `schedule:${khoi}`],
    ]);
    expect((await item(khoi)).status).toBe('planned');
    expect(await h.db.chatState.count({ where: { chat: { chatId: String(ROSTER.lan.tg) } } })).toBe(0);

    await say(h, 'hung', '/lich');
    expect(await answer('hung', `sch:r:${chiBo}:1`)).toBe(FORBIDDEN);
    expect(await answer('hung', `sch:u:${cb3}`)).toBe(FORBIDDEN);
    expect((await denied()).slice(3)).toEqual([
      [ids.hung, 'denied:schedule.restore', `schedule:${chiBo}`],
      [ids.hung, 'denied:schedule.create', `unit:${cb3}`],
    ]);
  });

  it('starts over when a saved draft no longer fits the flow', async () => {
    const chat = await h.db.chatIdentity.findUniqueOrThrow({
      where: { channel_chatId: { channel: 'telegram', chatId: String(ROSTER.lan.tg) } },
    });
    await h.db.chatState.create({
      data: { chatIdentityId: chat.id, flow: 'schedule.add', data: { unitId: 'CB3-BTG', step: 'somewhere' } },
    });
    expect((await say(h, 'lan', '25/11'))[0]!.plainText).toBe('Phiên nhập này đã kết thúc. Gõ /themlich để bắt đầu lại.');
    expect(await h.db.chatState.count({ where: { chatIdentityId: chat.id } })).toBe(0);
  });

  it('imports as a person only rows of units in reach, naming people in reach; the operator imports anything', async () => {
    const svc: Services = {
      db: h.db,
      config: h.config,
      clock: h.clock,
      log: createLogger('silent'),
      botUsername: '',
      kick: () => undefined,
    };
    const lan = personActor((await loadPerson(h.db, ids.lan))!, 'test');
    const rows = (lines: string[]) =>
      lines.map((l, i) => {
        const [date, start, end, content, place, chair, participants, unit_code, ref] = l.split(',');
        return {
          line: i + 2,
          values: {
            date: date!,
            start: start!,
            end: end!,
            content: content!,
            place: place!,
            chair: chair!,
            participants: participants!,
            unit_code: unit_code!,
            ref: ref!,
          },
        };
      });
    const file = rows([
      '30/11/2026,08:00,,Giao ban chi bộ,Phòng họp Chi bộ 3,,đ/c Bùi Thanh Long,CB3-BTG,P-1',
      '30/11/2026,09:00,,Giao ban Khối,Phòng họp 1,,,DBK,P-2',
      '30/11/2026,10:00,,Làm việc với Mặt trận,Phòng họp Chi bộ 3,,đ/c Trương Mỹ Ngọc,CB3-BTG,P-3',
    ]);
    const refused = await importRows(svc, lan, file);
    expect(refused.ok && !refused.value.ok && refused.value.errors.map((e) => [e.line, e.key])).toEqual([
      [3, 'unit_out_of_scope'],
      [4, 'participant_out_of_scope'],
    ]);
    expect(await h.db.scheduleItem.count({ where: { ref: { in: ['P-1', 'P-2', 'P-3'] } } })).toBe(0);
    const mine = await importRows(svc, lan, file.slice(0, 1));
    expect(mine.ok && mine.value.ok && mine.value.summary.created).toBe(1);
    const all = await importRows(svc, operator, file);
    expect(all.ok && all.value.ok && all.value.summary).toMatchObject({ created: 2, unchanged: 1 });
    const p3 = await h.db.scheduleItem.findUniqueOrThrow({ where: { ref: 'P-3' }, include: { people: true } });
    expect(p3.people.map((p) => p.personId)).toEqual([ids.ngoc]);
    const hung = personActor((await loadPerson(h.db, ids.hung))!, 'test');
    const no = await importRows(svc, hung, file.slice(0, 1));
    expect(!no.ok && no.refusal.forbidden).toBe(true);
  });
});
