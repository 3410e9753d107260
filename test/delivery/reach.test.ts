import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chat, dataOf } from '../helpers/chat.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { ok, settle, csv, file, setupOrg } from '../schedule/setup.js';

/**
 * One person, one message: Hùng (bí thư CB2-BTG) is linked on two channels, a Telegram chat (the
 * emulator) and a Zalo chat that exists only in the database (no Zalo adapter runs here). Every push
 * reaches him exactly once: on the chat linked last, then on the one he last wrote from, then on the
 * channel he chose with /kenh. Lan (bí thư CB3-BTG, one chat) gets every push as before.
 */
const ZALO_CHAT = 'a3f9c2e17b4d0086';
const W48 = [
  '23/11/2026,08:00,10:00,Họp Thường trực Đảng ủy Khối,"Phòng họp 1, 35 Lê Duẩn",đ/c Nguyễn Văn An,Thường trực Đảng ủy Khối,DBK,W48-01,',
  '24/11/2026,14:00,16:30,Làm việc với Đảng bộ cơ quan Ban Tuyên giáo Thành ủy,"Hội trường A, 35 Lê Duẩn",đ/c Nguyễn Văn An,,DBK,W48-02,CB2-BTG',
];

describe('reach: a person on two channels gets each push once', { timeout: 120_000 }, () => {
  let h: Harness;
  let hungId: number;
  let tgChat: number;
  let zaloChat: number;
  const hung = () => Chat.of(() => h, 'hung');
  const lan = () => Chat.of(() => h, 'lan');

  /** Hùng's and Lan's outbox rows whose key starts with `prefix` (Hùng's first). */
  async function rows(prefix: string) {
    const out = await h.db.outboxMessage.findMany({
      where: { dedupeKey: { startsWith: prefix }, chat: { person: { phone: { in: ['+84913222444', '+84913222555'] } } } },
      include: { chat: true },
      orderBy: { id: 'asc' },
    });
    return out
      .map((o) => ({
        who: o.chat.personId === hungId ? 'hung' : 'lan',
        channel: o.chat.channel,
        chat: o.chat.id,
        status: o.status,
      }))
      .sort((a, b) => a.who.localeCompare(b.who));
  }

  beforeAll(async () => {
    h = await startHarness({ now: '2026-11-23T09:00' });
    const ids = await setupOrg(h.database, h, 'hung', 'lan');
    hungId = ids.hung;
    tgChat = (await h.db.chatIdentity.findUniqueOrThrow({ where: { channel_chatId: { channel: 'telegram', chatId: '7105' } } })).id;
    // His Zalo chat was linked after the Telegram one: with no other signal it is where pushes go.
    zaloChat = (
      await h.db.chatIdentity.create({
        data: { channel: 'zalo', chatId: ZALO_CHAT, personId: hungId, linkedAt: new Date(Date.now() + 60_000) },
      })
    ).id;
  }, 180_000);
  afterAll(() => h?.stop());

  it('with no choice and no message from him, a deadline announcement goes to the chat linked last, once', async () => {
    const before = hung().messages().length;
    const lanBefore = lan().messages().length;
    await ok(h, 'deadline', 'add', '--title', 'Báo cáo sơ kết quý IV', '--due', '20/12/2026', '--units', 'CB2-BTG,CB3-BTG');
    const [news] = await lan().nextMany(lanBefore, 1);
    expect(news!.plainText).toContain('Báo cáo sơ kết quý IV');
    await settle(h);
    expect(await rows('deadline:')).toEqual([
      { who: 'hung', channel: 'zalo', chat: zaloChat, status: 'pending' },
      { who: 'lan', channel: 'telegram', chat: expect.any(Number), status: 'sent' },
    ]);
    // Nothing on his Telegram chat; the Zalo row waits for a process that runs Zalo (not failed, not lost).
    expect(hung().messages().length).toBe(before);
    const waiting = await h.db.outboxMessage.findFirstOrThrow({ where: { chatIdentityId: zaloChat } });
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0, lastError: null });
  });

  it('after he writes on Telegram, a broadcast reaches him there once', async () => {
    await hung().say('/toi');
    expect((await h.db.person.findUniqueOrThrow({ where: { id: hungId } })).lastChatId).toBe(tgChat);
    const before = hung().messages().length;
    await ok(
      h,
      'broadcast',
      '--to',
      'CB2-BTG,CB3-BTG',
      '--text-file',
      file('reach-bc.txt', 'Thông báo lịch sinh hoạt chi bộ tháng 12'),
      '--ack',
    );
    const [msg] = await hung().nextMany(before, 1);
    expect(msg!.plainText).toContain('Thông báo lịch sinh hoạt chi bộ tháng 12');
    await settle(h);
    expect(hung().messages().length).toBe(before + 1);
    expect((await rows('bc:')).map(({ who, channel }) => [who, channel])).toEqual([
      ['hung', 'telegram'],
      ['lan', 'telegram'],
    ]);
    const recipients = await h.db.broadcastRecipient.findMany({ where: { personId: hungId } });
    expect(recipients.map((r) => r.chatIdentityId)).toEqual([tgChat]);
    // Writing again from the same chat changes nothing (no write when it is already the last one).
    const stamp = (await h.db.person.findUniqueOrThrow({ where: { id: hungId } })).updatedAt;
    await hung().say('/toi');
    expect((await h.db.person.findUniqueOrThrow({ where: { id: hungId } })).updatedAt).toEqual(stamp);
  });

  it('/kenh shows both channels and which one gets the pushes; choosing Zalo sends the schedule there once', async () => {
    const shown = await hung().say('/kenh');
    expect(shown.plainText).toContain('Telegram, Zalo');
    expect(shown.plainText).toContain('hiện là Telegram (kênh đồng chí dùng gần nhất)');
    const { message } = await hung().press(dataOf(shown, 'Zalo'), { on: shown, edit: true });
    expect(message.plainText).toContain('Từ nay Trợ lý gửi nhắc hạn, thông báo và lịch đến Zalo');
    expect((await h.db.person.findUniqueOrThrow({ where: { id: hungId } })).preferredChannel).toBe('zalo');
    expect((await hung().say('/kenh')).plainText).toContain('hiện là Zalo (đồng chí đã chọn)');

    // Still writing on Telegram: the choice wins over the last-used chat.
    const before = hung().messages().length;
    const lanBefore = lan().messages().length;
    await ok(h, 'schedule', 'import', csv(...W48));
    await ok(h, 'schedule', 'digest', '--now');
    await lan().nextMany(lanBefore, 1);
    await ok(h, 'schedule', 'import', csv(...W48.map((l) => l.replace('14:00,16:30', '15:00,17:30'))));
    await lan().nextMany(lanBefore + 1, 1);
    await settle(h);
    expect(hung().messages().length).toBe(before);
    expect(await rows('schedule:digest:')).toEqual([
      { who: 'hung', channel: 'zalo', chat: zaloChat, status: 'pending' },
      { who: 'lan', channel: 'telegram', chat: expect.any(Number), status: 'sent' },
    ]);
    expect((await rows('schedule:change:')).map(({ who, channel }) => [who, channel])).toEqual([
      ['hung', 'zalo'],
      ['lan', 'telegram'],
    ]);
  });

  it('«Tự động» goes back to the chat he used last; the next announcement arrives on Telegram once', async () => {
    const shown = await hung().say('/kenh');
    const { message } = await hung().press(dataOf(shown, 'Tự động'), { on: shown, edit: true });
    expect(message.plainText).toContain('kênh đồng chí dùng gần nhất (hiện là Telegram)');
    const before = hung().messages().length;
    await ok(h, 'deadline', 'add', '--title', 'Báo cáo tổng kết năm 2026', '--due', '25/12/2026', '--units', 'CB2-BTG,CB3-BTG');
    const [news] = await hung().nextMany(before, 1);
    expect(news!.plainText).toContain('Báo cáo tổng kết năm 2026');
    await settle(h);
    expect(hung().messages().length).toBe(before + 1);
    const d = await h.db.deadline.findFirstOrThrow({ where: { title: 'Báo cáo tổng kết năm 2026' } });
    expect((await rows(`deadline:${d.id}:`)).map(({ who, channel }) => [who, channel])).toEqual([
      ['hung', 'telegram'],
      ['lan', 'telegram'],
    ]);
  });

  it('a channel he has no chat on cannot be chosen, and Lan with one chat sees no choice', async () => {
    const shown = await lan().say('/kenh');
    expect(shown.plainText).toContain('Đồng chí đang dùng Trợ lý cấp ủy trên: Telegram.');
    expect(shown.plainText).toContain('gõ /kenh để chọn kênh nhận tin');
    const pressed = await lan().press('kenh:set:zalo', { force: shown });
    expect(pressed.message.plainText).toContain('chưa liên kết Trợ lý trên kênh này');
    const lanPerson = await h.db.person.findUniqueOrThrow({ where: { phone: '+84913222555' } });
    expect(lanPerson.preferredChannel).toBeNull();
  });
});
