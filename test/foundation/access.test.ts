import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/domain/invites.js';
import { normalizePhone } from '../../src/domain/phone.js';
import type { StoredMessage } from '../../src/emulator/botApiEmulator.js';
import { cli } from '../helpers/cli.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { importFixtureOrg } from '../helpers/org.js';
import { outboxDrained } from '../helpers/outbox.js';

/** People of test/fixtures/people.csv, with the Telegram account each one writes from. */
const P = {
  hanh: { phone: '0913 222 333', tg: 701, name: 'Võ Thị Hạnh' }, // bí thư CB1-BTG, replaced by the new file
  hung: { phone: '0913 222 444', tg: 702, name: 'Đặng Văn Hùng' }, // bí thư CB2-BTG
  lan: { phone: '0913 222 555', tg: 703, name: 'Huỳnh Thị Lan' }, // bí thư CB3-BTG
  long: { phone: '0913 222 666', tg: 704, name: 'Bùi Thanh Long' }, // phó bí thư CB3-BTG
  phuc: { phone: '0914 333 999', tg: 709, name: 'Hồ Văn Phúc' }, // bí thư CBCS-HLH
} as const;
type Who = keyof typeof P;
const user = (who: Who) => ({ id: P[who].tg, first_name: who, language_code: 'vi' });
const UNKNOWN = '0999 999 999';

const dir = mkdtempSync(join(tmpdir(), 'capuy-access-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
const buttonsOf = (m: StoredMessage) =>
  ((m.reply_markup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined)?.inline_keyboard ?? []).flat();

describe('taking access away', () => {
  let h: Harness;
  const run = (...argv: string[]) => cli(h.database, h.config, argv, h.clock);
  const person = (who: Who) =>
    h.db.person.findUniqueOrThrow({
      where: { phone: normalizePhone(P[who].phone)! },
      include: { roles: true, chats: true, invites: true },
    });
  const chatOf = (tg: number) =>
    h.db.chatIdentity.findUniqueOrThrow({ where: { channel_chatId: { channel: 'telegram', chatId: String(tg) } } });

  async function say(tg: number, text: string, from = { id: tg, first_name: 'X', language_code: 'vi' }): Promise<StoredMessage> {
    const n = h.emulator.messagesTo(tg).length;
    h.emulator.sendText(from, text);
    return (await h.emulator.waitForMessages(tg, n + 1)).at(-1)!;
  }
  async function invite(phone: string): Promise<string> {
    const res = await run('invite', '--phone', phone);
    expect(res.code, res.err).toBe(0);
    return /start=([A-Za-z0-9_-]+)$/m.exec(res.out.trim())![1]!;
  }
  /** Links the person's Telegram chat the way a new user does: the office's invite, then /start. */
  async function join(who: Who): Promise<void> {
    const reply = await say(P[who].tg, `/start ${await invite(P[who].phone)}`);
    expect(reply.plainText).toContain('Đã liên kết thành công');
  }

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-30T09:00' });
    await importFixtureOrg(h.database, h.config);
    for (const who of Object.keys(P) as Who[]) await join(who);
  });
  afterAll(() => h?.stop());

  it('plans a sync naming who goes and changes nothing; --yes applies it and the replaced secretary has no access left', async () => {
    // Before: Hạnh has a deadline announcement with "Đã nộp" and a calendar link.
    const created = await run('deadline', 'add', '--title', 'Báo cáo sơ kết 6 tháng', '--due', '31/12/2026', '--units', 'CB1-BTG');
    expect(created.code, created.err).toBe(0);
    const deadlineId = Number(created.out.split('\n')[0]);
    const [announcement] = await h.emulator.waitForMessages(P.hanh.tg, 2).then((m) => m.slice(1));
    const done = buttonsOf(announcement!).find((b) => b.callback_data?.startsWith('dl:done:'))!;
    expect(done.text).toContain('Đã nộp');
    const ics = await say(P.hanh.tg, '/lich ics');
    const token = /\/lich\/([A-Za-z0-9_-]{32})\.ics/.exec(ics.plainText)![1]!;
    const feed = () => fetch(`http://127.0.0.1:${h.app.port}/lich/${token}.ics`);
    expect((await feed()).status).toBe(200);

    // The new roster: Chi bộ 1 has a new secretary; everyone else stays.
    const fixture = readFileSync('test/fixtures/people.csv', 'utf8');
    expect(fixture).toContain('Võ Thị Hạnh,0913 222 333,CB1-BTG,bi_thu');
    const roster = file(
      'new.csv',
      fixture.replace('Võ Thị Hạnh,0913 222 333,CB1-BTG,bi_thu', 'Nguyễn Thị Mai,0913 000 111,CB1-BTG,bi_thu'),
    );
    const counts = async () => ({
      people: await h.db.person.count(),
      roles: await h.db.roleAssignment.count(),
      linked: await h.db.chatIdentity.count({ where: { personId: { not: null } } }),
      audit: await h.db.auditLog.count(),
    });
    const before = await counts();

    const plan = await run('import', 'people', roster, '--sync');
    expect(plan.code, plan.err).toBe(0);
    expect(plan.out).toContain('Kế hoạch đồng bộ danh sách cho toàn tổ chức — CHƯA thay đổi gì');
    expect(plan.out).toMatch(/Người mới \(1\):\n {2}\+ Nguyễn Thị Mai \(0913 000 111\)/);
    expect(plan.out).toMatch(
      /Vai trò bị bỏ \(1\):\n {2}- Võ Thị Hạnh \(0913 222 333\): Bí thư, Chi bộ 1 \(Phòng Tuyên truyền\) \(CB1-BTG\)/,
    );
    expect(plan.out).toMatch(/bị ngừng truy cập \(1\).*\n {2}✗ Võ Thị Hạnh \(0913 222 333\)\n/);
    expect(plan.out).toContain('--yes');
    expect(plan.out).not.toContain('Đặng Văn Hùng');
    expect(await counts()).toEqual(before);
    expect((await person('hanh')).deactivatedAt).toBeNull();

    // A flow she had started is dropped with the link.
    const hanhChat = await chatOf(P.hanh.tg);
    await h.db.chatState.create({ data: { chatIdentityId: hanhChat.id, flow: 'dl:new', data: {} } });

    const applied = await run('import', 'people', roster, '--sync', '--yes');
    expect(applied.code, applied.err).toBe(0);
    expect(applied.out).toContain(
      'Đã đồng bộ toàn tổ chức: 1 người mới, 0 cập nhật, 1 vai trò thêm, 1 vai trò bỏ, 1 người bị ngừng truy cập',
    );
    expect(applied.out).toContain('Đã ngừng truy cập: Võ Thị Hạnh (0913 222 333)');
    const hanh = await person('hanh');
    expect(hanh.deactivatedAt).not.toBeNull();
    expect(hanh.roles).toEqual([]);
    expect(hanh.chats).toEqual([]);
    expect((await chatOf(P.hanh.tg)).personId).toBeNull();
    expect(await h.db.chatState.findUnique({ where: { chatIdentityId: hanhChat.id } })).toBeNull();
    expect(await h.db.schedulePrefs.findUnique({ where: { personId: hanh.id } })).toMatchObject({ icsToken: null });
    expect((await person('hung')).roles).toHaveLength(1);
    const audit = await h.db.auditLog.findFirstOrThrow({ where: { action: 'person.deactivate', target: `person:${hanh.id}` } });
    expect(audit.actor).toBe('cli');
    expect(audit.details).toMatchObject({ before: { roles: [{ unitCode: 'CB1-BTG', role: 'bi_thu' }], chats: [`telegram:${P.hanh.tg}`] } });
    expect(await h.db.auditLog.count({ where: { action: 'import.people.sync' } })).toBe(1);

    // What she still has in her chat does nothing beyond a polite "not linked".
    expect((await say(P.hanh.tg, '/toi')).plainText).toContain('chưa được liên kết');
    const n = h.emulator.messagesTo(P.hanh.tg).length;
    const q = h.emulator.pressButton(user('hanh'), announcement!, done.callback_data!);
    expect((await h.emulator.waitForCallbackAnswer(q)).text).toBe('Đồng chí chưa được liên kết. Gõ /start để bắt đầu.');
    const row = await h.db.deadlineUnit.findFirstOrThrow({ where: { deadlineId } });
    expect(row.reportedAt).toBeNull();
    expect(h.emulator.messagesTo(P.hanh.tg)).toHaveLength(n);
    expect((await feed()).status).toBe(404);
    // Her old invite cannot bring her back, nor can sharing her own number.
    h.emulator.sendContact(user('hanh'), { phone_number: '+84913222333', user_id: P.hanh.tg });
    expect((await h.emulator.waitForMessages(P.hanh.tg, n + 1)).at(-1)!.plainText).toContain('không còn được cấp quyền');
    expect((await chatOf(P.hanh.tg)).personId).toBeNull();

    // The same file again: nothing left to change.
    const again = await run('import', 'people', roster, '--sync');
    expect(again.out).toContain('Không có gì thay đổi');
  });

  it('syncs only the given subtree with --unit, and refuses rows outside it', async () => {
    const outside = await run(
      'import',
      'people',
      file(
        'cb2-bad.csv',
        'full_name,phone,unit_code,role\nĐặng Văn Hùng,0913 222 444,CB2-BTG,bi_thu\nTrần Thị Bình,0903 111 222,DBK,van_phong\n',
      ),
      '--sync',
      '--unit',
      'CB2-BTG',
    );
    expect(outside.code).toBe(1);
    expect(outside.err).toMatch(/Dòng 3: .*DBK.*không thuộc/);

    const roles = await h.db.roleAssignment.count();
    const cb2 = file(
      'cb2.csv',
      'full_name,phone,unit_code,role\nĐặng Văn Hùng,0913 222 444,CB2-BTG,bi_thu\nLê Thu Trang,0913 000 222,CB2-BTG,pho_bi_thu\n',
    );
    const plan = await run('import', 'people', cb2, '--sync', '--unit', 'CB2-BTG');
    expect(plan.code, plan.err).toBe(0);
    expect(plan.out).toContain('Chi bộ 2 (Phòng Lý luận chính trị) (CB2-BTG) và các đơn vị cấp dưới');
    expect(plan.out).toContain('+ Lê Thu Trang (0913 000 222): Phó Bí thư');
    expect(plan.out).not.toContain('Vai trò bị bỏ');
    const applied = await run('import', 'people', cb2, '--sync', '--unit', 'CB2-BTG', '--yes');
    expect(applied.out).toContain('1 vai trò thêm, 0 vai trò bỏ, 0 người bị ngừng truy cập');
    expect(await h.db.roleAssignment.count()).toBe(roles + 1);

    expect((await run('import', 'people', cb2, '--yes')).err).toContain('--sync');
    expect((await run('import', 'people', file('empty.csv', 'full_name,phone,unit_code,role\n'), '--sync', '--yes')).err).toContain(
      'tệp rỗng',
    );
  });

  it('person remove cancels what is queued for her and nothing more reaches her chat', async () => {
    const lanChat = await chatOf(P.lan.tg);
    // Hold her chat back (as pacing does) so the notice stays queued.
    await h.db.chatIdentity.update({ where: { id: lanChat.id }, data: { nextSendAt: new Date(Date.now() + 3_600_000) } });
    const queued = await run('notify', '--unit', 'CB3-BTG', '--text', 'Họp chi bộ chiều nay');
    expect(queued.code, queued.err).toBe(0);
    expect(await h.db.outboxMessage.count({ where: { chatIdentityId: lanChat.id, status: 'pending' } })).toBe(1);
    const seen = h.emulator.messagesTo(P.lan.tg).length;

    const res = await run('person', 'remove', '--phone', P.lan.phone);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('Đã ngừng truy cập của Huỳnh Thị Lan (0913 222 555): bỏ 1 vai trò, bỏ liên kết 1 chat, hủy 1 tin chờ gửi');
    expect(await h.db.outboxMessage.count({ where: { chatIdentityId: lanChat.id, status: { in: ['pending', 'sending'] } } })).toBe(0);
    expect(await h.db.auditLog.count({ where: { action: 'person.deactivate', target: `person:${lanChat.personId}` } })).toBe(1);

    // Her chat may be sent to again, and the unit gets a new deadline: only Long hears of it.
    await h.db.chatIdentity.update({ where: { id: lanChat.id }, data: { nextSendAt: null } });
    const longSeen = h.emulator.messagesTo(P.long.tg).length;
    expect((await run('deadline', 'add', '--title', 'Báo cáo quý', '--due', '31/12/2026', '--units', 'CB3-BTG')).code).toBe(0);
    await h.emulator.waitForMessages(P.long.tg, longSeen + 1);
    await outboxDrained(h.db);
    expect(h.emulator.messagesTo(P.lan.tg)).toHaveLength(seen);

    const twice = await run('person', 'remove', '--phone', P.lan.phone);
    expect(twice.code).toBe(0);
    expect(twice.out).toContain('đã bị ngừng truy cập từ trước');
  });

  it('person unlink drops one channel and keeps the roles', async () => {
    const long = await person('long');
    await h.db.chatIdentity.create({ data: { channel: 'zalo', chatId: 'z-704', personId: long.id } });
    const res = await run('person', 'unlink', '--phone', P.long.phone, '--channel', 'zalo');
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('Đã bỏ liên kết 1 chat của Bùi Thanh Long (0913 222 666): zalo:z-704');
    const after = await person('long');
    expect(after.chats.map((c) => c.channel)).toEqual(['telegram']);
    expect(after.roles).toHaveLength(1);
    expect((await say(P.long.tg, '/toi')).plainText).toContain('Phó Bí thư');
    expect(await h.db.auditLog.count({ where: { action: 'chat.unlink', target: `person:${long.id}` } })).toBe(1);

    const none = await run('person', 'unlink', '--phone', P.long.phone, '--channel', 'zalo');
    expect(none.code).toBe(1);
    expect(none.err).toContain('không có chat zalo nào');
    const bad = await run('person', 'unlink', '--phone', P.long.phone, '--channel', 'sms');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('Không có kênh «sms»');

    const all = await run('person', 'unlink', '--phone', P.long.phone);
    expect(all.code, all.err).toBe(0);
    expect((await say(P.long.tg, '/toi')).plainText).toContain('chưa được liên kết');
    expect((await person('long')).roles).toHaveLength(1);
  });

  it('invite revoke makes an unused invite refuse politely', async () => {
    const token = await invite(P.phuc.phone);
    const res = await run('invite', 'revoke', '--phone', P.phuc.phone);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('Đã thu hồi 1 đường dẫn mời chưa dùng của Hồ Văn Phúc (0914 333 999)');
    expect(await h.db.invite.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } })).toMatchObject({ usedAt: null });
    const stranger = 7990;
    expect((await say(stranger, `/start ${token}`)).plainText).toContain('đã bị thu hồi');
    expect((await chatOf(stranger)).personId).toBeNull();
    expect(await h.db.auditLog.count({ where: { action: 'invite.revoke' } })).toBe(1);
  });

  it('refuses an unknown phone politely for each command and changes nothing', async () => {
    const audit = await h.db.auditLog.count();
    for (const argv of [
      ['person', 'remove', '--phone', UNKNOWN],
      ['person', 'unlink', '--phone', UNKNOWN],
      ['person', 'unlink', '--phone', UNKNOWN, '--channel', 'telegram'],
      ['invite', 'revoke', '--phone', UNKNOWN],
      ['invite', '--phone', UNKNOWN],
    ]) {
      const res = await run(...argv);
      expect(res.code, argv.join(' ')).toBe(1);
      expect(res.err.trim()).toBe(`Không có ai với số điện thoại «${UNKNOWN}» trong danh sách. Không thay đổi gì.`);
    }
    expect(await h.db.auditLog.count()).toBe(audit);
    // A deactivated person cannot be invited either.
    const hanh = await run('invite', '--phone', P.hanh.phone);
    expect(hanh.code).toBe(1);
    expect(hanh.err).toContain('đã bị ngừng truy cập');
  });

  it('gives a deactivated person back to a new import with roles; then a new invite links her again', async () => {
    const back = file('back.csv', 'full_name,phone,unit_code,role\nVõ Thị Hạnh,0913 222 333,CB2-BTG,dang_vien\n');
    const plan = await run('import', 'people', back, '--sync', '--unit', 'CB2-BTG');
    expect(plan.out).toMatch(/Được khôi phục \(1\).*\n {2}\+ Võ Thị Hạnh \(0913 222 333\)/);
    expect((await person('hanh')).deactivatedAt).not.toBeNull();

    const res = await run('import', 'people', back);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('1 người được khôi phục');
    expect((await person('hanh')).deactivatedAt).toBeNull();
    // Nothing of the old access came back with the roles: a new invite is needed.
    expect((await say(P.hanh.tg, '/toi')).plainText).toContain('chưa được liên kết');
    await join('hanh');
    expect((await say(P.hanh.tg, '/toi')).plainText).toContain('Chi bộ 2 (Phòng Lý luận chính trị)');
  });

  it('warns the chat already linked when a second chat links to the person', async () => {
    const second = 7702;
    const expected = [h.clock.now(), h.clock.now().plus({ minutes: 1 })].map((t) => t.toFormat('dd/MM/yyyy HH:mm'));
    const seen = h.emulator.messagesTo(P.hung.tg).length;
    const linked = await say(second, `/start ${await invite(P.hung.phone)}`);
    expect(linked.plainText).toContain('Đã liên kết thành công');

    const [warning] = (await h.emulator.waitForMessages(P.hung.tg, seen + 1)).slice(seen);
    expect(warning!.plainText).toContain('liên kết thêm với một chat Telegram');
    expect(
      expected.some((t) => warning!.plainText.includes(t)),
      warning!.plainText,
    ).toBe(true);
    expect(warning!.plainText).toContain('báo ngay cho Văn phòng cấp ủy');
    await outboxDrained(h.db);
    expect(
      h.emulator
        .messagesTo(second)
        .map((m) => m.plainText)
        .join('\n'),
    ).not.toContain('Thông báo bảo mật');

    const hung = await person('hung');
    const audit = await h.db.auditLog.findFirstOrThrow({ where: { action: 'link.second_chat', target: `person:${hung.id}` } });
    expect(audit.details).toEqual({ chat: `telegram:${second}`, warned: [`telegram:${P.hung.tg}`] });
    expect(await h.db.outboxMessage.count({ where: { dedupeKey: { startsWith: 'link:second:' }, status: 'sent' } })).toBe(1);

    // The same chat linking again is not a new chat: nobody is warned twice.
    await say(second, `/start ${await invite(P.hung.phone)}`);
    expect(await h.db.auditLog.count({ where: { action: 'link.second_chat' } })).toBe(1);
  });
});
