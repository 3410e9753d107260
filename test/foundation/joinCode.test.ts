import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE_ALPHABET, hashInviteCode, parseInviteCode } from '../../src/domain/inviteCodes.js';
import { hashToken } from '../../src/domain/invites.js';
import { cli } from '../helpers/cli.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { importFixtureOrg } from '../helpers/org.js';
import { outboxDrained } from '../helpers/outbox.js';

const SHOWN = new RegExp(`^[${CODE_ALPHABET}]{4}-[${CODE_ALPHABET}]{4}$`);

describe('joining by the invite code', () => {
  let h: Harness;
  const run = (...argv: string[]) => cli(h.database, h.config, argv, h.clock);
  async function inviteJson(phone: string): Promise<{ link: string; code: string; fullName: string; phone: string; expiresAt: string }> {
    const res = await run('invite', '--phone', phone, '--json');
    expect(res.code, res.err).toBe(0);
    return JSON.parse(res.out) as { link: string; code: string; fullName: string; phone: string; expiresAt: string };
  }
  async function say(tg: number, text: string) {
    const n = h.emulator.messagesTo(tg).length;
    h.emulator.sendText({ id: tg, first_name: 'X', language_code: 'vi' }, text);
    return (await h.emulator.waitForMessages(tg, n + 1)).at(-1)!;
  }
  const chatPerson = async (tg: number) =>
    (await h.db.chatIdentity.findUnique({ where: { channel_chatId: { channel: 'telegram', chatId: String(tg) } } }))?.personId ?? null;
  const attempts = (tg: number) => h.db.joinCodeAttempt.count({ where: { channel: 'telegram', chatId: String(tg) } });

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-30T09:00' });
    await importFixtureOrg(h.database, h.config);
  });
  afterAll(() => h?.stop());

  it('prints link and code as JSON, stores only the code hash, and the plain output names the code too', async () => {
    const inv = await inviteJson('0913 222 333');
    expect(inv.link).toMatch(/^https:\/\/t\.me\/capuy_test_bot\?start=[A-Za-z0-9_-]{32}$/);
    expect(inv.code).toMatch(SHOWN);
    expect(inv).toMatchObject({ fullName: 'Võ Thị Hạnh', phone: '+84913222333' });
    const ttl = new Date(inv.expiresAt).getTime() - h.clock.now().toMillis();
    expect(Math.abs(ttl - h.config.INVITE_TTL_DAYS * 86_400_000)).toBeLessThan(10_000);
    const stored = await h.db.invite.findFirstOrThrow({ where: { tokenHash: hashToken(new URL(inv.link).searchParams.get('start')!) } });
    expect(stored.codeHash).toBe(hashInviteCode(parseInviteCode(inv.code)!));
    expect(stored.codeHash).not.toContain(parseInviteCode(inv.code));

    const plain = await run('invite', '--phone', '0913 222 333');
    const [link, codeLine] = plain.out.split('\n');
    expect(link).toMatch(/^https:\/\/t\.me\/capuy_test_bot\?start=/);
    expect(codeLine).toMatch(/Mã tham gia .*: [A-Z0-9]{4}-[A-Z0-9]{4}$/);
  });

  it('links a chat by the code sent alone, in any case and spacing, exactly like the link; then the code is used up', async () => {
    const inv = await inviteJson('0913 222 444'); // Đặng Văn Hùng
    const typed = ` ${inv.code.slice(0, 4).toLowerCase()} ${inv.code.slice(5)} `;
    const linked = await say(801, typed);
    expect(linked.plainText).toContain('Đã liên kết thành công');
    expect(linked.plainText).toContain('Đặng Văn Hùng');
    expect((await say(801, '/toi')).plainText).toContain('Chi bộ 2 (Phòng Lý luận chính trị)');
    const audit = await h.db.auditLog.findFirst({ where: { action: 'link.code' } });
    expect(audit?.actor).toBe('telegram:801');
    expect(await attempts(801)).toBe(0); // a good code is no wrong attempt

    expect((await say(802, inv.code)).plainText).toContain('đã được sử dụng');
    expect(await chatPerson(802)).toBeNull();
  });

  it('links after /start too, and warns the chat already linked (second chat)', async () => {
    const first = await inviteJson('0913 222 555'); // Huỳnh Thị Lan
    expect((await say(811, `/start ${first.link.split('=')[1]}`)).plainText).toContain('Đã liên kết thành công');
    const seen = h.emulator.messagesTo(811).length;
    const second = await inviteJson('0913 222 555');
    expect((await say(812, `/start ${second.code}`)).plainText).toContain('Huỳnh Thị Lan');
    const [warning] = (await h.emulator.waitForMessages(811, seen + 1)).slice(seen);
    expect(warning!.plainText).toContain('liên kết thêm với một chat Telegram');
    expect(await chatPerson(812)).toBe(await chatPerson(811));
    await outboxDrained(h.db);
  });

  it('refuses an expired code and a revoked one', async () => {
    const old = await inviteJson('0913 222 666');
    await h.db.invite.updateMany({
      where: { codeHash: hashInviteCode(parseInviteCode(old.code)!) },
      data: { expiresAt: h.clock.now().minus({ minutes: 1 }).toJSDate() },
    });
    expect((await say(821, old.code)).plainText).toContain('đã hết hạn');
    const revoked = await inviteJson('0913 222 666');
    expect((await run('invite', 'revoke', '--phone', '0913 222 666')).code).toBe(0);
    expect((await say(821, revoked.code)).plainText).toContain('đã bị thu hồi');
    expect(await chatPerson(821)).toBeNull();
  });

  it('allows 5 wrong codes per chat per hour, then asks to wait, even for a good code; an hour later the code works', async () => {
    const good = await inviteJson('0914 333 777'); // Nguyễn Trung Châu Tuyên
    const stranger = 831;
    for (let i = 0; i < 5; i++) expect((await say(stranger, `WRNG-${2345 + i}`)).plainText).toContain('Mã tham gia không đúng');
    expect(await attempts(stranger)).toBe(5);
    const wait = await say(stranger, 'WRNG-9999');
    expect(wait.plainText).toContain('vui lòng đợi khoảng 60 phút');
    expect((await say(stranger, good.code)).plainText).toContain('vui lòng đợi');
    expect(await chatPerson(stranger)).toBeNull();
    expect(await attempts(stranger)).toBe(5); // waiting does not lengthen the wait
    // Another chat is not held back by this one.
    expect((await say(832, 'WRNG-2345')).plainText).toContain('Mã tham gia không đúng');

    h.clock.advance(30 * 60_000);
    expect((await say(stranger, 'WRNG-9999')).plainText).toContain('khoảng 30 phút');
    h.clock.advance(31 * 60_000);
    expect((await say(stranger, good.code)).plainText).toContain('Nguyễn Trung Châu Tuyên');
  });

  it('tells a stranger who types anything else how to join, mentioning the code, and counts no attempt', async () => {
    for (const text of ['xin chào', 'hello bot', 'ABCDEFGH', '12345']) {
      const reply = await say(841, text);
      expect(reply.plainText, text).toContain('chưa được liên kết');
      expect(reply.plainText).toContain('mã tham gia');
    }
    expect(await attempts(841)).toBe(0);
  });

  it('lists a code and a ready-to-send Vietnamese text per person in the --all CSV; the code from it links', async () => {
    const res = await run('invite', '--all', '--unit', 'CB1-MT');
    expect(res.code, res.err).toBe(0);
    const rows = parse(res.out, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['full_name', 'phone', 'unit', 'token', 'link', 'code', 'message']);
    const ngoc = rows.find((r) => r.full_name === 'Trương Mỹ Ngọc')!;
    expect(ngoc.code).toMatch(SHOWN);
    expect(ngoc.message).toContain('Kính gửi đồng chí Trương Mỹ Ngọc');
    expect(ngoc.message).toContain(ngoc.code);
    expect(ngoc.message).toContain(ngoc.link);
    expect(ngoc.message).toContain('«Trợ lý cấp ủy»');
    expect(ngoc.message).toContain(h.clock.now().plus({ days: h.config.INVITE_TTL_DAYS }).toFormat('dd/MM/yyyy'));
    expect((await say(851, ngoc.code!)).plainText).toContain('Trương Mỹ Ngọc');
  });
});
