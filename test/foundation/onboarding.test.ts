import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/domain/invites.js';
import { cli } from '../helpers/cli.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { importFixtureOrg } from '../helpers/org.js';

const HANH = { id: 5001, first_name: 'Hạnh' }; // Võ Thị Hạnh, bí thư Chi bộ 1
const HUNG = { id: 5002, first_name: 'Hùng' }; // Đặng Văn Hùng
const STRANGER = { id: 5999, first_name: 'Khách' };

describe('joining the bot', () => {
  let h: Harness;
  const invite = async (phone: string) => {
    const res = await cli(h.database, h.config, ['invite', '--phone', phone], h.clock);
    expect(res.code, res.err).toBe(0);
    const m = /^https:\/\/t\.me\/capuy_test_bot\?start=([A-Za-z0-9_-]+)$/m.exec(res.out.trim());
    expect(m, res.out).not.toBeNull();
    return m![1]!;
  };
  const say = async (from: { id: number; first_name: string }, text: string) => {
    const before = h.emulator.messagesTo(from.id).length;
    h.emulator.sendText(from, text);
    const msgs = await h.emulator.waitForMessages(from.id, before + 1);
    return msgs[msgs.length - 1]!;
  };

  beforeAll(async () => {
    h = await startHarness();
    await importFixtureOrg(h.database, h.config);
  });
  afterAll(() => h?.stop());

  it('registers the command menu in Vietnamese and English', () => {
    const cmds = h.emulator.commands;
    expect(cmds['']?.map((c) => c.command)).toContain('toi');
    expect(cmds['']?.find((c) => c.command === 'toi')?.description).toBe('Thông tin của tôi');
    expect(cmds['en']?.find((c) => c.command === 'toi')?.description).toBe('About me');
  });

  it('links with a valid invite and answers /toi with the unit', async () => {
    const token = await invite('0913 222 333');
    expect(token.length).toBeGreaterThanOrEqual(22); // ≥ 128 bits in base64url
    const stored = await h.db.invite.findFirstOrThrow({ where: { tokenHash: hashToken(token) } });
    expect(stored.tokenHash).not.toContain(token);
    const linked = await say(HANH, `/start ${token}`);
    expect(linked.plainText).toContain('Đã liên kết thành công');
    expect(linked.plainText).toContain('Võ Thị Hạnh');
    const me = await say(HANH, '/toi');
    expect(me.plainText).toContain('Chi bộ 1 (Phòng Tuyên truyền)');
    expect(me.plainText).toContain('Bí thư');
    expect(me.plainText).toContain('0913 222 333');
  });

  it('refuses a reused token, an expired one and a made-up one', async () => {
    const token = await invite('0913 222 444');
    expect((await say(HUNG, `/start ${token}`)).plainText).toContain('Đã liên kết thành công');
    expect((await say(STRANGER, `/start ${token}`)).plainText).toContain('đã được sử dụng');

    const old = await invite('0913 222 555');
    await h.db.invite.update({ where: { tokenHash: hashToken(old) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await say(STRANGER, `/start ${old}`)).plainText).toContain('đã hết hạn');
    expect((await say(STRANGER, '/start AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).plainText).toContain('không hợp lệ');
    const chat = await h.db.chatIdentity.findUnique({ where: { channel_chatId: { channel: 'telegram', chatId: String(STRANGER.id) } } });
    expect(chat?.personId ?? null).toBeNull();
  });

  it('lets only one of two simultaneous uses of a token win', async () => {
    const token = await invite('0914 333 777');
    const a = { id: 6001, first_name: 'A' };
    const b = { id: 6002, first_name: 'B' };
    h.emulator.sendText(a, `/start ${token}`);
    h.emulator.sendText(b, `/start ${token}`);
    const [ra] = await h.emulator.waitForMessages(a.id, 1);
    const [rb] = await h.emulator.waitForMessages(b.id, 1);
    const texts = [ra!.plainText, rb!.plainText];
    expect(texts.filter((t) => t.includes('Đã liên kết thành công'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('đã được sử dụng'))).toHaveLength(1);
    const person = await h.db.person.findUniqueOrThrow({ where: { phone: '+84914333777' }, include: { chats: true } });
    expect(person.chats).toHaveLength(1);
  });

  it('links by a shared contact only when it is the sender’s own number', async () => {
    const lan = { id: 5003, first_name: 'Lan' };
    const ask = await say(lan, '/start');
    expect(ask.plainText).toContain('Chia sẻ số điện thoại');
    expect(JSON.stringify(ask.reply_markup)).toContain('request_contact');

    h.emulator.sendContact(lan, { phone_number: '+84913222555', user_id: 7777 });
    const [, refused] = await h.emulator.waitForMessages(lan.id, 2);
    expect(refused!.plainText).toContain('của chính đồng chí');

    h.emulator.sendContact(lan, { phone_number: '84999888777', user_id: lan.id });
    const [, , unknown] = await h.emulator.waitForMessages(lan.id, 3);
    expect(unknown!.plainText).toContain('chưa có trong danh sách');

    h.emulator.sendContact(lan, { phone_number: '+84913222555', user_id: lan.id });
    const [, , , ok] = await h.emulator.waitForMessages(lan.id, 4);
    expect(ok!.plainText).toContain('Huỳnh Thị Lan');
  });

  it('tells someone not linked how to join, whatever they try, and shows nothing else', async () => {
    const router = (await import('../../commands/index.js')).createRouter((await import('../../src/features.js')).features);
    const names = [...router.commands.keys()].filter((n) => n !== 'start');
    expect(names.length).toBeGreaterThan(3);
    for (const name of [...names, 'khongco']) {
      const reply = await say(STRANGER, `/${name}`);
      expect(reply.plainText, `/${name}`).toContain('chưa được liên kết');
      expect(reply.plainText).not.toContain('Chi bộ');
    }
    expect((await say(STRANGER, 'xin chào')).plainText).toContain('chưa được liên kết');
  });

  it('lists commands by role in /help and switches language with /ngonngu', async () => {
    const help = await say(HANH, '/help');
    expect(help.plainText).toContain('/toi');
    const admin = { id: 5010, first_name: 'An' };
    const token = await invite('0912 345 678');
    await say(admin, `/start ${token}`);
    const adminHelp = await say(admin, '/help');
    expect(adminHelp.plainText.split('\n').length).toBeGreaterThanOrEqual(help.plainText.split('\n').length);

    const choose = await say(HANH, '/ngonngu');
    const id = h.emulator.pressButton(HANH, { chat_id: HANH.id, message_id: choose.message_id }, 'lang:en');
    await h.emulator.waitForCallbackAnswer(id);
    await h.emulator.waitUntil(() =>
      h.emulator.messagesTo(HANH.id).find((m) => m.message_id === choose.message_id && m.plainText.includes('English')),
    );
    expect((await say(HANH, '/toi')).plainText).toContain('Units and roles');
  });

  it('audits linking', async () => {
    const n = await h.db.auditLog.count({ where: { action: { in: ['link.invite', 'link.contact'] } } });
    expect(n).toBeGreaterThanOrEqual(4);
  });
});
